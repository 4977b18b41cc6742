"""Security headers for every response: a Content-Security-Policy with no inline
scripts and no outside origins (the intranet works offline), and a permissions policy."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class LocaleMiddleware:
    """Vietnamese unless the person chose otherwise (the language selector's cookie).

    Browsers in Việt Nam often announce English (an English Chrome): honouring
    Accept-Language would give staff a half-English office. The API does honour it
    (../shared/spec/api.md: English messages with Accept-Language: en)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class SlidingSessionMiddleware(SessionMiddleware):
    """Activity keeps a session alive, as SESSION_SAVE_EVERY_REQUEST did, without writing the session
    row on every page view (BEGIN/UPDATE/COMMIT, about 3 ms of each request): the expiry is pushed
    forward only once less than half of SESSION_COOKIE_AGE is left. So an idle session ends between
    half and all of SESSION_COOKIE_AGE after the last request (4–8 hours by default), never later.
    Sessions whose data changed are saved as always."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        expiry = getattr(session, "stored_expiry", None)
        if expiry is not None and not session.modified and not session.is_empty():
            if expiry - timezone.now() < timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE / 2):
                session.modified = True
        return super().process_response(request, response)


class ActingMemoMiddleware:
    """Within one request, «whom does this person act for today» is answered once
    (office.services.delegation.request_memo); writes to absences or delegations empty it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from office.services.delegation import request_memo

        with request_memo():
            return self.get_response(request)
