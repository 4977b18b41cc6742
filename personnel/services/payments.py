"""Payment claims  # kê khai thanh toán: the N-day rule of 000 Điều 35.2.d.

000 Điều 35.2.d (seed 000_9dcdc65ad8a32fbc.txt L382): «Mọi khoản thu chi của Văn phòng phải được
kê khai thanh toán chậm nhất trong vòng 10 ngày kể từ khi nghiệp vụ kinh tế phát sinh kết thúc.
Nếu quá thời hạn trên ... xem như không có nhu cầu thanh toán (trừ trường hợp đặc biệt được sự
đồng ý của Chánh Văn phòng)».

Profile parameters (rules.finance): payment_claim_days (10), payment_claim_day_kind (calendar |
working), late_claim_exception_approver (chanh_vp), payment_claim_remind_before_days.
A claim registered before it is declared (e.g. a trip's expenses) opens a deadline
"payment_claim.declare" so that the deadline engine reminds the person before the 10th day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from office.models import Organisation, Position, Staff
from office.services import calendar
from personnel.models import ClaimState, PaymentClaim, Trip
from personnel.services import common
from workflow.services import deadlines
from workflow.services.notifications import notify

SOURCE = "Quy chế 282/QĐ-VP, Điều 35 khoản 2 điểm d"
DEADLINE_KIND = "payment_claim.declare"


def due_date(organisation: Organisation, activity_ended_on: dt.date) -> dt.date:
    """The last day to declare: N days after the activity ended (calendar days in hatinh-ubnd)."""
    days = int(organisation.rule("finance.payment_claim_days", 10))
    if organisation.rule("finance.payment_claim_day_kind", "calendar") == "working":
        return calendar.add_working_days(activity_ended_on, days)
    return activity_ended_on + dt.timedelta(days=days)


def money(amount: Decimal | None) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    return f"{amount:,.0f}".replace(",", ".") if amount is not None else "—"


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"amount": ["Số tiền không hợp lệ."]}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": ["Số tiền thanh toán phải lớn hơn 0."]})
    if amount != amount.to_integral_value():
        raise ValidationError({"amount": ["Số tiền tính bằng đồng, không có phần lẻ."]})
    if amount >= Decimal(10) ** 15:
        raise ValidationError({"amount": ["Số tiền quá lớn."]})
    return amount


def _check_basics(description: str, activity_ended_on: dt.date, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if not (description or "").strip():
        errors["description"] = ["Phải ghi nội dung khoản thanh toán."]
    if activity_ended_on > today:
        errors["activity_ended_on"] = ["Nghiệp vụ kinh tế chưa kết thúc: ngày kết thúc không được sau hôm nay."]
    if errors:
        raise ValidationError(errors)


def _url(claim: PaymentClaim) -> str:
    return reverse("personnel:claim_detail", args=[claim.pk])


def exception_approver(organisation: Organisation) -> Staff | None:
    position = organisation.rule("finance.late_claim_exception_approver", Position.CHANH_VP)
    from office.models import Post

    post = (
        Post.objects.filter(staff__organisation=organisation, position=position, staff__is_active=True)
        .select_related("staff__user")
        .first()
    )
    return post.staff if post else None


@transaction.atomic
def register_activity(
    *, staff: Staff, description: str, activity_ended_on: dt.date, trip: Trip | None = None
) -> PaymentClaim:
    """Record an activity to be claimed, and the deadline to declare it (reminded before the due day)."""
    if not (description or "").strip():
        raise ValidationError({"description": ["Phải ghi nội dung khoản thanh toán."]})
    org = staff.organisation
    claim = PaymentClaim.objects.create(
        organisation=org,
        staff=staff,
        description=description.strip(),
        activity_ended_on=activity_ended_on,
        due=due_date(org, activity_ended_on),
        trip=trip,
        state=ClaimState.DRAFT,
    )
    deadlines.open_deadline(
        claim,
        kind=DEADLINE_KIND,
        title=f"Kê khai thanh toán: {claim.description}",
        assignee=staff,
        due_at=calendar.end_of_day(claim.due),
        source=SOURCE,
        url=_url(claim),
        unit=common.unit_of(staff),
        remind_before_days=int(org.rule("finance.payment_claim_remind_before_days", 3)),
    )
    return claim


@transaction.atomic
def declare(claim: PaymentClaim, *, amount, exception_reason: str = "", today: dt.date | None = None) -> PaymentClaim:
    """Declare the claim. Past the due day it counts as waived unless the Chánh approves an exception."""
    today = today or timezone.localdate()
    claim = PaymentClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != ClaimState.DRAFT:
        raise common.StateConflict(f"Khoản này đã kê khai ({claim.get_state_display().lower()}).")
    claim.amount = _amount(amount)
    _check_basics(claim.description, claim.activity_ended_on, today)
    claim.declared_on = today
    claim.exception_reason = exception_reason
    if today <= claim.due:
        claim.state = ClaimState.DECLARED
    else:
        # 000 L382: «xem như không có nhu cầu thanh toán (trừ trường hợp đặc biệt được sự đồng ý của Chánh Văn phòng)».
        claim.state = ClaimState.AWAITING_EXCEPTION
    claim.save(update_fields=["amount", "declared_on", "exception_reason", "state"])
    deadlines.complete_deadlines(claim, kind=DEADLINE_KIND)
    if claim.state == ClaimState.AWAITING_EXCEPTION:
        approver = exception_approver(claim.organisation)
        if approver:
            notify(
                approver,
                key=f"claim:{claim.pk}:exception",
                kind="assignment",
                title=f"Kê khai thanh toán quá hạn của {claim.staff.full_name} chờ Chánh Văn phòng xem xét",
                body=(
                    f"{claim.description}: {money(claim.amount)} đồng; nghiệp vụ kết thúc "
                    f"{common.fmt(claim.activity_ended_on)}, hạn kê khai {common.fmt(claim.due)}, kê khai ngày "
                    f"{common.fmt(today)}. Lý do: {exception_reason or '—'}"
                ),
                url=_url(claim),
            )
    return claim


@transaction.atomic
def file_claim(
    *,
    staff: Staff,
    description: str,
    amount,
    activity_ended_on: dt.date,
    exception_reason: str = "",
    trip: Trip | None = None,
    today: dt.date | None = None,
) -> PaymentClaim:
    """Register and declare at once (POST /api/v1/payment-claims/): returns the claim with its due day."""
    today = today or timezone.localdate()
    _amount(amount)
    _check_basics(description, activity_ended_on, today)
    claim = None
    if trip is not None:
        claim = PaymentClaim.objects.filter(trip=trip, staff=staff, state=ClaimState.DRAFT).first()
    if claim is None:
        claim = register_activity(staff=staff, description=description, activity_ended_on=activity_ended_on, trip=trip)
    return declare(claim, amount=amount, exception_reason=exception_reason, today=today)


@transaction.atomic
def decide_exception(
    claim: PaymentClaim, *, me: Staff, approve: bool, note: str = "", today: dt.date | None = None
) -> PaymentClaim:
    """The Chánh Văn phòng (or whoever acts for them) allows or refuses a late claim (000 L382)."""
    today = today or timezone.localdate()
    claim = PaymentClaim.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=claim.pk)
    approver = exception_approver(claim.organisation)
    if approver is None or not common.acts_as(me, approver, today):
        raise PermissionDenied("Chỉ Chánh Văn phòng quyết định thanh toán khoản kê khai quá hạn.")
    if claim.state != ClaimState.AWAITING_EXCEPTION:
        raise common.StateConflict(f"Khoản này không chờ xem xét ngoại lệ ({claim.get_state_display().lower()}).")
    claim.state = ClaimState.EXCEPTION_APPROVED if approve else ClaimState.WAIVED
    claim.decided_by, claim.decided_at, claim.decision_note = me, timezone.now(), note
    claim.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    notify(
        claim.staff,
        key=f"claim:{claim.pk}:decided",
        kind="info",
        title=(
            "Chánh Văn phòng đồng ý thanh toán khoản kê khai quá hạn"
            if approve
            else "Khoản kê khai quá hạn xem như không có nhu cầu thanh toán"
        ),
        body=note,
        url=_url(claim),
    )
    return claim


@transaction.atomic
def mark_paid(claim: PaymentClaim, *, me: Staff) -> PaymentClaim:
    """The chief accountant records the payment of a claim declared on time or excepted."""
    claim = PaymentClaim.objects.select_for_update().get(pk=claim.pk)
    if Position.KE_TOAN_TRUONG not in common.positions_of(me) or me.organisation_id != claim.organisation_id:
        raise PermissionDenied("Chỉ Kế toán trưởng ghi nhận đã thanh toán.")
    if claim.state not in (ClaimState.DECLARED, ClaimState.EXCEPTION_APPROVED):
        raise common.StateConflict(f"Khoản này không thể thanh toán ({claim.get_state_display().lower()}).")
    claim.state = ClaimState.PAID
    claim.save(update_fields=["state"])
    return claim
