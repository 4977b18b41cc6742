"""Phiếu trình journey (issue 4): a specialist drafts and submits, the head, the supervising
Phó Chánh (approving without an opinion) and the Chánh approve from "Chờ tôi duyệt", the
Phó Chánh signs KT., the clerk numbers and issues."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
TITLE = "Dự thảo Quyết định thành lập Tổ công tác cải cách hành chính"


def _docx(path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _approve(page, log_in, log_out, username, opinion=""):
    log_in(username)
    page.get_by_role("link", name="Phiếu trình", exact=True).click()
    page.locator("#wait-h + ul").get_by_role("link", name=TITLE).click()
    page.get_by_label("Đồng ý", exact=True).check()
    if opinion:
        page.get_by_label("Ý kiến", exact=True).fill(opinion)
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi ý kiến.")
    log_out()


def test_draft_approvals_signing_and_issuing(log_in, log_out, page, tmp_path):
    from documents.models import OutgoingDocument

    log_in("ht.tonghop.cv1")
    page.get_by_role("link", name="Phiếu trình", exact=True).click()
    page.get_by_role("link", name="Lập phiếu trình").click()
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Tóm tắt nội dung, đề xuất của chuyên viên").fill("Đề nghị Chánh Văn phòng ký ban hành.")
    page.get_by_label("Loại văn bản dự thảo").select_option(label="Quyết định")
    page.get_by_label("Dự thảo (DOCX, PDF)").set_input_files(_docx(tmp_path / "du-thao.docx"))
    page.get_by_role("button", name="Gửi phiếu trình").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi phiếu trình.")
    log_out()

    _approve(page, log_in, log_out, "ht.tonghop.truong", "Kính trình Lãnh đạo Văn phòng")
    _approve(page, log_in, log_out, "ht.pcvp1")  # no opinion: recorded as agreeing (000 Điều 6.3)
    _approve(page, log_in, log_out, "ht.chanhvp", "Đồng ý, giao Phó Chánh ký")

    log_in("ht.pcvp1")
    page.get_by_role("link", name="Văn bản đi").click()
    page.get_by_role("link", name="(chưa cấp số)").click()
    expect(page.locator("#o-act + form")).to_be_visible()
    page.get_by_label("Thẩm quyền ký").select_option(label="Ký thay (KT.)")
    page.get_by_role("button", name="Ký văn bản").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ký văn bản.")
    expect(page.locator(".facts")).to_contain_text("KT. CHÁNH VĂN PHÒNG")
    log_out()

    log_in("ht.vanthu1")
    page.get_by_role("link", name="Văn bản đi").click()
    page.get_by_role("link", name="(chưa cấp số)").click()
    page.get_by_label("Nơi nhận (mỗi dòng một nơi)").fill("Các phòng, đơn vị thuộc Văn phòng\nLãnh đạo Văn phòng")
    page.get_by_role("button", name="Cấp số và phát hành").click()
    expect(page.get_by_role("status")).to_contain_text("Đã phát hành: số 01/QĐ-VP")

    doc = OutgoingDocument.objects.get()
    assert doc.status == "issued" and doc.signed_capacity == "KT"
    assert doc.submission.steps.get(kind="office_leader").opinions.get().implied
