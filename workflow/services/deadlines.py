"""Deadlines  # thời hạn: open, complete, reassign the time limits on work items.

Every capability records its time limits here (an incoming document's handling, a
coordination reply, a payment claim); the periodic scan (workflow.tasks / the
run_deadlines command) reminds, flags overdue and escalates from this table.
Due dates are computed by office.services.calendar; this module stores them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from office.models import Staff, Unit
from office.services import calendar
from workflow.models import OPEN_STATES, Deadline, DeadlineState


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The N-th working day before `day` (0 → `day` itself)."""
    current = day
    remaining = n
    while remaining > 0:
        current -= dt.timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def reminder_instant(due_at: dt.datetime, remind_before_days: int) -> dt.datetime | None:
    """When the reminder falls due: the start of the working day N working days before the due day.

    0 means no reminder. A due date at 23:59 on Thursday with 1 day → Wednesday 00:00.
    """
    if not remind_before_days or due_at is None:
        return None
    due_day = timezone.localtime(due_at).date()
    day = working_days_before(due_day, remind_before_days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _target_filter(target: models.Model) -> dict:
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


@transaction.atomic
def open_deadline(
    target: models.Model,
    *,
    kind: str,
    title: str,
    assignee: Staff,
    due_at: dt.datetime,
    source: str = "",
    url: str = "",
    unit: Unit | None = None,
    remind_before_days: int = 1,
    escalate_to: Staff | None = None,
    note: str = "",
) -> Deadline:
    """Open (or, if one is already open for the same target, kind and person, update) a deadline."""
    existing = Deadline.objects.filter(
        **_target_filter(target), kind=kind, assignee=assignee, state__in=OPEN_STATES
    ).first()
    if existing:
        fields = ["title"]
        existing.title = title[:500]
        if existing.due_at != due_at:
            existing.due_at = due_at
            existing.state = DeadlineState.OPEN  # the scan derives due soon / overdue for the new date
            fields += ["due_at", "state"]
        existing.save(update_fields=fields)
        return existing
    return Deadline.objects.create(
        organisation_id=assignee.organisation_id,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        kind=kind,
        title=title[:500],
        url=url,
        assignee=assignee,
        unit=unit,
        due_at=due_at,
        original_due_at=due_at,
        source=source,
        remind_before_days=remind_before_days,
        escalate_to=escalate_to,
        note=note[:300],
    )


def deadlines_of(target: models.Model, *, kind: str | None = None, open_only: bool = True):
    qs = Deadline.objects.filter(**_target_filter(target))
    if kind:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs


@transaction.atomic
def complete_deadlines(
    target: models.Model, *, kind: str | None = None, assignee: Staff | None = None, at: dt.datetime | None = None
) -> int:
    """Mark the open deadlines of a target done (saved one by one so history records each)."""
    qs = deadlines_of(target, kind=kind)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    count = 0
    for deadline in qs.select_for_update():
        deadline.state = DeadlineState.DONE
        deadline.done_at = at or timezone.now()
        deadline.save(update_fields=["state", "done_at"])
        count += 1
    return count


@transaction.atomic
def cancel_deadlines(target: models.Model, *, kind: str | None = None) -> int:
    count = 0
    for deadline in deadlines_of(target, kind=kind).select_for_update():
        deadline.state = DeadlineState.CANCELLED
        deadline.save(update_fields=["state"])
        count += 1
    return count


@transaction.atomic
def reassign_deadlines(from_staff: Staff, to_staff: Staff, *, target: models.Model | None = None) -> int:
    """Move open deadlines to another person (handover, substitute)."""
    qs = Deadline.objects.filter(assignee=from_staff, state__in=OPEN_STATES)
    if target is not None:
        qs = qs.filter(**_target_filter(target))
    count = 0
    for deadline in qs.select_for_update():
        deadline.assignee = to_staff
        deadline.save(update_fields=["assignee"])
        count += 1
    return count
