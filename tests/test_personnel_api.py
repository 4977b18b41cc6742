"""The personnel API (../shared/spec/api.md "Personnel"): leave, trips, payment claims."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from office.models import Absence, Delegation
from personnel.models import LeaveRequest, PaymentClaim, Trip

D = dt.date


@pytest.fixture
def on_day():
    """Pin "today" (timezone.localdate) for the services and views."""

    def pin(day: dt.date):
        patcher = mock.patch.object(timezone, "localdate", return_value=day)
        patcher.start()
        return patcher

    patchers = []
    yield lambda day: patchers.append(pin(day))
    for p in patchers:
        p.stop()


def test_leave_request_returns_its_route_and_two_approvals_create_absence_and_delegation(hatinh, api):
    cv = api("ht.tonghop.cv1")
    data = {"kind": "personal", "start": "2026-03-09", "end": "2026-03-10", "reason": "Việc gia đình",
            "handover_to": "ht.tonghop.cv2"}  # fmt: skip
    r = cv.post("/api/v1/leave/", data, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["days"] == 2 and body["state"] == "pending" and body["current_step"] == "ht.tonghop.truong"
    assert [(s["role"], s["approver"]) for s in body["route"]] == [
        ("unit_head", "ht.tonghop.truong"),
        ("office_leader", "ht.pcvp1"),
    ]
    pk = body["id"]
    # Not yet their turn: the Phó Chánh may see it but not decide it.
    assert api("ht.pcvp1").post(f"/api/v1/leave/{pk}/decide/", {"decision": "approve"}).status_code == 403
    r = api("ht.tonghop.truong").post(f"/api/v1/leave/{pk}/decide/", {"decision": "approve", "opinion": "Đồng ý"})
    assert r.status_code == 200 and r.json()["current_step"] == "ht.pcvp1"
    r = api("ht.pcvp1").post(f"/api/v1/leave/{pk}/decide/", {"decision": "approve"})
    assert r.status_code == 200 and r.json()["state"] == "approved"
    assert Absence.objects.filter(staff__user__username="ht.tonghop.cv1").count() == 1
    assert Delegation.objects.get().deputy.user.username == "ht.tonghop.cv2"
    r = api("ht.tonghop.cv2").get("/api/v1/acting-for/?staff=ht.tonghop.cv1&date=2026-03-09")
    assert r.json()["acting"] == "ht.tonghop.cv2"
    # Deciding again is a state conflict.
    assert api("ht.pcvp1").post(f"/api/v1/leave/{pk}/decide/", {"decision": "approve"}).status_code == 409


def test_leave_of_one_day_goes_to_the_head_only(hatinh, api):
    r = api("ht.kinhte.cv1").post("/api/v1/leave/", {"kind": "sick", "start": "2026-03-09", "end": "2026-03-09",
                                                     "reason": "Ốm", "handover_to": "ht.kinhte.cv2"})  # fmt: skip
    assert [s["approver"] for s in r.json()["route"]] == ["ht.kinhte.truong"]


@pytest.mark.parametrize(
    ("payload", "field", "text"),
    [
        ({"start": "2026-03-11", "end": "2026-03-09"}, "end", "trước ngày bắt đầu"),
        ({"kind": "holiday"}, "kind", ""),
        ({"handover_to": "ht.khong.co"}, "handover_to", "Không có cán bộ"),
        ({"reason": ""}, "reason", ""),
    ],
)
def test_bad_leave_input_is_a_400_in_vietnamese_and_nothing_saved(hatinh, api, payload, field, text):
    data = {"kind": "personal", "start": "2026-03-09", "end": "2026-03-10", "reason": "Việc riêng"} | payload
    r = api("ht.tonghop.cv1").post("/api/v1/leave/", data, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"] and text in r.json()["detail"] + str(r.json()["errors"])
    assert not LeaveRequest.objects.exists()


def test_overlapping_leave_and_a_busy_substitute_are_400(hatinh, api):
    cv1 = api("ht.tonghop.cv1")
    data = {"kind": "personal", "start": "2026-03-09", "end": "2026-03-10", "reason": "Việc riêng",
            "handover_to": "ht.tonghop.cv2"}  # fmt: skip
    assert cv1.post("/api/v1/leave/", data, format="json").status_code == 201
    r = cv1.post("/api/v1/leave/", data | {"start": "2026-03-10", "end": "2026-03-12"}, format="json")
    assert r.status_code == 400 and "trùng" in r.json()["detail"]
    r = api("ht.tonghop.pho").post("/api/v1/leave/", data | {"handover_to": "ht.tonghop.cv1"}, format="json")
    assert r.status_code == 400 and "không thể làm thay" in r.json()["detail"]
    assert LeaveRequest.objects.count() == 1


def test_an_outsider_gets_404_for_a_leave_request(hatinh, api):
    pk = api("ht.tonghop.cv1").post("/api/v1/leave/", {"kind": "personal", "start": "2026-03-09", "end": "2026-03-09",
                                                       "reason": "Việc riêng"}).json()["id"]  # fmt: skip
    visible = {"ht.tonghop.cv1", "ht.tonghop.truong", "ht.tonghop.pho", "ht.pcvp1", "ht.chanhvp"}
    hidden = {"ht.tonghop.cv2", "ht.kinhte.truong", "ht.pcvp2", "ht.vanthu1"}
    for username in visible:
        assert api(username).get(f"/api/v1/leave/{pk}/").status_code == 200, username
    for username in hidden:
        assert api(username).get(f"/api/v1/leave/{pk}/").status_code == 404, username
        assert api(username).post(f"/api/v1/leave/{pk}/decide/", {"decision": "approve"}).status_code == 404
    assert api().get("/api/v1/leave/").status_code == 401


def test_trip_of_two_days_needs_a_handover_sheet(hatinh, api):
    data = {"start": "2026-03-09", "end": "2026-03-10", "destination": "Bộ Nội vụ, Hà Nội", "purpose": "Tập huấn",
            "in_province": False}  # fmt: skip
    r = api("ht.kinhte.cv1").post("/api/v1/trips/", data, format="json")
    assert r.status_code == 400 and "phiếu bàn giao công việc" in r.json()["detail"]
    assert not Trip.objects.exists()
    r = api("ht.kinhte.cv1").post(
        "/api/v1/trips/", data | {"handover_to": "ht.kinhte.cv2", "handover_items": ["Báo cáo quý I"]}, format="json"
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["handover"]["receiver"] == "ht.kinhte.cv2" and body["approver"] == "ht.chanhvp"
    assert body["handover"]["items"] == [{"kind": "cong_viec", "description": "Báo cáo quý I"}]


def test_trip_of_one_day_needs_no_sheet_but_the_list_of_unfinished_work(hatinh, api):
    """000 Điều 39 (L407): under 2 days, «liệt kê danh mục các công việc đang làm chưa xong»; no handover sheet."""
    data = {"start": "2026-03-09", "end": "2026-03-09", "destination": "Kỳ Anh", "purpose": "Khảo sát"}
    r = api("ht.kinhte.cv1").post("/api/v1/trips/", data)
    assert r.status_code == 400 and "chưa xong" in r.json()["errors"]["unfinished_work"][0]
    assert not Trip.objects.exists()
    r = api("ht.kinhte.cv1").post("/api/v1/trips/", data | {"unfinished_work": "Báo cáo tháng 3"})
    assert r.status_code == 201 and r.json()["handover"] is None and r.json()["days"] == 1


def test_half_day_leave_is_counted_in_half_days(hatinh, api):
    """000 Điều 23.2 (L278): Monday and Tuesday morning is 1,5 days, «dưới 2 ngày»: the head alone."""
    data = {"kind": "personal", "start": "2026-03-09", "end": "2026-03-10", "ends_at_noon": True, "reason": "Việc nhà",
            "handover_to": "ht.tonghop.cv2"}  # fmt: skip
    body = api("ht.tonghop.cv1").post("/api/v1/leave/", data, format="json").json()
    assert body["days"] == 1.5 and [s["approver"] for s in body["route"]] == ["ht.tonghop.truong"]
    bad = api("ht.tonghop.cv2").post(
        "/api/v1/leave/", data | {"start": "2026-03-12", "end": "2026-03-12", "starts_afternoon": True}, format="json"
    )
    assert bad.status_code == 400 and "buổi sáng cùng ngày" in bad.json()["errors"]["ends_at_noon"][0]


def test_payment_claim_returns_due_and_a_late_one_goes_to_the_chanh(hatinh, api, on_day):
    on_day(D(2026, 2, 4))
    r = api("ht.kinhte.cv1").post("/api/v1/payment-claims/", {"description": "Công tác phí", "amount": 1200000,
                                                              "activity_ended_on": "2026-01-25"})  # fmt: skip
    assert r.status_code == 201, r.content
    assert r.json()["due"] == "2026-02-04" and r.json()["status"] == "declared" and r.json()["waived"] is False
    r = api("ht.kinhte.cv1").post("/api/v1/payment-claims/", {"description": "Tiền phòng nghỉ", "amount": 800000,
                                                              "activity_ended_on": "2026-01-24"})  # fmt: skip
    body = r.json()
    assert body["due"] == "2026-02-03" and body["status"] == "awaiting_exception" and body["waived"] is True
    assert body["approver"] == "ht.chanhvp"
    pk = body["id"]
    assert api("ht.pcvp1").post(f"/api/v1/payment-claims/{pk}/decide/", {"decision": "approve"}).status_code == 404
    r = api("ht.chanhvp").post(f"/api/v1/payment-claims/{pk}/decide/", {"decision": "approve"})
    assert r.status_code == 200 and r.json()["status"] == "exception_approved"
    assert api("ht.chanhvp").post(f"/api/v1/payment-claims/{pk}/decide/", {"decision": "approve"}).status_code == 409


@pytest.mark.parametrize("amount", [-5000, 0])
def test_payment_claim_with_negative_amount_is_400(hatinh, api, amount):
    r = api("ht.kinhte.cv1").post("/api/v1/payment-claims/", {"description": "X", "amount": amount,
                                                              "activity_ended_on": "2026-01-25"})  # fmt: skip
    assert r.status_code == 400 and "amount" in r.json()["errors"] and "lớn hơn 0" in r.json()["detail"]
    assert not PaymentClaim.objects.exists()


def test_claims_are_seen_by_their_owner_the_accountant_and_the_chanh(hatinh, api, on_day):
    on_day(D(2026, 2, 1))
    data = {"description": "X", "amount": 1000, "activity_ended_on": "2026-01-25"}
    pk = api("ht.kinhte.cv1").post("/api/v1/payment-claims/", data).json()["id"]
    for username in ["ht.kinhte.cv1", "ht.ketoan", "ht.chanhvp"]:
        assert api(username).get(f"/api/v1/payment-claims/{pk}/").status_code == 200
    for username in ["ht.kinhte.cv2", "ht.kinhte.truong", "ht.pcvp1"]:
        assert api(username).get(f"/api/v1/payment-claims/{pk}/").status_code == 404


def test_leave_list_query_count_does_not_grow_with_rows(hatinh, api, person, django_assert_max_num_queries):
    from personnel.services import leave

    client = api("ht.chanhvp")
    for i in range(2):
        leave.request_leave(staff=person(f"ht.tonghop.cv{i + 1}"), kind="personal", start=D(2026, 3, 9 + i * 7),
                            end=D(2026, 3, 9 + i * 7), reason="x")  # fmt: skip
    with django_assert_max_num_queries(20):
        assert client.get("/api/v1/leave/").status_code == 200
    units = ["kinhte", "noichinh", "vhxh", "hctc", "qttv", "cbth"]
    for n, unit in enumerate(units * 3):
        who = f"ht.{unit}.cv{1 + (n // len(units)) % 2}"
        leave.request_leave(staff=person(who), kind="personal", start=D(2026, 4, 1) + dt.timedelta(days=7 * n),
                            end=D(2026, 4, 1) + dt.timedelta(days=7 * n), reason="x")  # fmt: skip
    with django_assert_max_num_queries(20):
        r = client.get("/api/v1/leave/")
    assert r.json()["count"] == 20
