"""Queries for the incoming-document pages and API. Every list starts from
documents.services.visibility.visible_incoming() so nothing leaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from documents.models import (
    Assignment,
    AssignmentKind,
    AssignmentRole,
    AssignmentState,
    Attachment,
    DocumentEvent,
    IncomingDocument,
    IncomingStatus,
    Urgency,
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


@dataclass(slots=True)
class InboxRow:
    """One open step in «Văn bản chờ xử lý», with the few document fields the page shows."""

    document_id: int
    number: int
    symbol: str
    summary: str
    urgency: str
    sender: str
    urgency_rank: int
    kind: str
    role: str
    holder_name: str
    holder_username: str
    deadline: dt.date | None
    days_left: int | None
    overdue: bool
    for_other: bool
    task: str = ""  # «Xử lý (chủ trì)»: what to do, as the page shows it
    due_text: str = ""  # «Còn 3 ngày làm việc» / «Quá hạn 2 ngày làm việc»


#: What the inbox page and API read of a step: no other column is read from 500,000 documents,
#: and rows come back as tuples (no model instances for a list of 50).
INBOX_FIELDS = (
    "document_id", "document__number", "document__symbol", "document__summary", "document__urgency",
    "document__sender", "urgency_rank", "kind", "role", "holder_id", "holder__full_name",
    "holder__user__username", "deadline",
)  # fmt: skip


def inbox_rows(staff: Staff, limit: int = 200, offset: int = 0) -> list[InboxRow]:
    """The inbox as shown: one query on the partial index assignment_inbox (holder, urgency,
    deadline, created_at WHERE state = 'open'), already in display order, `limit` rows from
    `offset` (a person's open steps: hundreds at most, so the offset stays cheap).
    Working days left are counted once per distinct deadline, labels translated once."""
    today = timezone.localdate()
    kinds = {k: str(label) for k, label in AssignmentKind.choices}
    roles = {k: str(label).lower() for k, label in AssignmentRole.choices}
    left_text, late_text = _("Còn %(n)s ngày làm việc"), _("Quá hạn %(n)s ngày làm việc")
    days_by_deadline: dict[dt.date, int] = {}
    rows = []
    steps = inbox(staff, today).select_related(None).values_list(*INBOX_FIELDS)[offset : offset + limit]
    for doc_id, number, symbol, summary, urgency, sender, rank, kind, role, holder, name, username, deadline in steps:
        days_left = overdue = None
        due_text = ""
        if deadline:
            overdue = deadline < today
            if deadline not in days_by_deadline:
                days_by_deadline[deadline] = (
                    -calendar.working_days_between(deadline + dt.timedelta(days=1), today)
                    if overdue
                    else calendar.working_days_between(today + dt.timedelta(days=1), deadline)
                )
            days_left = days_by_deadline[deadline]
            due_text = (late_text if overdue else left_text) % {"n": abs(days_left) if overdue else days_left}
        task = kinds.get(kind, kind) + (f" ({roles.get(role, role)})" if role else "")
        rows.append(
            InboxRow(
                doc_id,
                number,
                symbol,
                summary,
                urgency,
                sender,
                rank,
                kind,
                role,
                name,
                username,
                deadline,
                days_left,
                bool(overdue),
                holder != staff.pk,
                task,
                due_text,
            )  # fmt: skip
        )
    return rows


def _detail_url_pattern() -> str:
    """The document page's URL with «%d» for its id: reversed once per page, not once per row."""
    marker = 987654321987
    return reverse("documents:detail", args=[marker]).replace(str(marker), "%d")


def _clip(text: str, limit: int) -> str:
    """As |truncatechars:limit. Most summaries fit and are returned as they are; only a longer one
    pays for Truncator's walk over its characters."""
    return text if len(text) <= limit else Truncator(text).chars(limit)


def _labels(choices) -> dict[str, str]:
    return {k: str(label) for k, label in choices}


def inbox_display(rows: list[InboxRow]) -> list[dict]:
    """The inbox rows as the page prints them, in one pass: the cells are plain strings in a dict
    (one template lookup each, no filter, no {% url %} per row), the same text as before
    (summary cut at 140 characters like |truncatechars, deadline as d/m/Y)."""
    url, urgency = _detail_url_pattern(), _labels(Urgency.choices)
    out = []
    for row in rows:
        css = ("overdue" if row.overdue else "") + (" urgent" if row.urgency_rank >= 2 else "")
        out.append(
            {
                "css": css,
                "number": row.number,
                "urgency": row.urgency if row.urgency != Urgency.THUONG else "",
                "urgency_label": urgency.get(row.urgency, row.urgency),
                "url": url % row.document_id,
                "symbol": row.symbol,
                "summary": _clip(row.summary, 140),
                "sender": row.sender,
                "task": row.task,
                "for_other": row.holder_name if row.for_other else "",
                "deadline": row.deadline.strftime("%d/%m/%Y") if row.deadline else "",
                "overdue": row.overdue,
                "due_text": row.due_text,
            }
        )
    return out


def register_display(rows: list[RegisterRow]) -> list[dict]:
    """The register rows as the page prints them, in one pass (as inbox_display): received date
    in local time as d/m/Y, summary cut at 160 characters like |truncatechars, labels translated once."""
    url, urgency = _detail_url_pattern(), _labels(Urgency.choices)
    status = _labels(IncomingStatus.choices)
    return [
        {
            "number": doc.number,
            "confidential": doc.confidential,
            "received": timezone.localtime(doc.received_at).strftime("%d/%m/%Y") if doc.received_at else "",
            "url": url % doc.pk,
            "symbol": doc.symbol,
            "sender": doc.sender,
            "urgency": doc.urgency if doc.urgency != Urgency.THUONG else "",
            "urgency_label": urgency.get(doc.urgency, doc.urgency),
            "type_name": doc.type_name,
            "summary": _clip(doc.summary, 160),
            "status": status.get(doc.status, doc.status),
        }
        for doc in rows
    ]


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    year: int | None = None
    urgency: str = ""
    unit: str = ""
    overdue: bool = False


def _search_walking(qs: QuerySet[IncomingDocument], q: str) -> QuerySet[IncomingDocument]:
    """The same words-all-present test as search.search_incoming, on an expression the trigram
    index cannot answer: PostgreSQL then walks the register backwards and stops at a page."""
    qs = qs.alias(walk_text=Concat("search_text", Value(""), output_field=TextField()))
    for word in search.normalise(q).split()[:8]:
        qs = qs.filter(walk_text__contains=word)
    return qs


def filtered_incoming(
    staff: Staff, f: Filters, walk: bool = False, visible: QuerySet[IncomingDocument] | None = None
) -> QuerySet[IncomingDocument]:
    qs = visibility.visible_incoming(staff) if visible is None else visible
    if f.q:
        qs = _search_walking(qs, f.q) if walk else search.search_incoming(qs, f.q)
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


@dataclass(slots=True)
class RegisterRow:
    """One line of the register as the list shows it (read as a tuple: no model instances)."""

    pk: int
    number: int
    confidential: bool
    received_at: dt.datetime | None
    symbol: str
    sender: str
    urgency: str
    type_name: str
    summary: str
    status: str


#: The only columns the register list reads (the search column is the longest of all).
REGISTER_FIELDS = (
    "pk", "number", "register__confidential", "received_at", "symbol", "sender", "urgency", "doc_type__name",
    "summary", "status",
)  # fmt: skip


#: How many of the most recent documents a search reads row by row before asking the trigram index.
SEARCH_WINDOW = 10_000


def register_page(staff: Staff, f: Filters, before: int | None = None) -> tuple[list[RegisterRow], int | None]:
    """One page of the register, most recently registered first, by keyset on the id (numbers
    are taken in registration order) — no OFFSET and no COUNT over the whole register.

    A search is answered in two bounded steps, because the trigram index finds every match
    (13,000 for «cai cach hanh chinh dat dai» among 500,000, 0.5 s to fetch and sort) when a
    page needs 50: first the SEARCH_WINDOW most recent documents are read in order (common words
    fill the page there, a few ms); only if the page is not full is the index asked, for the
    older documents, where it then has few matches to fetch (rare words, a symbol, a number).
    Same rows, same order as one query over everything."""

    def page(qs: QuerySet[IncomingDocument], n: int) -> list[RegisterRow]:
        if before is not None:
            qs = qs.filter(pk__lt=before)
        return [RegisterRow(*values) for values in qs.order_by("-pk").values_list(*REGISTER_FIELDS)[:n]]

    if not f.q:
        rows = page(filtered_incoming(staff, f), PAGE_SIZE + 1)
    else:
        recent = IncomingDocument.objects.filter(organisation_id=staff.organisation_id)
        if before is not None:
            recent = recent.filter(pk__lt=before)
        edge = list(recent.order_by("-pk").values_list("pk", flat=True)[SEARCH_WINDOW : SEARCH_WINDOW + 1])
        visible = visibility.visible_incoming(staff)  # who I act for is looked up once for both steps
        walk = filtered_incoming(staff, f, walk=True, visible=visible)
        rows = page(walk.filter(pk__gte=edge[0]) if edge else walk, PAGE_SIZE + 1)
        if edge and len(rows) <= PAGE_SIZE:
            older = filtered_incoming(staff, f, visible=visible).filter(pk__lt=edge[0])
            rows += page(older, PAGE_SIZE + 1 - len(rows))
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
