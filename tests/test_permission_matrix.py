"""Permission matrix: every URL pattern of the project, as anonymous and as each demo role.

The resolver is walked recursively (django.urls.get_resolver), so a new view appears here
by itself. Each URL name must have a row in EXPECTED saying what each role gets on GET;
a URL without a row fails test_every_url_pattern_has_a_row_in_the_matrix until someone
decides who may see it. Independently of the table, anonymous visitors must be refused
by every URL that is not explicitly public (GET and POST), so a view that forgot its
check fails CI even before its row is written.

Ids of real objects are substituted where a row gives a `kwargs` builder; otherwise an
unknown id (999999) is used, and the expected answer for a logged-in user is 404.

How to add a row for a new view: pick a preset (PAGE, PAGE_ANY_USER, POST_ONLY, API, …)
and override the roles that differ, e.g. `page(vanthu=200, default=403)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

UNKNOWN_ID = "999999"
LOGIN = "/dang-nhap/"
ADMIN_LOGIN = "/quan-tri/login/"

#: Demo personas of hatinh-ubnd, one per role that sees the office differently.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "vanthu": "ht.vanthu1",
    "chanh": "ht.chanhvp",
    "pho_chanh": "ht.pcvp1",
    "truong_phong": "ht.tonghop.truong",
    "pho_phong": "ht.tonghop.pho",
    "chuyen_vien": "ht.kinhte.cv1",
    "ke_toan": "ht.ketoan",
    "no_staff": "khong-co-ho-so",  # a login without a staff profile (e.g. an IT account)
    "superuser": "quan-tri-vien",  # the system administrator
}
LOGGED_IN = [r for r in ROLES if r != "anonymous"]
STAFF_ROLES = [r for r in LOGGED_IN if r not in ("no_staff", "superuser")]


@dataclass(frozen=True)
class Expect:
    """Expected GET status per role; `redirect` checks where a 302 leads for each role."""

    statuses: dict[str, int]
    redirects: dict[str, str] = field(default_factory=dict)
    kwargs: Callable[[dict], dict] | None = None

    def status(self, role: str) -> int:
        return self.statuses[role]


def expect(
    *,
    anonymous: int,
    default: int,
    no_staff: int | None = None,
    superuser: int | None = None,
    anon_to: str = LOGIN,
    kwargs: Callable[[dict], dict] | None = None,
    **roles: int,
) -> Expect:
    unknown = set(roles) - set(STAFF_ROLES)
    assert not unknown, f"unknown roles {unknown}"
    statuses = {"anonymous": anonymous}
    for role in STAFF_ROLES:
        statuses[role] = roles.get(role, default)
    statuses["no_staff"] = default if no_staff is None else no_staff
    statuses["superuser"] = statuses["no_staff"] if superuser is None else superuser
    redirects = {"anonymous": anon_to} if anonymous == 302 else {}
    return Expect(statuses, redirects, kwargs)


def page(default: int = 200, **kw) -> Expect:
    """A page for staff of the office: anonymous → login, a login without staff profile → 403."""
    return expect(anonymous=302, no_staff=403, default=default, **kw)


def page_any_user(**kw) -> Expect:
    """A page any logged-in account may open (home, calendar)."""
    return expect(anonymous=302, default=200, **kw)


def post_only(**kw) -> Expect:
    """An action taken by POST; GET is refused (405) once the staff check has passed."""
    return expect(anonymous=302, no_staff=403, default=405, **kw)


def api(default: int = 200, no_staff: int = 403, **kw) -> Expect:
    """/api/v1/: anonymous → 401 (token auth), a login without staff profile → 403."""
    return expect(anonymous=401, no_staff=no_staff, default=default, **kw)


def api_post_only(**kw) -> Expect:
    """A DRF action by POST: GET is refused (405) for any logged-in account before the staff check."""
    return expect(anonymous=401, default=405, **kw)


def public(status: int = 200, **kw) -> Expect:
    return expect(anonymous=status, default=status, **kw)


def _absence_of_a_specialist(ctx: dict) -> dict:
    from office.services.delegation import record_absence

    absence = record_absence(staff=ctx["person"]("ht.kinhte.cv1"), kind="leave", start=ctx["day"], end=ctx["day"])
    return {"pk": absence.pk}


def _registered_document(ctx: dict) -> dict:
    """An incoming document just registered by ht.vanthu1 with one PDF: only the clerk and the
    distributing leader (the Chánh) know of it yet; everyone else gets 404."""
    if "document" not in ctx:
        from tests.incoming_helpers import pdf, register

        doc = register(ctx["person"]("ht.vanthu1"), files=[pdf()])
        ctx["document"] = {"pk": doc.pk, "file_id": doc.files.get().pk}
    return ctx["document"]


#: Roles that see a freshly registered document; the others get 404 (not 403: they may not know it exists).
_NEW_DOC = {"vanthu": 200, "chanh": 200}
#: Who may export the incoming register (PDF/XLSX): the clerk and the office leaders.
_REGISTER_EXPORT = {"vanthu": 200, "chanh": 200, "pho_chanh": 200}

EXPECTED: dict[str, Expect] = {
    # Foundation (office)
    "home": page_any_user(),
    "office:organisation": page(),
    "office:absences": page(),
    "office:cancel_absence": post_only(kwargs=_absence_of_a_specialist),
    "office:calendar": page_any_user(),
    # Incoming documents (issue 3)
    "documents:inbox": page(),
    "documents:register": page(),
    "documents:register_new": page(403, vanthu=200),  # only the văn thư registers
    "documents:detail": page(404, kwargs=_registered_document, **_NEW_DOC),
    "documents:route": post_only(),
    "documents:complete": post_only(),
    "documents:contribute": post_only(),
    "documents:reopen": post_only(),
    "documents:add_file": post_only(),
    "documents:download": page(404, kwargs=_registered_document, **_NEW_DOC),  # files only through this check
    "documents:register_pdf": page(403, **_REGISTER_EXPORT),
    "documents:register_xlsx": page(403, **_REGISTER_EXPORT),
    "api-incoming": api(),
    "api-incoming-inbox": api(),
    "api-incoming-detail": api(404, kwargs=_registered_document, **_NEW_DOC),
    "api-incoming-route": api_post_only(),
    "api-incoming-complete": api_post_only(),
    "api-incoming-contribute": api_post_only(),
    "api-incoming-reopen": api_post_only(),
    "api-register": api(403, **_REGISTER_EXPORT),
    # Phiếu trình and outgoing documents (issue 4): lists for every staff member; an unknown id is 404
    "documents:sheets": page(),
    "documents:sheet_new": page(),
    "documents:sheet": page(404),
    "documents:sheet_decide": post_only(),
    "documents:sheet_resubmit": post_only(),
    "documents:sheet_pdf": page(404),
    "documents:outgoing_list": page(),
    "documents:outgoing": page(404),
    "documents:outgoing_sign": post_only(),
    "documents:outgoing_issue": post_only(),
    "documents:outgoing_pdf": page(404),
    "documents:outgoing_file": page(404),
    "api-submissions": api(),
    "api-submission": api(404),
    "api-submission-decide": api_post_only(),
    "api-submission-resubmit": api_post_only(),
    "api-submission-pdf": api(404),
    "api-outgoing": api(404),
    "api-outgoing-sign": api_post_only(),
    "api-outgoing-issue": api_post_only(),
    "api-outgoing-pdf": api(404),
    # Personnel (issue 6): everyone sees their own requests; an unknown id is 404
    "personnel:index": page(),
    "personnel:leave_list": page(),
    "personnel:leave_detail": page(404),
    "personnel:leave_decide": post_only(),
    "personnel:leave_cancel": post_only(),
    "personnel:leave_plans": page(),
    "personnel:leave_plan_confirm": post_only(),
    "personnel:trip_list": page(),
    "personnel:trip_detail": page(404),
    "personnel:trip_decide": post_only(),
    "personnel:trip_report": post_only(),
    "personnel:trip_cancel": post_only(),
    "personnel:trip_issue_paper": post_only(),
    "personnel:papers": page(),
    "personnel:paper_pdf": page(404),
    "personnel:paper_revoke": post_only(),
    "personnel:handover_list": page(),
    "personnel:handover_detail": page(404),
    "personnel:handover_action": post_only(),
    "personnel:overtime": page(),
    "personnel:overtime_confirm": post_only(),
    "personnel:claim_list": page(),
    "personnel:claim_detail": page(404),
    "personnel:claim_action": post_only(),
    "personnel:away_calendar": page(),
    "personnel:yearly": page(),
    "api-leave": api(),
    "api-leave-detail": api(404),
    "api-leave-decide": api_post_only(),
    "api-trips": api(),
    "api-trip-detail": api(404),
    "api-trip-decide": api_post_only(),
    "api-trip-report": api_post_only(),
    "api-trip-travel-paper": api_post_only(),
    "api-papers": api(),
    "api-introduction": api_post_only(),
    "api-paper-pdf": api(404),
    "api-handovers": api(),
    "api-handover-confirm": api_post_only(),
    "api-overtime": api(),
    "api-overtime-confirm": api_post_only(),
    "api-payment-claims": api(),
    "api-payment-claim-detail": api(404),
    "api-payment-claim-decide": api_post_only(),
    # Deadlines, coordination, notifications (issue 5)
    "workflow:my_deadlines": page(),
    "workflow:notifications": page(),
    "workflow:notifications_read": post_only(),
    "workflow:unread_badge": page(),  # htmx-polled badge
    "workflow:coordination_list": page(),
    "workflow:coordination_new": page(),
    "workflow:coordination_detail": page(404),
    "workflow:coordination_reply": page(404),
    "workflow:coordination_extend": post_only(),
    "workflow:coordination_extension_decide": post_only(),
    "workflow:coordination_ask": post_only(),
    "workflow:coordination_close": post_only(),
    "workflow:coordination_file": page(404),  # files only through this check
    "workflow:schedules": page(),
    "workflow:schedule_item": page(404),
    "workflow:dashboard": page(403, chanh=200, pho_chanh=200, truong_phong=200, pho_phong=200),  # leaders only
    "api-coordination": api(),
    "api-coordination-detail": api(404),
    "api-coordination-reply": api_post_only(),
    "api-coordination-extend": api_post_only(),
    "api-coordination-extension-decide": api_post_only(),
    "api-coordination-close": api_post_only(),
    "api-notifications": api(),
    "api-notifications-read": api_post_only(),
    "api-deadlines": api(),
    # Accounts, language, health
    "login": expect(anonymous=200, default=302),  # a logged-in user is sent home
    "logout": expect(anonymous=405, default=405),  # POST only (Django 5)
    "set_language": expect(anonymous=302, default=302, anon_to="/"),  # GET does nothing but redirect back
    "healthz": public(),  # load balancers; reveals only ok/error per component
    "favicon": expect(anonymous=302, default=302, anon_to="/static/img/favicon"),  # asked before login
    # API
    "api-token": public(405),  # POST only
    "api-me": api(),
    "api-units": api(),
    "api-staff": api(),
    "api-delegations": api(),
    "api-acting-for": api(400),  # needs ?staff=&date=; the check passes, then input is validated
    "api-add-working-days": api(400, no_staff=400),  # the calendar is everyone's, like its page
    "api-working-days": api(400, no_staff=400),
    "api-schema": public(),  # the OpenAPI description is public by design (api.md)
    "api-docs": public(),
}

#: Unnamed patterns: Django admin's catch-all and its object-id shortcut, both behind admin login.
UNNAMED_PREFIXES = ("quan-tri/",)

#: Public by design; nothing else may answer an anonymous visitor with anything but a refusal.
PUBLIC_NAMES = {"login", "logout", "set_language", "healthz", "favicon", "api-token", "api-schema", "api-docs"}
PUBLIC_NAMES |= {"admin:login", "admin:logout"}


# --------------------------------------------------------------------------- walking the resolver

_SAMPLES = {"year": "2026", "fmt": "pdf", "app_label": "office", "url": "khong-ton-tai/", "content_type_id": "1"}
_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^()]*\)|\([^()]*\)")


def _sample(name: str | None, conv: str | None = None) -> str:
    if name in _SAMPLES:
        return _SAMPLES[name]
    if conv == "uuid":
        return "00000000-0000-0000-0000-000000000000"
    return UNKNOWN_ID


def _example(segment: str, is_regex: bool, kwargs: dict) -> str:
    if not is_regex:
        return _CONVERTER.sub(lambda m: str(kwargs.get(m["name"], _sample(m["name"], m["conv"]))), segment)
    text = segment.lstrip("^").rstrip("$")
    text = _GROUP.sub(lambda m: str(kwargs.get(m["name"], _sample(m["name"]))), text)
    return text.replace("\\.", ".").replace("\\", "")


@dataclass
class Route:
    name: str | None
    segments: list[tuple[str, bool]]

    @property
    def pattern(self) -> str:
        return "".join(s for s, _ in self.segments)

    def url(self, kwargs: dict | None = None) -> str:
        return "/" + "".join(_example(s, is_regex, kwargs or {}) for s, is_regex in self.segments)


def walk(patterns=None, segments=None, namespace=None) -> Iterator[Route]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        seg = (str(p.pattern), p.pattern.__class__.__name__ == "RegexPattern")
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from walk(p.url_patterns, [*(segments or []), seg], ns)
        elif isinstance(p, URLPattern):
            name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            yield Route(name, [*(segments or []), seg])


def routes() -> list[Route]:
    return list(walk())


def expectation(route: Route) -> Expect | None:
    if route.name in EXPECTED:
        return EXPECTED[route.name]
    if route.name and route.name.startswith("admin:"):
        return {"admin:login": ADMIN_LOGIN_PAGE, "admin:logout": ADMIN_LOGOUT}.get(route.name, ADMIN)
    if route.name is None and route.pattern.startswith(UNNAMED_PREFIXES):
        return ADMIN
    return None


#: Django admin: only the superuser (is_staff) gets in; everyone else is sent to its login.
ADMIN = Expect(
    {**{r: 302 for r in ROLES}, "superuser": 0},  # 0: the superuser's answer depends on the page
    {**{r: ADMIN_LOGIN for r in ROLES if r != "superuser"}},
)
#: Its login page shows a logged-in non-admin "not authorised"; the superuser is sent to the index.
ADMIN_LOGIN_PAGE = Expect({**{r: 200 for r in ROLES}, "superuser": 302})
#: Logging out is POST only; GET sends everyone back to the admin index.
ADMIN_LOGOUT = Expect({**{r: 302 for r in ROLES}, "superuser": 405}, {r: "/quan-tri/" for r in ROLES})


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def matrix_ctx(hatinh, person, settings, tmp_path):
    import datetime as dt

    settings.MEDIA_ROOT = str(tmp_path / "media")
    user_model = get_user_model()
    user_model.objects.create_user("khong-co-ho-so", password="x")
    user_model.objects.create_superuser("quan-tri-vien", password="x")
    return {"org": hatinh, "person": person, "day": dt.date(2026, 3, 9)}


def _client(role: str) -> Client:
    client = Client()
    username = ROLES[role]
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


# --------------------------------------------------------------------------- tests


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = sorted({r.name or r.pattern for r in routes() if expectation(r) is None})
    assert not missing, (
        "These URLs have no row in tests/test_permission_matrix.py EXPECTED; decide who may open them "
        f"and add a row: {missing}"
    )


def test_the_matrix_has_no_rows_for_urls_that_no_longer_exist():
    names = {r.name for r in routes()}
    assert not set(EXPECTED) - names, f"stale rows: {sorted(set(EXPECTED) - names)}"


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_gets_exactly_the_expected_answer_from_every_url(matrix_ctx, role):
    client = _client(role)
    wrong = []
    for route in routes():
        exp = expectation(route)
        if exp is None:
            continue  # reported by test_every_url_pattern_has_a_row_in_the_matrix
        url = route.url(exp.kwargs(matrix_ctx) if exp.kwargs else None)
        response = client.get(url)
        want = exp.status(role)
        if want == 0:  # "any answer but an error page": the superuser in admin
            if response.status_code >= 500:
                wrong.append(f"{route.name or route.pattern} {url}: {response.status_code}")
            continue
        if response.status_code != want:
            wrong.append(f"{route.name or route.pattern} {url}: got {response.status_code}, expected {want}")
        elif want == 302 and role in exp.redirects:
            location = response.headers.get("Location", "")
            if not location.startswith(exp.redirects[role]):
                wrong.append(
                    f"{route.name or route.pattern} {url}: redirected to {location}, not {exp.redirects[role]}"
                )
    assert not wrong, f"{role} ({ROLES[role]}):\n" + "\n".join(wrong)


def _refused(response) -> bool:
    if response.status_code == 302:
        return response.headers["Location"].startswith((LOGIN, ADMIN_LOGIN))
    return response.status_code in (401, 403, 404, 405)


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_refused_by_every_url_that_is_not_public(matrix_ctx, method):
    """Needs no row in the table: a new view without a login check fails here at once."""
    client = Client()
    leaked = []
    for route in routes():
        if route.name in PUBLIC_NAMES:
            continue
        response = getattr(client, method)(route.url())
        if not _refused(response):
            leaked.append(f"{method.upper()} {route.url()} ({route.name}): {response.status_code}")
    assert not leaked, "Anonymous visitors got through:\n" + "\n".join(leaked)


def test_a_login_without_staff_profile_reaches_no_office_data(matrix_ctx):
    """An account with no place in the office (IT, a mistake) must not read office pages or API."""
    client = _client("no_staff")
    for route in routes():
        exp = expectation(route)
        if exp is None or route.name is None or route.name.startswith("admin:"):
            continue
        if exp.status("no_staff") == 200:
            assert route.name in {"home", "office:calendar", "healthz", "api-schema", "api-docs"}, route.name
    assert "Tài khoản này chưa được gắn" in client.get("/").content.decode()
