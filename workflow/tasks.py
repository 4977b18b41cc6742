"""Background jobs of the workflow app.

scan_deadlines runs every 5 minutes from Celery beat (config/settings.py CELERY_BEAT_SCHEDULE).
acks_late is global (a task whose worker dies is redelivered); the scan is idempotent, so a
redelivery or a duplicate delivery changes nothing (shared/spec/peers.md §D.3).
"""

from __future__ import annotations

from celery import shared_task
from django.utils.dateparse import parse_datetime

from workflow.services.notifications import send_notification_email
from workflow.services.scan import run_deadline_scan


@shared_task(name="workflow.tasks.scan_deadlines")
def scan_deadlines(now: str | None = None) -> dict:
    """The periodic scan; `now` (ISO 8601) replays it as of another instant."""
    return run_deadline_scan(parse_datetime(now) if now else None).as_dict()


@shared_task(name="workflow.tasks.send_notification_email")
def send_notification_email_task(notification_id: int) -> bool:
    return send_notification_email(notification_id)
