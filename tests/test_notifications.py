"""Notification centre (unread count, list, mark read), e-mail, my overdue list and the leaders' dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from workflow import selectors
from workflow.models import Deadline, Notification
from workflow.services import coordination, deadlines
from workflow.services.notifications import notify, send_notification_email, send_pending_emails
from workflow.services.scan import run_deadline_scan


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def _notes(person, n: int, who: str = "ht.kinhte.cv1") -> None:
    staff = person(who)
    for i in range(n):
        notify(staff, key=f"test:{who}:{i}", kind="reminder" if i % 2 else "overdue", title=f"Việc số {i}",
               url="/cong-viec/")  # fmt: skip


# --------------------------------------------------------------------------- service


def test_notify_is_idempotent_by_key(hatinh, person):
    staff = person("ht.kinhte.cv1")
    assert notify(staff, key="k1", kind="info", title="A") is not None
    assert notify(staff, key="k1", kind="info", title="A lần hai") is None
    assert Notification.objects.filter(key="k1").count() == 1


def test_an_e_mail_is_claimed_before_sending_so_a_redelivered_task_sends_nothing(hatinh, person):
    staff = person("ht.kinhte.cv1")
    staff.email = "cv1@example.vn"
    staff.save()
    note = notify(staff, key="k2", kind="info", title="Có việc mới", defer_email=True)
    mail.outbox.clear()
    assert send_notification_email(note.pk) is True
    assert send_notification_email(note.pk) is False  # the same task delivered again
    assert send_pending_emails() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cv1@example.vn"]


def test_no_e_mail_for_someone_without_an_address(hatinh, person):
    note = notify(person("ht.kinhte.cv1"), key="k3", kind="info", title="X")
    assert note.email_wanted is False


def test_an_e_mail_is_queued_for_the_worker_after_commit_not_sent_in_the_request(
    hatinh, person, monkeypatch, django_capture_on_commit_callbacks
):
    # Issue 5 / peers.md §D.3: tasks are queued with transaction.on_commit; the web request never
    # talks to the mail server itself, and a rolled-back transaction queues nothing.
    from workflow import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.send_notification_email_task, "delay", lambda pk: queued.append(pk))
    staff = person("ht.kinhte.cv1")
    staff.email = "cv1@example.vn"
    staff.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(staff, key="k-queued", kind="info", title="Có việc mới")
        assert queued == []  # nothing before the commit
    assert queued == [note.pk]
    assert mail.outbox == []  # the worker sends it, exactly once (test above)


def test_a_broker_that_refuses_the_task_leaves_the_mail_for_the_next_scan(
    hatinh, person, monkeypatch, django_capture_on_commit_callbacks
):
    from workflow import tasks

    def down(pk):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_notification_email_task, "delay", down)
    staff = person("ht.kinhte.cv1")
    staff.email = "cv1@example.vn"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(staff, key="k-broker-down", kind="info", title="Có việc mới")
    mail.outbox.clear()
    assert send_pending_emails() == 1
    assert mail.outbox[0].subject == "Có việc mới" and Notification.objects.get(pk=note.pk).emailed_at


# --------------------------------------------------------------------------- centre


def test_unread_count_in_the_header_and_mark_read(hatinh, person, login):
    _notes(person, 3)
    client = login("ht.kinhte.cv1")
    assert ">3<" in client.get("/cong-viec/thong-bao/chua-doc/").content.decode().replace(" ", "")
    page = client.get("/").content.decode()
    assert 'hx-get="/cong-viec/thong-bao/chua-doc/"' in page
    first = Notification.objects.filter(recipient__user__username="ht.kinhte.cv1").first()
    client.post("/cong-viec/thong-bao/da-doc/", {"id": first.pk})
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    client.post("/cong-viec/thong-bao/da-doc/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    assert client.get("/cong-viec/thong-bao/chua-doc/").content.decode().strip() == ""


def test_opening_a_notification_marks_it_read_and_goes_to_the_item(hatinh, person, login):
    _notes(person, 1)
    note = Notification.objects.get()
    response = login("ht.kinhte.cv1").post("/cong-viec/thong-bao/da-doc/", {"id": note.pk, "open": "1"})
    assert response.status_code == 302 and response["Location"] == "/cong-viec/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_marks_or_sees_anothers_notifications(hatinh, person, login, api):
    _notes(person, 2, who="ht.kinhte.cv1")
    other = login("ht.kinhte.cv2")
    assert "Việc số" not in other.get("/cong-viec/thong-bao/").content.decode()
    ids = list(Notification.objects.values_list("pk", flat=True))
    other.post("/cong-viec/thong-bao/da-doc/", {"id": ids})
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert api("ht.kinhte.cv2").get("/api/v1/notifications/").json()["count"] == 0


def test_api_lists_newest_first_with_the_unread_count_and_marks_read(hatinh, person, api):
    _notes(person, 3)
    client = api("ht.kinhte.cv1")
    data = client.get("/api/v1/notifications/").json()
    assert data["count"] == 3 and data["unread"] == 3
    assert [r["title"] for r in data["results"]] == ["Việc số 2", "Việc số 1", "Việc số 0"]
    marked = client.post("/api/v1/notifications/read/", {"ids": [data["results"][0]["id"]]}, format="json").json()
    assert marked == {"marked": 1, "unread": 2}
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 2
    assert api().get("/api/v1/notifications/").status_code == 401


def test_notification_pages_are_bounded_in_queries(hatinh, person, login, django_assert_max_num_queries):
    client = login("ht.kinhte.cv1")
    _notes(person, 5)
    with django_assert_max_num_queries(12):
        client.get("/cong-viec/thong-bao/")
    staff = person("ht.kinhte.cv1")
    for i in range(5, 55):
        notify(staff, key=f"more:{i}", kind="info", title=f"Tin {i}")
    with django_assert_max_num_queries(12):
        client.get("/cong-viec/thong-bao/")


# --------------------------------------------------------------------------- my overdue list, dashboard


@pytest.fixture
def late_work(hatinh, person):
    """Two coordination requests answered by nobody, scanned after their due dates."""
    sender = person("ht.tonghop.cv1")
    coordination.send_request(sender, subject="Việc A", to=["ht.kinhte.cv1", "ht.vhxh.cv1"], now=at("2026-03-02"))
    coordination.send_request(sender, subject="Việc B", to=["ht.kinhte.cv1"], now=at("2026-03-09"))
    run_deadline_scan(at("2026-03-16"), generate=False)


def test_my_overdue_list(late_work, login, api):
    page = login("ht.kinhte.cv1").get("/cong-viec/").content.decode()
    assert "Quá hạn (2)" in page and "Việc A" in page and "Việc B" in page
    assert "000 Điều 16.3" in page  # the rule the due date comes from
    rows = api("ht.kinhte.cv1").get("/api/v1/deadlines/?overdue=1").json()["results"]
    assert len(rows) == 2 and all(r["state"] == "overdue" for r in rows)


def test_leaders_dashboard_counts_per_unit_and_person(late_work, login, person):
    page = login("ht.chanhvp").get("/cong-viec/theo-doi/").content.decode()
    assert "3 việc đang quá hạn" in page
    assert "Phòng Kinh tế ngành" in page and "Phòng Văn hóa - Xã hội" in page
    data = selectors.overdue_dashboard(person("ht.chanhvp"), now=at("2026-03-20"))
    assert {r["unit__name"]: r["n"] for r in data["per_unit"]} == {
        "Phòng Kinh tế ngành": 2,
        "Phòng Văn hóa - Xã hội": 1,
    }
    assert [r["n"] for r in data["per_person"]] == [2, 1]
    assert sum(r["n"] for r in data["per_week"]) == 3  # counts over time: late items by week of their due date


def test_a_unit_head_sees_only_their_unit_and_a_specialist_is_refused(late_work, login):
    page = login("ht.kinhte.truong").get("/cong-viec/theo-doi/").content.decode()
    assert "2 việc đang quá hạn" in page and "Phòng Văn hóa - Xã hội" not in page
    assert login("ht.kinhte.cv2").get("/cong-viec/theo-doi/").status_code == 403


def test_dashboard_is_bounded_in_queries(hatinh, person, login, django_assert_max_num_queries):
    client = login("ht.chanhvp")
    cv = person("ht.kinhte.cv1")

    def add(n, start):
        for i in range(n):
            deadlines.open_deadline(hatinh, kind=f"k{start + i}", title="Việc", assignee=cv,
                                    due_at=at("2026-01-05", 23), unit=cv.posts.first().unit)  # fmt: skip

    add(5, 0)
    with django_assert_max_num_queries(15):
        client.get("/cong-viec/theo-doi/")
    add(50, 5)
    with django_assert_max_num_queries(15):
        assert "55 việc đang quá hạn" in client.get("/cong-viec/theo-doi/").content.decode()
    assert Deadline.objects.count() == 55
