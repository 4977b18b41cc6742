"""Business trips, handover and travel papers (000 Điều 39, 40, 11.8; 002 Điều 16.3)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from office.models import Absence
from office.services import delegation
from office.services.calendar import due_at
from personnel.models import Handover, PaymentClaim, TravelPaper, Trip
from personnel.services import common, handover, papers, trips
from personnel.services.pdf import paper_pdf
from workflow.models import Deadline, Notification
from workflow.services import deadlines

D = dt.date
MON, TUE, WED, FRI = D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 13)


def go(person, username="ht.kinhte.cv1", start=MON, end=MON, substitute="ht.kinhte.cv2", **kw):
    kw.setdefault("destination", "Thị xã Kỳ Anh")
    kw.setdefault("purpose", "Khảo sát tình hình sản xuất")
    kw.setdefault("unfinished_work", "Dự thảo báo cáo tháng 3")
    return trips.request_trip(staff=person(username), start=start, end=end,
                              substitute=person(substitute) if substitute else None, **kw)  # fmt: skip


def approve(trip, person, who="ht.chanhvp", **kw):
    return trips.decide(trip, me=person(who), decision="approve", today=D(2026, 3, 2), **kw)


# --------------------------------------------------------------------------- 000 Điều 39


def test_trip_under_two_days_lists_work_and_needs_no_handover_sheet(hatinh, person):
    """000 Điều 39 (L407): «dưới 02 ngày» → danh mục công việc chưa xong, người thay thế được chỉ định."""
    trip = go(person, unfinished_work="Dự thảo báo cáo tháng 3")
    assert trip.days == 1 and trip.handover is None and trip.state == "pending"


def test_trip_of_two_days_needs_a_handover_sheet(hatinh, person):
    """000 Điều 39 (L408): «từ 02 ngày trở lên phải có phiếu bàn giao công việc»."""
    with pytest.raises(ValidationError, match="phiếu bàn giao công việc"):
        go(person, end=TUE, substitute=None)
    assert not Trip.objects.exists() and not Handover.objects.exists()
    trip = go(person, end=TUE, unfinished_work="Tờ trình đề án A\nBáo cáo quý I")
    assert trip.days == 2
    assert trip.handover.receiver == person("ht.kinhte.cv2") and trip.handover.reason == "trip"
    assert [i["description"] for i in trip.handover.items] == ["Tờ trình đề án A", "Báo cáo quý I"]


def test_trip_of_one_and_a_half_days_is_short_and_needs_no_handover_sheet(hatinh, person):
    """000 Điều 39 (L407): Monday and Tuesday morning is 1,5 days, «dưới 02 ngày»: a list of work, no sheet."""
    trip = go(person, end=TUE, ends_at_noon=True)
    assert trip.days == Decimal("1.5") and trip.handover is None


def test_trip_of_two_days_exactly_counted_in_half_days_needs_a_handover_sheet(hatinh, person):
    """000 Điều 39 (L408): Monday afternoon to Wednesday noon is 2 days: «từ 02 ngày trở lên» → phiếu bàn giao."""
    trip = go(person, end=WED, starts_afternoon=True, ends_at_noon=True)
    assert trip.days == 2 and trip.handover is not None


def test_a_short_trip_must_list_the_unfinished_work(hatinh, person):
    """000 Điều 39 (L407): «Phải liệt kê danh mục các công việc đang làm chưa xong cần tiếp tục làm ngay»."""
    with pytest.raises(ValidationError, match="chưa xong"):
        go(person, unfinished_work="  \n ")
    assert not Trip.objects.exists()
    # The Chánh and Phó Chánh fall back by 000 Điều 4, not by a list.
    assert go(person, "ht.pcvp1", substitute=None, unfinished_work="").pk


def test_the_chanh_decides_trips_in_hatinh(hatinh, person):
    """000 Điều 39 (L405): «Chánh Văn phòng quyết định việc đi công tác trong nước»."""
    trip = go(person)
    assert trip.approver == person("ht.chanhvp")
    assert Notification.objects.filter(recipient=person("ht.chanhvp"), key=f"trip:{trip.pk}:decide").exists()
    with pytest.raises(PermissionDenied):
        trips.decide(trip, me=person("ht.pcvp1"), decision="approve", today=MON)


def test_a_trip_outside_the_programme_needs_the_supervising_leader_in_a_party_office(hatinh, person):
    """002 Điều 16.3: «ngoài chương trình, kế hoạch đã được phê duyệt phải ... được sự đồng ý của lãnh đạo
    Văn phòng được phân công phụ trách»; within the programme no further approval."""
    hatinh.rules["trips"]["decided_by"] = "supervising_leader"
    hatinh.save()
    inside = go(person, in_programme=True)
    assert inside.approver is None and inside.state == "approved"
    outside = go(person, "ht.noichinh.cv1", substitute="ht.noichinh.cv2", in_programme=False)
    assert outside.approver == person("ht.pcvp2") and outside.state == "pending"


def test_approved_trip_becomes_an_absence_with_the_substitute_acting(hatinh, person):
    cv1, cv2 = person("ht.kinhte.cv1"), person("ht.kinhte.cv2")
    trip = approve(go(person), person)
    assert trip.state == "approved" and trip.absence.kind == "trip"
    assert delegation.acting_for(cv1, MON) == cv2 and delegation.acting_for(cv1, TUE) == cv1


def test_the_approver_names_the_substitute_when_none_was_given(hatinh, person):
    trip = go(person, substitute=None)
    with pytest.raises(ValidationError, match="người làm thay"):
        approve(trip, person)
    assert not Absence.objects.exists()
    approve(trip, person, substitute=person("ht.kinhte.pho"))
    assert delegation.acting_for(person("ht.kinhte.cv1"), MON) == person("ht.kinhte.pho")


def test_an_approved_trip_opens_the_deadline_to_declare_its_expenses(hatinh, person):
    """000 Điều 35.2.d: the trip's expenses are due 10 days after it ends; the engine reminds before."""
    trip = approve(go(person, start=D(2026, 1, 22), end=D(2026, 1, 23), unfinished_work="Việc A"), person)
    claim = PaymentClaim.objects.get(trip=trip)
    assert claim.state == "draft" and claim.due == D(2026, 2, 2)
    assert Deadline.objects.get(kind="payment_claim.declare").due_at.date() == D(2026, 2, 2)


def test_trip_report_notifies_the_chanh_and_supervising_leader_and_takes_the_work_back(hatinh, person):
    """000 Điều 39 (L408): report results to the Chánh and the supervising leader; take back the work."""
    cv1, cv2 = person("ht.kinhte.cv1"), person("ht.kinhte.cv2")
    document = Absence.objects.create(staff=person("ht.vhxh.cv1"), kind="other", start=MON, end=MON)  # any target
    deadlines.open_deadline(document, kind="incoming.handle", title="Văn bản đến", assignee=cv1, due_at=due_at(MON, 3))
    trip = go(person, end=WED, unfinished_work="Văn bản số 12")
    handover.confirm(trip.handover, me=cv2)
    assert Deadline.objects.get(kind="incoming.handle").assignee == cv2  # work moved on handover
    approve(trip, person)
    with pytest.raises(PermissionDenied):
        trips.report(trip, me=cv2, text="x", today=WED)
    trips.report(trip, me=cv1, text="Đã làm việc với UBND thị xã.", today=WED)
    trip.refresh_from_db()
    assert trip.state == "reported"
    for leader in ("ht.chanhvp", "ht.pcvp1"):
        assert Notification.objects.filter(recipient=person(leader), key__startswith=f"trip:{trip.pk}:report").exists()
    assert Deadline.objects.get(kind="incoming.handle").assignee == cv1  # taken back
    with pytest.raises(common.StateConflict):
        trips.report(trip, me=cv1, text="again", today=WED)


def test_overlapping_trip_and_busy_substitute_are_refused(hatinh, person):
    go(person, start=MON, end=MON)
    with pytest.raises(ValidationError, match="trùng"):
        go(person, start=MON, end=TUE)
    delegation.record_absence(staff=person("ht.noichinh.cv2"), kind="leave", start=MON, end=MON)
    with pytest.raises(ValidationError, match="không thể làm thay"):
        go(person, "ht.noichinh.cv1", substitute="ht.noichinh.cv2")
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        go(person, "ht.vhxh.cv1", start=TUE, end=MON, substitute="ht.vhxh.cv2")
    assert Trip.objects.count() == 1


# --------------------------------------------------------------------------- 000 Điều 11.8 handover


def test_handover_of_files_and_assets_needs_the_witnesses_the_profile_names(hatinh, person):
    """000 Điều 11.8 (L166): «dưới sự giám sát của đại diện Bộ phận Lưu trữ cơ quan và Phòng Quản trị - Tài vụ»."""
    giver, receiver = person("ht.vhxh.cv1"), person("ht.vhxh.truong")
    items = [{"kind": "ho_so", "description": "Hồ sơ đề án văn hóa"}, {"kind": "tai_san", "description": "Máy tính"}]
    with pytest.raises(ValidationError, match="Phòng Quản trị - Tài vụ"):
        handover.create_handover(giver=giver, receiver=receiver, reason="retire", items=items,
                                 witnesses=[person("ht.hctc.cv1")])  # fmt: skip
    assert not Handover.objects.exists()
    h = handover.create_handover(giver=giver, receiver=receiver, reason="retire", items=items,
                                 witnesses=[person("ht.hctc.cv1"), person("ht.qttv.cv1")])  # fmt: skip
    assert h.state == "draft" and h.witnesses.count() == 2
    # A list of work only (a trip's handover sheet) needs no witness.
    handover.create_handover(giver=person("ht.vhxh.cv2"), receiver=receiver, reason="trip", items=["Việc A"])


def test_the_receiver_confirms_and_the_givers_work_moves_to_them(hatinh, person):
    giver, receiver = person("ht.vhxh.cv1"), person("ht.vhxh.cv2")
    deadlines.open_deadline(giver, kind="incoming.handle", title="Văn bản", assignee=giver, due_at=due_at(MON, 2))
    h = handover.create_handover(giver=giver, receiver=receiver, reason="transfer", items=["Theo dõi lĩnh vực"])
    with pytest.raises(PermissionDenied):
        handover.confirm(h, me=giver)
    handover.confirm(h, me=receiver)
    assert Deadline.objects.get().assignee == receiver
    with pytest.raises(common.StateConflict):
        handover.confirm(h, me=receiver)


def test_a_confirmed_handover_moves_the_givers_open_documents_to_the_receiver_and_back_on_return(hatinh, person, api):
    """000 Điều 11.8 (L166–L167): the work handed over moves to the receiver, who sees and closes it;
    on the giver's return it moves back."""
    from documents.models import Assignment
    from documents.services import routing
    from documents.services.routing import RouteItem

    from .incoming_helpers import register

    giver, receiver = person("ht.vhxh.cv1"), person("ht.vhxh.cv2")
    doc = register(person("ht.vanthu1"))
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=giver, deadline_days=3)], "Giao xử lý")
    assert api("ht.vhxh.cv2").get(f"/api/v1/incoming/{doc.pk}/").status_code == 404
    h = handover.create_handover(giver=giver, receiver=receiver, reason="study", items=["Theo dõi lĩnh vực"])
    handover.confirm(h, me=receiver)
    step = Assignment.objects.get(document=doc, state="open")
    assert step.holder == receiver
    assert Deadline.objects.get(state="open").assignee == receiver
    assert doc.events.filter(action="handover").exists()
    assert api("ht.vhxh.cv2").get(f"/api/v1/incoming/{doc.pk}/").status_code == 200

    handover.take_back(h, me=giver)
    step.refresh_from_db()
    assert step.holder == giver
    assert Deadline.objects.get(state="open").assignee == giver
    done = api("ht.vhxh.cv1").post(f"/api/v1/incoming/{doc.pk}/complete/", {"result": "filed"}, format="json")
    assert done.status_code == 200, done.content


def test_handover_to_oneself_is_refused(hatinh, person):
    me = person("ht.vhxh.cv1")
    with pytest.raises(ValidationError, match="chính mình"):
        handover.create_handover(giver=me, receiver=me, reason="trip")


# --------------------------------------------------------------------------- 000 Điều 40 travel papers


def test_in_province_travel_paper_is_valid_for_the_month(hatinh, person):
    """000 Điều 40.2.a (L413): «giấy đi đường ... trong tỉnh có giá trị sử dụng trong tháng»."""
    trip = approve(go(person, start=D(2026, 2, 10), end=D(2026, 2, 10)), person)
    paper = papers.issue_travel_paper(trip, me=person("ht.pcvp1"), today=D(2026, 2, 9))
    assert (paper.scope, paper.valid_from, paper.valid_until) == ("in_province", D(2026, 2, 1), D(2026, 2, 28))
    assert paper.number == 1


def test_in_province_travel_paper_of_a_trip_across_the_month_end_covers_the_whole_trip(hatinh, person):
    """000 Điều 40.2.a (L413): valid for the month — and to the trip's last day when it runs into the next
    month (inferred: a paper that lapses mid-trip could not be used to claim the trip's expenses)."""
    trip = approve(go(person, start=D(2026, 3, 31), end=D(2026, 4, 1), unfinished_work="Báo cáo quý I"), person)
    handover.confirm(trip.handover, me=person("ht.kinhte.cv2"))
    paper = papers.issue_travel_paper(trip, me=person("ht.pcvp1"), today=D(2026, 3, 30))
    assert (paper.valid_from, paper.valid_until) == (D(2026, 3, 1), D(2026, 4, 1))


def test_out_of_province_travel_paper_is_valid_for_that_trip_only(hatinh, person):
    """000 Điều 40.2.b (L414)."""
    trip = go(person, start=MON, end=WED, in_province=False, unfinished_work="Việc A")
    handover.confirm(trip.handover, me=person("ht.kinhte.cv2"))
    approve(trip, person)
    paper = papers.issue_travel_paper(trip, me=person("ht.chanhvp"), today=D(2026, 3, 5))
    assert (paper.scope, paper.valid_from, paper.valid_until) == ("out_province", MON, WED)


def test_no_new_travel_paper_while_the_old_one_is_valid(hatinh, person):
    """000 Điều 40.2.c (L416): «Không cấp giấy đi đường mới khi giấy đi đường cũ chưa hết hạn sử dụng»."""
    first = approve(go(person, start=D(2026, 2, 10), end=D(2026, 2, 10)), person)
    papers.issue_travel_paper(first, me=person("ht.pcvp1"), today=D(2026, 2, 9))
    second = approve(go(person, start=D(2026, 2, 20), end=D(2026, 2, 20)), person)
    with pytest.raises(ValidationError, match="chưa hết hạn"):
        papers.issue_travel_paper(second, me=person("ht.pcvp1"), today=D(2026, 2, 19))
    assert TravelPaper.objects.count() == 1
    # In March the February paper has expired.
    third = approve(go(person, start=D(2026, 3, 2), end=D(2026, 3, 2)), person)
    assert papers.issue_travel_paper(third, me=person("ht.pcvp1"), today=D(2026, 3, 1)).number == 2


def test_travel_paper_needs_an_approved_trip_and_a_confirmed_handover_sheet(hatinh, person):
    """000 Điều 40.2.d (L418): the leader's assignment and the handover document."""
    trip = go(person, start=MON, end=WED, unfinished_work="Việc A")
    with pytest.raises(ValidationError, match="đã được Lãnh đạo Văn phòng đồng ý"):
        papers.issue_travel_paper(trip, me=person("ht.chanhvp"), today=D(2026, 3, 5))
    approve(trip, person)
    with pytest.raises(ValidationError, match="phiếu bàn giao công việc"):
        papers.issue_travel_paper(trip, me=person("ht.chanhvp"), today=D(2026, 3, 5))
    handover.confirm(trip.handover, me=person("ht.kinhte.cv2"))
    papers.issue_travel_paper(trip, me=person("ht.chanhvp"), today=D(2026, 3, 5))


def test_only_office_leaders_sign_travel_papers(hatinh, person):
    """000 Điều 40.3 (L421): «Lãnh đạo Văn phòng ký giấy giới thiệu của Văn phòng, giấy đi đường»."""
    trip = approve(go(person), person)
    for username in ("ht.hctc.truong", "ht.kinhte.truong", "ht.vanthu1"):
        with pytest.raises(PermissionDenied):
            papers.issue_travel_paper(trip, me=person(username), today=D(2026, 3, 5))
    assert papers.can_sign(person("ht.pcvp3")) and papers.can_sign(person("ht.chanhvp"))


def test_travel_paper_pdf_is_a4_with_vietnamese_text(hatinh, person):
    trip = approve(go(person), person)
    paper = papers.issue_travel_paper(trip, me=person("ht.pcvp1"), today=D(2026, 3, 5))
    reader = PdfReader(io.BytesIO(paper_pdf(paper)))
    text = reader.pages[0].extract_text()
    for words in (
        "GIẤY ĐI ĐƯỜNG",
        person("ht.kinhte.cv1").full_name,
        "Thị xã Kỳ Anh",
        "Hà Tĩnh",
        "KT. CHÁNH VĂN PHÒNG",
    ):
        assert words in text, words
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2


def test_introduction_letter_of_the_ubnd_is_signed_for_the_chairman(hatinh, person):
    """000 L421: office leaders «được thừa lệnh Chủ tịch UBND tỉnh ký giấy giới thiệu của UBND tỉnh»."""
    letter = papers.issue_introduction(staff=person("ht.kinhte.cv1"), destination="Bộ Kế hoạch và Đầu tư",
                                       purpose="Liên hệ hồ sơ dự án", valid_until=D(2026, 3, 31),
                                       me=person("ht.chanhvp"), on_behalf="ubnd", today=MON)  # fmt: skip
    text = PdfReader(io.BytesIO(paper_pdf(letter))).pages[0].extract_text()
    for words in ("GIẤY GIỚI THIỆU", "TL. CHỦ TỊCH", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Liên hệ hồ sơ dự án"):
        assert words in text, words
    with pytest.raises(ValidationError, match="không được trước hôm nay"):
        papers.issue_introduction(staff=person("ht.kinhte.cv1"), destination="X", purpose="Y",
                                  valid_until=D(2026, 3, 1), me=person("ht.chanhvp"), today=MON)  # fmt: skip


def test_travel_paper_pdf_page_is_guarded(hatinh, person, login):
    trip = approve(go(person), person)
    paper = papers.issue_travel_paper(trip, me=person("ht.pcvp1"), today=D(2026, 3, 5))
    response = login("ht.kinhte.cv1").get(f"/nhan-su/giay/{paper.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login("ht.kinhte.cv2").get(f"/nhan-su/giay/{paper.pk}.pdf").status_code == 404


def test_cancelling_an_approved_trip_revokes_the_delegation_and_the_claim_deadline(hatinh, person):
    cv1 = person("ht.kinhte.cv1")
    trip = approve(go(person), person)
    assert Deadline.objects.filter(kind="payment_claim.declare", state="open").count() == 1
    trips.cancel(trip, me=cv1)
    assert delegation.acting_for(cv1, MON) == cv1
    assert not Deadline.objects.filter(kind="payment_claim.declare", state="open").exists()
    assert not PaymentClaim.objects.exists()


def test_cancelling_a_trip_withdraws_its_out_of_province_paper_so_a_new_one_may_be_issued(hatinh, person):
    """000 Điều 40.2.b (L414): an out-of-province paper is valid «trong đợt công tác đó» only; with the trip
    cancelled it is withdrawn, and 40.2.c (L416) no longer blocks the next paper."""
    cv1 = person("ht.kinhte.cv1")
    first = approve(go(person, in_province=False), person)
    paper = papers.issue_travel_paper(first, me=person("ht.pcvp1"), today=D(2026, 3, 5))
    trips.cancel(first, me=cv1)
    paper.refresh_from_db()
    assert paper.is_revoked
    second = approve(go(person, start=WED, end=WED, in_province=False), person)
    assert papers.issue_travel_paper(second, me=person("ht.pcvp1"), today=D(2026, 3, 6)).trip == second


def test_who_receives_the_trip_report_comes_from_the_profile(hatinh, person):
    """000 L408: the Chánh and the supervising leader; 004 Điều 18: the supervising leader and the unit head."""
    cv = person("ht.kinhte.cv1")
    assert trips.report_recipients(cv) == [person("ht.chanhvp"), person("ht.pcvp1")]
    hatinh.rules["trips"]["report_to"] = ["supervising_leader", "unit_head"]
    hatinh.save()
    cv = person("ht.kinhte.cv1")
    assert trips.report_recipients(cv) == [person("ht.pcvp1"), person("ht.kinhte.truong")]


# --------------------------------------------------------------------------- the Party office (002)


def test_party_office_trips_in_the_programme_need_no_approval_outside_it_the_supervising_leader(binhthuan, person):
    """002 Điều 16.3: only a trip «ngoài chương trình, kế hoạch đã được phê duyệt» needs the supervising leader."""
    inside = go(person, "bt.tonghop.cv1", substitute="bt.tonghop.cv2", in_programme=True)
    assert inside.state == "approved" and inside.approver is None
    outside = go(person, "bt.hctd.cv1", substitute="bt.hctd.cv2", in_programme=False)
    assert outside.approver == person("bt.pcvp2") and outside.state == "pending"


def test_party_office_travel_papers_are_signed_by_the_head_of_hanh_chinh_tiep_dan(binhthuan, person):
    """002 Điều 7.4: the Trưởng Phòng Hành chính - Tiếp dân «ký, cấp phát giấy đi đường»."""
    assert papers.can_sign(person("bt.hctd.truong"))
    for username in ("bt.tonghop.truong", "bt.pcvp1", "bt.chanhvp", "bt.hctd.cv1"):
        assert not papers.can_sign(person(username)), username
    trip = go(person, "bt.tonghop.cv1", substitute="bt.tonghop.cv2", in_programme=True, in_province=True)
    with pytest.raises(PermissionDenied):
        papers.issue_travel_paper(trip, me=person("bt.chanhvp"), today=D(2026, 3, 5))
    paper = papers.issue_travel_paper(trip, me=person("bt.hctd.truong"), today=D(2026, 3, 5))
    # The profile says nothing of a monthly in-province paper here: valid for the trip only.
    assert (paper.valid_from, paper.valid_until) == (MON, MON)
    text = PdfReader(io.BytesIO(paper_pdf(paper))).pages[0].extract_text()
    for words in ("TỈNH ỦY BÌNH THUẬN", "ĐẢNG CỘNG SẢN VIỆT NAM", "T/L CHÁNH VĂN PHÒNG", "GIẤY ĐI ĐƯỜNG"):
        assert words in text, words
