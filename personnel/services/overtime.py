"""Overtime  # làm thêm ngoài giờ.

000 Điều 21.1 (seed 000_9dcdc65ad8a32fbc.txt L261): overtime is done for sudden work or a workload
that cannot be finished in hours, and «phải được Lãnh đạo đơn vị xác nhận»; the head «theo dõi,
xác nhận» (L109). Profile: rules.overtime.confirmed_by = unit_leaders. Office leaders, who have no
unit, are confirmed by the Chánh Văn phòng (inferred).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from office.models import Staff
from personnel.models import Overtime, OvertimeState
from personnel.services import common

SOURCE = "Quy chế 282/QĐ-VP, Điều 21 khoản 1"


def confirmers(staff: Staff) -> list[Staff]:
    """Who may confirm this person's overtime: the leaders of their unit, else the Chánh."""
    leaders = common.unit_leaders_of(staff)
    if leaders:
        return leaders
    chanh = common.chanh_of(staff)
    return [chanh] if chanh else []


@transaction.atomic
def record(*, staff: Staff, date: dt.date, hours, description: str, today: dt.date | None = None) -> Overtime:
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or not value.is_finite() or value <= 0 or value > 24:
        errors["hours"] = ["Số giờ làm thêm phải lớn hơn 0 và không quá 24 giờ."]
    elif value * 2 != (value * 2).to_integral_value():
        errors["hours"] = ["Số giờ làm thêm tính theo nửa giờ (ví dụ 1,5)."]
    if date > today:
        errors["date"] = ["Không ghi làm thêm giờ cho ngày chưa đến."]
    if not (description or "").strip():
        errors["description"] = ["Phải ghi nội dung công việc làm thêm."]
    if errors:
        raise ValidationError(errors)
    return Overtime.objects.create(
        organisation=staff.organisation, staff=staff, date=date, hours=value, description=description.strip()
    )


def can_confirm(me: Staff, entry: Overtime, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if me.pk == entry.staff_id:
        return False
    return any(common.acts_as(me, c, today) for c in confirmers(entry.staff))


@transaction.atomic
def confirm(entry: Overtime, *, me: Staff, approve: bool = True) -> Overtime:
    """000 Điều 21.1 (L261): a unit leader confirms (or refuses) the overtime."""
    entry = Overtime.objects.select_for_update(of=("self",)).select_related("staff").get(pk=entry.pk)
    if not can_confirm(me, entry):
        raise PermissionDenied(f"Chỉ Lãnh đạo đơn vị xác nhận làm thêm giờ ({SOURCE}).")
    if entry.state != OvertimeState.CLAIMED:
        raise common.StateConflict(f"Đã {entry.get_state_display().lower()}.")
    entry.state = OvertimeState.CONFIRMED if approve else OvertimeState.REJECTED
    entry.confirmed_by, entry.confirmed_at = me, timezone.now()
    entry.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    return entry
