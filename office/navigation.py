"""The main navigation  # điều hướng chính: its entries, and which one the current page belongs to.

Built in Python once per request from a fixed list: the URLs are reversed once per process, and
the active entry is decided here instead of by a dozen {% if %} tests in the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    is_current: Callable[[str, str], bool]  # (app_name, url_name) of the page → is this its entry
    staff_only: bool = True  # shown only to a signed-in person with a staff profile
    slot: str = ""  # a live badge after the label: "overdue" or "unread"


def _named(*names: str) -> Callable[[str, str], bool]:
    return lambda app, name: name in names


MAIN_NAV = (
    NavItem("home", _("Trang chủ"), _named("home"), staff_only=False),
    NavItem("documents:inbox", _("Chờ xử lý"), _named("inbox")),
    NavItem(
        "workflow:my_deadlines",
        _("Việc của tôi"),
        lambda app, name: app == "workflow" and name[:12] not in ("coordination", "notification"),
        slot="overdue",
    ),
    NavItem("documents:register", _("Văn bản đến"), _named("register", "detail")),
    NavItem("documents:sheets", _("Phiếu trình"), _named("sheets", "sheet")),
    NavItem("documents:outgoing_list", _("Văn bản đi"), _named("outgoing_list", "outgoing")),
    NavItem("office:organisation", _("Tổ chức"), _named("organisation")),
    NavItem("office:absences", _("Vắng mặt"), _named("absences")),
    NavItem("personnel:index", _("Nhân sự"), lambda app, name: app == "personnel"),
    NavItem("workflow:coordination_list", _("Phối hợp"), lambda app, name: name[:12] == "coordination"),
    NavItem(
        "workflow:notifications",
        _("Thông báo"),
        lambda app, name: app == "workflow" and name[:12] == "notification",
        slot="unread",
    ),
    NavItem("office:calendar", _("Lịch"), _named("calendar"), staff_only=False),
)


@lru_cache(maxsize=256)
def url(name: str, prefix: str) -> str:
    """reverse(name), once per process and script prefix (these URLs take no arguments)."""
    return reverse(name)


def main_nav(request: HttpRequest, has_staff: bool) -> list[dict]:
    """The entries this person sees, each with its URL, label and whether it is the current page."""
    match = getattr(request, "resolver_match", None)
    app, name = (match.app_name or "", match.url_name or "") if match else ("", "")
    prefix = get_script_prefix()
    items = [
        {
            "url": url(item.url_name, prefix),
            "label": item.label,
            "current": item.is_current(app, name),
            "slot": item.slot,
        }
        for item in MAIN_NAV
        if has_staff or not item.staff_only
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        items.append({"url": url("admin:index", prefix), "label": _("Quản trị"), "current": False, "slot": ""})
    return items
