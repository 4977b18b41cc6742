"""Leave journey (issue 6), clicked through as staff do: a specialist asks for leave of two
working days or more with a colleague to take over; the unit head agrees; the office leader
approves (000 Điều 23); the absence and the acting-for delegation follow, so an incoming
document waiting for the specialist shows in the substitute's inbox meanwhile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journeys_foundation import full_name, nav, option_label

pytestmark = pytest.mark.browser


def _document_waiting_for(username: str) -> str:
    """An incoming document distributed to Phòng Kinh tế ngành and handed to `username` (set-up, via services)."""
    from documents.services.routing import RouteItem, route
    from office.models import Staff, Unit
    from tests.incoming_helpers import register

    def staff(u: str) -> Staff:
        return Staff.objects.prefetch_related("posts").get(user__username=u)

    summary = "Về việc báo cáo tiến độ giải ngân vốn đầu tư công quý IV"
    doc = register(staff("ht.vanthu1"), summary=summary)
    route(doc, staff("ht.chanhvp"), [RouteItem(role="lead", unit=Unit.objects.get(code="kinhte"))])
    route(doc, staff("ht.kinhte.truong"), [RouteItem(role="lead", staff=staff(username))])
    return summary


def _username_of(name: str) -> str:
    from office.models import Staff

    return Staff.objects.get(full_name=name).user.username


def _open_request(page, of: str) -> None:
    nav(page, "Nhân sự").click()
    page.get_by_role("navigation", name="Nhân sự").get_by_role("link", name="Nghỉ phép").click()
    page.locator("section[aria-labelledby=list-h]").get_by_role("link", name=of).first.click()


def _approve(page, opinion: str) -> None:
    page.get_by_label("Đồng ý", exact=True).check()
    page.get_by_label("Nội dung ý kiến").fill(opinion)
    page.get_by_role("button", name="Ghi ý kiến").click()


def test_leave_request_to_approval_and_the_substitute_gets_the_work(log_in, log_out, page):
    today = timezone.localdate()
    cv1, cv2 = full_name("ht.kinhte.cv1"), full_name("ht.kinhte.cv2")
    summary = _document_waiting_for("ht.kinhte.cv1")

    # The specialist asks for leave with a handover to a colleague.
    log_in("ht.kinhte.cv1")
    nav(page, "Nhân sự").click()
    page.get_by_role("navigation", name="Nhân sự").get_by_role("link", name="Nghỉ phép").click()
    page.get_by_label("Loại nghỉ").select_option(label="Nghỉ việc riêng")
    page.get_by_label("Từ ngày").fill(today.isoformat())
    page.get_by_label("Đến hết ngày").fill((today + dt.timedelta(days=13)).isoformat())  # ≥ 2 working days
    page.get_by_label("Lý do").fill("Việc gia đình")
    page.get_by_label("Người làm thay").select_option(label=option_label("ht.kinhte.cv2"))
    page.get_by_label("Công việc bàn giao").fill("Theo dõi báo cáo giải ngân vốn đầu tư công")
    page.get_by_role("button", name="Gửi đơn").click()
    expect(page.get_by_text("Đã gửi đơn xin nghỉ.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(cv1)
    route = page.locator("section[aria-labelledby=route-h]")
    expect(route.locator("li.current")).to_contain_text(full_name("ht.kinhte.truong"))
    log_out()

    # The unit head agrees.
    log_in("ht.kinhte.truong")
    _open_request(page, cv1)
    _approve(page, "Nhất trí, đã bố trí người làm thay.")
    route = page.locator("section[aria-labelledby=route-h]")
    expect(route.locator("li").first).to_contain_text("Đồng ý")
    leader = route.locator("li.current")
    expect(leader).to_contain_text("đang chờ ý kiến")
    leader_text = leader.inner_text()
    log_out()

    # The office leader named on the route approves.
    from office.models import Staff

    leader_name = next(s.full_name for s in Staff.objects.all() if s.full_name in leader_text)
    log_in(_username_of(leader_name))
    _open_request(page, cv1)
    _approve(page, "Đồng ý cho nghỉ.")
    expect(page.locator(".page-head .badge")).to_have_text("Đã duyệt")
    expect(page.locator("p.notice")).to_contain_text(f"được chuyển cho {cv2}")
    log_out()

    # Meanwhile the substitute acts for the specialist and sees the document waiting for them.
    log_in("ht.kinhte.cv2")
    expect(page.locator("section[aria-labelledby=acting-h]")).to_contain_text(cv1)
    nav(page, "Chờ xử lý").click()
    expect(page.locator("main")).to_contain_text(summary)
