"""Handover  # bàn giao hồ sơ, tài liệu, tài sản và công việc.

000 Điều 11.8 (seed 000_9dcdc65ad8a32fbc.txt L166–L167): before retiring, transferring, going on a
trip or on long study, a person hands the files, documents and assets they manage to the unit head
or their replacement, «dưới sự giám sát của đại diện Bộ phận Lưu trữ cơ quan và Phòng Quản trị - Tài
vụ» (witnesses: profile rules.handover.witness_units); after a temporary handover, on return, they
take the work back. 000 Điều 39 (L408): a trip of 2 days or more needs a handover sheet.

The receiver confirms; on confirmation ALL the giver's open work moves to the receiver (issue 6 §4),
each kind through the service of the app that owns it: open steps on incoming documents and open
phiếu trình seats (documents.services.reassignment), unanswered coordination requests
(workflow.services.coordination.move_open_replies) and open deadlines (workflow.services.deadlines).
What is still open moves back when the giver takes the work back on return; work done stays with
whoever did it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents.services import reassignment
from office.models import Staff, Unit
from personnel.models import Handover, HandoverReason, HandoverState
from personnel.services import common
from workflow.models import OPEN_STATES, Deadline
from workflow.services import coordination, deadlines
from workflow.services.notifications import notify

SOURCE = "Quy chế 282/QĐ-VP, Điều 11 khoản 8"
ITEM_KINDS = {
    "cong_viec": "Công việc",
    "ho_so": "Hồ sơ",
    "tai_lieu": "Tài liệu",
    "tai_san": "Tài sản",
}
#: Items that need the witnesses of 000 Điều 11.8 (files, documents, assets — not a list of work).
WITNESSED_KINDS = {"ho_so", "tai_lieu", "tai_san"}
WITNESSED_REASONS = {HandoverReason.RETIRE, HandoverReason.TRANSFER, HandoverReason.TRIP, HandoverReason.STUDY}


def clean_items(items) -> list[dict]:
    """[{"kind": "ho_so", "description": "..."}] or plain strings (work items)."""
    cleaned: list[dict] = []
    for item in items or []:
        if isinstance(item, str):
            item = {"kind": "cong_viec", "description": item}
        if not isinstance(item, dict):
            raise ValidationError({"items": ["Danh mục bàn giao không hợp lệ."]})
        kind = item.get("kind") or "cong_viec"
        description = str(item.get("description", "")).strip()
        if kind not in ITEM_KINDS:
            raise ValidationError({"items": [f"Loại mục bàn giao «{kind}» không hợp lệ."]})
        if description:
            cleaned.append({"kind": kind, "description": description[:500]})
    return cleaned


def witness_units(giver: Staff) -> list[Unit]:
    codes = giver.organisation.rule("handover.witness_units", []) or []
    return list(Unit.objects.filter(organisation_id=giver.organisation_id, code__in=codes).order_by("order"))


def _check_witnesses(giver: Staff, reason: str, items: list[dict], witnesses: list[Staff]) -> None:
    if reason not in WITNESSED_REASONS or not any(i["kind"] in WITNESSED_KINDS for i in items):
        return
    missing = []
    for unit in witness_units(giver):
        if not any(any(p.unit_id == unit.pk for p in w.posts.all()) for w in witnesses):
            missing.append(unit.name)
    if missing:
        raise ValidationError(
            {
                "witnesses": [
                    f"Bàn giao hồ sơ, tài liệu, tài sản phải có đại diện giám sát của: {', '.join(missing)} ({SOURCE})."
                ]
            }
        )


@transaction.atomic
def create_handover(
    *,
    giver: Staff,
    receiver: Staff | None,
    reason: str,
    items=None,
    note: str = "",
    witnesses: list[Staff] | None = None,
    by: AbstractBaseUser | None = None,
    notify_receiver: bool = True,
) -> Handover:
    if reason not in HandoverReason.values:
        raise ValidationError({"reason": ["Lý do bàn giao không hợp lệ."]})
    if receiver is None:
        raise ValidationError({"receiver": ["Phải chọn người nhận bàn giao."]})
    if receiver.pk == giver.pk:
        raise ValidationError({"receiver": ["Không thể bàn giao cho chính mình."]})
    if receiver.organisation_id != giver.organisation_id or not receiver.is_active:
        raise ValidationError({"receiver": ["Người nhận bàn giao phải là cán bộ đang công tác tại cơ quan."]})
    cleaned = clean_items(items)
    witnesses = list(witnesses or [])
    if any(w.pk in (giver.pk, receiver.pk) for w in witnesses):
        raise ValidationError({"witnesses": ["Người giám sát không được là người giao hoặc người nhận."]})
    _check_witnesses(giver, reason, cleaned, witnesses)
    handover = Handover.objects.create(
        organisation=giver.organisation,
        giver=giver,
        receiver=receiver,
        reason=reason,
        items=cleaned,
        note=note,
        created_by=by,
    )
    if witnesses:
        handover.witnesses.set(witnesses)
    if notify_receiver:
        notify(
            receiver,
            key=f"handover:{handover.pk}:confirm",
            kind="assignment",
            title=f"{giver.full_name} bàn giao công việc cho bạn: chờ xác nhận",
            body=handover.get_reason_display(),
            url=reverse("personnel:handover_detail", args=[handover.pk]),
        )
    return handover


def _open_targets(staff: Staff) -> list[list[int]]:
    pairs = (
        Deadline.objects.filter(assignee=staff, state__in=OPEN_STATES)
        .values_list("target_type_id", "target_id")
        .distinct()
    )
    return [[ct, pk] for ct, pk in pairs]


def _move_deadlines_back(pairs: list[list[int]], from_staff: Staff, to_staff: Staff) -> int:
    moved = 0
    for ct_id, obj_id in pairs:
        model = ContentType.objects.get_for_id(ct_id).model_class()
        target = model.objects.filter(pk=obj_id).first() if model else None
        if target is not None:
            moved += deadlines.reassign_deadlines(from_staff, to_staff, target=target)
    return moved


@transaction.atomic
def confirm(handover: Handover, *, me: Staff) -> Handover:
    """The receiver confirms: the giver's open work moves to them (back to the giver, for a return).

    000 Điều 11.8 (L166–L167), issue 6 §4: every kind of open work moves through the service of the
    app that owns it — incoming-document steps and phiếu trình seats (documents.services.reassignment),
    unanswered coordination requests (workflow.services.coordination), open deadlines
    (workflow.services.deadlines). On a return only what was moved and is still open goes back."""
    handover = Handover.objects.select_for_update(of=("self",)).select_related("giver", "receiver").get(pk=handover.pk)
    if me.pk != handover.receiver_id:
        raise PermissionDenied("Chỉ người nhận bàn giao xác nhận phiếu bàn giao.")
    if handover.state != HandoverState.DRAFT:
        raise common.StateConflict(f"Phiếu bàn giao đã {handover.get_state_display().lower()}.")
    giver, receiver = handover.giver, handover.receiver
    reason = f"Bàn giao công việc — {handover.get_reason_display().lower()} ({SOURCE})"
    ref = f"handover:{handover.pk}"
    if handover.returns_id:
        pairs = handover.returns.moved_targets
        docs = reassignment.move_back(pairs, giver, receiver, by=me, reason=reason, ref=ref)
        replies = coordination.move_replies_back(pairs, giver, receiver, by=me, reason=reason, ref=ref)
        _move_deadlines_back(pairs, giver, receiver)
        handover.moved_targets = docs.targets() + replies
    else:
        targets = _open_targets(giver)
        docs = reassignment.move_open_work(giver, receiver, by=me, reason=reason, ref=ref)
        replies = coordination.move_open_replies(giver, receiver, by=me, reason=reason, ref=ref)
        deadlines.reassign_deadlines(giver, receiver)
        handover.moved_targets = targets + [t for t in docs.targets() + replies if t not in targets]
    handover.state, handover.confirmed_at = HandoverState.CONFIRMED, timezone.now()
    handover.save(update_fields=["state", "confirmed_at", "moved_targets"])
    return handover


@transaction.atomic
def take_back(handover: Handover, *, me: Staff, by: AbstractBaseUser | None = None) -> Handover:
    """000 L167: on return, the person takes back the work handed over (a return sheet, confirmed by them)."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if me.pk != handover.giver_id:
        raise PermissionDenied("Chỉ người đã bàn giao mới tiếp nhận lại công việc.")
    if handover.state != HandoverState.CONFIRMED:
        raise common.StateConflict("Phiếu bàn giao chưa được xác nhận nên không có công việc để tiếp nhận lại.")
    if handover.returned_by.exists():
        raise common.StateConflict("Công việc của phiếu bàn giao này đã được tiếp nhận lại.")
    back = Handover.objects.create(
        organisation=handover.organisation,
        giver=handover.receiver,
        receiver=handover.giver,
        reason=HandoverReason.RETURN,
        items=handover.items,
        note="Tiếp nhận lại công việc đã bàn giao.",
        returns=handover,
        created_by=by,
    )
    return confirm(back, me=me)


@transaction.atomic
def cancel(handover: Handover, *, me: Staff) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if me.pk != handover.giver_id:
        raise PermissionDenied("Chỉ người lập phiếu bàn giao được hủy phiếu.")
    if handover.state != HandoverState.DRAFT:
        raise common.StateConflict("Chỉ hủy được phiếu bàn giao chưa xác nhận.")
    handover.state = HandoverState.CANCELLED
    handover.save(update_fields=["state"])
    return handover
