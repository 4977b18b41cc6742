"""Approval sheets and outgoing documents through the API (../shared/spec/api.md)."""

import io

import pytest

from .incoming_helpers import docx, register


def _create(client, **extra):
    draft = docx()
    payload = {
        "title": "Dự thảo Công văn trả lời Sở Tài chính",
        "summary": "Đề nghị Lãnh đạo Văn phòng ký công văn trả lời.",
        "doc_type": "cong_van",
        "draft": draft,
    }
    payload.update(extra)
    return client.post("/api/v1/submissions/", payload, format="multipart")


def test_draft_approvals_signing_and_issuing_through_the_api(hatinh, api, person):
    from documents.services import routing

    incoming = register(person("ht.vanthu1"))
    routing.route(incoming, person("ht.chanhvp"), [routing.RouteItem(role="lead", staff=person("ht.tonghop.cv1"))])
    created = _create(api("ht.tonghop.cv1"), incoming=incoming.pk)
    assert created.status_code == 201, created.json()
    sub = created.json()
    assert (
        sub["status"] == "in_progress" and sub["outgoing"] and sub["current_step"]["holders"] == ["ht.tonghop.truong"]
    )
    sid, oid = sub["id"], sub["outgoing"]

    # not yours → 409, nothing changes
    assert (
        api("ht.pcvp1").post(f"/api/v1/submissions/{sid}/decide/", {"decision": "approve"}, format="json").status_code
        == 409
    )
    for username, opinion in [("ht.tonghop.truong", "Trình Lãnh đạo VP"), ("ht.pcvp1", ""), ("ht.chanhvp", "Đồng ý")]:
        r = api(username).post(
            f"/api/v1/submissions/{sid}/decide/", {"decision": "approve", "opinion": opinion}, format="json"
        )
        assert r.status_code == 200, r.json()
    detail = api("ht.tonghop.cv1").get(f"/api/v1/submissions/{sid}/").json()
    assert detail["status"] == "approved"
    pcvp_row = next(s for s in detail["steps"] if s["username"] == "ht.pcvp1")
    assert pcvp_row["implied"] and pcvp_row["decision"] == "approve" and pcvp_row["acted_by"] == "ht.pcvp1"
    # already decided → 409
    assert (
        api("ht.chanhvp").post(f"/api/v1/submissions/{sid}/decide/", {"decision": "approve"}, format="json").status_code
        == 409
    )

    outsider = api("ht.pcvp2").post(f"/api/v1/outgoing/{oid}/sign/", {"capacity": "KT"}, format="json")
    assert outsider.status_code == 404  # a Phó Chánh not on the sheet does not know it exists
    refused = api("ht.tonghop.truong").post(f"/api/v1/outgoing/{oid}/sign/", {"capacity": "KT"}, format="json")
    assert refused.status_code == 403 and "không có thẩm quyền ký" in refused.json()["detail"]
    signed = api("ht.pcvp1").post(f"/api/v1/outgoing/{oid}/sign/", {"capacity": "KT"}, format="json")
    assert signed.status_code == 200 and signed.json()["signature"][0] == "KT. CHÁNH VĂN PHÒNG"

    empty = api("ht.vanthu1").post(f"/api/v1/outgoing/{oid}/issue/", {"recipients": []}, format="json")
    assert empty.status_code == 400
    issued = (
        api("ht.vanthu1")
        .post(f"/api/v1/outgoing/{oid}/issue/", {"recipients": ["Sở Tài chính tỉnh Hà Tĩnh"]}, format="json")
        .json()
    )
    assert (
        issued["number"] == 1
        and issued["symbol"] == "01/VP-TH"
        and issued["recipients"] == ["Sở Tài chính tỉnh Hà Tĩnh"]
    )
    incoming.refresh_from_db()
    assert incoming.status == "done" and incoming.answered_by_symbol == "01/VP-TH"
    assert (
        api("ht.vanthu1").post(f"/api/v1/outgoing/{oid}/issue/", {"recipients": ["X"]}, format="json").status_code
        == 409
    )


def test_submission_pdf_shows_the_sheet_and_opinions_in_vietnamese(hatinh, api):
    from pypdf import PdfReader

    sid = _create(api("ht.tonghop.cv1")).json()["id"]
    api("ht.tonghop.truong").post(
        f"/api/v1/submissions/{sid}/decide/",
        {"decision": "approve", "opinion": "Đề nghị Lãnh đạo xem xét"},
        format="json",
    )
    api("ht.pcvp1").post(f"/api/v1/submissions/{sid}/decide/", {"decision": "approve"}, format="json")
    pdf = api("ht.tonghop.cv1").get(f"/api/v1/submissions/{sid}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for words in [
        "PHIẾU TRÌNH",
        "Dự thảo Công văn trả lời Sở Tài chính",
        "Đề nghị Lãnh đạo xem xét",
        "Đồng ý với đề xuất của chuyên viên",
    ]:
        assert words in text, words


def test_bad_submission_input_is_400_and_outsiders_get_404(hatinh, api):
    client = api("ht.tonghop.cv1")
    bad = client.post("/api/v1/submissions/", {"title": "", "summary": "x", "route": ["ht.pcvp1"]}, format="multipart")
    assert bad.status_code == 400
    wrong_route = _create(client, route=["ht.pcvp1", "ht.chanhvp"])
    assert wrong_route.status_code == 400 and "Điều 11 khoản 6" in wrong_route.json()["errors"]["route"][0]
    not_a_doc = io.BytesIO(b"just text")
    not_a_doc.name = "du-thao.docx"
    assert _create(client, draft=not_a_doc).status_code == 400
    sid = _create(client).json()["id"]
    assert api("ht.kinhte.cv1").get(f"/api/v1/submissions/{sid}/").status_code == 404
    assert api("ht.kinhte.cv1").get(f"/api/v1/submissions/{sid}/pdf").status_code == 404


@pytest.mark.parametrize("capacity", ["", "TL", "TUQ", "Q"])
def test_a_specialist_signing_is_refused_with_403_and_a_reason(hatinh, api, capacity):
    client = api("ht.tonghop.cv1")
    sub = _create(client).json()
    for username in ["ht.tonghop.truong", "ht.pcvp1", "ht.chanhvp"]:
        api(username).post(
            f"/api/v1/submissions/{sub['id']}/decide/", {"decision": "approve", "opinion": "ok"}, format="json"
        )
    r = client.post(f"/api/v1/outgoing/{sub['outgoing']}/sign/", {"capacity": capacity}, format="json")
    assert r.status_code == 403 and "thẩm quyền" in r.json()["detail"]


def test_the_chairman_decides_a_sheet_sent_up_to_him_in_the_browser_pages_and_the_api(hatinh, person, login, api):
    """The drafter picks «Trình tiếp lãnh đạo cấp trên» on the form; the Chủ tịch finds it in «Chờ tôi duyệt»."""
    from documents.models import Submission
    from documents.services import submissions
    from office.models import Principal

    drafter = login("ht.tonghop.cv1")
    form = drafter.get("/van-ban/trinh/moi/").content.decode()
    assert "Trình tiếp lãnh đạo cấp trên" in form and "Chủ tịch UBND tỉnh" in form
    chutich = Principal.objects.get(organisation=hatinh, key="chutich")
    response = drafter.post(
        "/van-ban/trinh/moi/",
        {"title": "Dự thảo Quyết định phê duyệt đề án", "summary": "Kính trình Chủ tịch.", "principal": chutich.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sub = Submission.objects.get()
    assert sub.steps.last().kind == "principal"
    bad = api("ht.tonghop.cv1").post(
        "/api/v1/submissions/", {"title": "X", "summary": "Y", "principal": "khong-co"}, format="json"
    )
    assert bad.status_code == 400 and "principal" in bad.json()["errors"]
    for who in ("ht.tonghop.truong", "ht.pcvp1", "ht.chanhvp"):
        submissions.decide(sub, person(who), "approve")
    chairman = login("ht.chutich")
    assert chairman.get("/").status_code == 200
    waiting = chairman.get("/van-ban/trinh/").content.decode()
    assert "Dự thảo Quyết định phê duyệt đề án" in waiting
    chairman.post(f"/van-ban/trinh/{sub.pk}/y-kien/", {"decision": "approve", "opinion": "Đồng ý."})
    sub.refresh_from_db()
    assert sub.status == "approved"
