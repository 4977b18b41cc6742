"""Queries for the incoming-document pages and API. Every list starts from
documents.services.visibility.visible_incoming() so nothing leaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from documents.models import (
    Assignment,
    AssignmentState,
    Attachment,
    DocumentEvent,
    IncomingDocument,
)
from documents.services import search, visibility
from office.models import Staff
from office.services import calendar

PAGE_SIZE = 50


def inbox(staff: Staff, day: dt.date | None = None) -> QuerySet[Assignment]:
    """Văn bản chờ xử lý: open steps held by the user or by those they act for today;
    hỏa tốc and thượng khẩn first, then by deadline (issue 3 §5, §7)."""
    people = visibility.viewers(staff, day)
    return (
        Assignment.objects.filter(state=AssignmentState.OPEN, holder__in=[p.pk for p in people])
        .select_related("document__doc_type", "holder__user", "unit")
        .order_by("-urgency_rank", F("deadline").asc(nulls_last=True), "created_at")
    )


@dataclass
class InboxRow:
    step: Assignment
    days_left: int | None
    overdue: bool
    for_other: bool


def inbox_rows(staff: Staff, limit: int = 200) -> list[InboxRow]:
    today = timezone.localdate()
    rows = []
    for step in inbox(staff, today)[:limit]:
        days_left = overdue = None
        if step.deadline:
            overdue = step.deadline < today
            days_left = (
                -calendar.working_days_between(step.deadline + dt.timedelta(days=1), today)
                if overdue
                else calendar.working_days_between(today + dt.timedelta(days=1), step.deadline)
            )
        rows.append(InboxRow(step, days_left, bool(overdue), step.holder_id != staff.pk))
    return rows


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    year: int | None = None
    urgency: str = ""
    unit: str = ""
    overdue: bool = False


def filtered_incoming(staff: Staff, f: Filters) -> QuerySet[IncomingDocument]:
    qs = visibility.visible_incoming(staff)
    if f.q:
        qs = search.search_incoming(qs, f.q)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year:
        qs = qs.filter(register__year=f.year)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.unit:
        qs = qs.filter(assignments__unit__code=f.unit).distinct()
    if f.overdue:
        qs = qs.filter(
            assignments__state=AssignmentState.OPEN, assignments__deadline__lt=timezone.localdate()
        ).distinct()
    return qs.select_related("doc_type", "register")


def register_page(staff: Staff, f: Filters, before: int | None = None) -> tuple[list[IncomingDocument], int | None]:
    """One page of the register, most recently registered first, by keyset on the id (numbers
    are taken in registration order) — no OFFSET and no COUNT over the whole register."""
    qs = filtered_incoming(staff, f).order_by("-pk")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].pk if more and rows else None)


def document_detail(staff: Staff, pk: int) -> IncomingDocument:
    """The document with its files, route and timeline, or DoesNotExist (→ 404) if not visible."""
    return (
        visibility.visible_incoming(staff)
        .select_related("doc_type", "register", "registered_by", "sector")
        .prefetch_related(
            Prefetch("files", queryset=Attachment.objects.select_related("uploaded_by")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("holder__user", "unit", "acted_by", "assigned_by"),
            ),
            Prefetch("events", queryset=DocumentEvent.objects.select_related("actor", "on_behalf_of")),
        )
        .get(pk=pk)
    )
