"""The deadline scan  # quét thời hạn: remind before, flag after, escalate as the rules say.

One function, run by Celery beat every 5 minutes (workflow.tasks.scan_deadlines) and by
`python manage.py run_deadlines [--now …]`. Everything is derived from the database as of `now`
(shared/spec/peers.md §D.3, §E.2): no reminder is ever scheduled ahead with a countdown, so a
worker that was down for a day catches up on the next run, and nothing is lost.

Exactly-once effects under at-least-once delivery: each notification is claimed by INSERTing its
unique key (item, rule, level, due date) — a task delivered twice, or two workers scanning at
once, never notify twice; the state change is saved in the same transaction as the claim. A batch of
up to BATCH items is claimed with one INSERT … ON CONFLICT DO NOTHING RETURNING (notify_many), so the
scan costs a few queries per batch, not per item.

Cost follows the items due, not the items open: both selections are range queries on indexed
columns (remind_at, due_at) restricted to the states that still need work (partial indexes).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.utils import timezone

from office.models import Organisation
from workflow.models import NOT_OVERDUE_STATES, REMINDABLE_STATES, Deadline, DeadlineState
from workflow.services import escalation, schedules
from workflow.services.notifications import Pending, notify_many, send_pending_emails

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


def _remind(batch: list[Deadline], summary: ScanSummary) -> None:
    """Remind each holder once (key: item, rule, "reminder", due date) and mark the items due soon."""
    pending = [
        Pending(
            d.assignee,
            key=_key(d, "reminder"),
            kind="reminder",
            title=f"Sắp đến hạn ({_due_label(d)}): {d.title}",
            body=_body(d),
            url=d.url,
        )  # fmt: skip
        for d in batch
    ]
    summary.notifications += len(notify_many(pending, defer_email=True))
    _set_state(batch, DeadlineState.DUE_SOON)
    summary.reminded += len(batch)


def _flag_overdue(batch: list[Deadline], summary: ScanSummary) -> None:
    """Tell each holder once that the item is overdue, escalate as the rules say, mark the items overdue."""
    pending: list[Pending] = []
    escalation_keys: set[str] = set()
    for d in batch:
        pending.append(
            Pending(
                d.assignee,
                key=_key(d, "overdue"),
                kind="overdue",
                title=f"Quá hạn ({_due_label(d)}): {d.title}",
                body=_body(d),
                url=d.url,
                urgent=True,
            )  # fmt: skip
        )
        for person, why in escalation.targets(d):
            key = _key(d, "escalation", str(person.pk))
            escalation_keys.add(key[:200])
            pending.append(
                Pending(
                    person,
                    key=key,
                    kind="escalation",
                    title=f"{why}: {d.title} — {d.assignee.full_name}, hạn {_due_label(d)}",
                    body=_body(d),
                    url=d.url,
                    urgent=True,
                )  # fmt: skip
            )
    claimed = notify_many(pending, defer_email=True)
    summary.notifications += len(claimed)
    summary.escalations += len(claimed & escalation_keys)
    _set_state(batch, DeadlineState.OVERDUE)
    summary.overdue += len(batch)


def _set_state(batch: list[Deadline], state: str) -> None:
    """One UPDATE for the batch, and one INSERT … SELECT of its history rows (as save() would have written them)."""
    for d in batch:
        d.state = state
    ids = [d.pk for d in batch]
    Deadline.objects.filter(pk__in=ids).update(state=state)
    _copy_to_history(ids)


def _copy_to_history(ids: list[int]) -> None:
    """The rows as they now are, copied into the history table by the database: an update ("~"),
    by no user (the scan), now — what simple_history's save() signal writes, in one statement."""
    history = Deadline.history.model
    qn = connection.ops.quote_name
    tracked = ", ".join(qn(f.column) for f in history.tracked_fields)
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    extra_columns = ", ".join(qn(history._meta.get_field(name).column) for name in extra)
    values = [
        history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection),
        None if history._meta.get_field("history_change_reason").null else "",
        "~",
        None,
    ]
    sql = (
        f"INSERT INTO {qn(history._meta.db_table)} ({tracked}, {extra_columns}) "  # noqa: S608 - model metadata
        f"SELECT {tracked}, %s, %s, %s, %s FROM {qn(Deadline._meta.db_table)} "
        f"WHERE {qn(Deadline._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *ids])


def _body(deadline: Deadline) -> str:
    lines = [deadline.title, f"Hạn: {_due_label(deadline)}"]
    if deadline.note:
        lines.append(f"Cách tính hạn: {deadline.note}")
    if deadline.source:
        lines.append(f"Căn cứ: {deadline.source}")
    return "\n".join(lines)


def _process(queryset, action, summary: ScanSummary) -> None:
    """Work through the selection in batches; each batch is one transaction, its rows locked and re-checked.

    A batch costs a constant number of queries, whatever its size: the locking SELECT, one INSERT
    claiming all its notifications, one UPDATE of the states and one INSERT … SELECT of their history
    (escalation rules that look people up may add their own).
    """
    while True:
        with transaction.atomic():
            batch = list(
                queryset.select_for_update(skip_locked=True, of=("self",))
                .select_related("assignee", "escalate_to", "organisation")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return
            action(batch, summary)
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
