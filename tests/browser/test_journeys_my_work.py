"""«Việc của tôi» from the main navigation (issue-5 audit): on a phone a specialist opens the menu,
sees how many of their items are overdue next to «Việc của tôi» and lands on the list; the
coordination form lists people as «Họ tên — chức vụ», grouped by unit, and sends with the keyboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_on_a_phone_my_work_is_in_the_menu_with_the_overdue_count(log_in, page, office):
    from django.utils import timezone

    from office.models import Staff
    from workflow.services import deadlines

    me = Staff.objects.get(user__username="ht.kinhte.cv1")
    for i in range(2):
        deadlines.open_deadline(office, kind=f"test.late.{i}", title=f"Việc quá hạn {i}", assignee=me,
                                due_at=timezone.now() - dt.timedelta(days=2), url="/cong-viec/")  # fmt: skip
    page.set_viewport_size({"width": 375, "height": 740})
    log_in("ht.kinhte.cv1")
    menu = page.get_by_role("button", name="Menu")
    link = page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile(r"^Việc của tôi\b")
    )
    expect(link).to_be_hidden()
    menu.click()
    expect(link).to_be_visible()
    expect(link).to_have_accessible_name("Việc của tôi 2 quá hạn")  # filled in by the header's poll
    link.click()
    expect(page).to_have_url(re.compile(r"/cong-viec/$"))
    expect(page.get_by_text("Việc quá hạn 0")).to_be_visible()


def test_the_recipient_picker_is_grouped_by_unit_and_works_with_the_keyboard(log_in, page):
    from office.models import Staff

    head = Staff.objects.prefetch_related("posts__unit").get(user__username="ht.kinhte.truong")
    label = f"{head.full_name} — {head.main_post.display_title}"
    log_in("ht.tonghop.cv1")
    page.goto("/cong-viec/phoi-hop/moi/")
    picker = page.get_by_label("Cán bộ được xin ý kiến")
    group = picker.locator("optgroup[label='Phòng Kinh tế ngành']")
    expect(group.locator("option").first).to_have_text(label)  # the unit head first
    page.get_by_label("Trích yếu").fill("Góp ý dự thảo quy chế")
    expect(page.get_by_label("Phòng Kinh tế ngành — đơn vị chuyên môn")).to_be_visible()
    steps = picker.locator("option").all_text_contents().index(label)
    picker.focus()
    page.keyboard.press("Home")  # arrows move through the list, across the unit groups
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    expect(picker).to_have_values([str(head.pk)])
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi xin ý kiến phối hợp.")
    expect(page.locator("#rec-h + table tbody tr", has_text=head.full_name)).to_be_visible()
