"""Queries for the organisation pages and API (selectors: read-only, no rules)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from office.models import Absence, Delegation, Organisation, Post, Staff, Supervision, Unit


def staff_with_posts() -> QuerySet[Staff]:
    return Staff.objects.select_related("user", "organisation").prefetch_related(
        Prefetch("posts", queryset=Post.objects.select_related("unit")),
        Prefetch("supervisions", queryset=Supervision.objects.select_related("unit", "sector")),
    )


def staff_directory(
    organisation: Organisation, *, unit: str | None = None, position: str | None = None
) -> QuerySet[Staff]:
    qs = staff_with_posts().filter(organisation=organisation, is_active=True)
    if unit:
        qs = qs.filter(posts__unit__code=unit)
    if position:
        qs = qs.filter(posts__position=position)
    return qs.distinct().order_by("full_name")


def units_of(organisation: Organisation) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation=organisation).prefetch_related(
        "sectors",
        Prefetch("posts", queryset=Post.objects.select_related("staff__user").order_by("position", "staff__full_name")),
        Prefetch("supervisions", queryset=Supervision.objects.select_related("supervisor")),
    )


def leadership_of(organisation: Organisation) -> list[Post]:
    posts = (
        Post.objects.filter(staff__organisation=organisation, unit__isnull=True, staff__is_active=True)
        .select_related("staff__user")
        .prefetch_related(
            Prefetch("staff__supervisions", queryset=Supervision.objects.select_related("unit", "sector"))
        )
    )
    return sorted(posts, key=lambda p: (p.position != "chanh_vp", p.staff.user.username))


def absences_in(organisation: Organisation, start: dt.date, end: dt.date) -> QuerySet[Absence]:
    return (
        Absence.objects.filter(staff__organisation=organisation, is_cancelled=False, start__lte=end, end__gte=start)
        .select_related("staff")
        .prefetch_related(Prefetch("delegations", queryset=Delegation.objects.select_related("deputy")))
        .order_by("start", "staff__full_name")
    )


def delegations_touching(staff: Staff) -> QuerySet[Delegation]:
    """Delegations given or received by this person, newest first."""
    return (
        (Delegation.objects.filter(principal=staff) | Delegation.objects.filter(deputy=staff))
        .select_related("principal", "deputy")
        .order_by("-start")
    )


def supervised_unit_codes(staff: Staff) -> list[str]:
    return sorted({s.unit.code for s in staff.supervisions.all() if s.unit_id})
