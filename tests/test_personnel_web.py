"""The personnel pages: reachable, guarded, forms show the rules' Vietnamese messages, a leave walk-through."""

import datetime as dt

import pytest

from office.services import delegation
from personnel.models import LeaveRequest, PaymentClaim, Trip

PAGES = [
    "/nhan-su/",
    "/nhan-su/nghi/",
    "/nhan-su/ke-hoach-phep/",
    "/nhan-su/cong-tac/",
    "/nhan-su/giay/",
    "/nhan-su/ban-giao/",
    "/nhan-su/lam-them-gio/",
    "/nhan-su/thanh-toan/",
    "/nhan-su/lich-vang/",
    "/nhan-su/danh-sach-nam/",
]


def test_anonymous_is_sent_to_login(hatinh, client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/"), url


@pytest.mark.parametrize("username", ["ht.chanhvp", "ht.pcvp1", "ht.tonghop.truong", "ht.kinhte.cv1", "ht.ketoan"])
def test_every_personnel_page_opens_for_every_role_and_is_in_the_navigation(hatinh, login, username):
    client = login(username)
    home = client.get("/").content.decode()
    assert 'href="/nhan-su/"' in home
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, (url, username)
        assert "Nhân sự" in response.content.decode()


def test_leave_walkthrough_request_head_office_leader_and_the_substitute_acts(hatinh, login, person):
    cv1, cv2 = person("ht.tonghop.cv1"), person("ht.tonghop.cv2")
    client = login("ht.tonghop.cv1")
    response = client.post("/nhan-su/nghi/", {"kind": "personal", "start": "2026-03-09", "end": "2026-03-10",
                                             "reason": "Việc gia đình", "handover_to": cv2.pk})  # fmt: skip
    req = LeaveRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/nhan-su/nghi/{req.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Lãnh đạo đơn vị" in page and "Lãnh đạo Văn phòng phụ trách" in page and "đang chờ ý kiến" in page

    head = login("ht.tonghop.truong")
    assert f"/nhan-su/nghi/{req.pk}/" in head.get("/nhan-su/").content.decode()  # waiting for them
    assert head.post(f"/nhan-su/nghi/{req.pk}/y-kien/", {"decision": "approve"}).status_code == 302
    pcvp = login("ht.pcvp1")
    response = pcvp.post(f"/nhan-su/nghi/{req.pk}/y-kien/", {"decision": "approve", "opinion": "Đồng ý"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == "approved"
    page = pcvp.get(f"/nhan-su/nghi/{req.pk}/").content.decode()
    assert "Đã duyệt" in page and cv2.full_name in page
    assert delegation.acting_for(cv1, dt.date(2026, 3, 9)) == cv2
    # The calendar of who is away shows the leave.
    calendar = pcvp.get("/nhan-su/lich-vang/?thang=2026-3&don-vi=tonghop").content.decode()
    assert cv1.full_name in calendar and "away-personal" in calendar


def test_leave_form_shows_the_rule_message_and_saves_nothing(hatinh, login, person):
    delegation.record_absence(staff=person("ht.tonghop.cv2"), kind="sick", start=dt.date(2026, 3, 9),
                              end=dt.date(2026, 3, 9))  # fmt: skip
    client = login("ht.tonghop.cv1")
    data = {"kind": "personal", "start": "2026-03-09", "end": "2026-03-10", "reason": "Việc riêng",
            "handover_to": person("ht.tonghop.cv2").pk}  # fmt: skip
    response = client.post("/nhan-su/nghi/", data)
    assert response.status_code == 200
    assert "không thể làm thay trong thời gian này" in response.content.decode()
    response = client.post("/nhan-su/nghi/", {"kind": "personal", "start": "2026-03-10", "end": "2026-03-09",
                                             "reason": "Việc riêng"})  # fmt: skip
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_leave_detail_is_404_for_an_outsider_and_deciding_out_of_turn_is_403(hatinh, login, person):
    client = login("ht.tonghop.cv1")
    client.post("/nhan-su/nghi/", {"kind": "personal", "start": "2026-03-09", "end": "2026-03-10",
                                   "reason": "Việc riêng", "handover_to": person("ht.tonghop.cv2").pk})  # fmt: skip
    pk = LeaveRequest.objects.get().pk
    assert login("ht.kinhte.cv1").get(f"/nhan-su/nghi/{pk}/").status_code == 404
    assert login("ht.kinhte.cv1").post(f"/nhan-su/nghi/{pk}/y-kien/", {"decision": "approve"}).status_code == 404
    assert login("ht.pcvp1").post(f"/nhan-su/nghi/{pk}/y-kien/", {"decision": "approve"}).status_code == 403


def test_trip_form_requires_a_handover_sheet_from_two_days(hatinh, login, person):
    client = login("ht.kinhte.cv1")
    data = {"start": "2026-03-09", "end": "2026-03-10", "destination": "Hà Nội", "purpose": "Họp",
            "in_province": "0", "in_programme": "1"}  # fmt: skip
    response = client.post("/nhan-su/cong-tac/", data)
    assert "phải có phiếu bàn giao công việc" in response.content.decode()
    assert not Trip.objects.exists()
    response = client.post("/nhan-su/cong-tac/", data | {"handover_to": person("ht.kinhte.cv2").pk,
                                                         "unfinished_work": "Báo cáo quý\nTờ trình đề án"})  # fmt: skip
    trip = Trip.objects.get()
    assert response.status_code == 302 and trip.handover.items[1]["description"] == "Tờ trình đề án"


def test_late_claim_form_warns_and_sends_it_to_the_chanh(hatinh, login):
    client = login("ht.kinhte.cv1")
    response = client.post("/nhan-su/thanh-toan/", {"description": "Tiền xăng", "amount": "300000",
                                                   "activity_ended_on": "2020-01-02"}, follow=True)  # fmt: skip
    assert "Kê khai sau hạn" in response.content.decode()
    claim = PaymentClaim.objects.get()
    assert claim.state == "awaiting_exception"
    chanh = login("ht.chanhvp")
    assert f"/nhan-su/thanh-toan/{claim.pk}/" in chanh.get("/nhan-su/").content.decode()
    chanh.post(f"/nhan-su/thanh-toan/{claim.pk}/ngoai-le/", {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.state == "exception_approved"


def test_claim_form_refuses_a_negative_amount(hatinh, login):
    response = login("ht.kinhte.cv1").post("/nhan-su/thanh-toan/", {"description": "X", "amount": "-100",
                                                                   "activity_ended_on": "2026-01-02"})  # fmt: skip
    assert response.status_code == 200 and "phải lớn hơn 0" in response.content.decode()
    assert not PaymentClaim.objects.exists()


def test_away_calendar_query_count_does_not_grow_with_absences(hatinh, login, person, django_assert_max_num_queries):
    client = login("ht.pcvp1")
    with django_assert_max_num_queries(30):
        client.get("/nhan-su/lich-vang/?thang=2026-3")
    for i, unit in enumerate(["tonghop", "kinhte", "noichinh", "vhxh", "hctc", "qttv", "cbth"]):
        for who in ("cv1", "cv2"):
            delegation.record_absence(staff=person(f"ht.{unit}.{who}"), kind="leave", start=dt.date(2026, 3, 2 + i),
                                      end=dt.date(2026, 3, 3 + i))  # fmt: skip
    with django_assert_max_num_queries(30):
        page = client.get("/nhan-su/lich-vang/?thang=2026-3").content.decode()
    assert page.count("away-leave") >= 14 * 2


def test_head_agreeing_without_a_substitute_sees_the_rule_on_the_form(hatinh, login, person):
    login("ht.vhxh.cv1").post("/nhan-su/nghi/", {"kind": "sick", "start": "2026-03-09", "end": "2026-03-09",
                                                 "reason": "Ốm"})  # fmt: skip
    req = LeaveRequest.objects.get()
    head = login("ht.vhxh.truong")
    response = head.post(f"/nhan-su/nghi/{req.pk}/y-kien/", {"decision": "approve"})
    assert response.status_code == 400 and "Phải chỉ định người làm thay" in response.content.decode()
    req.refresh_from_db()
    assert req.state == "pending"
    head.post(f"/nhan-su/nghi/{req.pk}/y-kien/", {"decision": "approve", "substitute": person("ht.vhxh.cv2").pk})
    req.refresh_from_db()
    assert req.state == "approved"
    # Every change is audited (peers.md §D.4): filed, substitute named, approved; the refused attempt left nothing.
    assert list(req.history.values_list("state", "substitute__user__username")) == [
        ("approved", "ht.vhxh.cv2"),
        ("pending", "ht.vhxh.cv2"),
        ("pending", None),
    ]


def test_overtime_hours_are_typed_in_half_hours(hatinh, login):
    """The service counts overtime in half hours (000 Điều 21): the form's number field steps by 0,5."""
    page = login("ht.kinhte.cv1").get("/nhan-su/lam-them-gio/").content.decode()
    assert 'name="hours"' in page and 'step="0.5"' in page


def test_an_approved_leave_not_yet_started_can_be_withdrawn_from_its_page(hatinh, login, person):
    """Correcting a mistake: the requester withdraws an approved leave before it starts; the acting-for ends."""
    from django.utils import timezone

    from personnel.services import leave

    cv1 = person("ht.tonghop.cv1")
    start = timezone.localdate() + dt.timedelta(days=7)
    req = leave.request_leave(staff=cv1, kind="sick", start=start, end=start, reason="Khám bệnh",
                              substitute=person("ht.tonghop.cv2"))  # fmt: skip
    leave.decide(req, me=person("ht.tonghop.truong"), decision="approve")
    client = login("ht.tonghop.cv1")
    page = client.get(f"/nhan-su/nghi/{req.pk}/").content.decode()
    assert f'action="/nhan-su/nghi/{req.pk}/huy/"' in page
    assert client.post(f"/nhan-su/nghi/{req.pk}/huy/").status_code == 302
    req.refresh_from_db()
    assert req.state == "cancelled" and delegation.acting_for(cv1, start) != person("ht.tonghop.cv2")
