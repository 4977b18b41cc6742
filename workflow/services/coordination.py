"""Coordination  # phối hợp: asking units or people for a written opinion, with a hard time limit.

- 000 Điều 16.3 (L221): a unit head or specialist asked for an opinion answers in writing within
  02 working days of receiving the file; a complex matter within 03 working days; longer only with
  the Chánh Văn phòng's approval (profile: rules.coordination.reply_working_days,
  reply_working_days_complex, extension_approver).
- 000 Điều 14.5 (L202–L206): the answer states the view on (a) competence, (b) necessity,
  reasonableness, legality and effectiveness, (c) links to earlier directions on the same matter,
  (d) a concrete proposal — the four parts of the reply.
- 000 Điều 14.4 (L200): a coordinator who needs more information asks the lead, never the
  submitting agency directly: `ask_information` writes to the lead only.
- 000 Điều 17.2 (L228–L229): requests between units are settled or answered within 03 working
  days (rules.internal_requests.answer_working_days); past that the handling unit reports to the
  office leaders and informs the units concerned — raised by the scan (workflow.services.escalation).
- Profiles whose regulation gives no number of days (002 Điều 21.3: «phải trả lời», GAP) make the
  sender set the due date; the system does not invent one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from config.api import Conflict
from office.models import OFFICE_LEADER_POSITIONS, Position, Post, Staff, Unit
from office.services import calendar, delegation
from office.services.moves import Move, moves_in_history
from workflow.models import (
    CoordinationFile,
    CoordinationKind,
    CoordinationNote,
    CoordinationRecipient,
    CoordinationRequest,
    CoordinationState,
    Deadline,
    DeadlineExtension,
    DeadlineState,
    ExtensionState,
    RecipientState,
)
from workflow.services import deadlines
from workflow.services.notifications import notify

SOURCE_REPLY = "Quy chế: trả lời phối hợp bằng văn bản trong thời hạn (000 Điều 16.3)"
SOURCE_INTERNAL = "Quy chế: giải quyết đề nghị giữa các đơn vị trong 03 ngày làm việc (000 Điều 17.2)"
DEADLINE_KIND = {
    CoordinationKind.COORDINATION: "coordination.reply",
    CoordinationKind.INTERNAL: "coordination.internal",
}


def _url(req: CoordinationRequest) -> str:
    return reverse("workflow:coordination_detail", args=[req.pk])


def reply_days(org, kind: str, complex_matter: bool) -> int | None:
    """The profile's limit in working days (None when the regulation gives none)."""
    if kind == CoordinationKind.INTERNAL:
        return org.rule("internal_requests.answer_working_days")
    if complex_matter:
        return org.rule("coordination.reply_working_days_complex", org.rule("coordination.reply_working_days"))
    return org.rule("coordination.reply_working_days")


def approver_position(org) -> str:
    return org.rule("coordination.extension_approver", Position.CHANH_VP)


def is_approver(staff: Staff, org, day: dt.date | None = None) -> bool:
    """Holds the approving position, or acts today for someone who does (delegation in force)."""
    position = approver_position(org)
    if staff.holds(position):
        return True
    day = day or timezone.localdate()
    return any(p.holds(position) for p in _with_posts(delegation.principals_of(staff, day)))


def approvers(org) -> list[Staff]:
    """Who decides extensions today: the holder of the position, or whoever acts for them."""
    today = timezone.localdate()
    out: dict[int, Staff] = {}
    for post in Post.objects.filter(staff__organisation=org, position=approver_position(org), staff__is_active=True):
        person = delegation.acting_for(post.staff, today, scope="handle")
        out[person.pk] = person
    return list(out.values())


def _with_posts(people: Iterable[Staff]) -> list[Staff]:
    ids = [p.pk for p in people]
    return list(Staff.objects.filter(pk__in=ids).prefetch_related("posts"))


def _unit_head(unit: Unit) -> Staff | None:
    posts = Post.objects.filter(unit=unit, position__in=[Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG],
                                staff__is_active=True).select_related("staff").order_by("-position")  # fmt: skip
    post = posts.first()
    return post.staff if post else None


def resolve_targets(org, to: Iterable[str]) -> list[tuple[Staff, Unit | None]]:
    """Usernames and unit codes → (person asked, unit asked). A unit is asked through its head."""
    found: dict[int, tuple[Staff, Unit | None]] = {}
    unknown: list[str] = []
    for raw in to:
        name = str(raw).strip()
        if not name:
            continue
        unit = Unit.objects.filter(organisation=org, code=name).first()
        if unit is not None:
            head = _unit_head(unit)
            if head is None:
                unknown.append(f"Đơn vị «{unit.name}» chưa có lãnh đạo để nhận xin ý kiến.")
                continue
            found.setdefault(head.pk, (head, unit))
            continue
        staff = Staff.objects.filter(organisation=org, user__username=name, is_active=True).first()
        if staff is None:
            unknown.append(f"Không có cán bộ hoặc đơn vị «{name}».")
            continue
        main = staff.main_post
        found.setdefault(staff.pk, (staff, main.unit if main else None))
    if unknown:
        raise ValidationError({"to": unknown})
    return list(found.values())


@transaction.atomic
def send_request(
    sender: Staff,
    *,
    subject: str,
    body: str = "",
    to: Iterable[str],
    complex_matter: bool = False,
    kind: str = CoordinationKind.COORDINATION,
    due: dt.date | None = None,
    files: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> CoordinationRequest:
    """Send a request for opinions; each recipient gets a due date by the working-day calendar."""
    org = sender.organisation
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = ["Nhập trích yếu nội dung xin ý kiến."]
    if kind not in CoordinationKind.values:
        errors["kind"] = ["Loại đề nghị không hợp lệ."]
    targets: list[tuple[Staff, Unit | None]] = []
    try:
        targets = resolve_targets(org, to)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not targets and "to" not in errors:
        errors["to"] = ["Chọn ít nhất một người hoặc đơn vị được xin ý kiến."]
    if any(staff.pk == sender.pk for staff, _ in targets):
        errors.setdefault("to", []).append("Không thể tự xin ý kiến chính mình.")
    received = timezone.localtime(now).date()
    days = reply_days(org, kind, complex_matter)
    limit_at = calendar.due_at(received, days) if days else None
    due_at = limit_at
    if due is not None:
        due_at = calendar.end_of_day(due)
        if due <= received:
            errors["due"] = ["Hạn trả lời phải sau ngày gửi."]
        elif limit_at is not None and due_at > limit_at and not is_approver(sender, org, received):
            errors["due"] = [
                f"Quy chế cho tối đa {days} ngày làm việc (đến hết ngày {limit_at:%d/%m/%Y}); thời hạn dài hơn "
                "phải được Chánh Văn phòng đồng ý (000 Điều 16.3)."
            ]
    elif days is None:
        errors["due"] = ["Quy chế không quy định số ngày trả lời phối hợp: người gửi phải nhập hạn trả lời."]
    stored: list[tuple[UploadedFile, tuple[str, str, int]]] = []
    from documents.services.files import check_upload

    for upload in files or []:
        try:
            stored.append((upload, check_upload(upload)))
        except ValidationError as exc:
            errors.setdefault("files", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    main = sender.main_post
    req = CoordinationRequest.objects.create(
        organisation=org,
        kind=kind,
        subject=subject[:500],
        body=body or "",
        sender=sender,
        sender_unit=main.unit if main else None,
        complex=complex_matter,
    )
    for upload, (content_type, sha, size) in stored:
        cf = CoordinationFile(
            request=req, original_name=upload.name[:255], content_type=content_type, sha256=sha, size=size,
            uploaded_by=sender,
        )  # fmt: skip
        cf.file.save(upload.name, upload, save=True)
    source = SOURCE_INTERNAL if kind == CoordinationKind.INTERNAL else SOURCE_REPLY
    note = (
        f"{days} ngày làm việc kể từ ngày nhận {received:%d/%m/%Y}"
        + (" (vấn đề phức tạp)" if complex_matter and kind == CoordinationKind.COORDINATION else "")
        if due is None
        else f"hạn do người gửi đặt: hết ngày {due:%d/%m/%Y}"
    )
    for staff, unit in targets:
        recipient = CoordinationRecipient.objects.create(
            request=req, staff=staff, unit=unit, received_at=now, due_at=due_at
        )
        deadlines.open_deadline(
            recipient,
            kind=DEADLINE_KIND[kind],
            title=f"Trả lời xin ý kiến: {req.subject}",
            assignee=staff,
            unit=unit,
            due_at=due_at,
            source=source,
            url=_url(req),
            escalate_to=sender if kind == CoordinationKind.COORDINATION else None,
            note=note,
        )
        notify(
            staff,
            key=f"coordination:{req.pk}:to:{staff.pk}",
            kind="assignment",
            title=f"Xin ý kiến phối hợp (hạn {timezone.localtime(due_at):%d/%m/%Y}): {req.subject}",
            body=f"{sender.full_name} xin ý kiến. {note}.",
            url=_url(req),
        )
    return req


# --------------------------------------------------------------------------- visibility


def visible_requests(staff: Staff) -> QuerySet[CoordinationRequest]:
    """Sender, people asked (and whoever acts for them today), and the office leaders."""
    qs = CoordinationRequest.objects.filter(organisation=staff.organisation)
    if any(p.position in OFFICE_LEADER_POSITIONS for p in staff.posts.all()):
        return qs
    people = [staff.pk, *[p.pk for p in delegation.principals_of(staff, timezone.localdate())]]
    return qs.filter(Q(sender_id__in=people) | Q(recipients__staff_id__in=people)).distinct()


def get_visible(staff: Staff, pk: int) -> CoordinationRequest:
    from django.http import Http404

    req = visible_requests(staff).filter(pk=pk).select_related("sender", "sender_unit").first()
    if req is None:
        raise Http404("Không tìm thấy phiếu xin ý kiến.")
    return req


def my_recipient(staff: Staff, req: CoordinationRequest) -> CoordinationRecipient | None:
    """The recipient row this person answers for: their own, or one of someone they act for today."""
    rows = list(req.recipients.select_related("staff"))
    mine = next((r for r in rows if r.staff_id == staff.pk), None)
    if mine is not None:
        return mine
    principals = {p.pk for p in delegation.principals_of(staff, timezone.localdate())}
    return next((r for r in rows if r.staff_id in principals and r.state == RecipientState.PENDING), None)


def attach_rule_notes(recipients: list[CoordinationRecipient]) -> None:
    """Set `rule_note` on each recipient: how its due date was counted and the rule it comes from.

    Issue 5: the reading of the rule is shown to the user beside the due date (the note and
    source of the recipient's latest deadline, e.g. «2 ngày làm việc kể từ ngày nhận 10/03/2026»
    or the approved extension). One query for the whole list.
    """
    if not recipients:
        return
    ct = ContentType.objects.get_for_model(CoordinationRecipient)
    latest: dict[int, Deadline] = {}
    rows = Deadline.objects.filter(target_type=ct, target_id__in=[r.pk for r in recipients]).only(
        "target_id", "note", "source"
    )
    for deadline in rows.order_by("pk"):
        latest[deadline.target_id] = deadline
    for recipient in recipients:
        deadline = latest.get(recipient.pk)
        recipient.rule_note = deadline.note if deadline else ""
        recipient.rule_source = deadline.source if deadline else ""


# --------------------------------------------------------------------------- answers


@transaction.atomic
def reply(
    staff: Staff,
    req: CoordinationRequest,
    *,
    agree: bool | None,
    opinion: str = "",
    view_competence: str = "",
    view_merit: str = "",
    view_prior_directions: str = "",
    proposal: str = "",
    now: dt.datetime | None = None,
) -> CoordinationRecipient:
    """The written answer (000 Điều 16.3) with the parts of 000 Điều 14.5."""
    req = CoordinationRequest.objects.select_for_update().get(pk=req.pk)
    recipient = my_recipient(staff, req)
    if recipient is None:
        raise PermissionDenied("Bạn không được xin ý kiến trong phiếu này.")
    if not req.is_open:
        raise Conflict("Phiếu xin ý kiến đã kết thúc, không nhận thêm ý kiến.")
    if recipient.state == RecipientState.ANSWERED:
        raise Conflict("Ý kiến đã được gửi; không gửi lại.")
    texts = {
        "view_competence": (view_competence or "").strip(),
        "view_merit": (view_merit or "").strip(),
        "view_prior_directions": (view_prior_directions or "").strip(),
        "proposal": (proposal or "").strip(),
        "opinion": (opinion or "").strip(),
    }
    errors: dict[str, list[str]] = {}
    if not any(texts.values()):
        errors["opinion"] = ["Nhập ý kiến tham gia (thẩm quyền, sự cần thiết, liên hệ chỉ đạo trước, đề xuất)."]
    if agree is None:
        errors["agree"] = ["Chọn đồng ý hoặc không đồng ý."]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    for name, value in texts.items():
        setattr(recipient, name, value)
    recipient.agree = agree
    recipient.state = RecipientState.ANSWERED
    recipient.replied_at = now
    recipient.replied_by = staff
    recipient.save()
    deadlines.complete_deadlines(recipient, at=now)
    late = " (quá hạn)" if recipient.replied_late else ""
    notify(
        req.sender,
        key=f"coordination:{req.pk}:reply:{recipient.pk}",
        kind="info",
        title=f"{recipient.staff.full_name} đã trả lời{late}: {req.subject}",
        body=f"{'Đồng ý' if agree else 'Không đồng ý'}. {texts['proposal'] or texts['opinion']}",
        url=_url(req),
    )
    return recipient


@transaction.atomic
def ask_information(staff: Staff, req: CoordinationRequest, text: str) -> CoordinationNote:
    """000 Điều 14.4: a coordinator's request for more information goes to the lead, who asks the agency."""
    recipient = my_recipient(staff, req)
    if recipient is None:
        raise PermissionDenied("Chỉ người được xin ý kiến mới đề nghị bổ sung thông tin.")
    if not req.is_open:
        raise Conflict("Phiếu xin ý kiến đã kết thúc.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Nhập nội dung cần làm rõ."]})
    note = CoordinationNote.objects.create(request=req, author=staff, text=text)
    notify(
        req.sender,
        key=f"coordination:{req.pk}:note:{note.pk}",
        kind="info",
        title=f"{staff.full_name} đề nghị làm rõ thêm: {req.subject}",
        body=text,
        url=_url(req),
    )
    return note


@transaction.atomic
def close_request(staff: Staff, req: CoordinationRequest, now: dt.datetime | None = None) -> CoordinationRequest:
    req = CoordinationRequest.objects.select_for_update().get(pk=req.pk)
    if req.sender_id != staff.pk:
        raise PermissionDenied("Chỉ người gửi được kết thúc phiếu xin ý kiến.")
    if not req.is_open:
        raise Conflict("Phiếu xin ý kiến đã kết thúc.")
    req.state = CoordinationState.CLOSED
    req.closed_at = now or timezone.now()
    req.save(update_fields=["state", "closed_at"])
    for recipient in req.recipients.filter(state=RecipientState.PENDING):
        deadlines.cancel_deadlines(recipient)
    return req


def reply_limits(org) -> dict[str, int | None]:
    """The profile's reply limits in working days (000 Điều 16.3, 17.2), None where the regulation sets none."""
    return {
        "normal": org.rule("coordination.reply_working_days"),
        "complex": org.rule("coordination.reply_working_days_complex"),
        "internal": org.rule("internal_requests.answer_working_days"),
    }


# --------------------------------------------------------------------------- handover


def _recipient_type_id() -> int:
    return ContentType.objects.get_for_model(CoordinationRecipient).pk


def _move_replies(giver: Staff, receiver: Staff, by: Staff, reason: str, only: list[int] | None, ref: str) -> list[int]:
    rows = CoordinationRecipient.objects.filter(
        staff=giver, state=RecipientState.PENDING, request__state=CoordinationState.OPEN
    )
    if only is not None:
        rows = rows.filter(pk__in=only)
    moved: list[int] = []
    for recipient in rows.select_related("request__sender").select_for_update(of=("self",)).order_by("pk"):
        req = recipient.request
        if req.sender_id == receiver.pk or req.recipients.filter(staff=receiver).exists():
            continue  # nobody answers their own request; one answer a person (uniq_coordination_recipient)
        recipient.staff = receiver
        recipient._change_reason = reason[:100]  # the names are in the history rows themselves
        recipient._history_user = by.user
        recipient.save(update_fields=["staff"])
        deadlines.reassign_deadlines(giver, receiver, target=recipient)
        notify(
            receiver,
            key=f"coordination:{req.pk}:to:{receiver.pk}:moved:{recipient.pk}:{ref}",
            kind="assignment",
            title=f"Xin ý kiến phối hợp (hạn {timezone.localtime(recipient.due_at):%d/%m/%Y}): {req.subject}",
            body=f"Chuyển từ {giver.full_name} sang {receiver.full_name}: {reason}.",
            url=_url(req),
        )
        notify(
            req.sender,
            key=f"coordination:{req.pk}:moved:{recipient.pk}:to:{receiver.pk}:{ref}",
            kind="info",
            title=f"{receiver.full_name} trả lời thay {giver.full_name}: {req.subject}",
            body=reason,
            url=_url(req),
        )
        moved.append(recipient.pk)
    return moved


def reply_moves(req: CoordinationRequest) -> dict[int, list[Move]]:
    """Recipient id → the handovers of that request, oldest first (who held it before, and why)."""
    return moves_in_history(CoordinationRecipient.history.filter(request_id=req.pk), "staff_id")


@transaction.atomic
def move_open_replies(giver: Staff, receiver: Staff, *, by: Staff, reason: str, ref: str = "") -> list[list[int]]:
    """Handover (000 Điều 11.8, L166–L167; issue 6 §4): the giver's unanswered requests on open
    coordination sheets go to the receiver, with their due date unchanged (000 Điều 16.3 counts from
    receipt by the unit). The recipient row's history keeps who moved it and why; the sender is told
    who now answers. Answers already given stay with who gave them. Returns [[content_type_id, id], ...]."""
    ct = _recipient_type_id()
    return [[ct, pk] for pk in _move_replies(giver, receiver, by, reason, None, ref)]


@transaction.atomic
def move_replies_back(
    targets: list[list[int]], from_staff: Staff, to_staff: Staff, *, by: Staff, reason: str, ref: str = ""
) -> list[list[int]]:
    """On return: the moved requests still unanswered go back; other apps' targets are ignored."""
    ct = _recipient_type_id()
    only = [obj_id for ct_id, obj_id in targets if ct_id == ct]
    return [[ct, pk] for pk in _move_replies(from_staff, to_staff, by, reason, only, ref)]


# --------------------------------------------------------------------------- extensions


def _recipient_deadline(recipient: CoordinationRecipient) -> Deadline | None:
    return deadlines.deadlines_of(recipient).first()


@transaction.atomic
def request_extension(
    staff: Staff, req: CoordinationRequest, *, until: dt.date | None, reason: str
) -> DeadlineExtension:
    """Ask for more time; it takes effect only once approved by who the rule names (000 Điều 16.3)."""
    recipient = my_recipient(staff, req)
    if recipient is None:
        raise PermissionDenied("Bạn không được xin ý kiến trong phiếu này.")
    if not req.is_open or recipient.state != RecipientState.PENDING:
        raise Conflict("Phiếu đã kết thúc hoặc bạn đã trả lời; không cần gia hạn.")
    errors: dict[str, list[str]] = {}
    current = timezone.localtime(recipient.due_at).date()
    if until is None:
        errors["until"] = ["Nhập ngày xin gia hạn đến."]
    elif until <= current:
        errors["until"] = [f"Ngày gia hạn phải sau hạn hiện tại ({current:%d/%m/%Y})."]
    if not (reason or "").strip():
        errors["reason"] = ["Nêu lý do xin gia hạn."]
    if errors:
        raise ValidationError(errors)
    deadline = _recipient_deadline(recipient)
    if deadline is None:
        raise Conflict("Không còn thời hạn đang mở để gia hạn.")
    if deadline.extensions.filter(state=ExtensionState.REQUESTED).exists():
        raise Conflict("Đã có đề nghị gia hạn đang chờ duyệt.")
    ext = DeadlineExtension.objects.create(deadline=deadline, until=until, reason=reason.strip()[:500],
                                           requested_by=staff)  # fmt: skip
    for approver in approvers(req.organisation):
        notify(
            approver,
            key=f"extension:{ext.pk}:ask:{approver.pk}",
            kind="assignment",
            title=f"Xin gia hạn trả lời đến {until:%d/%m/%Y}: {req.subject}",
            body=f"{staff.full_name}: {ext.reason}",
            url=_url(req),
        )
    return ext


@transaction.atomic
def decide_extension(
    approver: Staff, ext: DeadlineExtension, *, approve: bool, now: dt.datetime | None = None
) -> DeadlineExtension:
    ext = DeadlineExtension.objects.select_for_update().select_related("deadline").get(pk=ext.pk)
    deadline = ext.deadline
    recipient = CoordinationRecipient.objects.select_related("request").get(pk=deadline.target_id)
    req = recipient.request
    if not is_approver(approver, req.organisation):
        raise PermissionDenied("Chỉ Chánh Văn phòng (hoặc người được ủy quyền) được đồng ý gia hạn (000 Điều 16.3).")
    if ext.state != ExtensionState.REQUESTED:
        raise Conflict("Đề nghị gia hạn này đã được quyết định.")
    if not req.is_open or not deadline.is_open:
        raise Conflict("Phiếu đã kết thúc hoặc ý kiến đã được gửi; không còn gì để gia hạn.")
    now = now or timezone.now()
    ext.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    ext.decided_by = approver
    ext.decided_at = now
    ext.previous_due_at = deadline.due_at
    ext.save()
    if approve:
        new_due = calendar.end_of_day(ext.until)
        deadline.due_at = new_due
        deadline.state = DeadlineState.EXTENDED
        deadline.note = f"gia hạn đến hết ngày {ext.until:%d/%m/%Y}, {approver.full_name} đồng ý"
        deadline.save(update_fields=["due_at", "state", "note"])
        recipient.due_at = new_due
        recipient.save(update_fields=["due_at"])
    verdict = "được đồng ý" if approve else "không được đồng ý"
    for person in {ext.requested_by_id: ext.requested_by, req.sender_id: req.sender}.values():
        notify(
            person,
            key=f"extension:{ext.pk}:decided:{person.pk}",
            kind="info",
            title=f"Gia hạn đến {ext.until:%d/%m/%Y} {verdict}: {req.subject}",
            url=_url(req),
        )
    return ext


def pending_extensions(req: CoordinationRequest) -> QuerySet[DeadlineExtension]:
    ids = list(req.recipients.values_list("pk", flat=True))
    return (
        DeadlineExtension.objects.filter(
            deadline__target_type__model="coordinationrecipient",
            deadline__target_type__app_label="workflow",
            deadline__target_id__in=ids,
        )
        .select_related("requested_by", "decided_by", "deadline")
        .order_by("-requested_at")
    )
