"""A real Celery worker (and beat) against Redis: the scan's effects happen exactly once.

Skipped unless REDIS_URL is set (CI sets it, with PostgreSQL). The worker runs in-process
(celery.contrib.testing.worker.start_worker) but every task travels through the Redis broker;
the database is shared with the test (transaction=True, so the worker sees committed rows).
Run locally with: REDIS_URL=redis://localhost:6379/15 .venv/bin/pytest tests/test_celery.py
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid

import pytest
from django.db import connections
from django.utils import timezone

from workflow.models import Deadline, DeadlineState, Notification
from workflow.services import coordination

pytestmark = [
    pytest.mark.celery,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
]


def at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute)))


@pytest.fixture
def celery_app():
    from celery.signals import task_postrun

    from config.celery import app

    assert app.conf.broker_url.startswith("redis://"), app.conf.broker_url
    saved = app.conf.result_backend
    app.conf.result_backend = os.environ["REDIS_URL"]  # only so the test can wait for each task
    _forget_backend(app)

    def close_db(**kwargs):  # the worker thread must not hold connections the test database teardown needs
        connections.close_all()

    task_postrun.connect(close_db, weak=False)
    # A queue of its own, so parallel test processes (pytest -n) never take each other's tasks.
    app.test_queue = f"workflow-test-{uuid.uuid4().hex}"
    yield app
    task_postrun.disconnect(close_db)
    app.conf.result_backend = saved
    _forget_backend(app)


def _forget_backend(app) -> None:
    """The app caches its result backend (per thread, or once if thread-safe): rebuild it from the setting."""
    app._backend_cache = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def worker(celery_app):
    from celery.contrib.testing.worker import start_worker

    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20, queues=[celery_app.test_queue]
    ):
        yield celery_app


def send_scan(app, when: dt.datetime, task_id: str | None = None):
    from workflow.tasks import scan_deadlines

    return scan_deadlines.apply_async(
        kwargs={"now": when.isoformat()}, task_id=task_id, queue=app.test_queue, ignore_result=False
    )


def run_scan(app, when: dt.datetime, task_id: str | None = None) -> dict:
    return send_scan(app, when, task_id).get(timeout=60)


@pytest.fixture
def request_from_tonghop(hatinh, person):
    def make(when: str, to=("ht.kinhte.cv1",), kind="coordination"):
        return coordination.send_request(
            person("ht.tonghop.cv1"), subject="Xin ý kiến", to=list(to), kind=kind, now=at(when)
        )

    return make


def test_reminder_fires_once_through_the_worker(worker, request_from_tonghop):
    request_from_tonghop("2026-03-10")
    first = run_scan(worker, at("2026-03-11", 8))
    second = run_scan(worker, at("2026-03-11", 8, 5))
    assert first["reminded"] == 1 and second["reminded"] == 0
    assert Notification.objects.filter(kind="reminder").count() == 1
    assert Deadline.objects.get(kind="coordination.reply").state == DeadlineState.DUE_SOON


def test_the_same_message_delivered_twice_has_one_effect(worker, request_from_tonghop):
    """Redis may redeliver a message (visibility timeout, a worker killed with acks_late): same task id twice."""
    request_from_tonghop("2026-03-10")
    task_id = str(uuid.uuid4())
    first = run_scan(worker, at("2026-03-13", 8), task_id=task_id)
    worker.AsyncResult(task_id).forget()  # so the test waits for the second delivery's own result
    second = run_scan(worker, at("2026-03-13", 8), task_id=task_id)
    assert first["notifications"] == 2 and second["notifications"] == 0
    assert Notification.objects.filter(kind="overdue").count() == 1
    assert Notification.objects.filter(kind="escalation").count() == 1


def test_concurrent_deliveries_notify_once(celery_app, request_from_tonghop):
    """Two messages queued before a worker starts, consumed back to back by a two-thread worker."""
    from celery.contrib.testing.worker import start_worker
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("two writers at once need PostgreSQL (SQLite's shared in-memory test database locks tables)")
    request_from_tonghop("2026-03-10")
    results = [send_scan(celery_app, at("2026-03-13", 8)) for _ in range(2)]
    with start_worker(
        celery_app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=20,
        queues=[celery_app.test_queue],
    ):  # fmt: skip
        summaries = [r.get(timeout=60) for r in results]
    assert sum(s["notifications"] for s in summaries) == 2
    assert Notification.objects.count() == 3  # the assignment when sent, the overdue alert, the lead's escalation


def test_escalation_after_three_working_days_across_tet_and_a_weekend(worker, request_from_tonghop):
    # 000 Điều 17.2: sent Fri 13/2/2026 → due end of Wed 25/2 (16–20/2 Tết, 21–22/2 weekend).
    request_from_tonghop("2026-02-13", to=["noichinh"], kind="internal")
    assert run_scan(worker, at("2026-02-25", 20))["escalations"] == 0
    summary = run_scan(worker, at("2026-02-26", 7))
    assert summary["overdue"] == 1 and summary["escalations"] == 3
    told = set(Notification.objects.filter(kind="escalation").values_list("recipient__user__username", flat=True))
    assert told == {"ht.chanhvp", "ht.pcvp2", "ht.tonghop.cv1"}


def test_catch_up_after_a_missed_day(worker, request_from_tonghop):
    """The worker was down all of Wed 11/3; Thursday's first run sends the reminder it missed."""
    request_from_tonghop("2026-03-10")
    assert run_scan(worker, at("2026-03-12", 7))["reminded"] == 1
    assert Notification.objects.filter(kind="reminder").count() == 1


def test_beat_schedules_the_scan_through_redis(worker, request_from_tonghop, tmp_path, settings):
    """Celery beat (embedded, one instance) sends workflow.tasks.scan_deadlines; the worker runs it."""
    from celery.beat import EmbeddedService

    app = worker
    request_from_tonghop("2020-01-06")  # long overdue by any real clock: the first beat-driven scan flags it
    saved = app.conf.beat_schedule
    app.conf.beat_schedule = {
        "scan-deadlines": {
            "task": "workflow.tasks.scan_deadlines",
            "schedule": 1.0,
            "options": {"queue": app.test_queue},
        }
    }
    beat = EmbeddedService(app, schedule_filename=str(tmp_path / "beat-schedule"), thread=True)
    beat.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not Notification.objects.filter(kind="overdue").exists():
            time.sleep(0.5)
    finally:
        beat.stop()
        app.conf.beat_schedule = saved
    assert Notification.objects.filter(kind="overdue").count() == 1
    time.sleep(2.5)  # more beats, more scans: still one
    assert Notification.objects.filter(kind="overdue").count() == 1


def test_a_notification_e_mail_delivered_twice_through_the_worker_is_sent_once(worker, hatinh, person):
    """The e-mail task queued on commit (workflow.services.notifications) redelivered by Redis: one mail."""
    from django.core import mail

    from workflow.services.notifications import notify
    from workflow.tasks import send_notification_email_task

    staff = person("ht.kinhte.cv1")
    staff.email = "cv1@example.vn"
    staff.save()
    note = notify(staff, key="celery-mail", kind="info", title="Có việc mới", defer_email=True)
    mail.outbox.clear()
    task_id = str(uuid.uuid4())
    results = []
    for _ in range(2):
        sent = send_notification_email_task.apply_async(
            args=[note.pk], task_id=task_id, queue=worker.test_queue, ignore_result=False
        )
        results.append(sent.get(timeout=60))
        worker.AsyncResult(task_id).forget()
    assert results == [True, False]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cv1@example.vn"]
