"""Business trips  # đi công tác: approval, handover, report of results.

- 000 Điều 39 (seed 000_9dcdc65ad8a32fbc.txt L405): the Chánh Văn phòng decides domestic trips
  (profile rules.trips.decided_by = chanh_vp).
- 000 Điều 39 (L407): a trip «dưới 02 ngày» → list the unfinished work; the Chánh or the sector
  Phó Chánh names a substitute.
- 000 Điều 39 (L408): «từ 02 ngày trở lên» → a handover sheet (phiếu bàn giao công việc); at the end,
  report the results to the Chánh and the supervising office leader and take the work back.
  The threshold is rules.trips.handover_sheet_from_days.
- 004 Điều 18 (seed 004_a5ebbf835d2cffb0.txt): the report goes to the supervising office leader and the
  unit head (rules.trips.report_to).
- 002 Điều 16.3 (seed 002_ebbdd6752b9f0751.txt): a trip outside the approved programme needs the
  supervising office leader's approval (rules.trips.decided_by = supervising_leader: trips in the
  programme need no further approval).

An approved trip becomes an Absence (kind "trip") with an acting-for Delegation to the
substitute, and opens the deadline to declare its expenses (000 Điều 35.2.d).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from office.models import AbsenceKind, DelegationScope, Staff
from office.services import delegation
from personnel.models import HandoverReason, HandoverState, PaperScope, StepDecision, Trip, TripState
from personnel.services import common, handover, payments
from workflow.services import deadlines
from workflow.services.notifications import notify

SRC_39 = "Quy chế 282/QĐ-VP, Điều 39"
SRC_002_16 = "Quy chế 60-QĐ/VPTU, Điều 16 khoản 3"


def handover_sheet_from_days(staff: Staff) -> int:
    return int(staff.organisation.rule("trips.handover_sheet_from_days", 2))


def trip_length(
    staff: Staff, start: dt.date, end: dt.date, *, starts_afternoon: bool = False, ends_at_noon: bool = False
) -> Decimal:
    """Days of the trip as the profile counts absences, in half days (a trip only on days off counts 1)."""
    if delegation.absence_length(staff, start, end) == 0:
        return Decimal(1)
    return common.length_in_days(staff, start, end, starts_afternoon=starts_afternoon, ends_at_noon=ends_at_noon)


def derive_approver(staff: Staff, in_programme: bool) -> tuple[Staff | None, str]:
    """Who decides the trip, per the profile; (None, "") when no approval is needed."""
    rule = staff.organisation.rule("trips.decided_by", "supervising_leader")
    if common.is_chanh(staff):
        return None, ""
    if rule == "chanh_vp":
        # 000 Điều 39 (L405): «Chánh Văn phòng quyết định việc đi công tác trong nước».
        chanh = common.chanh_of(staff)
        return chanh, SRC_39
    # 002 Điều 16.3: only a trip outside the approved programme needs the supervising leader's consent.
    if in_programme:
        return None, ""
    return common.supervising_leader_of(staff), SRC_002_16


def report_recipients(staff: Staff) -> list[Staff]:
    """Who receives the trip report, per the profile (rules.trips.report_to): 000 L408 names the Chánh and the
    supervising office leader; 004 Điều 18 the supervising office leader and the unit head (the default)."""
    finders = {
        "chanh_vp": common.chanh_of,
        "supervising_leader": common.supervising_leader_of,
        "unit_head": common.unit_head_of,
    }
    wanted = staff.organisation.rule("trips.report_to", ["supervising_leader", "unit_head"]) or []
    people = [finders[w](staff) for w in wanted if w in finders]
    return [p for p in people if p is not None]


def _url(trip: Trip) -> str:
    return reverse("personnel:trip_detail", args=[trip.pk])


def substitute_required(staff: Staff) -> bool:
    return not common.is_office_leader(staff)


def unfinished_work_list_required(staff: Staff) -> bool:
    """000 Điều 39 (L407–L408): staff list the unfinished work (the handover sheet's items from 2 days);
    rules.trips.unfinished_work_list_required. The Chánh and Phó Chánh fall back by 000 Điều 4 instead."""
    return bool(staff.organisation.rule("trips.unfinished_work_list_required", False)) and not (
        common.is_office_leader(staff)
    )


@transaction.atomic
def request_trip(
    *,
    staff: Staff,
    start: dt.date,
    end: dt.date,
    destination: str,
    purpose: str,
    in_province: bool = True,
    in_programme: bool = True,
    substitute: Staff | None = None,
    unfinished_work: str = "",
    handover_items=None,
    starts_afternoon: bool = False,
    ends_at_noon: bool = False,
    by: AbstractBaseUser | None = None,
) -> Trip:
    errors: dict[str, list[str]] = {}
    if not (destination or "").strip():
        errors["destination"] = ["Phải ghi nơi đến công tác."]
    if not (purpose or "").strip():
        errors["purpose"] = ["Phải ghi nội dung công tác."]
    if errors:
        raise ValidationError(errors)
    common.check_dates(start, end)
    common.lock_staff(staff)
    common.check_free(staff, start, end)
    common.check_substitute(staff, substitute, start, end, "handover_to")
    days = trip_length(staff, start, end, starts_afternoon=starts_afternoon, ends_at_noon=ends_at_noon)
    listed = [line for line in unfinished_work.splitlines() if line.strip()] + [
        i for i in handover_items or [] if str(i).strip()
    ]
    needs_sheet = days >= handover_sheet_from_days(staff) and not common.is_chanh(staff)
    if needs_sheet and substitute is None:
        # 000 Điều 39 (L408): «đi công tác dài ngày (từ 02 ngày trở lên) phải có phiếu bàn giao công việc».
        errors["handover_to"] = [
            f"Đi công tác từ {handover_sheet_from_days(staff)} ngày trở lên phải có phiếu bàn giao công "
            f"việc: hãy chọn người nhận bàn giao và liệt kê công việc ({SRC_39})."
        ]
    if not listed and unfinished_work_list_required(staff):
        # 000 Điều 39 (L407): «Phải liệt kê danh mục các công việc đang làm chưa xong cần tiếp tục làm ngay».
        errors["unfinished_work"] = [
            "Phải liệt kê các công việc đang làm chưa xong cần tiếp tục làm ngay, mỗi việc một dòng "
            f"(ghi «Không có» nếu không có việc dở dang) ({SRC_39})."
        ]
    if errors:
        raise ValidationError(errors)
    sheet = None
    if needs_sheet:
        items = list(handover_items or []) + [line for line in unfinished_work.splitlines() if line.strip()]
        sheet = handover.create_handover(
            giver=staff, receiver=substitute, reason=HandoverReason.TRIP, items=items, by=by
        )
    approver, source = derive_approver(staff, in_programme)
    trip = Trip.objects.create(
        organisation=staff.organisation,
        staff=staff,
        start=start,
        end=end,
        starts_afternoon=starts_afternoon,
        ends_at_noon=ends_at_noon,
        days=days,
        destination=destination.strip(),
        purpose=purpose.strip(),
        in_province=in_province,
        in_programme=in_programme,
        substitute=substitute,
        unfinished_work=unfinished_work,
        handover=sheet,
        approver=approver,
        approver_source=source,
        created_by=by,
    )
    if approver is None:
        _approve(trip, by=by)
    else:
        notify(
            approver,
            key=f"trip:{trip.pk}:decide",
            kind="assignment",
            title=f"{staff.full_name} xin đi công tác {trip.destination}: chờ quyết định",
            body=f"Từ {common.fmt(start)} đến {common.fmt(end)}: {trip.purpose}",
            url=_url(trip),
        )
    return trip


def _approve(trip: Trip, *, by: AbstractBaseUser | None) -> None:
    if trip.substitute is None and substitute_required(trip.staff):
        raise ValidationError(
            {
                "substitute": [
                    "Phải chỉ định người làm thay trong thời gian đi công tác "
                    f"({SRC_39}: Chánh Văn phòng hoặc Phó Chánh Văn phòng phụ trách lĩnh vực chỉ định người thay thế)."
                ]
            }
        )
    common.check_substitute(trip.staff, trip.substitute, trip.start, trip.end, "substitute")
    trip.absence = delegation.record_absence(
        staff=trip.staff,
        kind=AbsenceKind.TRIP,
        start=trip.start,
        end=trip.end,
        note=f"Công tác {trip.destination}"[:500],
        acting=trip.substitute,
        acting_scope=DelegationScope.ALL,
        by=by,
    )
    trip.state, trip.decided_at = TripState.APPROVED, timezone.now()
    trip.save(update_fields=["absence", "state", "decided_at"])
    # 000 Điều 35.2.d: the trip's expenses are declared within N days after it ends (reminded).
    payments.register_activity(
        staff=trip.staff,
        description=f"Công tác phí chuyến {trip.destination} ({common.fmt(trip.start)}–{common.fmt(trip.end)})",
        activity_ended_on=trip.end,
        trip=trip,
    )
    if trip.substitute:
        notify(
            trip.substitute,
            key=f"trip:{trip.pk}:substitute",
            kind="assignment",
            title=f"Bạn làm thay {trip.staff.full_name} từ {common.fmt(trip.start)} đến {common.fmt(trip.end)}",
            body=trip.unfinished_work,
            url=_url(trip),
        )


@transaction.atomic
def decide(
    trip: Trip,
    *,
    me: Staff,
    decision: str,
    opinion: str = "",
    substitute: Staff | None = None,
    by: AbstractBaseUser | None = None,
    today: dt.date | None = None,
) -> Trip:
    today = today or timezone.localdate()
    locked = Trip.objects.select_for_update(of=("self",)).select_related("staff__organisation", "approver")
    trip = locked.get(pk=trip.pk)
    if decision not in StepDecision.values:
        raise ValidationError({"decision": ["Ý kiến phải là «approve» (đồng ý) hoặc «reject» (không đồng ý)."]})
    if trip.state != TripState.PENDING:
        raise common.StateConflict(f"Chuyến công tác này đã được xử lý ({trip.get_state_display().lower()}).")
    if trip.approver is None or not common.acts_as(me, trip.approver, today):
        raise PermissionDenied("Bạn không phải người quyết định chuyến công tác này.")
    if substitute is not None and substitute.pk != trip.substitute_id:
        if trip.handover_id:
            raise ValidationError({"substitute": ["Người làm thay đã được ghi trên phiếu bàn giao công việc."]})
        common.check_substitute(trip.staff, substitute, trip.start, trip.end, "substitute")
        trip.substitute = substitute
        trip.save(update_fields=["substitute"])
    trip.opinion, trip.decided_by = opinion, me
    trip.save(update_fields=["opinion", "decided_by"])
    if decision == StepDecision.REJECT:
        trip.state, trip.decided_at = TripState.REJECTED, timezone.now()
        trip.save(update_fields=["state", "decided_at"])
        if trip.handover_id:
            trip.handover.state = HandoverState.CANCELLED
            trip.handover.save(update_fields=["state"])
        notify(trip.staff, key=f"trip:{trip.pk}:rejected", kind="info", title="Chuyến công tác không được đồng ý",
               body=opinion, url=_url(trip))  # fmt: skip
        return trip
    _approve(trip, by=by)
    notify(trip.staff, key=f"trip:{trip.pk}:approved", kind="info", title="Chuyến công tác đã được đồng ý",
           body=opinion, url=_url(trip))  # fmt: skip
    return trip


@transaction.atomic
def report(trip: Trip, *, me: Staff, text: str, today: dt.date | None = None) -> Trip:
    """000 Điều 39 (L408), L402: report the results to the Chánh and the supervising leader; take the work back."""
    today = today or timezone.localdate()
    trip = Trip.objects.select_for_update(of=("self",)).select_related("staff__organisation").get(pk=trip.pk)
    if me.pk != trip.staff_id:
        raise PermissionDenied("Chỉ người đi công tác báo cáo kết quả chuyến đi.")
    if trip.state != TripState.APPROVED:
        raise common.StateConflict(f"Chuyến công tác đang ở trạng thái «{trip.get_state_display().lower()}».")
    if not (text or "").strip():
        raise ValidationError({"report": ["Phải ghi kết quả chuyến công tác."]})
    if today < trip.start:
        raise ValidationError({"report": ["Chuyến công tác chưa bắt đầu, chưa thể báo cáo kết quả."]})
    trip.report, trip.reported_at, trip.state = text.strip(), timezone.now(), TripState.REPORTED
    trip.save(update_fields=["report", "reported_at", "state"])
    recipients = {s.pk: s for s in report_recipients(me) if s.pk != me.pk}
    for person in recipients.values():
        notify(person, key=f"trip:{trip.pk}:report:{person.pk}", kind="info",
               title=f"{me.full_name} báo cáo kết quả công tác {trip.destination}", body=trip.report[:1000],
               url=_url(trip))  # fmt: skip
    if trip.handover_id and trip.handover.state == HandoverState.CONFIRMED and not trip.handover.returned_by.exists():
        handover.take_back(trip.handover, me=me)
    return trip


@transaction.atomic
def cancel(trip: Trip, *, me: Staff, by: AbstractBaseUser | None = None) -> Trip:
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if me.pk != trip.staff_id:
        raise PermissionDenied("Chỉ người đi công tác được hủy đơn.")
    if trip.state not in (TripState.PENDING, TripState.APPROVED):
        raise common.StateConflict(f"Chuyến công tác đã {trip.get_state_display().lower()}.")
    if trip.absence_id:
        delegation.cancel_absence(trip.absence, by=by)
    if trip.handover_id and trip.handover.state == HandoverState.DRAFT:
        trip.handover.state = HandoverState.CANCELLED
        trip.handover.save(update_fields=["state"])
    # 000 Điều 40.2.b (L414): an out-of-province paper is valid for that trip only; the trip is not made.
    trip.papers.filter(scope=PaperScope.OUT_PROVINCE, is_revoked=False).update(is_revoked=True)
    for claim in trip.payment_claims.filter(state="draft"):  # nothing to claim for a trip not made
        deadlines.cancel_deadlines(claim, kind=payments.DEADLINE_KIND)
        claim.delete()
    trip.state = TripState.CANCELLED
    trip.save(update_fields=["state"])
    return trip
