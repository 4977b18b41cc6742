"""Page queries of the workflow app: bounded, indexed, a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from office.models import OFFICE_LEADER_POSITIONS, Position, Staff
from workflow.models import OPEN_STATES, Deadline, DeadlineState, ItemState, ScheduledItem


def my_deadlines(staff: Staff) -> QuerySet[Deadline]:
    return Deadline.objects.filter(assignee=staff, state__in=OPEN_STATES).order_by("due_at")


def my_overdue(staff: Staff, now: dt.datetime | None = None) -> QuerySet[Deadline]:
    now = now or timezone.now()
    return my_deadlines(staff).filter(Q(state=DeadlineState.OVERDUE) | Q(due_at__lt=now))


def dashboard_scope(staff: Staff) -> tuple[bool, list[int]]:
    """(sees the whole office, unit ids led): office leaders see all units, unit heads their own."""
    posts = list(staff.posts.all())
    if any(p.position in OFFICE_LEADER_POSITIONS for p in posts):
        return True, []
    return False, [p.unit_id for p in posts if p.position in (Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG)]


def _scoped(staff: Staff) -> QuerySet[Deadline] | None:
    whole, units = dashboard_scope(staff)
    qs = Deadline.objects.filter(organisation_id=staff.organisation_id)
    if whole:
        return qs
    if units:
        return qs.filter(unit_id__in=units)
    return None


def overdue_dashboard(staff: Staff, now: dt.datetime | None = None, weeks: int = 12) -> dict | None:
    """Overdue work per unit and per person, and late items per week over the last `weeks` weeks."""
    qs = _scoped(staff)
    if qs is None:
        return None
    now = now or timezone.now()
    overdue = qs.filter(state__in=OPEN_STATES, due_at__lt=now)
    per_unit = list(overdue.values("unit__name").annotate(n=Count("pk")).order_by("-n", "unit__name"))
    by_person = overdue.values("assignee__full_name", "unit__name").annotate(n=Count("pk"))
    per_person = list(by_person.order_by("-n", "assignee__full_name")[:50])
    since = now - dt.timedelta(weeks=weeks)
    late = qs.filter(due_at__gte=since, due_at__lt=now).filter(
        Q(state__in=OPEN_STATES) | Q(state=DeadlineState.DONE, done_at__gt=F("due_at"))
    )
    per_week = list(late.annotate(week=TruncWeek("due_at")).values("week").annotate(n=Count("pk")).order_by("week"))
    peak = max((row["n"] for row in per_week), default=0)
    for row in per_week:
        row["pct"] = round(100 * row["n"] / peak) if peak else 0
    return {
        "total": sum(row["n"] for row in per_unit),
        "per_unit": per_unit,
        "per_person": per_person,
        "per_week": per_week,
        "items": overdue.select_related("assignee", "unit").order_by("due_at")[:100],
    }


def upcoming_items(staff: Staff, now: dt.datetime | None = None, days: int = 45) -> QuerySet[ScheduledItem]:
    now = now or timezone.now()
    return ScheduledItem.objects.filter(
        organisation_id=staff.organisation_id, state=ItemState.OPEN, due_at__lte=now + dt.timedelta(days=days)
    ).order_by("due_at")[:200]
