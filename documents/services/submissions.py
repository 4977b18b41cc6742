"""Approval sheets  # hồ sơ trình, phiếu trình: a specialist's proposal up the route, every opinion kept.

Rules (seed 000_9dcdc65ad8a32fbc.txt, Quy chế 282/QĐ-VP; ../shared/spec/seed-000-requirements.md W1):
- Điều 11.6 (L164): office leaders handle a specialist's proposal only after the unit head (or
  the deputy when the head is away) has given an opinion → a specialist's route starts with
  the head of their unit, before any office leader.
- Điều 6.3 (L86): a Phó Chánh who approves without writing an opinion is recorded as agreeing
  with the specialist's proposal, and the sheet says so (profile: submissions.empty_opinion_means_agree).
- Điều 10.5: a specialist cannot send a matter to the principal before the office leaders' opinion.
- Điều 12.3, 16.6: remaining disagreements are recorded on the sheet; a reserved opinion
  (bảo lưu ý kiến) is kept.
- A return for revision starts a new round with a new draft version; earlier versions and
  opinions stay readable. A step may need all, any one, or M of N opinions (peers.md §A.3).
Whoever acts for a holder that day (office.services.delegation) may decide for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from config.api import Conflict
from documents.models import (
    DocumentType,
    IncomingDocument,
    Opinion,
    StepKind,
    StepMode,
    Submission,
    SubmissionStatus,
    SubmissionStep,
)
from documents.services import outgoing as outgoing_service
from office.models import Position, Post, Principal, Staff, Supervision, Unit
from office.services.delegation import represented
from workflow.services.notifications import notify

IMPLIED_AGREEMENT = "Đồng ý với đề xuất của chuyên viên (không ghi ý kiến — Quy chế, Điều 6 khoản 3)"
LEADER_KINDS = (StepKind.OFFICE_LEADER, StepKind.CHANH)


@dataclass
class StepSpec:
    kind: str
    holders: list[Staff]
    mode: str = StepMode.ALL
    required: int = 1
    labels: list[str] = field(default_factory=list)


def _positions(staff: Staff) -> set[str]:
    return {p.position for p in staff.posts.all()}


def _head_of(unit: Unit) -> Staff | None:
    for position in (Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG):
        post = Post.objects.filter(unit=unit, position=position, staff__is_active=True).select_related("staff").first()
        if post:
            return post.staff
    return None


def _chanh(org_id: int) -> Staff | None:
    post = (
        Post.objects.filter(staff__organisation_id=org_id, position=Position.CHANH_VP).select_related("staff").first()
    )
    return post.staff if post else None


def _supervisor(unit: Unit, sector_id: int | None) -> Staff | None:
    sup = Supervision.objects.filter(unit=unit).select_related("supervisor").first()
    if sup is None and sector_id:
        sup = Supervision.objects.filter(sector_id=sector_id).select_related("supervisor").first()
    return sup.supervisor if sup else None


def default_route(
    drafter: Staff,
    unit: Unit,
    *,
    sector_id: int | None = None,
    coordinating: list[Unit] = (),
    principal: Principal | None = None,
) -> list[StepSpec]:
    """specialist → head of unit → (heads of coordinating units, all of them) → supervising Phó Chánh → Chánh
    → (when the matter goes up) the principal: Chủ tịch / Phó Chủ tịch, Bí thư / Phó Bí thư (000 W1.10)."""
    steps: list[StepSpec] = []
    positions = _positions(drafter)
    head = _head_of(unit)
    if head is not None and head.pk != drafter.pk and not positions & {Position.TRUONG_PHONG}:
        steps.append(StepSpec(StepKind.UNIT_HEAD, [head]))
    heads = [h for h in (_head_of(u) for u in coordinating if u.pk != unit.pk) if h is not None]
    if heads:
        steps.append(StepSpec(StepKind.COORDINATION, heads, StepMode.ALL, len(heads)))
    supervisor = _supervisor(unit, sector_id)
    if supervisor is not None and supervisor.pk != drafter.pk:
        steps.append(StepSpec(StepKind.OFFICE_LEADER, [supervisor]))
    chanh = _chanh(drafter.organisation_id)
    if chanh is not None and chanh.pk != drafter.pk:
        steps.append(StepSpec(StepKind.CHANH, [chanh]))
    if principal is not None:
        steps.append(StepSpec(StepKind.PRINCIPAL, [principal.staff]))
    return steps


def route_from_people(drafter: Staff, unit: Unit, people: list[Staff]) -> list[StepSpec]:
    """An explicit route (one person a step), each step's kind read from the person's post."""
    steps = []
    principals = set(Principal.objects.filter(staff__in=people).values_list("staff_id", flat=True))
    for person in people:
        posts = list(person.posts.all())
        positions = {p.position for p in posts}
        if person.pk in principals:
            kind = StepKind.PRINCIPAL
        elif Position.CHANH_VP in positions:
            kind = StepKind.CHANH
        elif Position.PHO_CHANH_VP in positions:
            kind = StepKind.OFFICE_LEADER
        elif any(
            p.unit_id == unit.pk for p in posts if p.position in (Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG)
        ):
            kind = StepKind.UNIT_HEAD
        else:
            kind = StepKind.COORDINATION
        steps.append(StepSpec(kind, [person]))
    return steps


def validate_route(drafter: Staff, unit: Unit, steps: list[StepSpec]) -> None:
    errors: list[str] = []
    if not steps:
        errors.append("Phiếu trình phải có ít nhất một người duyệt.")
    for spec in steps:
        for holder in spec.holders:
            if holder.organisation_id != drafter.organisation_id:
                errors.append(f"{holder.full_name} không thuộc cơ quan.")
            if holder.pk == drafter.pk:
                errors.append("Không tự trình cho chính mình.")
        if spec.mode == StepMode.M_OF_N and not 1 <= spec.required <= len(spec.holders):
            errors.append("Số ý kiến cần có (M) phải từ 1 đến số người của bước.")
    kinds = [s.kind for s in steps]
    is_specialist = Position.CHUYEN_VIEN in _positions(drafter) and not _positions(drafter) & {
        Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG, Position.CHANH_VP, Position.PHO_CHANH_VP,
    }  # fmt: skip
    first_leader = next((i for i, k in enumerate(kinds) if k in LEADER_KINDS), None)
    if is_specialist and first_leader is not None:
        head_before = any(k == StepKind.UNIT_HEAD for k in kinds[:first_leader])
        if not head_before:
            errors.append(
                "Lãnh đạo Văn phòng chỉ xử lý đề xuất của chuyên viên khi đã có ý kiến của Trưởng đơn vị "
                "(hoặc cấp phó khi Trưởng đơn vị vắng) — Quy chế, Điều 11 khoản 6. Thêm lãnh đạo đơn vị vào trước."
            )
    if StepKind.PRINCIPAL in kinds:
        first_principal = kinds.index(StepKind.PRINCIPAL)
        if first_leader is None or first_leader > first_principal:
            errors.append(
                "Chưa có ý kiến của Lãnh đạo Văn phòng thì không trình lãnh đạo cấp trên (Quy chế, Điều 10.5)."
            )
    if errors:
        raise ValidationError({"route": errors})


def _create_steps(sub: Submission, steps: list[StepSpec]) -> None:
    for order, spec in enumerate(steps, start=1):
        step = SubmissionStep.objects.create(
            submission=sub, round=sub.round, order=order, kind=spec.kind, mode=spec.mode, required=spec.required
        )
        for holder in spec.holders:
            Opinion.objects.create(step=step, holder=holder)


def _open(step: SubmissionStep) -> None:
    step.state = "open"
    step.opened_at = timezone.now()
    step.save(update_fields=["state", "opened_at"])
    sub = step.submission
    for seat in step.opinions.select_related("holder"):
        notify(
            seat.holder,
            key=f"submission:{sub.pk}:step:{step.pk}:seat:{seat.pk}",
            kind="assignment",
            title=f"Phiếu trình chờ ý kiến: {sub.title}",
            url=f"/van-ban/trinh/{sub.pk}/",
        )


def current_step(sub: Submission) -> SubmissionStep | None:
    return sub.steps.filter(round=sub.round, state="open").first()


@transaction.atomic
def submit(
    drafter: Staff,
    *,
    title: str,
    summary: str,
    doc_type: DocumentType | None = None,
    draft: UploadedFile | None = None,
    incoming: IncomingDocument | None = None,
    route: list[Staff] | None = None,
    coordinating: list[Unit] = (),
    unit: Unit | None = None,
    disagreements: str = "",
    principal: Principal | None = None,
) -> Submission:
    """The specialist sends the hồ sơ trình with its phiếu trình; the first step opens. With `principal`
    the sheet goes on, after the office leaders, to the Chủ tịch/Phó Chủ tịch or Bí thư/Phó Bí thư."""
    unit = unit or next((p.unit for p in drafter.posts.all() if p.unit_id), None)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Nhập tiêu đề phiếu trình."]
    if not summary.strip():
        errors["summary"] = ["Nhập tóm tắt nội dung và đề xuất."]
    if unit is None:
        errors["unit"] = ["Người trình chưa thuộc đơn vị nào."]
    if draft is not None and doc_type is None:
        errors["doc_type"] = ["Chọn loại văn bản của dự thảo."]
    if incoming is not None and incoming.organisation_id != drafter.organisation_id:
        errors["incoming"] = ["Văn bản đến không thuộc cơ quan."]
    if principal is not None and (principal.organisation_id != drafter.organisation_id or principal.staff_id is None):
        errors["principal"] = [
            f"{principal.title} chưa có tài khoản trên hệ thống của cơ quan: không thể trình qua hệ thống."
        ]
    if principal is not None and route:
        errors["principal"] = ["Khi tự chọn người duyệt, thêm lãnh đạo cấp trên vào danh sách người duyệt."]
    if errors:
        raise ValidationError(errors)
    steps = (
        route_from_people(drafter, unit, route)
        if route
        else default_route(drafter, unit, coordinating=coordinating, principal=principal)
    )
    validate_route(drafter, unit, steps)
    out = None
    if draft is not None:
        out = outgoing_service.create_draft(
            drafter, doc_type=doc_type, summary=title, drafting_unit=unit, answers=incoming, draft=draft
        )
    sub = Submission.objects.create(
        organisation_id=drafter.organisation_id, title=title.strip(), summary=summary.strip(),
        disagreements=disagreements.strip(), drafter=drafter, unit=unit, incoming=incoming, outgoing=out,
    )  # fmt: skip
    _create_steps(sub, steps)
    _open(sub.steps.get(round=1, order=1))
    return sub


def _seat_for(step: SubmissionStep, actor: Staff) -> Opinion | None:
    seats = list(step.opinions.select_related("holder"))
    own = next((s for s in seats if s.holder_id == actor.pk and not s.decision), None)
    if own:
        return own
    acting = {p.pk for p in represented(actor, timezone.localdate())}
    return next((s for s in seats if s.holder_id in acting and not s.decision), None)


def _complete(step: SubmissionStep) -> bool:
    approvals = sum(1 for s in step.opinions.all() if s.decision == Opinion.Decision.APPROVE)
    total = step.opinions.count()
    need = {StepMode.ALL: total, StepMode.ANY: 1, StepMode.M_OF_N: step.required}[step.mode]
    return approvals >= need


@transaction.atomic
def decide(sub: Submission, actor: Staff, decision: str, opinion: str = "", *, reserved: bool = False) -> Submission:
    """Approve, return or reject the current step, by its holder or whoever acts for them."""
    sub = Submission.objects.select_for_update().get(pk=sub.pk)
    if sub.status != SubmissionStatus.IN_PROGRESS:
        raise Conflict(f"Phiếu trình đang ở trạng thái «{sub.get_status_display()}», không thể cho ý kiến.")
    if decision not in Opinion.Decision.values:
        raise ValidationError({"decision": ["Chọn đồng ý, trả lại hoặc không đồng ý."]})
    step = current_step(sub)
    seat = _seat_for(step, actor) if step else None
    if seat is None:
        raise Conflict("Bước hiện tại của phiếu trình không phải của bạn, hoặc bạn đã cho ý kiến.")
    opinion = opinion.strip()
    if decision != Opinion.Decision.APPROVE and not opinion:
        raise ValidationError({"opinion": ["Ghi rõ lý do trả lại hoặc không đồng ý."]})
    implied = False
    if (
        decision == Opinion.Decision.APPROVE
        and not opinion
        and step.kind == StepKind.OFFICE_LEADER
        and sub.organisation.rule("submissions.empty_opinion_means_agree", False)
    ):
        opinion, implied = IMPLIED_AGREEMENT, True
    seat.decision, seat.opinion, seat.implied, seat.reserved = decision, opinion, implied, reserved
    seat.acted_by, seat.at = actor, timezone.now()
    seat.save()
    now = timezone.now()
    if decision == Opinion.Decision.RETURN:
        step.state, step.closed_at = "returned", now
        step.save(update_fields=["state", "closed_at"])
        sub.status = SubmissionStatus.RETURNED
        sub.save(update_fields=["status"])
        _tell_drafter(sub, f"Phiếu trình bị trả lại: {sub.title}", opinion)
    elif decision == Opinion.Decision.REJECT:
        step.state, step.closed_at = "rejected", now
        step.save(update_fields=["state", "closed_at"])
        sub.status, sub.decided_at = SubmissionStatus.REJECTED, now
        sub.save(update_fields=["status", "decided_at"])
        _tell_drafter(sub, f"Phiếu trình không được duyệt: {sub.title}", opinion)
    elif _complete(step):
        step.state, step.closed_at = "done", now
        step.save(update_fields=["state", "closed_at"])
        nxt = sub.steps.filter(round=sub.round, order=step.order + 1).first()
        if nxt is not None:
            _open(nxt)
        else:
            sub.status, sub.decided_at = SubmissionStatus.APPROVED, now
            sub.save(update_fields=["status", "decided_at"])
            if sub.outgoing_id:
                outgoing_service.approve(sub.outgoing)
            _tell_drafter(sub, f"Phiếu trình đã được duyệt: {sub.title}", opinion)
    return sub


def _tell_drafter(sub: Submission, title: str, body: str) -> None:
    notify(
        sub.drafter,
        key=f"submission:{sub.pk}:round:{sub.round}:{sub.status}",
        kind="info",
        title=title,
        body=body,
        url=f"/van-ban/trinh/{sub.pk}/",
    )


@transaction.atomic
def resubmit(
    sub: Submission, drafter: Staff, *, draft: UploadedFile | None = None, summary: str = "", disagreements: str = ""
) -> Submission:
    """After a return: a new draft version and a new round over the same route."""
    sub = Submission.objects.select_for_update().get(pk=sub.pk)
    if sub.status != SubmissionStatus.RETURNED:
        raise Conflict("Chỉ trình lại phiếu trình đã bị trả lại.")
    if drafter.pk != sub.drafter_id:
        raise Conflict("Chỉ người trình được trình lại.")
    if draft is not None and sub.outgoing_id:
        try:
            outgoing_service.add_version(sub.outgoing, draft, drafter)
        except ValidationError as exc:
            raise ValidationError({"draft": exc.messages}) from exc
    previous = list(sub.steps.filter(round=sub.round).prefetch_related("opinions__holder"))
    sub.round += 1
    sub.status = SubmissionStatus.IN_PROGRESS
    if summary.strip():
        sub.summary = summary.strip()
    if disagreements.strip():
        sub.disagreements = disagreements.strip()
    sub.save()
    _create_steps(sub, [StepSpec(s.kind, [o.holder for o in s.opinions.all()], s.mode, s.required) for s in previous])
    _open(sub.steps.get(round=sub.round, order=1))
    return sub


def visible_submissions(staff: Staff) -> QuerySet[Submission]:
    """The drafter, everyone on the route and whoever acts for them; clerks once approved (to issue)."""
    people = [staff.pk, *(p.pk for p in represented(staff, timezone.localdate()))]
    condition = Q(drafter_id__in=people) | Q(steps__opinions__holder_id__in=people)
    if Position.VAN_THU in _positions(staff):
        condition |= Q(status=SubmissionStatus.APPROVED)
    ids = Submission.objects.filter(organisation_id=staff.organisation_id).filter(condition).values("pk")
    return Submission.objects.filter(pk__in=ids)


def waiting_for(staff: Staff) -> QuerySet[Opinion]:
    """Chờ tôi duyệt: undecided seats of open steps held by the user or those they act for."""
    people = [staff.pk, *(p.pk for p in represented(staff, timezone.localdate()))]
    return (
        Opinion.objects.filter(
            holder_id__in=people, decision="", step__state="open", step__submission__status="in_progress"
        )
        .select_related("step__submission__drafter", "step__submission__unit", "holder")
        .order_by("step__opened_at")
    )
