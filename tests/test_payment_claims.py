"""Payment claims: declared at the latest 10 calendar days after the activity ended (000 Điều 35.2.d, L382)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from personnel.models import PaymentClaim
from personnel.services import common, payments
from workflow.models import Deadline, Notification

D = dt.date


def file(person, username="ht.kinhte.cv1", ended=D(2026, 1, 25), today=D(2026, 2, 1), amount=1_500_000, **kw):
    return payments.file_claim(staff=person(username), description="Công tác phí đi Kỳ Anh", amount=amount,
                               activity_ended_on=ended, today=today, **kw)  # fmt: skip


def test_claim_is_due_ten_calendar_days_after_the_activity_ended_across_a_month_end(hatinh, person):
    """Activity ended 25/01 → due 04/02 (January has 31 days)."""
    assert payments.due_date(hatinh, D(2026, 1, 25)) == D(2026, 2, 4)
    assert payments.due_date(hatinh, D(2026, 2, 25)) == D(2026, 3, 7)  # February 2026 has 28 days
    assert file(person).due == D(2026, 2, 4)


def test_claim_declared_on_the_tenth_day_is_on_time(hatinh, person):
    claim = file(person, today=D(2026, 2, 4))
    assert claim.state == "declared" and not claim.waived


def test_claim_declared_on_the_eleventh_day_is_waived_unless_the_chanh_agrees(hatinh, person):
    """000 L382: «xem như không có nhu cầu thanh toán (trừ trường hợp đặc biệt được sự đồng ý của Chánh Văn phòng)»."""
    claim = file(person, today=D(2026, 2, 5), exception_reason="Chờ hóa đơn của nhà cung cấp")
    assert claim.state == "awaiting_exception" and claim.waived
    chanh = person("ht.chanhvp")
    assert Notification.objects.filter(recipient=chanh, key=f"claim:{claim.pk}:exception").exists()
    with pytest.raises(PermissionDenied):
        payments.decide_exception(claim, me=person("ht.pcvp1"), approve=True, today=D(2026, 2, 6))
    payments.decide_exception(claim, me=chanh, approve=True, note="Đồng ý", today=D(2026, 2, 6))
    claim.refresh_from_db()
    assert claim.state == "exception_approved" and not claim.waived
    with pytest.raises(common.StateConflict):
        payments.decide_exception(claim, me=chanh, approve=False, today=D(2026, 2, 6))


def test_the_chanh_may_refuse_a_late_claim(hatinh, person):
    claim = file(person, today=D(2026, 2, 10))
    payments.decide_exception(claim, me=person("ht.chanhvp"), approve=False, today=D(2026, 2, 10))
    claim.refresh_from_db()
    assert claim.state == "waived"


def test_the_pho_chanh_acting_for_the_chanh_decides_the_exception(hatinh, person):
    from office.services import delegation

    claim = file(person, today=D(2026, 2, 10))
    delegation.record_absence(staff=person("ht.chanhvp"), kind="trip", start=D(2026, 2, 11), end=D(2026, 2, 13),
                              acting=person("ht.pcvp2"))  # fmt: skip
    payments.decide_exception(claim, me=person("ht.pcvp2"), approve=True, today=D(2026, 2, 11))


def test_ten_days_and_the_day_kind_come_from_the_profile(hatinh, person):
    hatinh.rules["finance"]["payment_claim_days"] = 5
    hatinh.rules["finance"]["payment_claim_day_kind"] = "working"
    hatinh.save()
    # Friday 23/01/2026 + 5 working days → Friday 30/01.
    assert payments.due_date(hatinh, D(2026, 1, 23)) == D(2026, 1, 30)


def test_a_registered_activity_opens_a_deadline_reminded_before_the_tenth_day(hatinh, person):
    cv = person("ht.kinhte.cv1")
    claim = payments.register_activity(staff=cv, description="Mua văn phòng phẩm", activity_ended_on=D(2026, 1, 25))
    deadline = Deadline.objects.get(kind="payment_claim.declare", assignee=cv)
    assert deadline.due_at.date() == D(2026, 2, 4) and deadline.state == "open"
    assert deadline.remind_before_days == 3 and "Điều 35" in deadline.source
    payments.declare(claim, amount=250000, today=D(2026, 2, 3))
    deadline.refresh_from_db()
    assert deadline.state == "done"
    claim.refresh_from_db()
    assert claim.state == "declared" and claim.amount == Decimal(250000)


@pytest.mark.parametrize("amount", [-1, 0, "abc", "1.5"])
def test_a_claim_with_a_negative_zero_or_bad_amount_is_refused_and_nothing_saved(hatinh, person, amount):
    with pytest.raises(ValidationError) as exc:
        file(person, amount=amount)
    assert "amount" in exc.value.message_dict
    assert not PaymentClaim.objects.exists() and not Deadline.objects.exists()


def test_a_claim_for_an_activity_not_yet_ended_is_refused(hatinh, person):
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        file(person, ended=D(2026, 2, 2), today=D(2026, 2, 1))


def test_only_the_chief_accountant_records_payment(hatinh, person):
    claim = file(person, today=D(2026, 2, 2))
    with pytest.raises(PermissionDenied):
        payments.mark_paid(claim, me=person("ht.chanhvp"))
    payments.mark_paid(claim, me=person("ht.ketoan"))
    claim.refresh_from_db()
    assert claim.state == "paid"
    late = file(person, today=D(2026, 2, 20))
    with pytest.raises(common.StateConflict):
        payments.mark_paid(late, me=person("ht.ketoan"))
