"""Helpers shared by the personnel workflows: who is whose unit head and supervising leader,
and the "is this person free on these dates" checks every request makes.

Nothing here decides a rule by itself; leave.py, trips.py, etc. cite the regulation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from office.models import OFFICE_LEADER_POSITIONS, Position, Post, Staff, Supervision, Unit
from office.services import delegation

UNIT_LEADER_POSITIONS = (Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG)


def fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def positions_of(staff: Staff) -> set[str]:
    return {p.position for p in staff.posts.all()}


def is_chanh(staff: Staff) -> bool:
    return Position.CHANH_VP in positions_of(staff)


def is_office_leader(staff: Staff) -> bool:
    return bool(positions_of(staff) & set(OFFICE_LEADER_POSITIONS))


def unit_of(staff: Staff) -> Unit | None:
    """The unit of a person's main post (None for the office leadership)."""
    post = staff.main_post
    return post.unit if post and post.unit_id else None


def chanh_of(staff: Staff) -> Staff | None:
    post = (
        Post.objects.filter(
            staff__organisation_id=staff.organisation_id, position=Position.CHANH_VP, staff__is_active=True
        )
        .select_related("staff__user")
        .first()
    )
    return post.staff if post else None


def unit_head_of(staff: Staff) -> Staff | None:
    """The head (Trưởng phòng / Giám đốc) of the person's unit, other than the person."""
    unit = unit_of(staff)
    if unit is None:
        return None
    post = (
        Post.objects.filter(unit=unit, position=Position.TRUONG_PHONG, staff__is_active=True)
        .exclude(staff=staff)
        .select_related("staff__user")
        .order_by("staff__full_name")
        .first()
    )
    return post.staff if post else None


def unit_leaders_of(staff: Staff) -> list[Staff]:
    """Head and deputies of the person's unit (Lãnh đạo đơn vị), other than the person."""
    unit = unit_of(staff)
    if unit is None:
        return []
    posts = (
        Post.objects.filter(unit=unit, position__in=UNIT_LEADER_POSITIONS, staff__is_active=True)
        .exclude(staff=staff)
        .select_related("staff__user")
        .order_by("position", "staff__full_name")
    )
    return [p.staff for p in posts]


def supervising_leader_of(staff: Staff) -> Staff | None:
    """The Phó Chánh who supervises the person's unit (000 Điều 6.1, L82); the Chánh otherwise."""
    unit = unit_of(staff)
    if unit is not None:
        sup = (
            Supervision.objects.filter(unit=unit, supervisor__is_active=True)
            .exclude(supervisor=staff)
            .select_related("supervisor__user")
            .order_by("supervisor__full_name")
            .first()
        )
        if sup:
            return sup.supervisor
    chanh = chanh_of(staff)
    return chanh if chanh and chanh.pk != staff.pk else None


def acts_as(me: Staff, approver: Staff, day: dt.date) -> bool:
    """`me` is the approver, or handles the approver's work that day (acting-for)."""
    if me.pk == approver.pk:
        return True
    return delegation.acting_for(approver, day).pk == me.pk


def check_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end": ["Ngày kết thúc không được trước ngày bắt đầu."]})


HALF_DAY = Decimal("0.5")


def length_in_days(
    staff: Staff, start: dt.date, end: dt.date, *, starts_afternoon: bool = False, ends_at_noon: bool = False
) -> Decimal:
    """Days away as the profile counts them (working days in hatinh-ubnd), in half days: starting in the
    afternoon of the first day, or coming back after the morning of the last, counts half of that day.

    The 2-day thresholds (000 Điều 23.2 L277–L278, Điều 39 L407–L408) are then read on this length, so
    1,5 days is «dưới 02 ngày» and 2 days exactly is «từ 02 ngày trở lên».
    """
    if start == end and starts_afternoon and ends_at_noon:
        raise ValidationError({"ends_at_noon": ["Nghỉ từ buổi chiều thì không thể kết thúc vào buổi sáng cùng ngày."]})
    days = Decimal(delegation.absence_length(staff, start, end))
    if starts_afternoon and delegation.absence_length(staff, start, start):
        days -= HALF_DAY
    if ends_at_noon and delegation.absence_length(staff, end, end):
        days -= HALF_DAY
    return days


def fmt_days(days: Decimal | int) -> str:
    """2 → "2", 1.5 → "1,5" (Vietnamese decimal comma)."""
    value = Decimal(days).normalize()
    return f"{value:f}".replace(".", ",")


def check_free(
    staff: Staff,
    start: dt.date,
    end: dt.date,
    *,
    field: str = "start",
    exclude_leave: int | None = None,
    exclude_trip: int | None = None,
) -> None:
    """Refuse a request overlapping another absence, leave request or trip of the same person."""
    from personnel.models import LeaveRequest, RequestState, Trip, TripState

    clash = delegation.absences_on(staff, start, end).first()
    if clash:
        raise ValidationError(
            {
                field: [
                    f"{staff.full_name} đã có lịch vắng mặt ({clash.get_kind_display().lower()}) từ {fmt(clash.start)} "
                    f"đến {fmt(clash.end)} trùng với thời gian này."
                ]
            }
        )
    leaves = LeaveRequest.objects.filter(
        staff=staff, state=RequestState.PENDING, start__lte=end, end__gte=start
    ).exclude(pk=exclude_leave)
    trips = Trip.objects.filter(staff=staff, state=TripState.PENDING, start__lte=end, end__gte=start).exclude(
        pk=exclude_trip
    )
    other = leaves.first() or trips.first()
    if other:
        raise ValidationError(
            {
                field: [
                    f"{staff.full_name} đã có đơn đang chờ duyệt từ {fmt(other.start)} đến {fmt(other.end)} "
                    "trùng với thời gian này."
                ]
            }
        )


def check_substitute(staff: Staff, substitute: Staff | None, start: dt.date, end: dt.date, field: str) -> None:
    """A substitute must be a colleague, active, not the person, and not away at the same time."""
    if substitute is None:
        return
    if substitute.pk == staff.pk:
        raise ValidationError({field: ["Người làm thay không thể là chính người vắng mặt."]})
    if substitute.organisation_id != staff.organisation_id or not substitute.is_active:
        raise ValidationError({field: ["Người làm thay phải là cán bộ đang công tác tại cơ quan."]})
    busy = delegation.absences_on(substitute, start, end).first()
    if busy:
        raise ValidationError(
            {
                field: [
                    f"{substitute.full_name} vắng mặt ({busy.get_kind_display().lower()}) từ {fmt(busy.start)} "
                    f"đến {fmt(busy.end)}, không thể làm thay trong thời gian này."
                ]
            }
        )
    from personnel.models import LeaveRequest, RequestState, Trip, TripState

    pending = (
        LeaveRequest.objects.filter(
            staff=substitute, state=RequestState.PENDING, start__lte=end, end__gte=start
        ).first()
        or Trip.objects.filter(staff=substitute, state=TripState.PENDING, start__lte=end, end__gte=start).first()
    )
    if pending:
        raise ValidationError(
            {
                field: [
                    f"{substitute.full_name} đã xin vắng mặt từ {fmt(pending.start)} đến {fmt(pending.end)}, "
                    "không thể làm thay trong thời gian này."
                ]
            }
        )


def lock_staff(staff: Staff) -> None:
    """Serialise requests of one person (two tabs submitting overlapping leave at once)."""
    Staff.objects.select_for_update().filter(pk=staff.pk).first()


class StateConflict(Exception):
    """The record is no longer in the state the action needs (already decided); 409 in the API."""
