"""Notifications  # thông báo: in-app, and e-mail through Django's mail backend.

Each notification is claimed by INSERTing its unique key: a task delivered twice, or
two workers scanning at once, can never notify twice (shared/spec/peers.md §D.3).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from office.models import Staff
from workflow.models import Notification

log = logging.getLogger(__name__)


def notify(
    recipient: Staff,
    *,
    key: str,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    urgent: bool = False,
    email: bool = True,
) -> Notification | None:
    """Create the notification unless one with this key exists; returns None when it did."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient, key=key[:200], kind=kind, title=title[:300], body=body, url=url, urgent=urgent
            )
    except IntegrityError:
        return None
    if email and recipient.email:
        transaction.on_commit(lambda: _send_email(note.pk))
    return note


def _send_email(notification_id: int) -> None:
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None:
        return
    try:
        send_mail(note.title, note.body or note.title, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])
    except OSError:  # the in-app notification stands even when mail is down
        log.warning("could not e-mail notification %s", notification_id, exc_info=True)


def unread_count(staff: Staff) -> int:
    return Notification.objects.filter(recipient=staff, read_at__isnull=True).count()


def mark_read(staff: Staff, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=staff, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
