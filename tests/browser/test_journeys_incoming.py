"""Incoming-document journey (issue 3), clicked through as staff do: the clerk registers a
document with its PDF and finds it by typing the trích yếu without diacritics; the Chánh
distributes it to Phòng Tổng hợp; the head assigns a specialist; the specialist closes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SUMMARY = "Về việc đề nghị hỗ trợ kinh phí khắc phục hậu quả lũ lụt"


def _label(username: str) -> str:
    from office.models import Staff

    staff = Staff.objects.prefetch_related("posts__unit").get(user__username=username)
    return f"{staff.full_name} — {staff.main_post.display_title}"


def test_clerk_to_leader_to_unit_head_to_specialist(log_in, log_out, page, tmp_path):
    from documents.models import IncomingDocument

    scan = tmp_path / "cong-van-125.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # Văn thư: register the document.
    log_in("ht.vanthu1")
    page.get_by_role("link", name="Văn bản đến").click()
    page.get_by_role("link", name="Vào sổ văn bản đến").click()
    page.get_by_label("Cơ quan ban hành").fill("UBND huyện Hương Khê")
    page.get_by_label("Số, ký hiệu").fill("125/UBND-TH")
    page.get_by_label("Ngày văn bản").fill("2026-01-05")
    page.get_by_label("Loại văn bản").select_option(label="Công văn")
    page.get_by_label("Trích yếu").fill(SUMMARY)
    page.get_by_label("Độ khẩn").select_option(label="Thượng khẩn")
    page.get_by_label("Tệp văn bản (PDF, DOCX)").set_input_files(str(scan))
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã vào sổ: số đến 1")
    expect(page.get_by_role("link", name="cong-van-125.pdf")).to_be_visible()

    # ... and find it by typing without diacritics (htmx search as you type).
    page.get_by_role("link", name="Văn bản đến").click()
    page.get_by_label(re.compile("Tìm theo số ký hiệu")).fill("kinh phi khac phuc lu lut")
    expect(page.locator("#register-rows")).to_contain_text(SUMMARY)
    log_out()

    # Chánh Văn phòng: the document waits at the top of the inbox; distribute it.
    log_in("ht.chanhvp")
    page.get_by_role("link", name="Chờ xử lý").click()
    row = page.locator("tr", has_text=SUMMARY)
    expect(row).to_contain_text("Thượng khẩn")
    row.get_by_role("link", name="125/UBND-TH").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("125/UBND-TH")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Phòng Tổng hợp")
    page.get_by_label("hoặc số ngày làm việc").fill("3")
    page.get_by_label("Ý kiến chỉ đạo").fill("Giao Phòng Tổng hợp chủ trì tham mưu.")
    page.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển xử lý.")
    log_out()

    # Trưởng phòng Tổng hợp: assign a specialist of the unit.
    log_in("ht.tonghop.truong")
    page.get_by_role("link", name="Chờ xử lý").click()
    page.locator("tr", has_text=SUMMARY).get_by_role("link", name="125/UBND-TH").click()
    page.get_by_label("Người chủ trì xử lý").select_option(label=_label("ht.tonghop.cv1"))
    page.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển xử lý.")
    log_out()

    # Chuyên viên: close it with the result.
    log_in("ht.tonghop.cv1")
    page.get_by_role("link", name="Chờ xử lý").click()
    page.locator("tr", has_text=SUMMARY).get_by_role("link", name="125/UBND-TH").click()
    page.get_by_label("Kết quả").select_option(label="Lưu hồ sơ")
    page.get_by_role("button", name="Hoàn thành").click()
    expect(page.get_by_role("status")).to_contain_text("Đã kết thúc xử lý văn bản.")
    expect(page.locator("#timeline-h + ol")).to_contain_text("Hoàn thành: Lưu hồ sơ")

    doc = IncomingDocument.objects.get()
    assert doc.status == "done"
    assert [e.action for e in doc.events.all()] == ["register", "present", "route", "route", "complete"]
