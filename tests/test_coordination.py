"""Coordination (phối hợp): requests, written answers with the four parts, extensions, visibility, API and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from config.api import Conflict
from office.services import delegation
from workflow.models import (
    CoordinationRequest,
    Deadline,
    DeadlineExtension,
    DeadlineState,
    ExtensionState,
    Notification,
    RecipientState,
)
from workflow.services import coordination
from workflow.services.scan import run_deadline_scan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


@pytest.fixture
def req(hatinh, person):
    return coordination.send_request(
        person("ht.tonghop.cv1"), subject="Dự thảo kế hoạch cải cách hành chính", body="Đề nghị cho ý kiến.",
        to=["ht.kinhte.cv1", "noichinh"], now=at("2026-03-10"),
    )  # fmt: skip


# --------------------------------------------------------------------------- sending


def test_a_unit_is_asked_through_its_head_and_each_recipient_has_a_due_date(req):
    rows = {r.staff.user.username: r for r in req.recipients.select_related("staff__user", "unit")}
    assert set(rows) == {"ht.kinhte.cv1", "ht.noichinh.truong"}
    assert rows["ht.noichinh.truong"].unit.code == "noichinh"
    assert all(timezone.localtime(r.due_at).date() == dt.date(2026, 3, 12) for r in rows.values())
    assert Deadline.objects.filter(kind="coordination.reply").count() == 2
    assert Notification.objects.filter(kind="assignment", recipient__user__username="ht.kinhte.cv1").exists()


def test_unknown_recipient_is_refused_and_nothing_is_saved(hatinh, person):
    with pytest.raises(ValidationError) as exc:
        coordination.send_request(person("ht.tonghop.cv1"), subject="X", to=["ht.kinhte.cv1", "khong-co-ai"])
    assert "Không có cán bộ hoặc đơn vị «khong-co-ai»." in exc.value.message_dict["to"]
    assert not CoordinationRequest.objects.exists() and not Deadline.objects.exists()


def test_a_longer_limit_needs_the_chanh(hatinh, person):
    # 000 Điều 16.3: longer than 02 (03) working days only with the Chánh Văn phòng's approval.
    with pytest.raises(ValidationError) as exc:
        coordination.send_request(
            person("ht.tonghop.cv1"), subject="X", to=["ht.kinhte.cv1"], due=dt.date(2026, 3, 20), now=at("2026-03-10")
        )
    assert "phải được Chánh Văn phòng đồng ý" in exc.value.message_dict["due"][0]
    req = coordination.send_request(
        person("ht.chanhvp"), subject="X", to=["ht.kinhte.cv1"], due=dt.date(2026, 3, 20), now=at("2026-03-10")
    )
    assert timezone.localtime(req.recipients.get().due_at).date() == dt.date(2026, 3, 20)
    assert "hạn do người gửi đặt" in Deadline.objects.get().note


def test_a_profile_without_a_limit_makes_the_sender_set_one(binhthuan, person):
    # 002 Điều 21.3: the consulted head must answer, but no number of days is given (GAP): no invented limit.
    sender = person("bt.tonghop.cv1") if _exists("bt.tonghop.cv1") else None
    if sender is None:
        pytest.skip("binhthuan demo users differ")
    target = "bt.tonghop.cv2"
    with pytest.raises(ValidationError) as exc:
        coordination.send_request(sender, subject="X", to=[target], now=at("2026-03-10"))
    assert "người gửi phải nhập hạn trả lời" in exc.value.message_dict["due"][0]
    req = coordination.send_request(sender, subject="X", to=[target], due=dt.date(2026, 3, 13), now=at("2026-03-10"))
    assert timezone.localtime(req.recipients.get().due_at).date() == dt.date(2026, 3, 13)


def _exists(username: str) -> bool:
    from office.models import Staff

    return Staff.objects.filter(user__username=username).exists()


def test_files_are_checked_by_content(hatinh, person):
    sender = person("ht.tonghop.cv1")
    fake = SimpleUploadedFile("du-thao.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        coordination.send_request(sender, subject="X", to=["ht.kinhte.cv1"], files=[fake])
    assert "không phải là tệp PDF hoặc DOCX" in exc.value.message_dict["files"][0]
    good = SimpleUploadedFile("du-thao.pdf", PDF, content_type="application/pdf")
    req = coordination.send_request(sender, subject="X", to=["ht.kinhte.cv1"], files=[good])
    assert req.files.get().original_name == "du-thao.pdf"


# --------------------------------------------------------------------------- answering


def test_reply_has_the_four_parts_and_closes_the_deadline(req, person):
    cv = person("ht.kinhte.cv1")
    recipient = coordination.reply(
        cv, req, agree=False, view_competence="Thuộc thẩm quyền UBND tỉnh", view_merit="Cần thiết, hợp pháp",
        view_prior_directions="Phù hợp Chỉ thị 05", proposal="Bổ sung mục kinh phí", now=at("2026-03-11"),
    )  # fmt: skip
    assert recipient.state == RecipientState.ANSWERED and recipient.agree is False and not recipient.replied_late
    assert Deadline.objects.get(assignee=cv).state == DeadlineState.DONE
    note = Notification.objects.get(recipient__user__username="ht.tonghop.cv1", kind="info")
    assert "Không đồng ý" in note.body and "Bổ sung mục kinh phí" in note.body


def test_an_empty_reply_is_refused(req, person):
    with pytest.raises(ValidationError) as exc:
        coordination.reply(person("ht.kinhte.cv1"), req, agree=None)
    assert set(exc.value.message_dict) == {"opinion", "agree"}


def test_a_reply_after_the_request_is_closed_is_a_conflict_and_changes_nothing(req, person):
    coordination.close_request(person("ht.tonghop.cv1"), req)
    with pytest.raises(Conflict):
        coordination.reply(person("ht.kinhte.cv1"), req, agree=True, opinion="Đồng ý")
    assert req.recipients.filter(state=RecipientState.ANSWERED).count() == 0
    assert not Deadline.objects.filter(state__in=["open", "due_soon", "overdue", "extended"]).exists()


def test_someone_not_asked_cannot_answer(req, person):
    with pytest.raises(PermissionDenied):
        coordination.reply(person("ht.vhxh.cv1"), req, agree=True, opinion="Đồng ý")


def test_the_deputy_acting_for_an_absent_recipient_answers_for_them(req, person):
    head, deputy = person("ht.noichinh.truong"), person("ht.noichinh.pho")
    delegation.create_delegation(
        principal=head, deputy=deputy, scope="all", start=timezone.localdate(), end=timezone.localdate(),
        reason="Đi công tác", by=head.user,
    )  # fmt: skip
    recipient = coordination.reply(deputy, req, agree=True, proposal="Thống nhất")
    assert recipient.staff == head and recipient.replied_by == deputy


def test_more_information_is_asked_of_the_lead_only(req, person):
    # 000 Điều 14.4 (L200): the coordinator goes through the lead, not to the submitting agency.
    coordination.ask_information(person("ht.kinhte.cv1"), req, "Đề nghị cung cấp số liệu năm 2025")
    told = Notification.objects.filter(title__contains="đề nghị làm rõ").values_list(
        "recipient__user__username", flat=True
    )
    assert list(told) == ["ht.tonghop.cv1"]


# --------------------------------------------------------------------------- extensions


def _ext(req, person) -> DeadlineExtension:
    return coordination.request_extension(
        person("ht.kinhte.cv1"), req, until=dt.date(2026, 3, 17), reason="Cần lấy số liệu của Sở"
    )


def test_an_extension_takes_effect_only_once_the_chanh_approves(req, person):
    ext = _ext(req, person)
    deadline = Deadline.objects.get(assignee__user__username="ht.kinhte.cv1")
    assert timezone.localtime(deadline.due_at).date() == dt.date(2026, 3, 12)  # unchanged while pending
    assert Notification.objects.filter(recipient__user__username="ht.chanhvp", title__startswith="Xin gia hạn").exists()
    with pytest.raises(PermissionDenied, match="Chỉ Chánh Văn phòng"):
        coordination.decide_extension(person("ht.pcvp1"), ext, approve=True)
    deadline.refresh_from_db()
    assert timezone.localtime(deadline.due_at).date() == dt.date(2026, 3, 12)
    coordination.decide_extension(person("ht.chanhvp"), ext, approve=True)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.EXTENDED and deadline.is_extended
    assert timezone.localtime(deadline.due_at).date() == dt.date(2026, 3, 17)
    assert timezone.localtime(deadline.original_due_at).date() == dt.date(2026, 3, 12)
    assert "Lê" in deadline.note or "đồng ý" in deadline.note
    # no overdue at the old date (only the other recipient, ht.noichinh.truong, is late); a fresh reminder later
    assert run_deadline_scan(at("2026-03-13"), generate=False).overdue == 1
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.EXTENDED
    assert run_deadline_scan(at("2026-03-16"), generate=False).reminded == 1
    mine = Notification.objects.filter(recipient__user__username="ht.kinhte.cv1")
    assert not mine.filter(kind="overdue").exists() and mine.filter(kind="reminder").count() == 1


def test_the_phó_chánh_acting_for_the_absent_chanh_may_approve(req, person):
    chanh, pcvp = person("ht.chanhvp"), person("ht.pcvp1")
    delegation.create_delegation(
        principal=chanh, deputy=pcvp, scope="all", start=timezone.localdate(), end=timezone.localdate(),
        reason="Chánh Văn phòng đi công tác", by=chanh.user,
    )  # fmt: skip
    ext = coordination.decide_extension(pcvp, _ext(req, person), approve=True)
    assert ext.state == ExtensionState.APPROVED and ext.decided_by == pcvp


def test_bad_extensions_are_refused_with_a_clear_message(req, person):
    cv = person("ht.kinhte.cv1")
    with pytest.raises(ValidationError) as exc:
        coordination.request_extension(cv, req, until=dt.date(2026, 3, 11), reason="")
    assert set(exc.value.message_dict) == {"until", "reason"}
    _ext(req, person)
    with pytest.raises(Conflict, match="đang chờ duyệt"):
        _ext(req, person)


def test_a_refused_extension_leaves_the_due_date(req, person):
    ext = coordination.decide_extension(person("ht.chanhvp"), _ext(req, person), approve=False)
    assert ext.state == ExtensionState.REFUSED
    assert timezone.localtime(Deadline.objects.get(assignee=ext.requested_by).due_at).date() == dt.date(2026, 3, 12)
    with pytest.raises(Conflict):
        coordination.decide_extension(person("ht.chanhvp"), ext, approve=True)


# --------------------------------------------------------------------------- visibility (404 for outsiders)


def test_who_sees_a_request(req, person):
    visible = {
        u for u in ["ht.tonghop.cv1", "ht.kinhte.cv1", "ht.noichinh.truong", "ht.chanhvp", "ht.pcvp3", "ht.vhxh.cv1",
                    "ht.kinhte.cv2", "ht.vanthu1"]
        if coordination.visible_requests(person(u)).filter(pk=req.pk).exists()
    }  # fmt: skip
    assert visible == {"ht.tonghop.cv1", "ht.kinhte.cv1", "ht.noichinh.truong", "ht.chanhvp", "ht.pcvp3"}


def test_an_outsider_gets_404_on_every_page_and_endpoint(req, login, api):
    client = login("ht.vhxh.cv1")
    for suffix in ["", "tra-loi/"]:
        assert client.get(f"/cong-viec/phoi-hop/{req.pk}/{suffix}").status_code == 404
    for suffix in ["gia-han/", "lam-ro/", "ket-thuc/"]:
        assert client.post(f"/cong-viec/phoi-hop/{req.pk}/{suffix}").status_code == 404
    outsider = api("ht.vhxh.cv1")
    assert outsider.get(f"/api/v1/coordination/{req.pk}/").status_code == 404
    assert (
        outsider.post(
            f"/api/v1/coordination/{req.pk}/reply/", {"opinion": "x", "agree": True}, format="json"
        ).status_code
        == 404
    )
    assert outsider.get("/api/v1/coordination/").json()["count"] == 0


def test_an_other_office_cannot_see_it(req, binhthuan, api):
    from office.models import Staff

    username = Staff.objects.filter(organisation=binhthuan).values_list("user__username", flat=True).first()
    assert api(username).get(f"/api/v1/coordination/{req.pk}/").status_code == 404


# --------------------------------------------------------------------------- API (../shared/spec/api.md)


def test_api_create_returns_id_and_due_per_recipient(hatinh, api):
    response = api("ht.tonghop.cv1").post(
        "/api/v1/coordination/",
        {"subject": "Góp ý dự thảo", "body": "Nội dung", "to": ["ht.kinhte.cv1", "vhxh"], "complex": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id"] and data["complex"] is True
    dues = {r["username"]: r["due"] for r in data["recipients"]}
    assert set(dues) == {"ht.kinhte.cv1", "ht.vhxh.truong"}
    assert all(d for d in dues.values())


def test_api_create_with_files_multipart(hatinh, api):
    response = api("ht.tonghop.cv1").post(
        "/api/v1/coordination/",
        {"subject": "Góp ý", "to": ["ht.kinhte.cv1"], "files": [SimpleUploadedFile("a.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["files"][0]["name"] == "a.pdf"


def test_api_bad_input_is_400_in_vietnamese(hatinh, api):
    response = api("ht.tonghop.cv1").post("/api/v1/coordination/", {"subject": "X", "to": ["ai-do"]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["to"] == ["Không có cán bộ hoặc đơn vị «ai-do»."]


def test_api_reply_extend_and_decide(req, api):
    cv = api("ht.kinhte.cv1")
    response = cv.post(f"/api/v1/coordination/{req.pk}/extend/", {"until": "2026-03-17", "reason": "Chờ số liệu"},
                       format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    ext_id = response.json()["id"]
    refused = api("ht.pcvp1").post(f"/api/v1/coordination/{req.pk}/extensions/{ext_id}/decide/", {"approve": True},
                                   format="json")  # fmt: skip
    assert refused.status_code == 403
    ok = api("ht.chanhvp").post(f"/api/v1/coordination/{req.pk}/extensions/{ext_id}/decide/", {"approve": True},
                                format="json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    answered = cv.post(f"/api/v1/coordination/{req.pk}/reply/", {"opinion": "Đồng ý", "agree": True}, format="json")
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    again = cv.post(f"/api/v1/coordination/{req.pk}/reply/", {"opinion": "Đồng ý", "agree": True}, format="json")
    assert again.status_code == 409


def test_api_reply_after_close_is_409(req, api):
    assert api("ht.tonghop.cv1").post(f"/api/v1/coordination/{req.pk}/close/").status_code == 200
    response = api("ht.kinhte.cv1").post(f"/api/v1/coordination/{req.pk}/reply/", {"opinion": "x", "agree": True},
                                         format="json")  # fmt: skip
    assert response.status_code == 409
    assert "đã kết thúc" in response.json()["detail"]


def test_api_list_is_bounded_in_queries(hatinh, person, api, django_assert_max_num_queries):
    sender = person("ht.tonghop.cv1")
    client = api("ht.tonghop.cv1")

    def make(n):
        for i in range(n):
            coordination.send_request(sender, subject=f"Việc {i}", to=["ht.kinhte.cv1", "vhxh"])

    make(3)
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/coordination/").json()["count"] == 3
    make(27)
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/coordination/").json()["count"] == 30


# --------------------------------------------------------------------------- pages


def test_send_reply_and_decide_through_the_pages(hatinh, login, person):
    sender = login("ht.tonghop.cv1")
    kinhte = person("ht.kinhte.cv1")
    response = sender.post(
        "/cong-viec/phoi-hop/moi/",
        {"kind": "coordination", "subject": "Góp ý báo cáo quý", "body": "", "people": [kinhte.pk], "units": []},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    req = CoordinationRequest.objects.get()
    page = sender.get(f"/cong-viec/phoi-hop/{req.pk}/").content.decode()
    assert kinhte.full_name in page and "Chưa trả lời" in page

    client = login("ht.kinhte.cv1")
    form = client.get(f"/cong-viec/phoi-hop/{req.pk}/tra-loi/").content.decode()
    for part in ["Thẩm quyền giải quyết", "Sự cần thiết, tính hợp lý, hợp pháp, hiệu quả",
                 "Mối liên hệ với ý kiến chỉ đạo trước đây", "Đề xuất, kiến nghị cụ thể"]:  # fmt: skip
        assert part in form
    empty = client.post(f"/cong-viec/phoi-hop/{req.pk}/tra-loi/", {"agree": "yes"})
    assert empty.status_code == 200 and "This field is required" not in empty.content.decode()
    done = client.post(f"/cong-viec/phoi-hop/{req.pk}/tra-loi/", {"agree": "yes", "proposal": "Thống nhất ban hành"})
    assert done.status_code == 302
    assert "Thống nhất ban hành" in client.get(f"/cong-viec/phoi-hop/{req.pk}/").content.decode()


def test_the_form_shows_service_errors_next_to_the_field(hatinh, login, person):
    client = login("ht.tonghop.cv1")
    response = client.post(
        "/cong-viec/phoi-hop/moi/",
        {"kind": "coordination", "subject": "X", "people": [person("ht.kinhte.cv1").pk], "due": "2026-12-31"},
    )
    assert response.status_code == 200
    assert "phải được Chánh Văn phòng đồng ý" in response.content.decode()
    assert not CoordinationRequest.objects.exists()


def test_files_are_served_only_to_those_who_see_the_request(hatinh, person, login):
    req = coordination.send_request(person("ht.tonghop.cv1"), subject="X", to=["ht.kinhte.cv1"],
                                    files=[SimpleUploadedFile("a.pdf", PDF)])  # fmt: skip
    url = f"/cong-viec/phoi-hop/{req.pk}/tep/{req.files.get().pk}/"
    ok = login("ht.kinhte.cv1").get(url)
    assert ok.status_code == 200 and b"".join(ok.streaming_content).startswith(b"%PDF")
    assert login("ht.vhxh.cv2").get(url).status_code == 404


def test_each_due_date_is_shown_with_how_it_was_counted_and_the_rule(req, login):
    # Issue 5: the reading of the rule is shown beside the due date; 000 Điều 16.3 (L221): 2 working days.
    note = "2 ngày làm việc kể từ ngày nhận 10/03/2026"
    detail = login("ht.kinhte.cv1").get(f"/cong-viec/phoi-hop/{req.pk}/").content.decode()
    assert "23:59 12/03/2026" in detail and note in detail and "000 Điều 16.3" in detail
    listing = login("ht.kinhte.cv1").get("/cong-viec/phoi-hop/").content.decode()
    assert note in listing
    assert "trả lời bằng văn bản trong 2 ngày làm việc kể từ ngày nhận, vấn đề phức tạp 3 ngày làm việc" in listing
    assert note in login("ht.tonghop.cv1").get(f"/cong-viec/phoi-hop/{req.pk}/").content.decode()


def test_an_approved_extension_is_shown_beside_the_new_due_date(req, person, login):
    ext = coordination.request_extension(person("ht.kinhte.cv1"), req, until=dt.date(2026, 3, 20), reason="Cần số liệu")
    coordination.decide_extension(person("ht.chanhvp"), ext, approve=True)
    detail = login("ht.tonghop.cv1").get(f"/cong-viec/phoi-hop/{req.pk}/").content.decode()
    assert "23:59 20/03/2026" in detail and "gia hạn đến hết ngày 20/03/2026" in detail


def test_an_office_whose_regulation_sets_no_limit_says_so_on_the_list(binhthuan, login):
    # 002 Điều 21.3 gives no number of days: the page must not show Hà Tĩnh's 02/03 days.
    page = login("bt.tonghop.cv1").get("/cong-viec/phoi-hop/").content.decode()
    assert "không quy định số ngày trả lời phối hợp" in page and "02 ngày" not in page


@pytest.mark.parametrize(
    ("profile", "normal", "complex_days", "internal"),
    [
        ("hatinh-ubnd", 2, 3, 3),  # 000 Điều 16.3 (L221), Điều 17.2 (L228)
        ("daklak-ubnd", None, None, None),  # 001: «trả lời kịp thời», no number of days
        ("binhthuan-tinhuy", None, None, None),  # 002 Điều 21.3: «phải trả lời», no number (GAP)
        ("binhduong-ubnd", None, None, None),  # 003 §4: no time limit at all
        ("tinhuy-vptw", None, None, None),  # 004: no time limit for consultation
    ],
)
def test_every_profile_has_its_own_reply_limit_and_none_is_borrowed(profile, normal, complex_days, internal, db):
    from office.services.profiles import load_profile

    org = load_profile(profile, demo_users=True, password="matkhau-demo-2026").organisation
    assert coordination.reply_days(org, "coordination", False) == normal
    assert coordination.reply_days(org, "coordination", True) == complex_days
    assert coordination.reply_days(org, "internal", False) == internal
    sender = org.staff.filter(posts__position="chuyen_vien").first()
    head = org.staff.exclude(pk=sender.pk).filter(posts__position="truong_phong").first()
    if normal is None:  # the sender must set the date; the system does not invent one
        with pytest.raises(ValidationError) as exc:
            coordination.send_request(sender, subject="X", to=[head.user.username])
        assert "người gửi phải nhập hạn trả lời" in exc.value.message_dict["due"][0]
    else:
        req = coordination.send_request(sender, subject="X", to=[head.user.username], now=at("2026-02-13"))
        # Friday 13/02/2026, then Tết (14–22/02): 2 working days → Tuesday 24/02.
        assert timezone.localtime(req.recipients.get().due_at).date() == dt.date(2026, 2, 24)
