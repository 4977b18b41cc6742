"""Incoming-document API (../shared/spec/api.md) and register output."""

import io

import pytest
from django.utils import timezone

from documents.models import IncomingDocument

from .incoming_helpers import PDF_BYTES, register


def _post(client, **overrides):
    payload = {
        "sender": "UBND huyện Đức Thọ",
        "symbol": "125/UBND-TH",
        "issued_date": "2026-01-05",
        "doc_type": "quyet_dinh",
        "summary": "Quyết định phê duyệt kế hoạch phòng chống thiên tai năm 2026",
        "urgency": "khan",
        "confidentiality": "thuong",
        "received_at": timezone.localtime().replace(hour=0, minute=5).isoformat(),
        "pages": 3,
        "files": [io.BytesIO(PDF_BYTES)],
    }
    payload["files"][0].name = "qd.pdf"
    payload.update(overrides)
    return client.post("/api/v1/incoming/", payload, format="multipart")


def test_clerk_registers_through_the_api_and_gets_register_and_number(hatinh, api):
    response = _post(api("ht.vanthu1"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1 and body["register"].startswith("Sổ đăng ký văn bản đến năm")
    assert body["status"] == "presented" and body["files"][0]["sha256"]
    assert body["assignments"][0]["username"] == "ht.chanhvp"
    assert body["history"][0]["text"].startswith("Vào sổ: số đến 1")


def test_bad_registration_is_400_in_vietnamese_and_consumes_no_number(hatinh, api):
    client = api("ht.vanthu1")
    bad = _post(client, symbol="khong phai so ky hieu", received_at="2099-01-01T08:00:00+07:00")
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert "không phải số, ký hiệu" in errors["symbol"][0] and "tương lai" in errors["received_at"][0]
    fake = io.BytesIO(b"MZ\x90\x00 this is an exe")
    fake.name = "van-ban.pdf"
    assert _post(client, files=[fake]).status_code == 400
    assert _post(client).json()["number"] == 1


def test_a_non_clerk_cannot_register(hatinh, api):
    assert _post(api("ht.tonghop.cv1")).status_code == 403
    assert not IncomingDocument.objects.exists()


def test_duplicate_needs_confirmation(hatinh, api):
    client = api("ht.vanthu1")
    assert _post(client).status_code == 201
    dup = _post(client)
    assert dup.status_code == 400 and "trùng" in dup.json()["errors"]["duplicate"][0]
    assert _post(client, confirm_duplicate="true").status_code == 201


@pytest.mark.parametrize(
    ("query", "hit"),
    [
        ("quyet dinh", True),
        ("QUYẾT ĐỊNH", True),
        ("duc tho", True),
        ("125/ubnd", True),
        ("thien tai 2026", True),
        ("bao cao", False),
    ],
)
def test_search_ignores_diacritics_and_case(hatinh, api, query, hit):
    client = api("ht.vanthu1")
    _post(client)
    found = client.get("/api/v1/incoming/", {"q": query}).json()
    assert (found["count"] == 1) is hit


def test_dak_lak_finds_dak_lak_with_other_marks(hatinh, api, person):
    register(person("ht.vanthu1"), sender="Văn phòng UBND tỉnh Đắk Lắk")
    assert api("ht.vanthu1").get("/api/v1/incoming/", {"q": "Đăk Lăk"}).json()["count"] == 1


def test_route_and_complete_through_the_api_with_409_and_403(hatinh, api):
    doc_id = _post(api("ht.vanthu1")).json()["id"]
    chanh = api("ht.chanhvp")
    # a specialist may not distribute
    assert api("ht.tonghop.cv1").post(f"/api/v1/incoming/{doc_id}/route/", {}, format="json").status_code == 404
    bad = chanh.post(
        f"/api/v1/incoming/{doc_id}/route/",
        {"assignments": [{"username": "bt.chanhvp", "role": "lead"}]},
        format="json",
    )
    assert bad.status_code == 400
    routed = chanh.post(
        f"/api/v1/incoming/{doc_id}/route/",
        {
            "assignments": [
                {"username": "ht.tonghop.cv1", "role": "lead", "deadline": "2099-12-31"},
                {"unit": "kinhte", "role": "coordinate"},
            ],
            "instruction": "Tham mưu trả lời",
        },
        format="json",
    )
    assert routed.status_code == 200, routed.json()
    roles = {(a["username"], a["role"]) for a in routed.json()["assignments"]}
    assert ("ht.tonghop.cv1", "lead") in roles and ("ht.kinhte.truong", "coordinate") in roles
    again = chanh.post(
        f"/api/v1/incoming/{doc_id}/route/", {"assignments": [{"unit": "qttv", "role": "lead"}]}, format="json"
    )
    assert again.status_code == 403
    cv = api("ht.tonghop.cv1")
    done = cv.post(f"/api/v1/incoming/{doc_id}/complete/", {"result": "filed"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert cv.post(f"/api/v1/incoming/{doc_id}/complete/", {"result": "filed"}, format="json").status_code == 409
    assert (
        chanh.post(
            f"/api/v1/incoming/{doc_id}/route/", {"assignments": [{"unit": "qttv", "role": "lead"}]}, format="json"
        ).status_code
        == 409
    )


def test_register_pdf_renders_vietnamese_and_xlsx_has_the_ten_columns(hatinh, api, person):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    register(person("ht.vanthu1"), sender="Sở Kế hoạch và Đầu tư", summary="Về việc thẩm định dự án đường ven biển")
    client = api("ht.vanthu1")
    year = timezone.localdate().year
    pdf = client.get(f"/api/v1/registers/incoming/{year}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for words in [
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        "Sở Kế hoạch và Đầu tư",
        "thẩm định dự án đường ven biển",
        "trích yếu nội dung",
    ]:
        assert " ".join(words.split()) in " ".join(text.split()), words
    xlsx = client.get(f"/api/v1/registers/incoming/{year}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[3]][:2] == ["Ngày đến", "Số đến"] and len(sheet[3]) == 10
    assert sheet[5][2].value == "Sở Kế hoạch và Đầu tư"
    assert api("ht.tonghop.cv1").get(f"/api/v1/registers/incoming/{year}.pdf").status_code == 403
