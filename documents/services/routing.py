"""Distribution and handling of incoming documents  # trình, chuyển giao, giải quyết văn bản đến.

NĐ 30 Điều 23–24 (vn-standards.md §1.4): the registered document goes to the leader who
directs its handling; the leader names the lead (chủ trì), coordinating (phối hợp) and
for-information (để biết) units or people with a deadline (AC-IN-4: exactly one chủ trì);
the unit head assigns a specialist; the lead closes it with a result — answered, filed,
forwarded to the competent agency, or «lưu theo dõi» for documents outside the office's
competence (000 Điều 13.5). Who distributes is the profile's rule
(rules.distribution.distributor). Whoever acts for a step's holder that day may act on it.
Every step is a state change checked here: acting on a step that is not yours is refused,
a closed document is not re-routed until reopened with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from config.api import Conflict
from documents.models import (
    TOP_URGENCIES,
    Assignment,
    AssignmentKind,
    AssignmentRole,
    AssignmentState,
    DocumentEvent,
    IncomingDocument,
    IncomingResult,
    IncomingStatus,
)
from documents.services import visibility
from office.models import Position, Post, Staff, Supervision, Unit
from office.services import calendar
from office.services.delegation import represented
from workflow.services import deadlines
from workflow.services.notifications import notify

ND30_DISTRIBUTE = "NĐ 30/2020/NĐ-CP, Điều 23 (trình, chuyển giao trong ngày hoặc ngày làm việc tiếp theo)"


def log(doc: IncomingDocument, actor: Staff, action: str, text: str, on_behalf_of: Staff | None = None) -> None:
    DocumentEvent.objects.create(
        document=doc,
        actor=actor,
        on_behalf_of=on_behalf_of if on_behalf_of and on_behalf_of.pk != actor.pk else None,
        action=action,
        text=text,
    )


def _url(doc: IncomingDocument) -> str:
    return f"/van-ban/den/{doc.pk}/"


def _label(doc: IncomingDocument) -> str:
    return f"Văn bản đến số {doc.number}: {doc.symbol} — {doc.summary[:120]}"


# --------------------------------------------------------------------------- who


def distributor_for(doc: IncomingDocument) -> Staff:
    """The office leader who distributes: the Chánh, or the Phó Chánh supervising the document's
    lĩnh vực when the profile says so (rules.distribution.distributor = pho_chanh_vp_by_sector)."""
    org = doc.organisation
    rule = org.rule("distribution.distributor", "chanh_vp")
    if rule == "pho_chanh_vp_by_sector" and doc.sector_id:
        sup = Supervision.objects.filter(organisation=org, sector_id=doc.sector_id).select_related("supervisor").first()
        if sup is not None:
            return sup.supervisor
    post = Post.objects.filter(staff__organisation=org, position=Position.CHANH_VP, staff__is_active=True).first()
    if post is None:
        raise ValidationError({"non_field_errors": ["Cơ quan chưa có Chánh Văn phòng để phân phối văn bản."]})
    return post.staff


def unit_head(unit: Unit) -> Staff:
    """The head of a unit, or the deputy where the head post is vacant."""
    for position in (Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG):
        post = (
            Post.objects.filter(unit=unit, position=position, staff__is_active=True)
            .select_related("staff")
            .order_by("staff__full_name")
            .first()
        )
        if post is not None:
            return post.staff
    raise ValidationError({"assignments": [f"{unit.name} chưa có trưởng hoặc phó đơn vị để nhận văn bản."]})


def open_steps(doc: IncomingDocument) -> list[Assignment]:
    """Every open step of the document, oldest first (one query for a page that asks open_step
    several times)."""
    return list(doc.assignments.filter(state=AssignmentState.OPEN).select_related("holder", "unit"))


def open_step(
    doc: IncomingDocument,
    actor: Staff,
    kinds: tuple[str, ...],
    role: str | None = None,
    steps: list[Assignment] | None = None,
) -> Assignment | None:
    """The open step of these kinds that `actor` may act on: their own first, then one held by
    someone they act for today. `steps`: the document's open steps if already loaded (open_steps)."""
    candidates = open_steps(doc) if steps is None else steps
    steps = [s for s in candidates if s.kind in kinds and (not role or s.role == role)]
    for step in steps:
        if step.holder_id == actor.pk:
            return step
    if not steps:
        return None
    acting = {p.pk for p in represented(actor, timezone.localdate())}
    return next((s for s in steps if s.holder_id in acting), None)


# --------------------------------------------------------------------------- steps


def _add_step(
    doc: IncomingDocument,
    *,
    kind: str,
    holder: Staff,
    role: str = "",
    unit: Unit | None = None,
    parent: Assignment | None = None,
    deadline: dt.date | None = None,
    instruction: str = "",
    by: Staff | None = None,
    source: str = "",
) -> Assignment:
    step = Assignment.objects.create(
        document=doc,
        kind=kind,
        role=role,
        holder=holder,
        unit=unit,
        parent=parent,
        deadline=deadline,
        instruction=instruction,
        urgency_rank=doc.urgency_rank,
        assigned_by=by,
    )
    visibility.grant(doc, holder)
    if deadline and kind != AssignmentKind.INFORM:
        deadlines.open_deadline(
            step,
            kind=f"incoming.{kind}",
            title=_label(doc),
            assignee=holder,
            unit=unit,
            due_at=calendar.end_of_day(deadline),
            source=source or "Thời hạn giải quyết do lãnh đạo giao (NĐ 30/2020, Điều 24)",
            url=_url(doc),
        )
    urgent = doc.urgency in TOP_URGENCIES
    verb = {
        AssignmentKind.DISTRIBUTE: "Chờ phân phối",
        AssignmentKind.UNIT: "Đơn vị được giao",
        AssignmentKind.HANDLE: "Được giao xử lý",
        AssignmentKind.INFORM: "Để biết",
    }[kind]
    notify(
        holder,
        key=f"incoming:{doc.pk}:step:{step.pk}",
        kind="urgent" if urgent else "assignment",
        title=f"{'[' + doc.get_urgency_display().upper() + '] ' if urgent else ''}{verb}: {_label(doc)}",
        body=instruction,
        url=_url(doc),
        urgent=urgent,
    )
    return step


def _close_step(step: Assignment, actor: Staff, note: str = "", state: str = AssignmentState.DONE) -> None:
    step.state = state
    step.acted_by = actor
    step.done_at = timezone.now()
    if note:
        step.note = note
    step.save(update_fields=["state", "acted_by", "done_at", "note"])
    deadlines.complete_deadlines(step)


def present_to_distributor(doc: IncomingDocument, by: Staff) -> Assignment:
    """Trình: hand the registered document to the distributing leader (NĐ 30 Điều 23.1)."""
    leader = distributor_for(doc)
    received = timezone.localtime(doc.received_at).date()
    due = received if doc.urgency in TOP_URGENCIES else calendar.add_working_days(received, 1)
    step = _add_step(doc, kind=AssignmentKind.DISTRIBUTE, holder=leader, deadline=due, by=by, source=ND30_DISTRIBUTE)
    log(doc, by, "present", f"Trình {leader.full_name} phân phối.")
    return step


@dataclass
class RouteItem:
    """One line of a distribution: a person or a unit, a role, and a deadline (date or working days)."""

    role: str
    staff: Staff | None = None
    unit: Unit | None = None
    deadline: dt.date | None = None
    deadline_days: int | None = None


def _resolve_deadline(doc: IncomingDocument, item: RouteItem, parent: Assignment) -> dt.date | None:
    today = timezone.localdate()
    if item.deadline_days is not None:
        if item.deadline_days < 0:
            raise ValidationError({"assignments": ["Số ngày làm việc phải từ 0 trở lên."]})
        return calendar.add_working_days(today, item.deadline_days)
    if item.deadline is not None:
        return item.deadline
    if item.role == AssignmentRole.INFORM:
        return None
    return parent.deadline if parent.kind == AssignmentKind.UNIT else doc.sender_deadline


@transaction.atomic
def route(doc: IncomingDocument, actor: Staff, items: list[RouteItem], instruction: str = "") -> list[Assignment]:
    """Distribute (leader) or assign within the unit (unit head): phân phối / giao xử lý."""
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if doc.status == IncomingStatus.DONE:
        raise Conflict("Văn bản đã hoàn thành; phải mở lại (nêu lý do) trước khi chuyển xử lý tiếp.")
    step = open_step(doc, actor, (AssignmentKind.DISTRIBUTE, AssignmentKind.UNIT))
    if step is None:
        raise PermissionDenied("Bạn không giữ bước phân phối hoặc giao việc của văn bản này.")
    if not items:
        raise ValidationError({"assignments": ["Chọn ít nhất một đơn vị hoặc người nhận."]})
    leads = [i for i in items if i.role == AssignmentRole.LEAD]
    if step.kind == AssignmentKind.DISTRIBUTE and len(leads) != 1:
        raise ValidationError({"assignments": ["Phải giao đúng một đơn vị hoặc người chủ trì."]})
    if step.kind == AssignmentKind.UNIT and step.role != AssignmentRole.INFORM and not leads:
        raise ValidationError({"assignments": ["Phải giao một người chủ trì xử lý trong đơn vị."]})
    received = timezone.localtime(doc.received_at).date()
    errors: list[str] = []
    seen: set[tuple[str, int]] = set()
    for item in items:
        if item.role not in AssignmentRole.values:
            errors.append("Vai trò không hợp lệ (chủ trì, phối hợp, để biết).")
        target = item.staff or item.unit
        if target is None:
            errors.append("Mỗi dòng phải chọn một người hoặc một đơn vị.")
            continue
        key = ("s" if item.staff else "u", target.pk)
        if key in seen:
            errors.append(f"{target} được chọn hai lần.")
        seen.add(key)
        if target.organisation_id != doc.organisation_id:
            errors.append(f"{target} không thuộc cơ quan; chỉ giao trong cơ quan.")
        if step.kind == AssignmentKind.UNIT:
            if item.unit is not None or not any(p.unit_id == step.unit_id for p in item.staff.posts.all()):
                errors.append(f"{target} không thuộc {step.unit.name}; trưởng đơn vị chỉ giao trong đơn vị mình.")
        if item.deadline is not None and item.deadline < received:
            errors.append(f"Hạn xử lý của {target} ({item.deadline:%d/%m/%Y}) không được trước ngày đến.")
    if errors:
        raise ValidationError({"assignments": errors})

    created: list[Assignment] = []
    lines: list[str] = []
    for item in items:
        deadline = _resolve_deadline(doc, item, step)
        role = item.role
        if step.kind == AssignmentKind.UNIT and step.role == AssignmentRole.COORDINATE and role == AssignmentRole.LEAD:
            role = AssignmentRole.COORDINATE  # the unit only coordinates: its specialist does too
        if item.unit is not None and role != AssignmentRole.INFORM:
            new = _add_step(
                doc, kind=AssignmentKind.UNIT, role=role, holder=unit_head(item.unit), unit=item.unit, parent=step,
                deadline=deadline, instruction=instruction, by=actor,
            )  # fmt: skip
            name = item.unit.name
        elif item.unit is not None:
            new = _add_step(
                doc, kind=AssignmentKind.INFORM, role=role, holder=unit_head(item.unit), unit=item.unit, parent=step,
                instruction=instruction, by=actor,
            )  # fmt: skip
            name = item.unit.name
        else:
            kind = AssignmentKind.INFORM if role == AssignmentRole.INFORM else AssignmentKind.HANDLE
            unit = step.unit if step.kind == AssignmentKind.UNIT else None
            new = _add_step(
                doc, kind=kind, role=role, holder=item.staff, unit=unit, parent=step, deadline=deadline,
                instruction=instruction, by=actor,
            )  # fmt: skip
            name = item.staff.full_name
        created.append(new)
        lines.append(
            f"{AssignmentRole(role).label}: {name}" + (f" (hạn {new.deadline:%d/%m/%Y})" if new.deadline else "")
        )
    _close_step(step, actor, note=instruction)
    doc.status = IncomingStatus.ASSIGNED
    doc.save(update_fields=["status"])
    verb = "Phân phối" if step.kind == AssignmentKind.DISTRIBUTE else "Giao xử lý"
    text = f"{verb}: " + "; ".join(lines) + (f". Ý kiến: {instruction}" if instruction else ".")
    log(doc, actor, "route", text, on_behalf_of=step.holder)
    return created


@transaction.atomic
def contribute(doc: IncomingDocument, actor: Staff, opinion: str) -> Assignment:
    """A coordinating person gives their part, or a person informed marks it read."""
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if doc.status == IncomingStatus.DONE:
        raise Conflict("Văn bản đã hoàn thành.")
    step = open_step(doc, actor, (AssignmentKind.HANDLE, AssignmentKind.INFORM, AssignmentKind.UNIT))
    if step is None or step.role == AssignmentRole.LEAD:
        raise PermissionDenied("Bạn không có bước phối hợp hoặc để biết đang mở trên văn bản này.")
    if step.role == AssignmentRole.COORDINATE and not opinion.strip():
        raise ValidationError({"opinion": ["Nhập ý kiến phối hợp."]})
    _close_step(step, actor, note=opinion)
    label = "Ý kiến phối hợp" if step.role == AssignmentRole.COORDINATE else "Đã xem (để biết)"
    log(doc, actor, "contribute", f"{label}" + (f": {opinion}" if opinion else "."), on_behalf_of=step.holder)
    return step


@transaction.atomic
def complete(
    doc: IncomingDocument, actor: Staff, result: str, note: str = "", answered_by_symbol: str = ""
) -> IncomingDocument:
    """The lead closes the document with its result (issue 3 §3; 000 Điều 13.5 «lưu theo dõi»)."""
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if doc.status == IncomingStatus.DONE:
        raise Conflict("Văn bản đã hoàn thành.")
    step = open_step(doc, actor, (AssignmentKind.HANDLE, AssignmentKind.UNIT), role=AssignmentRole.LEAD)
    if step is None:
        raise PermissionDenied("Chỉ người chủ trì xử lý (hoặc người làm thay) được kết thúc văn bản.")
    errors: dict[str, list[str]] = {}
    if result not in IncomingResult.values:
        errors["result"] = ["Chọn kết quả xử lý."]
    if result == IncomingResult.ANSWERED:
        from documents.services.registration import clean_symbol

        try:
            answered_by_symbol = clean_symbol(answered_by_symbol)
        except ValidationError:
            errors["answered_by_symbol"] = ["Nhập số, ký hiệu văn bản trả lời hợp lệ (ví dụ 15/VP-TH)."]
    if result == IncomingResult.FORWARDED and not note.strip():
        errors["note"] = ["Ghi rõ cơ quan có thẩm quyền đã chuyển đến."]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    _close_step(step, actor, note=note)
    for other in doc.assignments.filter(state=AssignmentState.OPEN):
        _close_step(other, actor, state=AssignmentState.CANCELLED)
    doc.status = IncomingStatus.DONE
    doc.result = result
    doc.result_note = note
    doc.answered_by_symbol = answered_by_symbol if result == IncomingResult.ANSWERED else ""
    doc.closed_at = now
    doc.save(update_fields=["status", "result", "result_note", "answered_by_symbol", "closed_at"])
    text = f"Hoàn thành: {IncomingResult(result).label}"
    if doc.answered_by_symbol:
        text += f" số {doc.answered_by_symbol}"
    log(doc, actor, "complete", text + (f". {note}" if note else "."), on_behalf_of=step.holder)
    return doc


def may_reopen(doc: IncomingDocument, actor: Staff) -> bool:
    is_leader = any(p.position in (Position.CHANH_VP, Position.PHO_CHANH_VP) for p in actor.posts.all())
    closer = doc.assignments.filter(role=AssignmentRole.LEAD, state=AssignmentState.DONE, acted_by=actor).exists()
    return is_leader or closer


@transaction.atomic
def reopen(doc: IncomingDocument, actor: Staff, reason: str) -> Assignment:
    """Reopen a closed document (with a reason) so it can be routed again."""
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if doc.status != IncomingStatus.DONE:
        raise Conflict("Văn bản chưa hoàn thành, không cần mở lại.")
    if not may_reopen(doc, actor):
        raise PermissionDenied("Chỉ lãnh đạo Văn phòng hoặc người đã kết thúc văn bản được mở lại.")
    if not reason.strip():
        raise ValidationError({"reason": ["Nêu lý do mở lại văn bản."]})
    is_leader = any(p.position in (Position.CHANH_VP, Position.PHO_CHANH_VP) for p in actor.posts.all())
    doc.status = IncomingStatus.ASSIGNED if not is_leader else IncomingStatus.PRESENTED
    doc.result = ""
    doc.closed_at = None
    doc.save(update_fields=["status", "result", "closed_at"])
    if is_leader:
        step = _add_step(doc, kind=AssignmentKind.DISTRIBUTE, holder=actor, instruction=reason, by=actor)
    else:
        step = _add_step(doc, kind=AssignmentKind.HANDLE, role=AssignmentRole.LEAD, holder=actor, by=actor)
    log(doc, actor, "reopen", f"Mở lại: {reason}")
    return step
