"""API conventions shared by every app (../shared/spec/api.md "General rules").

Errors: 400 with {"detail": "...", "errors": {field: [...]}}, messages in Vietnamese
(English with Accept-Language: en); 401 unauthenticated; 403; 404; 409 state conflict.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Xung đột trạng thái."
    default_code = "conflict"


def _as_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _as_errors(exc.detail)
        first = next(iter(errors.values()), [""])
        response.data = {"detail": first[0] if first else _("Dữ liệu không hợp lệ."), "errors": errors}
    return response
