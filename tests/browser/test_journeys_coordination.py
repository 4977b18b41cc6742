"""Coordination journey (issue 5), clicked through as staff do: a specialist of Phòng Tổng hợp asks
Phòng Kinh tế ngành for a written opinion with the file attached; the unit head finds it in their
work list with the due date counted in working days from the profile (000 Điều 16.3: 02 working
days), asks for more time, which only the Chánh Văn phòng can grant, then answers with the four
parts of 000 Điều 14.5; the sender reads the answer. A second journey: a leader's overdue
dashboard shows a reply that is late."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SUBJECT = "Dự thảo kế hoạch chuyển đổi số năm 2027"


def nav(page, label: str):
    """A link of the main navigation, by its label (the notification link carries its unread count)."""
    main = page.get_by_role("navigation", name="Điều hướng chính")
    return main.get_by_role("link", name=re.compile(rf"^{re.escape(label)}\b"))


def sub(page, label: str):
    """A link of the work pages' own navigation."""
    return page.get_by_role("navigation", name="Công việc").get_by_role("link", name=label, exact=True)


def _full_name(username: str) -> str:
    from office.models import Staff

    return Staff.objects.get(user__username=username).full_name


def test_specialist_asks_a_unit_for_an_opinion_and_gets_a_structured_answer(log_in, log_out, page, tmp_path):
    from django.utils import timezone

    from office.services import calendar
    from workflow.models import CoordinationRecipient, DeadlineExtension

    draft = tmp_path / "du-thao-ke-hoach.pdf"
    draft.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    today = timezone.localdate()
    due = timezone.localtime(calendar.due_at(today, 2)).date()  # hatinh-ubnd: reply_working_days 2
    extended = due + dt.timedelta(days=5)
    head = _full_name("ht.kinhte.truong")

    # Chuyên viên Phòng Tổng hợp: send the request to Phòng Kinh tế ngành with the draft.
    log_in("ht.tonghop.cv1")
    nav(page, "Phối hợp").click()
    page.get_by_role("link", name="Gửi xin ý kiến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi xin ý kiến phối hợp")
    expect(page.locator(".page-head")).to_contain_text("Hạn trả lời: 2 ngày làm việc kể từ ngày nhận")
    page.get_by_label("Trích yếu").fill(SUBJECT)
    page.get_by_label("Nội dung xin ý kiến").fill("Đề nghị Phòng Kinh tế ngành cho ý kiến về dự thảo.")
    page.get_by_label("Phòng Kinh tế ngành").check()
    page.get_by_label("Tệp hồ sơ (PDF, DOCX)").set_input_files(str(draft))
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi xin ý kiến phối hợp.")
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_role("link", name="du-thao-ke-hoach.pdf")).to_be_visible()
    row = page.locator("#rec-h + table tbody tr", has_text=head)
    expect(row).to_contain_text(f"23:59 {due:%d/%m/%Y}")
    expect(row).to_contain_text("Chưa trả lời")
    log_out()

    # Trưởng phòng Kinh tế ngành: told in the header, the request waits in the work list with its due date.
    log_in("ht.kinhte.truong")
    expect(nav(page, "Thông báo")).to_contain_text("1")
    nav(page, "Phối hợp").click()
    sub(page, "Việc của tôi, quá hạn").click()
    work = page.locator("tr", has_text=f"Trả lời xin ý kiến: {SUBJECT}")
    expect(work).to_contain_text(f"23:59 {due:%d/%m/%Y}")
    expect(work).to_contain_text(f"2 ngày làm việc kể từ ngày nhận {today:%d/%m/%Y}")
    expect(work).to_contain_text("000 Điều 16.3")
    work.get_by_role("link", name=f"Trả lời xin ý kiến: {SUBJECT}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_role("link", name="du-thao-ke-hoach.pdf")).to_be_visible()

    # ... asks for more time: it takes effect only once the Chánh agrees.
    page.get_by_text("Xin gia hạn (phải được Chánh Văn phòng đồng ý)").click()
    page.get_by_label("Xin gia hạn đến hết ngày").fill(f"{extended:%Y-%m-%d}")
    page.get_by_label("Lý do").fill("Cần lấy thêm số liệu của các sở.")
    page.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    expect(page.get_by_role("status")).to_contain_text("hạn mới chỉ có hiệu lực khi được đồng ý")
    expect(page.locator("#ext-h + table")).to_contain_text("Chờ duyệt")
    expect(page.locator("#act-h ~ p").first).to_contain_text(f"23:59 {due:%d/%m/%Y}")
    log_out()

    # Chánh Văn phòng: told of the request, agrees to the extension.
    log_in("ht.chanhvp")
    nav(page, "Thông báo").click()
    item = page.locator("li.notification", has_text=f"Xin gia hạn trả lời đến {extended:%d/%m/%Y}")
    item.get_by_role("button", name="Mở").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    page.get_by_role("button", name="Đồng ý gia hạn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đồng ý gia hạn.")
    expect(page.locator("#rec-h + table tbody tr", has_text=head)).to_contain_text(f"23:59 {extended:%d/%m/%Y}")
    log_out()

    # Trưởng phòng: the new due date, then the written answer with the four parts of 000 Điều 14.5.
    log_in("ht.kinhte.truong")
    nav(page, "Phối hợp").click()
    received = page.locator("#rec-h + table tbody tr", has_text=SUBJECT)
    expect(received).to_contain_text(f"23:59 {extended:%d/%m/%Y}")
    expect(received).to_contain_text(f"gia hạn đến hết ngày {extended:%d/%m/%Y}")
    received.get_by_role("link", name=SUBJECT).click()
    page.get_by_role("link", name="Trả lời ý kiến").click()
    page.get_by_label("a) Thẩm quyền giải quyết").fill("Thuộc thẩm quyền của UBND tỉnh.")
    page.get_by_label("b) Sự cần thiết, tính hợp lý, hợp pháp, hiệu quả").fill("Cần thiết, đúng quy định.")
    page.get_by_label("c) Mối liên hệ với ý kiến chỉ đạo trước đây").fill("Phù hợp Kết luận 15/KL-UBND.")
    page.get_by_label("d) Đề xuất, kiến nghị cụ thể").fill("Bổ sung chỉ tiêu về dịch vụ công trực tuyến.")
    page.get_by_label("Đồng ý", exact=True).check()
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi ý kiến tham gia.")
    log_out()

    # Chuyên viên (the sender): told of the answer, reads it on the request.
    log_in("ht.tonghop.cv1")
    nav(page, "Thông báo").click()
    answer = page.locator("li.notification", has_text=f"{head} đã trả lời: {SUBJECT}")
    expect(answer).to_contain_text("Bổ sung chỉ tiêu về dịch vụ công trực tuyến.")
    answer.get_by_role("button", name="Mở").click()
    row = page.locator("#rec-h + table tbody tr", has_text=head)
    expect(row).to_contain_text("Đồng ý")
    expect(row).to_contain_text("Thuộc thẩm quyền của UBND tỉnh.")
    expect(row).to_contain_text("Phù hợp Kết luận 15/KL-UBND.")
    expect(row).to_contain_text("Bổ sung chỉ tiêu về dịch vụ công trực tuyến.")

    recipient = CoordinationRecipient.objects.get(request__subject=SUBJECT)
    assert recipient.state == "answered" and recipient.agree is True
    assert recipient.view_merit == "Cần thiết, đúng quy định."
    ext = DeadlineExtension.objects.get()
    assert ext.state == "approved" and ext.decided_by.user.username == "ht.chanhvp"


def test_the_leaders_overdue_dashboard_shows_a_late_reply(log_in, page):
    """A request sent a month ago and never answered: the scan flags it, the Chánh sees it per unit and person."""
    from django.utils import timezone

    from office.models import Staff
    from workflow.services import coordination
    from workflow.services.scan import run_deadline_scan

    sender = Staff.objects.get(user__username="ht.tonghop.cv1")
    month_ago = timezone.now() - dt.timedelta(days=30)  # past any holiday run, Tết included
    coordination.send_request(sender, subject="Góp ý đề án vị trí việc làm", to=["noichinh"], now=month_ago)
    run_deadline_scan(timezone.now(), generate=False, email=False)
    head = _full_name("ht.noichinh.truong")

    log_in("ht.chanhvp")
    nav(page, "Phối hợp").click()
    sub(page, "Theo dõi quá hạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi việc quá hạn")
    expect(page.locator("#unit-h + table")).to_contain_text("Phòng Nội chính")
    expect(page.locator("#person-h + table")).to_contain_text(head)
    late = page.locator("#items-h + table tbody tr", has_text="Trả lời xin ý kiến: Góp ý đề án vị trí việc làm")
    expect(late).to_contain_text(head)
    late.get_by_role("link").click()
    expect(page.locator("#rec-h + table tbody tr", has_text=head)).to_contain_text("Quá hạn")
