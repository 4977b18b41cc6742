"""Notifications  # thông báo: in-app, and e-mail through Django's mail backend.

Each notification is claimed by INSERTing its unique key: a task delivered twice, or
two workers scanning at once, can never notify twice (shared/spec/peers.md §D.3).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, connection, transaction
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
    defer_email: bool = False,
) -> Notification | None:
    """Create the notification unless one with this key exists; returns None when it did.

    The e-mail is queued as a Celery task after commit (the request never waits on the mail
    server, and a rolled-back transaction sends nothing); with `defer_email` it waits for
    send_pending_emails() (the deadline scan sends its mail in one pass at the end). If the
    broker cannot take the task, the notification stays waiting and the next scan mails it.
    """
    wanted = bool(email and recipient.email)
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient,
                key=key[:200],
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                urgent=urgent,
                email_wanted=wanted,
            )
    except IntegrityError:
        return None
    if wanted and not defer_email:
        transaction.on_commit(lambda: _queue_email(note.pk), robust=True)
    return note


@dataclass(frozen=True)
class Pending:
    """One notification to claim in a batch (see notify_many)."""

    recipient: Staff
    key: str
    kind: str
    title: str
    body: str = ""
    url: str = ""
    urgent: bool = False
    email: bool = True


CLAIM_CHUNK = 1000  # rows per INSERT (×9 parameters stays well under every backend's limit)


def notify_many(pending: list[Pending], *, defer_email: bool = False) -> set[str]:
    """Create many notifications at once; returns the keys this call claimed (the others existed).

    The same exactly-once guarantee as notify(), one statement per chunk instead of one per
    notification: `INSERT … ON CONFLICT (key) DO NOTHING RETURNING key` returns only the rows this
    statement inserted, so a key is proven ours before anything else depends on it — a row another
    transaction holds or has committed is skipped (PostgreSQL waits for an uncommitted one, then
    skips it if it committed). Keys repeated within the list count once. Needs PostgreSQL or
    SQLite ≥ 3.35 (RETURNING).
    """
    rows: dict[str, Notification] = {}
    for p in pending:
        key = p.key[:200]
        if key not in rows:
            rows[key] = Notification(
                recipient=p.recipient, key=key, kind=p.kind, title=p.title[:300], body=p.body, url=p.url,
                urgent=p.urgent, email_wanted=bool(p.email and p.recipient.email),
            )  # fmt: skip
    notes = list(rows.values())
    claimed: dict[str, int] = {}
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    key_column = Notification._meta.get_field("key").column
    columns = ", ".join(qn(f.column) for f in fields)
    head = f"INSERT INTO {qn(Notification._meta.db_table)} ({columns}) VALUES "  # noqa: S608 - model metadata only
    tail = f" ON CONFLICT ({qn(key_column)}) DO NOTHING RETURNING {qn(key_column)}, {qn(Notification._meta.pk.column)}"
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(notes), CLAIM_CHUNK):
        chunk = notes[start : start + CLAIM_CHUNK]
        params = [f.get_db_prep_save(f.pre_save(note, add=True), connection) for note in chunk for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(head + ", ".join([one_row] * len(chunk)) + tail, params)
            claimed.update(cursor.fetchall())
    if not defer_email:
        for note in notes:
            if note.key in claimed and note.email_wanted:
                pk = claimed[note.key]
                transaction.on_commit(lambda pk=pk: _queue_email(pk), robust=True)
    return set(claimed)


def _queue_email(notification_id: int) -> None:
    """Hand the e-mail to the worker (shared/spec/peers.md §D.3: tasks are queued with on_commit)."""
    from workflow.tasks import send_notification_email_task

    send_notification_email_task.delay(notification_id)


def send_notification_email(notification_id: int) -> bool:
    """Send one notification's e-mail, at most once: the row is claimed by a conditional UPDATE first."""
    claimed = Notification.objects.filter(pk=notification_id, email_wanted=True, emailed_at=None).update(
        emailed_at=timezone.now()
    )
    if claimed != 1:
        return False  # already sent (a redelivered task, or another worker got there first)
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(note.title, _email_body(note), settings.DEFAULT_FROM_EMAIL, [note.recipient.email])
    except OSError:  # the in-app notification stands; the next scan tries the mail again
        log.warning("could not e-mail notification %s", notification_id, exc_info=True)
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        return False
    return True


def _email_body(note: Notification) -> str:
    lines = [note.body or note.title]
    if note.url:
        lines += ["", f"Xem: {getattr(settings, 'SITE_URL', '').rstrip('/')}{note.url}"]
    return "\n".join(lines)


#: Mails claimed and sent together: a worker killed between the claim and the send loses at most these
#: (a mail is sent at most once, never twice); small enough to bound the loss, big enough to batch.
EMAIL_CLAIM_CHUNK = 50


def send_pending_emails(limit: int = 1000) -> int:
    """E-mail waiting notifications in claimed chunks of EMAIL_CLAIM_CHUNK, up to `limit` in all."""
    sent = 0
    while sent < limit:
        chunk = min(EMAIL_CLAIM_CHUNK, limit - sent)
        done, read = _send_pending_chunk(chunk)
        sent += done
        if read < chunk or done == 0:
            return sent
    return sent


def _send_pending_chunk(limit: int) -> tuple[int, int]:
    """E-mail every notification still waiting (also those a dead worker left behind), at most once each.
    Returns (mails sent, rows read).

    The waiting rows are claimed together: locked (others' locked rows skipped) and their emailed_at
    set in one transaction, then mailed over one connection; a mail that fails is released for the
    next scan. If the claim does not cover every row read (a backend without row locks, raced by
    another sender), each row is claimed on its own as send_notification_email does.
    """
    with transaction.atomic():
        notes = list(
            Notification.objects.filter(email_wanted=True, emailed_at=None)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .order_by("created_at")[:limit]
        )
        if not notes:
            return 0, 0
        ids = [note.pk for note in notes]
        claimed = Notification.objects.filter(pk__in=ids, email_wanted=True, emailed_at=None).update(
            emailed_at=timezone.now()
        )
        if claimed != len(notes):
            transaction.set_rollback(True)
    if claimed != len(notes):
        return sum(1 for pk in ids if send_notification_email(pk)), len(notes)
    sent: set[int] = set()
    try:
        with get_connection() as mailer:
            for note in notes:
                try:
                    send_mail(
                        note.title, _email_body(note), settings.DEFAULT_FROM_EMAIL, [note.recipient.email],
                        connection=mailer,
                    )  # fmt: skip
                    sent.add(note.pk)
                except OSError:
                    log.warning("could not e-mail notification %s", note.pk, exc_info=True)
    except OSError:  # the mail server refused the connection: what was not sent waits for the next scan
        log.warning("could not reach the mail server", exc_info=True)
    failed = [pk for pk in ids if pk not in sent]
    if failed:
        Notification.objects.filter(pk__in=failed).update(emailed_at=None)
    return len(sent), len(notes)


def unread_count(staff: Staff) -> int:
    return Notification.objects.filter(recipient=staff, read_at__isnull=True).count()


def recent(staff: Staff, limit: int = 50):
    return Notification.objects.filter(recipient=staff).order_by("-created_at", "-pk")[:limit]


def mark_read(staff: Staff, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=staff, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
