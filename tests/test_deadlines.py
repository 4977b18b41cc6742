"""Deadlines that enforce themselves: the scan reminds once, flags overdue, escalates, catches up.

The scan (workflow.services.scan.run_deadline_scan) is what Celery beat runs every 5 minutes and
what `manage.py run_deadlines --now …` runs on demand; everything is derived from the database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflow.models import Deadline, DeadlineState, Notification
from workflow.services import coordination, deadlines
from workflow.services.scan import run_deadline_scan
from workflow.tasks import scan_deadlines


def at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute)))


def scan(day: str, hour: int = 9, minute: int = 0):
    return run_deadline_scan(at(day, hour, minute), generate=False)


@pytest.fixture
def ask(hatinh, person):
    """ask(to=[...], when=...) → a coordination request from the Tổng hợp specialist."""

    def make(to=("ht.kinhte.cv1",), when="2026-03-10", kind="coordination", complex_matter=False, hour=9):
        return coordination.send_request(
            person("ht.tonghop.cv1"), subject="Xin ý kiến dự thảo quy chế", to=list(to), kind=kind,
            complex_matter=complex_matter, now=at(when, hour),
        )  # fmt: skip

    return make


def notes(username: str, kind: str | None = None):
    qs = Notification.objects.filter(recipient__user__username=username)
    return qs.filter(kind=kind) if kind else qs


# --------------------------------------------------------------------------- due dates


def test_coordination_reply_due_two_working_days_after_receipt(ask):
    # 000 Điều 16.3 (L221): «không quá 02 ngày làm việc, kể từ ngày nhận được hồ sơ». Tue 10/3 → Thu 12/3.
    req = ask(when="2026-03-10")
    recipient = req.recipients.get()
    assert timezone.localtime(recipient.due_at) == at("2026-03-12", 23, 59).replace(second=59)
    deadline = Deadline.objects.get(kind="coordination.reply")
    assert deadline.due_at == recipient.due_at
    assert deadline.source.endswith("(000 Điều 16.3)")
    assert "2 ngày làm việc kể từ ngày nhận 10/03/2026" in deadline.note


def test_complex_matter_gets_three_working_days(ask):
    # 000 Điều 16.3: «trường hợp đề án phức tạp … không quá 03 ngày làm việc». Thu 12/3 → Tue 17/3 (weekend skipped).
    req = ask(when="2026-03-12", complex_matter=True)
    assert timezone.localtime(req.recipients.get().due_at).date() == dt.date(2026, 3, 17)


def test_coordination_due_date_skips_tet_2026(ask):
    # Sent Thu 12/2/2026: day 1 = Fri 13/2; 16–20/2 are Tết; day 2 = Mon 23/2.
    req = ask(when="2026-02-12")
    assert timezone.localtime(req.recipients.get().due_at).date() == dt.date(2026, 2, 23)


def test_reminder_instant_is_the_start_of_the_working_day_before(ask):
    ask(when="2026-03-10")
    deadline = Deadline.objects.get()
    assert timezone.localtime(deadline.remind_at) == at("2026-03-11", 0)


def test_reminder_before_a_due_date_after_tet_falls_before_the_holiday(ask):
    ask(when="2026-02-12")  # due Mon 23/2; one working day before is Fri 13/2
    assert timezone.localtime(Deadline.objects.get().remind_at).date() == dt.date(2026, 2, 13)


# --------------------------------------------------------------------------- reminders


def test_reminder_fires_once_however_often_the_scan_runs(ask):
    ask(when="2026-03-10")
    assert scan("2026-03-10", 17).reminded == 0
    first = scan("2026-03-11", 8)
    again = scan("2026-03-11", 8)
    later = scan("2026-03-11", 8, 5)
    assert (first.reminded, again.reminded, later.reminded) == (1, 0, 0)
    assert notes("ht.kinhte.cv1", "reminder").count() == 1
    assert Deadline.objects.get().state == DeadlineState.DUE_SOON


def test_the_same_task_delivered_twice_notifies_once(ask):
    ask(when="2026-03-10")
    first = scan_deadlines.apply(kwargs={"now": at("2026-03-13", 8).isoformat()}).get()
    second = scan_deadlines.apply(kwargs={"now": at("2026-03-13", 8).isoformat()}).get()
    assert first["overdue"] == 1 and first["notifications"] == 2  # the holder, and the lead
    assert second["notifications"] == 0 and second["overdue"] == 0
    assert notes("ht.kinhte.cv1", "overdue").count() == 1
    assert notes("ht.tonghop.cv1", "escalation").count() == 1


def test_notifications_are_claimed_by_a_unique_key_not_by_state(ask):
    """Even if a crashed run left the state unchanged, re-running cannot notify twice."""
    ask(when="2026-03-10")
    scan("2026-03-11", 8)
    Deadline.objects.update(state=DeadlineState.OPEN)  # as if the state change had been lost
    assert scan("2026-03-11", 9).notifications == 0
    assert notes("ht.kinhte.cv1", "reminder").count() == 1


def test_reminder_is_e_mailed_once(ask, person):
    cv = person("ht.kinhte.cv1")
    cv.email = "kinhte.cv1@example.vn"
    cv.save()
    ask(when="2026-03-10")
    mail.outbox.clear()
    scan("2026-03-11", 8)
    scan("2026-03-11", 8)
    reminders = [m for m in mail.outbox if m.subject.startswith("Sắp đến hạn")]
    assert len(reminders) == 1 and reminders[0].to == ["kinhte.cv1@example.vn"]
    assert "Căn cứ: Quy chế" in reminders[0].body


def test_done_before_the_reminder_means_no_reminder(ask, person):
    req = ask(when="2026-03-10")
    coordination.reply(person("ht.kinhte.cv1"), req, agree=True, proposal="Đồng ý ban hành")
    assert scan("2026-03-11", 8).reminded == 0
    assert scan("2026-03-13", 8).overdue == 0


# --------------------------------------------------------------------------- overdue and escalation


def test_overdue_after_the_due_day_ends_and_the_lead_is_told(ask):
    ask(when="2026-03-10")
    assert scan("2026-03-12", 23, 58).overdue == 0
    summary = scan("2026-03-13", 0, 1)
    assert summary.overdue == 1 and summary.escalations == 1
    assert Deadline.objects.get().state == DeadlineState.OVERDUE
    escalation = notes("ht.tonghop.cv1", "escalation").get()
    assert "Bùi" in escalation.title or "Quá hạn" in escalation.title or escalation.urgent


def test_internal_request_escalates_to_office_leaders_after_three_working_days_across_tet(ask):
    # 000 Điều 17.2 (L228–L229): sent Fri 13/2/2026; 16–20/2 Tết, 21–22/2 weekend:
    # day 1 Mon 23/2, day 2 Tue 24/2, day 3 Wed 25/2 → escalation from Thu 26/2.
    ask(to=["noichinh"], when="2026-02-13", kind="internal")
    deadline = Deadline.objects.get(kind="coordination.internal")
    assert timezone.localtime(deadline.due_at).date() == dt.date(2026, 2, 25)
    assert deadline.assignee.user.username == "ht.noichinh.truong"
    assert scan("2026-02-20").overdue == 0  # Tết: nothing moves
    assert scan("2026-02-25", 17).overdue == 0
    summary = scan("2026-02-26", 7)
    assert summary.overdue == 1
    told = set(Notification.objects.filter(kind="escalation").values_list("recipient__user__username", flat=True))
    # the Chánh, the Phó Chánh supervising Phòng Nội chính (pcvp2), and the requesting specialist
    assert told == {"ht.chanhvp", "ht.pcvp2", "ht.tonghop.cv1"}
    assert scan("2026-02-26", 7, 5).notifications == 0


def test_escalation_follows_the_profile_rule(ask, hatinh):
    hatinh.rules["internal_requests"]["escalate_to"] = "none"
    hatinh.save()
    ask(to=["noichinh"], when="2026-03-10", kind="internal")
    scan("2026-03-16")
    told = set(Notification.objects.filter(kind="escalation").values_list("recipient__user__username", flat=True))
    assert told == {"ht.tonghop.cv1"}


# --------------------------------------------------------------------------- catch-up


def test_a_missed_day_is_caught_up_from_the_database(ask):
    """The worker was down all of Wed 11/3: Thursday's first run still sends the reminder."""
    ask(when="2026-03-10")
    summary = scan("2026-03-12", 7)
    assert summary.reminded == 1
    assert notes("ht.kinhte.cv1", "reminder").count() == 1


def test_down_past_the_due_date_reports_overdue_with_its_escalation(ask):
    ask(when="2026-03-10")
    summary = scan("2026-03-16", 8)  # nothing ran from Tuesday to Monday
    assert summary.overdue == 1 and summary.escalations == 1 and summary.reminded == 0
    assert Deadline.objects.get().state == DeadlineState.OVERDUE


def test_run_deadlines_command_runs_the_same_scan_and_twice_creates_nothing(ask, run_command):
    ask(when="2026-03-10")
    out = run_command("run_deadlines", "--now", "2026-03-13T08:00", "--no-generate")
    assert '"overdue": 1' in out
    again = run_command("run_deadlines", "--now", "2026-03-13T08:00", "--no-generate")
    assert '"notifications": 0' in again and '"overdue": 0' in again


def test_run_deadlines_refuses_a_bad_instant(run_command, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không hợp lệ"):
        run_command("run_deadlines", "--now", "31/02/2026")


# --------------------------------------------------------------------------- generic deadlines of other apps


def test_any_work_item_gets_the_same_treatment(hatinh, person):
    """An incoming document's handling step or a payment claim opens a deadline the same way."""
    org = hatinh
    cv = person("ht.vhxh.cv2")
    d = deadlines.open_deadline(
        org, kind="incoming.handle", title="Xử lý văn bản 12/UBND", assignee=cv, due_at=at("2026-03-20", 23, 59),
        source="NĐ 30/2020", remind_before_days=2, escalate_to=person("ht.vhxh.truong"),
    )  # fmt: skip
    assert timezone.localtime(d.remind_at).date() == dt.date(2026, 3, 18)
    assert scan("2026-03-18", 8).reminded == 1
    scan("2026-03-21", 8)
    assert notes("ht.vhxh.truong", "escalation").count() == 1


def test_moving_a_due_date_moves_the_reminder_and_earns_a_new_one(hatinh, person):
    cv = person("ht.vhxh.cv2")
    d = deadlines.open_deadline(hatinh, kind="x", title="Việc", assignee=cv, due_at=at("2026-03-20", 23, 59))
    scan("2026-03-19", 8)
    d = deadlines.open_deadline(hatinh, kind="x", title="Việc", assignee=cv, due_at=at("2026-03-27", 23, 59))
    d.refresh_from_db()
    assert timezone.localtime(d.remind_at).date() == dt.date(2026, 3, 26)
    scan("2026-03-26", 8)
    assert notes("ht.vhxh.cv2", "reminder").count() == 2


def test_state_changes_are_kept_in_history(ask):
    ask(when="2026-03-10")
    scan("2026-03-11", 8)
    scan("2026-03-13", 8)
    states = list(Deadline.objects.get().history.order_by("history_date").values_list("state", flat=True))
    assert states == ["open", "due_soon", "overdue"]


# --------------------------------------------------------------------------- cost


def _open_far(hatinh, person, n: int, start: int = 0) -> None:
    """n open deadlines far in the future (none due), created in bulk like the benchmark does."""
    cv = person("ht.kinhte.cv2")
    due = at("2027-06-30", 23, 59)
    rows = [
        Deadline(
            organisation=hatinh, target_type_id=1, target_id=start + i, kind="bulk", title=f"Việc {i}", assignee=cv,
            due_at=due, original_due_at=due, remind_at=at("2027-06-29", 0),
        )
        for i in range(n)
    ]  # fmt: skip
    Deadline.objects.bulk_create(rows, batch_size=1000)


def _queries(now: dt.datetime) -> int:
    with CaptureQueriesContext(connection) as ctx:
        run_deadline_scan(now, generate=False, email=False)
    return len(ctx.captured_queries)


def test_scan_cost_follows_items_due_not_items_open(hatinh, person, ask):
    ask(when="2026-03-10")
    _open_far(hatinh, person, 100)
    small = _queries(at("2026-03-11", 8))  # one reminder due among 101 open
    Notification.objects.all().delete()
    Deadline.objects.filter(kind="coordination.reply").update(state=DeadlineState.OPEN)
    _open_far(hatinh, person, 1000, start=100)
    large = _queries(at("2026-03-11", 8))  # the same one due among 1,101 open
    assert large == small
    assert Notification.objects.count() == 1


def test_a_worker_dying_mid_scan_leaves_nothing_half_done(hatinh, person, monkeypatch):
    """acks_late: the message is redelivered after a crash; the crashed batch was rolled back (its
    notifications already inserted, its states not yet saved), so the rerun notifies each item exactly once."""
    from workflow.services import scan as scan_module

    for who in ("ht.kinhte.cv1", "ht.vhxh.cv1", "ht.noichinh.cv1"):
        coordination.send_request(person("ht.tonghop.cv1"), subject=f"Hỏi {who}", to=[who], now=at("2026-03-10"))
    real = scan_module._set_state

    def dying(batch, state):
        assert Notification.objects.filter(kind="reminder").count() == 3  # claimed inside the batch's transaction
        raise SystemExit("worker killed")

    monkeypatch.setattr(scan_module, "_set_state", dying)
    with pytest.raises(SystemExit):
        scan("2026-03-11", 8)
    assert Notification.objects.filter(kind="reminder").count() == 0  # the batch was rolled back
    assert set(Deadline.objects.values_list("state", flat=True)) == {DeadlineState.OPEN}
    monkeypatch.setattr(scan_module, "_set_state", real)
    assert scan("2026-03-11", 8).reminded == 3
    assert scan("2026-03-11", 8).reminded == 0
    assert Notification.objects.filter(kind="reminder").count() == 3


def _make_due(hatinh, person, n: int, start: int) -> None:
    """n items due at 08:00 on 11/3/2026: half overdue (lead to tell), half to remind."""
    cv, lead = person("ht.kinhte.cv2"), person("ht.tonghop.cv1")
    rows = []
    for i in range(n):
        overdue = i % 2 == 0
        due = at("2026-03-10", 23, 59) if overdue else at("2026-03-12", 23, 59)
        rows.append(
            Deadline(
                organisation=hatinh, target_type_id=1, target_id=start + i, kind="bulk", title=f"Việc {i}", assignee=cv,
                due_at=due, original_due_at=due, remind_at=at("2026-03-11", 0), escalate_to=lead,
            )
        )  # fmt: skip
    Deadline.objects.bulk_create(rows)


def test_scan_queries_are_per_batch_not_per_item_due(hatinh, person):
    """Issue 5: reminders, overdue alerts, escalations and state changes are written per batch —
    10 items due and 100 items due cost the same queries."""
    _make_due(hatinh, person, 10, start=0)
    ten = _queries(at("2026-03-11", 8))
    assert Notification.objects.count() == 15  # 10 holders + 5 escalations to the lead
    _make_due(hatinh, person, 100, start=10)
    hundred = _queries(at("2026-03-11", 8))
    assert Notification.objects.count() == 15 + 150
    assert hundred == ten
    assert Deadline.objects.filter(state=DeadlineState.OVERDUE).count() == 55
    assert Deadline.objects.filter(state=DeadlineState.DUE_SOON).count() == 55
    assert Deadline.history.filter(state=DeadlineState.OVERDUE).count() == 55  # history kept for each item
    assert _queries(at("2026-03-11", 8)) < ten  # nothing due any more: nothing written, nothing notified twice


def test_scan_e_mails_each_notification_once_in_one_pass_per_batch(hatinh, person, monkeypatch):
    """The mail pass claims the waiting notifications together (locked, then stamped), not one UPDATE each."""
    from workflow.services import notifications
    from workflow.services.notifications import send_pending_emails

    monkeypatch.setattr(notifications, "EMAIL_CLAIM_CHUNK", 1000)  # one chunk for both sizes below

    cv, lead = person("ht.kinhte.cv2"), person("ht.tonghop.cv1")
    for staff, address in ((cv, "cv2@example.vn"), (lead, "tonghop@example.vn")):
        staff.email = address
        staff.save(update_fields=["email"])
    _make_due(hatinh, person, 10, start=0)
    run_deadline_scan(at("2026-03-11", 8), generate=False, email=False)
    with CaptureQueriesContext(connection) as ten:
        assert send_pending_emails() == len(mail.outbox) > 0
    _make_due(hatinh, person, 100, start=10)
    run_deadline_scan(at("2026-03-11", 8), generate=False, email=False)
    sent_before = len(mail.outbox)
    with CaptureQueriesContext(connection) as hundred:
        assert send_pending_emails() == len(mail.outbox) - sent_before > 0
    assert len(hundred.captured_queries) == len(ten.captured_queries)
    assert send_pending_emails() == 0
    assert len(mail.outbox) == Notification.objects.filter(email_wanted=True).count()
    assert not Notification.objects.filter(email_wanted=True, emailed_at=None).exists()


def test_mail_is_claimed_in_small_chunks_so_a_killed_worker_loses_at_most_one_chunk(hatinh, person, monkeypatch):
    """At most once, never twice: a worker killed between claim and send loses at most EMAIL_CLAIM_CHUNK mails."""
    from workflow.services import notifications

    cv = person("ht.kinhte.cv2")
    cv.email = "cv2@example.vn"
    cv.save(update_fields=["email"])
    _make_due(hatinh, person, 12, start=0)
    run_deadline_scan(at("2026-03-11", 8), generate=False, email=False)
    waiting = Notification.objects.filter(email_wanted=True, emailed_at=None).count()
    assert waiting > 5
    monkeypatch.setattr(notifications, "EMAIL_CLAIM_CHUNK", 5)
    sends = []
    real = notifications.send_mail

    def dies_on_the_first_send(*args, **kwargs):
        sends.append(1)
        raise SystemExit("worker killed")

    monkeypatch.setattr(notifications, "send_mail", dies_on_the_first_send)
    with pytest.raises(SystemExit):
        notifications.send_pending_emails()
    assert Notification.objects.filter(email_wanted=True, emailed_at=None).count() == waiting - 5  # one chunk lost
    monkeypatch.setattr(notifications, "send_mail", real)
    assert notifications.send_pending_emails() == waiting - 5
