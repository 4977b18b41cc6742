"""The deadline scan  # quét thời hạn: remind before, flag after, escalate as the rules say.

One function, run by Celery beat every 5 minutes (workflow.tasks.scan_deadlines) and by
`python manage.py run_deadlines [--now …]`. Everything is derived from the database as of `now`
(shared/spec/peers.md §D.3, §E.2): no reminder is ever scheduled ahead with a countdown, so a
worker that was down for a day catches up on the next run, and nothing is lost.

Exactly-once effects under at-least-once delivery: each notification is claimed by INSERTing its
unique key (item, rule, level, due date) — a task delivered twice, or two workers scanning at
once, never notify twice; the state change is saved in the same transaction as the claim.

Cost follows the items due, not the items open: both selections are range queries on indexed
columns (remind_at, due_at) restricted to the states that still need work (partial indexes).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from office.models import Organisation
from workflow.models import NOT_OVERDUE_STATES, REMINDABLE_STATES, Deadline, DeadlineState
from workflow.services import escalation, schedules
from workflow.services.notifications import notify, send_pending_emails

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class ScanSummary:
    now: str = ""
    generated: int = 0
    reminded: int = 0
    overdue: int = 0
    escalations: int = 0
    notifications: int = 0
    emails: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _due_label(deadline: Deadline) -> str:
    return f"{timezone.localtime(deadline.due_at):%H:%M %d/%m/%Y}"


def _key(deadline: Deadline, level: str, extra: str = "") -> str:
    # (item, rule, level) + the due date, so an extended deadline earns a fresh reminder.
    stamp = timezone.localtime(deadline.due_at).strftime("%Y%m%d%H%M")
    return f"deadline:{deadline.pk}:{deadline.kind}:{level}:{stamp}{':' + extra if extra else ''}"


def _remind(deadline: Deadline, summary: ScanSummary) -> None:
    sent = notify(
        deadline.assignee,
        key=_key(deadline, "reminder"),
        kind="reminder",
        title=f"Sắp đến hạn ({_due_label(deadline)}): {deadline.title}",
        body=_body(deadline),
        url=deadline.url,
        defer_email=True,
    )
    summary.notifications += sent is not None
    deadline.state = DeadlineState.DUE_SOON
    deadline.save(update_fields=["state"])
    summary.reminded += 1


def _flag_overdue(deadline: Deadline, summary: ScanSummary) -> None:
    sent = notify(
        deadline.assignee,
        key=_key(deadline, "overdue"),
        kind="overdue",
        title=f"Quá hạn ({_due_label(deadline)}): {deadline.title}",
        body=_body(deadline),
        url=deadline.url,
        urgent=True,
        defer_email=True,
    )
    summary.notifications += sent is not None
    for person, why in escalation.targets(deadline):
        sent = notify(
            person,
            key=_key(deadline, "escalation", str(person.pk)),
            kind="escalation",
            title=f"{why}: {deadline.title} — {deadline.assignee.full_name}, hạn {_due_label(deadline)}",
            body=_body(deadline),
            url=deadline.url,
            urgent=True,
            defer_email=True,
        )
        if sent is not None:
            summary.notifications += 1
            summary.escalations += 1
    deadline.state = DeadlineState.OVERDUE
    deadline.save(update_fields=["state"])
    summary.overdue += 1


def _body(deadline: Deadline) -> str:
    lines = [deadline.title, f"Hạn: {_due_label(deadline)}"]
    if deadline.note:
        lines.append(f"Cách tính hạn: {deadline.note}")
    if deadline.source:
        lines.append(f"Căn cứ: {deadline.source}")
    return "\n".join(lines)


def _process(queryset, action, summary: ScanSummary) -> None:
    """Work through the selection in batches; each batch is one transaction, each row re-checked."""
    while True:
        with transaction.atomic():
            batch = list(
                queryset.select_for_update(skip_locked=True, of=("self",))
                .select_related("assignee", "escalate_to", "organisation")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return
            for deadline in batch:
                action(deadline, summary)
        if len(batch) < BATCH:
            return


def run_deadline_scan(now: dt.datetime | None = None, *, generate: bool = True, email: bool = True) -> ScanSummary:
    """Run the scan as of `now` (default: the current time); running it twice for the same instant creates nothing."""
    now = now or timezone.now()
    summary = ScanSummary(now=now.isoformat())
    if generate:
        for org in Organisation.objects.all():
            summary.generated += schedules.generate_items(org, now)
    # Overdue first: an item whose reminder was missed while the worker was down is reported overdue.
    _process(Deadline.objects.filter(state__in=NOT_OVERDUE_STATES, due_at__lt=now), _flag_overdue, summary)
    _process(
        Deadline.objects.filter(state__in=REMINDABLE_STATES, remind_at__lte=now, due_at__gte=now),
        _remind,
        summary,
    )
    if email:
        summary.emails = send_pending_emails()
    log.info("deadline scan %s", summary.as_dict())
    return summary
