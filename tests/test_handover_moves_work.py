"""A confirmed handover moves ALL the giver's open work to the receiver, and back on return.

000 Điều 11.8 (seed 000_9dcdc65ad8a32fbc.txt L166–L167); issue 6 §4: «the work assigned to the person
moves to the receiver». Each kind moves through the service of the app that owns it: phiếu trình seats
(documents.services.reassignment), coordination replies (workflow.services.coordination).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from config.api import Conflict
from documents.models import DocumentType, Opinion, StepKind
from documents.services import submissions
from personnel.services import handover
from workflow.models import Deadline, Notification, RecipientState
from workflow.services import coordination

from .incoming_helpers import docx

GIVER, RECEIVER = "ht.tonghop.truong", "ht.tonghop.pho"


def _sheet(person, drafter="ht.tonghop.cv1", title="Dự thảo Quyết định ban hành Quy chế làm việc sửa đổi"):
    return submissions.submit(
        person(drafter), title=title, summary="Đề nghị Chánh Văn phòng ký ban hành Quyết định.",
        doc_type=DocumentType.objects.get(code="quyet_dinh"), draft=docx(),
    )  # fmt: skip


def _ask(person, subject="Dự thảo kế hoạch cải cách hành chính", to=(GIVER, "noichinh")):
    now = timezone.make_aware(dt.datetime(2026, 3, 10, 9))
    return coordination.send_request(person("ht.kinhte.cv1"), subject=subject, to=list(to), now=now)


def _hand_over(person, giver=GIVER, receiver=RECEIVER):
    h = handover.create_handover(giver=person(giver), receiver=person(receiver), reason="study", items=["Công việc"])
    return handover.confirm(h, me=person(receiver))


def _seat(sub, username):
    return Opinion.objects.get(step__submission=sub, step__state="open", holder__user__username=username)


# --------------------------------------------------------------------------- phiếu trình


def test_a_confirmed_handover_gives_the_receiver_the_givers_open_phieu_trinh_seat_to_decide(hatinh, person, api):
    sub = _sheet(person)
    giver, receiver = person(GIVER), person(RECEIVER)
    assert api(RECEIVER).get(f"/api/v1/submissions/{sub.pk}/").status_code == 404
    seat = _seat(sub, GIVER)

    h = _hand_over(person)

    seat.refresh_from_db()
    assert seat.holder == receiver and seat.decision == ""
    assert list(submissions.waiting_for(receiver)) == [seat]
    assert not submissions.waiting_for(giver).exists()
    assert Notification.objects.filter(recipient=receiver, url=f"/van-ban/trinh/{sub.pk}/", kind="assignment").exists()
    # the seat's history keeps the giver, who moved it and why
    moved = seat.history.order_by("-history_id").first()
    assert moved.history_user == receiver.user and "Điều 11 khoản 8" in moved.history_change_reason
    assert moved.prev_record.holder_id == giver.pk
    assert [ContentType.objects.get_for_model(Opinion).pk, seat.pk] in h.moved_targets

    # the receiver opens the sheet and decides it as any holder does; the route goes on
    assert api(RECEIVER).get(f"/api/v1/submissions/{sub.pk}/").status_code == 200
    r = api(RECEIVER).post(f"/api/v1/submissions/{sub.pk}/decide/", {"decision": "approve", "opinion": "Đồng ý trình"})
    assert r.status_code == 200, r.content
    seat.refresh_from_db()
    assert seat.decision == "approve" and seat.acted_by == receiver
    assert submissions.current_step(sub).kind == StepKind.OFFICE_LEADER
    with pytest.raises(Conflict):
        submissions.decide(sub, giver, "approve")


def test_the_sheet_page_shows_who_held_a_seat_before_the_handover_and_why(hatinh, person, login):
    """The move is not only in the stored history: the sheet says «Chuyển từ <giver> sang <receiver>»
    under the seat, with the reason, to the drafter and to the receiver."""
    sub = _sheet(person)
    _hand_over(person)
    giver, receiver = person(GIVER).full_name, person(RECEIVER).full_name
    for username in ("ht.tonghop.cv1", RECEIVER):
        page = login(username).get(f"/van-ban/trinh/{sub.pk}/").content.decode()
        assert f"Chuyển từ {giver} sang {receiver} ngày" in page, username
        assert "Điều 11 khoản 8" in page, username


def test_a_seat_stays_with_the_giver_when_the_receiver_drafted_the_sheet(hatinh, person):
    """Nobody gives the opinion on their own proposal (000 Điều 11.6)."""
    own = _sheet(person, drafter=RECEIVER, title="Phiếu của người nhận bàn giao")
    _hand_over(person)
    assert _seat(own, GIVER).decision == ""
    assert not submissions.waiting_for(person(RECEIVER)).exists()


# --------------------------------------------------------------------------- phối hợp


def test_a_confirmed_handover_moves_unanswered_coordination_requests_to_the_receiver_who_replies(hatinh, person, login):
    req = _ask(person)
    giver, receiver = person(GIVER), person(RECEIVER)

    _hand_over(person)

    row = req.recipients.get(unit__code="tonghop")
    assert row.staff == receiver and row.state == RecipientState.PENDING
    assert Deadline.objects.get(target_id=row.pk, kind="coordination.reply").assignee == receiver
    assert Notification.objects.filter(recipient=receiver, key__startswith=f"coordination:{req.pk}:to:").exists()
    assert Notification.objects.filter(recipient=person("ht.kinhte.cv1"), key__contains=":moved:").exists()
    assert req.subject in login(RECEIVER).get("/cong-viec/phoi-hop/").content.decode()
    with pytest.raises(PermissionDenied):
        coordination.reply(giver, req, agree=True, proposal="Đồng ý")

    done = login(RECEIVER).post(f"/cong-viec/phoi-hop/{req.pk}/tra-loi/", {"agree": "yes", "proposal": "Thống nhất"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.state == RecipientState.ANSWERED and row.replied_by == receiver


# --------------------------------------------------------------------------- return


def test_the_coordination_page_shows_who_was_asked_before_the_handover(hatinh, person, login):
    req = _ask(person)
    _hand_over(person)
    giver, receiver = person(GIVER).full_name, person(RECEIVER).full_name
    page = login("ht.kinhte.cv1").get(f"/cong-viec/phoi-hop/{req.pk}/").content.decode()
    assert f"Chuyển từ {giver} sang {receiver} ngày" in page


def test_taking_the_work_back_returns_what_is_still_open_and_done_work_stays_with_who_did_it(hatinh, person):
    """000 Điều 11.8 (L167): on return the giver takes back the work; what the receiver finished is theirs."""
    giver, receiver = person(GIVER), person(RECEIVER)
    already = _sheet(person, title="Phiếu đã cho ý kiến trước khi bàn giao")
    submissions.decide(already, giver, "approve", "Ý kiến của Trưởng phòng")
    done_sheet, open_sheet = _sheet(person, title="Phiếu A"), _sheet(person, drafter="ht.tonghop.cv2", title="Phiếu B")
    done_req, open_req = _ask(person, subject="Xin ý kiến A"), _ask(person, subject="Xin ý kiến B")

    h = _hand_over(person)
    # the opinion the giver gave before leaving stays theirs
    given = Opinion.objects.get(step__submission=already, decision="approve")
    assert given.holder == giver and given.opinion == "Ý kiến của Trưởng phòng"

    submissions.decide(done_sheet, receiver, "approve", "Người nhận bàn giao đồng ý")
    coordination.reply(receiver, done_req, agree=True, proposal="Thống nhất")

    handover.take_back(h, me=giver)

    assert _seat(open_sheet, GIVER).decision == ""  # still open → back to the giver
    assert list(submissions.waiting_for(giver)) == [_seat(open_sheet, GIVER)]
    kept = Opinion.objects.get(step__submission=done_sheet, decision="approve")
    assert kept.holder == receiver and kept.acted_by == receiver  # done → stays with who did it
    assert open_req.recipients.get(unit__code="tonghop").staff == giver
    assert Deadline.objects.get(target_id=open_req.recipients.get(unit__code="tonghop").pk).assignee == giver
    answered = done_req.recipients.get(unit__code="tonghop")
    assert answered.staff == receiver and answered.state == RecipientState.ANSWERED
    assert not submissions.waiting_for(receiver).exists()
    coordination.reply(giver, open_req, agree=False, opinion="Chưa phù hợp")
