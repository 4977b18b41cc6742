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
from workflow.models import OPEN_STATES, Deadline, DeadlineState


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
) -> Deadline:
    """Open (or, if one is already open for the same target, kind and person, update) a deadline."""
    existing = Deadline.objects.filter(
        **_target_filter(target), kind=kind, assignee=assignee, state__in=OPEN_STATES
    ).first()
    if existing:
        existing.due_at = due_at
        existing.title = title
        existing.save(update_fields=["due_at", "title"])
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
