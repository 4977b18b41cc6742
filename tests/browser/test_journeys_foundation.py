"""Foundation journeys, clicked through as staff would: log in by role, record the Chánh's
absence with a Phó Chánh acting, see who acts for whom today, compute a due date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def full_name(username: str) -> str:
    from office.models import Staff

    return Staff.objects.get(user__username=username).full_name


def nav(page, label: str):
    """A link of the main navigation, by its exact label."""
    return page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name=label, exact=True)


def option_label(username: str) -> str:
    """How a person appears in the staff drop-downs: «name — post»."""
    from office.models import Staff

    staff = Staff.objects.prefetch_related("posts__unit").get(user__username=username)
    return f"{staff.full_name} — {staff.main_post.display_title}"


def test_anonymous_visitor_is_sent_to_the_login_page(page, office):
    page.goto("/to-chuc/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/to-chuc/"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_wrong_password_is_refused_in_vietnamese(log_in, page):
    log_in("ht.chanhvp", password="sai-mat-khau")
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


@pytest.mark.parametrize(
    ("username", "post"),
    [
        ("ht.vanthu1", "Văn thư Phòng Hành chính - Tổ chức"),
        ("ht.chanhvp", "Chánh Văn phòng"),
        ("ht.pcvp1", "Phó Chánh Văn phòng"),
        ("ht.tonghop.truong", "Trưởng phòng Tổng hợp"),
        ("ht.kinhte.cv1", "Chuyên viên Phòng Kinh tế ngành"),
    ],
)
def test_each_role_logs_in_and_sees_their_own_home_page(log_in, page, username, post):
    log_in(username)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Trang chủ", level=1)).to_be_visible()
    me = page.locator("section[aria-labelledby=me-h]")
    expect(me.get_by_role("heading", level=2)).to_have_text(full_name(username))
    expect(me).to_contain_text(post)
    expect(page.get_by_role("heading", name="Ai làm thay ai hôm nay")).to_be_visible()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    for link in ["Trang chủ", "Tổ chức", "Vắng mặt", "Lịch"]:
        expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(nav).to_contain_text(full_name(username))


def test_pho_chanh_home_lists_the_units_they_supervise(log_in, page):
    log_in("ht.pcvp1")
    expect(page.locator("section[aria-labelledby=me-h]")).to_contain_text("Phòng Tổng hợp")


def test_chanh_records_an_absence_with_a_pho_chanh_acting_and_everyone_sees_it(log_in, log_out, page):
    today = timezone.localdate()
    end = today + dt.timedelta(days=13)  # always ≥ 2 working days, even across Tết
    chanh, pcvp2 = full_name("ht.chanhvp"), full_name("ht.pcvp2")

    log_in("ht.chanhvp")
    nav(page, "Vắng mặt").click()
    form = page.locator("form", has=page.locator("input[name=form][value=absence]"))
    form.get_by_label("Loại").select_option(label="Đi công tác")
    form.get_by_label("Từ ngày").fill(today.isoformat())
    form.get_by_label("Đến hết ngày").fill(end.isoformat())
    form.get_by_label("Lý do, ghi chú").fill("Công tác Hà Nội")
    form.get_by_role("button", name="Ghi nhận").click()
    # 000 Điều 4.4 (L71): away two working days or more, the Chánh must name a Phó Chánh.
    form = page.locator("form", has=page.locator("input[name=form][value=absence]"))
    expect(form.get_by_role("alert")).to_contain_text("phải phân công một người (Phó Chánh Văn phòng) làm thay")

    form.get_by_label("Người làm thay").select_option(label=option_label("ht.pcvp2"))
    form.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("Đã ghi nhận lịch vắng mặt.")).to_be_visible()
    row = page.locator("section[aria-labelledby=list-h] tbody tr", has_text=chanh)
    expect(row).to_contain_text(pcvp2)

    nav(page, "Trang chủ").click()
    today_card = page.locator("section[aria-labelledby=today-h]")
    expect(today_card.get_by_role("row", name=re.compile(re.escape(chanh)))).to_contain_text(pcvp2)
    expect(page.locator("section[aria-labelledby=me-h]")).to_contain_text(f"do {pcvp2} xử lý thay")
    log_out()

    log_in("ht.pcvp2")
    expect(page.locator("section[aria-labelledby=acting-h]")).to_contain_text(chanh)
    log_out()

    log_in("ht.kinhte.cv1")
    expect(page.locator("section[aria-labelledby=today-h]")).to_contain_text(pcvp2)


def test_calendar_computes_a_due_date_in_place_with_htmx(log_in, page):
    log_in("ht.vanthu1")
    nav(page, "Lịch").click()
    page.get_by_label("Ngày nhận / sự kiện").fill("2026-02-13")
    page.get_by_label("Số ngày làm việc").fill("2")
    url_before = page.url
    with page.expect_response(lambda r: "days=2" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Tính hạn").click()
    # Received Friday 13/02/2026 before Tết: two working days run past the holiday.
    expect(page.locator("#due-result")).to_contain_text("24/02/2026")
    assert page.url == url_before, "the result must be swapped in, not a new page"


def test_calendar_month_navigation_shows_tet(log_in, page):
    log_in("ht.vanthu1")
    page.goto("/lich/?thang=2026-1")
    page.get_by_role("link", name="Tháng sau").click()
    expect(page.get_by_role("heading", name="Tháng 2 2026")).to_be_visible()
    expect(page.locator("table.month")).to_contain_text("Tết Nguyên Đán")


def test_organisation_page_is_reached_from_the_navigation(log_in, page):
    log_in("ht.tonghop.cv1")
    nav(page, "Tổ chức").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Phòng Tổng hợp")
    expect(page.locator("main")).to_contain_text(full_name("ht.pcvp3"))


def test_keyboard_user_can_skip_to_the_content(log_in, page):
    log_in("ht.vanthu1")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua điều hướng")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_on_a_phone_the_menu_opens_and_leads_to_the_pages(log_in, page):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in("ht.kinhte.cv1")
    menu = page.get_by_role("button", name="Menu")
    nav_link = nav(page, "Lịch")
    expect(nav_link).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav_link.click()
    expect(page).to_have_url(re.compile(r"/lich/"))


def test_logging_out_ends_the_session(log_in, log_out, page):
    log_in("ht.chanhvp")
    log_out()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


def test_api_documentation_renders_under_the_content_security_policy(log_in, page):
    """Swagger UI is served from static/ (no CDN) and starts without inline script or style:
    the page fixture fails the test on any CSP violation."""
    log_in("ht.vanthu1")
    page.goto("/api/docs/")
    expect(page.get_by_text("/api/v1/incoming/", exact=False).first).to_be_visible()
