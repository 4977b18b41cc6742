"""Reassignment  # chuyển công việc đang mở của một người sang người khác (bàn giao) và trả lại.

000 Điều 11.8 (seed 000_9dcdc65ad8a32fbc.txt L166–L167): a person leaving (retiring, transferring, on a
trip, on long study) hands the work they manage to the receiver; on return they take it back. Issue 6
§4: «the work assigned to the person moves to the receiver». This module owns the documents app's share
of that work:

- open steps on incoming documents (Assignment, state open): the receiver becomes the holder, is named
  on the document (visibility.grant) and the document's log records who moved it and why;
- open phiếu trình seats (Opinion without a decision, on the open step of a sheet in progress): the
  receiver takes the seat, so the sheet is in their «Chờ tôi duyệt» and they decide it as any holder does.
  The seat's own history (simple_history: who, when, reason) keeps the giver's name; every opinion
  already given stays with whoever gave it. The receiver is notified as when a step opens
  (submissions._open).

Work already done never moves. A seat is left with the giver when the receiver is the sheet's drafter
(nobody decides on their own proposal, 000 Điều 11.6 read with submissions.validate_route) or already
holds a seat on the same step (one person, one opinion per step).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from documents.models import Assignment, AssignmentState, Opinion, SubmissionStatus
from documents.services import routing, visibility
from office.models import Staff
from office.services.moves import Move, moves_in_history
from workflow.services.notifications import notify


@dataclass
class MovedWork:
    """What moved (primary keys), and the seats left with the giver (see module docstring)."""

    steps: list[int] = field(default_factory=list)  # documents.Assignment
    seats: list[int] = field(default_factory=list)  # documents.Opinion
    kept_seats: list[int] = field(default_factory=list)

    def targets(self) -> list[list[int]]:
        """[[content_type_id, object_id], ...] — the form personnel.Handover.moved_targets keeps."""
        out: list[list[int]] = []
        if self.steps:
            ct = ContentType.objects.get_for_model(Assignment).pk
            out += [[ct, pk] for pk in self.steps]
        if self.seats:
            ct = ContentType.objects.get_for_model(Opinion).pk
            out += [[ct, pk] for pk in self.seats]
        return out

    @property
    def count(self) -> int:
        return len(self.steps) + len(self.seats)


def _ids_of(model, targets: list[list[int]] | None) -> list[int] | None:
    if targets is None:
        return None
    ct = ContentType.objects.get_for_model(model).pk
    return [obj_id for ct_id, obj_id in targets if ct_id == ct]


def _move_steps(giver: Staff, receiver: Staff, by: Staff, reason: str, only: list[int] | None) -> list[int]:
    steps = Assignment.objects.filter(holder=giver, state=AssignmentState.OPEN)
    if only is not None:
        steps = steps.filter(pk__in=only)
    moved: list[int] = []
    for step in steps.select_related("document").select_for_update(of=("self",)).order_by("pk"):
        step.holder = receiver
        step.save(update_fields=["holder"])
        visibility.grant(step.document, receiver)
        routing.log(step.document, by, "handover", f"Chuyển từ {giver.full_name} sang {receiver.full_name}: {reason}.")
        moved.append(step.pk)
    return moved


def _move_seats(
    giver: Staff, receiver: Staff, by: Staff, reason: str, only: list[int] | None, ref: str
) -> tuple[list[int], list[int]]:
    seats = Opinion.objects.filter(
        holder=giver, decision="", step__state="open", step__submission__status=SubmissionStatus.IN_PROGRESS
    )
    if only is not None:
        seats = seats.filter(pk__in=only)
    moved: list[int] = []
    kept: list[int] = []
    for seat in seats.select_related("step__submission__incoming").select_for_update(of=("self",)).order_by("pk"):
        step, sub = seat.step, seat.step.submission
        if sub.drafter_id == receiver.pk or step.opinions.filter(holder=receiver).exists():
            kept.append(seat.pk)
            continue
        seat.holder = receiver
        seat._change_reason = reason[:100]  # the names are in the history rows themselves
        seat._history_user = by.user
        seat.save(update_fields=["holder"])
        if sub.incoming_id:
            visibility.grant(sub.incoming, receiver)  # the incoming document the sheet answers
        notify(
            receiver,
            key=f"submission:{sub.pk}:step:{step.pk}:seat:{seat.pk}:to:{receiver.pk}:{ref}",
            kind="assignment",
            title=f"Phiếu trình chờ ý kiến: {sub.title}",
            body=f"Chuyển từ {giver.full_name} sang {receiver.full_name}: {reason}.",
            url=f"/van-ban/trinh/{sub.pk}/",
        )
        moved.append(seat.pk)
    return moved, kept


@transaction.atomic
def move_open_work(giver: Staff, receiver: Staff, *, by: Staff, reason: str, ref: str = "") -> MovedWork:
    """Move the giver's open incoming-document steps and open phiếu trình seats to the receiver
    (000 Điều 11.8, L166). `by` is who moves it (recorded), `reason` says why, `ref` makes the
    receiver's notifications unique to this move (e.g. "handover:12")."""
    steps = _move_steps(giver, receiver, by, reason, None)
    seats, kept = _move_seats(giver, receiver, by, reason, None, ref)
    return MovedWork(steps=steps, seats=seats, kept_seats=kept)


@transaction.atomic
def move_back(
    targets: list[list[int]], from_staff: Staff, to_staff: Staff, *, by: Staff, reason: str, ref: str = ""
) -> MovedWork:
    """On return (000 Điều 11.8, L167): what `move_open_work` moved and is still open and still held by
    `from_staff` goes back to `to_staff`. Work the receiver finished stays theirs. `targets` are
    [[content_type_id, object_id], ...]; other apps' targets are ignored."""
    steps = _move_steps(from_staff, to_staff, by, reason, _ids_of(Assignment, targets))
    seats, kept = _move_seats(from_staff, to_staff, by, reason, _ids_of(Opinion, targets), ref)
    return MovedWork(steps=steps, seats=seats, kept_seats=kept)


def seat_moves(submission_id: int) -> dict[int, list[Move]]:
    """Opinion id → the handovers of that seat, oldest first: the sheet page shows who held a seat
    before it moved and why (office.services.moves)."""
    return moves_in_history(Opinion.history.filter(step__submission_id=submission_id), "holder_id")
