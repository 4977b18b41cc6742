"""Queries for the personnel pages and API: who may see which record (read-only, no rules).

A record someone may not know about is simply not in their queryset, so views answer 404.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from office.models import Absence, Position, Post, Staff, Unit
from office.services import delegation
from personnel.models import (
    AnnualLeavePlan,
    Handover,
    LeaveRequest,
    LeaveStep,
    Overtime,
    PaymentClaim,
    TravelPaper,
    Trip,
)
from personnel.services import common, papers


def _principals(me: Staff, today: dt.date | None = None) -> list[Staff]:
    return delegation.principals_of(me, today or timezone.localdate())


def _sees_everything(me: Staff, principals: list[Staff]) -> bool:
    """The Chánh (or whoever acts for the Chánh today) oversees every personnel record of the office."""
    return common.is_chanh(me) or any(common.is_chanh(p) for p in principals)


def _managed_units(me: Staff, principals: list[Staff]) -> list[int]:
    """Units whose staff `me` (or those `me` acts for) leads or supervises."""
    units: set[int] = set()
    for person in [me, *principals]:
        units |= {p.unit_id for p in person.posts.all() if p.position in common.UNIT_LEADER_POSITIONS}
        units |= {s.unit_id for s in person.supervisions.all() if s.unit_id}
    return list(units)


def leave_requests_for(me: Staff) -> QuerySet[LeaveRequest]:
    qs = LeaveRequest.objects.filter(organisation_id=me.organisation_id)
    principals = _principals(me)
    if not _sees_everything(me, principals):
        q = (
            Q(staff=me)
            | Q(substitute=me)
            | Q(steps__approver=me)
            | Q(steps__approver__in=principals)
            | Q(staff__posts__unit__in=_managed_units(me, principals))
        )
        qs = qs.filter(pk__in=LeaveRequest.objects.filter(q).values("pk"))
    return qs.select_related("staff__user", "substitute__user", "absence").prefetch_related(
        Prefetch("steps", queryset=LeaveStep.objects.select_related("approver__user", "acted_by__user"))
    )


def trips_for(me: Staff) -> QuerySet[Trip]:
    qs = Trip.objects.filter(organisation_id=me.organisation_id)
    principals = _principals(me)
    if not (_sees_everything(me, principals) or papers.can_sign(me)):
        q = (
            Q(staff=me)
            | Q(substitute=me)
            | Q(approver=me)
            | Q(approver__in=principals)
            | Q(staff__posts__unit__in=_managed_units(me, principals))
        )
        qs = qs.filter(pk__in=Trip.objects.filter(q).values("pk"))
    return qs.select_related("staff__user", "substitute__user", "approver__user", "handover")


def handovers_for(me: Staff) -> QuerySet[Handover]:
    qs = Handover.objects.filter(organisation_id=me.organisation_id)
    principals = _principals(me)
    if not _sees_everything(me, principals):
        q = Q(giver=me) | Q(receiver=me) | Q(witnesses=me) | Q(giver__posts__unit__in=_managed_units(me, principals))
        qs = qs.filter(pk__in=Handover.objects.filter(q).values("pk"))
    return qs.select_related("giver__user", "receiver__user").prefetch_related("witnesses")


def overtime_for(me: Staff) -> QuerySet[Overtime]:
    qs = Overtime.objects.filter(organisation_id=me.organisation_id)
    principals = _principals(me)
    if not _sees_everything(me, principals):
        led = [
            p.unit_id
            for person in [me, *principals]
            for p in person.posts.all()
            if p.position in common.UNIT_LEADER_POSITIONS
        ]
        qs = qs.filter(pk__in=Overtime.objects.filter(Q(staff=me) | Q(staff__posts__unit__in=led)).values("pk"))
    return qs.select_related("staff__user", "confirmed_by")


def is_accountant(me: Staff) -> bool:
    return Position.KE_TOAN_TRUONG in common.positions_of(me)


def claims_for(me: Staff) -> QuerySet[PaymentClaim]:
    qs = PaymentClaim.objects.filter(organisation_id=me.organisation_id)
    if not (_sees_everything(me, _principals(me)) or is_accountant(me)):
        qs = qs.filter(staff=me)
    return qs.select_related("staff__user", "decided_by", "trip")


def papers_for(me: Staff) -> QuerySet[TravelPaper]:
    qs = TravelPaper.objects.filter(organisation_id=me.organisation_id)
    if not (papers.can_sign(me) or _sees_everything(me, _principals(me))):
        qs = qs.filter(staff=me)
    return qs.select_related("staff__user", "signer", "trip")


def plans_for(me: Staff, year: int) -> QuerySet[AnnualLeavePlan]:
    qs = AnnualLeavePlan.objects.filter(organisation_id=me.organisation_id, year=year)
    principals = _principals(me)
    if not _sees_everything(me, principals):
        q = Q(staff=me) | Q(staff__posts__unit__in=_managed_units(me, principals))
        qs = qs.filter(pk__in=AnnualLeavePlan.objects.filter(q).values("pk"))
    return qs.select_related("staff__user", "confirmed_by").order_by("staff__full_name")


def colleagues(me: Staff) -> QuerySet[Staff]:
    return (
        Staff.objects.filter(organisation_id=me.organisation_id, is_active=True)
        .exclude(pk=me.pk)
        .select_related("user")
        .prefetch_related(Prefetch("posts", queryset=Post.objects.select_related("unit")))
        .order_by("full_name")
    )


def away_calendar(organisation_id: int, first: dt.date, last: dt.date, unit: Unit | None = None) -> list[dict]:
    """Who is away when, per person: rows of {staff, unit, days: [None | "leave"/"trip"/... | "pending"]}."""
    staff = (
        Staff.objects.filter(organisation_id=organisation_id, is_active=True)
        .prefetch_related(Prefetch("posts", queryset=Post.objects.select_related("unit")))
        .order_by("full_name")
    )
    if unit is not None:
        staff = staff.filter(posts__unit=unit).distinct()
    staff = list(staff)
    ids = [s.pk for s in staff]
    absences = Absence.objects.filter(staff_id__in=ids, is_cancelled=False, start__lte=last, end__gte=first)
    pending = list(LeaveRequest.objects.filter(staff_id__in=ids, state="pending", start__lte=last, end__gte=first))
    pending += list(Trip.objects.filter(staff_id__in=ids, state="pending", start__lte=last, end__gte=first))
    n = (last - first).days + 1
    by_staff: dict[int, list] = {pk: [None] * n for pk in ids}

    def mark(staff_id: int, start: dt.date, end: dt.date, value: str) -> None:
        cells = by_staff[staff_id]
        day = max(start, first)
        while day <= min(end, last):
            i = (day - first).days
            if cells[i] is None or value != "pending":
                cells[i] = value
            day += dt.timedelta(days=1)

    for p in pending:
        mark(p.staff_id, p.start, p.end, "pending")
    for a in absences:
        mark(a.staff_id, a.start, a.end, a.kind)
    rows = []
    for s in staff:
        post = s.main_post
        rows.append({"staff": s, "unit": post.unit if post and post.unit_id else None, "days": by_staff[s.pk]})
    rows.sort(key=lambda r: (r["unit"].order if r["unit"] else -1, r["staff"].full_name))
    return rows
