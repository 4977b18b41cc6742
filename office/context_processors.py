"""Navigation and the user's place in the office, for the base layout."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix

from office.models import OFFICE_LEADER_POSITIONS, Position
from office.navigation import main_nav, url


def office_context(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    staff = getattr(user, "staff", None) if user and user.is_authenticated else None
    positions = {p.position for p in staff.posts.all()} if staff else set()
    prefix = get_script_prefix()
    return {
        "current_staff": staff,
        "is_office_leader": bool(positions & set(OFFICE_LEADER_POSITIONS)),
        "is_clerk": Position.VAN_THU in positions,
        "is_unit_head": bool(positions & {Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG}),
        "main_nav": main_nav(request, staff is not None) if user and user.is_authenticated else [],
        "unread_badge_url": url("workflow:unread_badge", prefix),
        "logout_url": url("logout", prefix),
        "debug": settings.DEBUG,
    }
