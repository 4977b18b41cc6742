"""Security hardening that holds for every page: CSRF on every form, no inline scripts or
styles (the CSP forbids them), security headers, sessions that expire, validated
passwords, login lockout on the API too, uploads never served from a public URL,
production settings (HTTPS, HSTS, secure cookies) and error pages that leak nothing.

The page walks reuse the permission matrix's URL walker, so a new page is covered as soon
as it has a row there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.test_permission_matrix import STAFF_ROLES, _client, expectation, matrix_ctx, routes  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent


class _PageParser(HTMLParser):
    """Collects POST forms (with their hidden inputs) and anything the CSP would block."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.inline: list[str] = []
        self._script_without_src = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(), "action": a.get("action"), "inputs": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a.get("name"))
        elif tag == "script":
            self._script_without_src = "src" not in a
        elif tag == "style":
            self.inline.append("<style> block")
        for name, value in attrs:
            if name == "style":
                self.inline.append(f"style attribute on <{tag}>")
            elif name.startswith("on"):
                self.inline.append(f"{name} handler on <{tag}>")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"javascript: URL on <{tag}>")
            elif name.startswith("hx-on"):
                self.inline.append(f"{name} (inline htmx handler) on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_without_src = False

    def handle_data(self, data):
        if self._script_without_src and data.strip():
            self.inline.append(f"inline <script>: {data.strip()[:60]}")


@pytest.fixture
def rendered_pages(matrix_ctx):  # noqa: F811 - the matrix fixture, imported
    """(role, url, html) for every HTML page each staff role may open (200), and the login page."""
    pages = [("anonymous", "/dang-nhap/", Client().get("/dang-nhap/").content.decode())]
    for role in STAFF_ROLES:
        client = _client(role)
        for route in routes():
            exp = expectation(route)
            if exp is None or exp.status(role) != 200:
                continue
            url = route.url(exp.kwargs(matrix_ctx) if exp.kwargs else None)
            response = client.get(url)
            if response.status_code == 200 and response.headers.get("Content-Type", "").startswith("text/html"):
                pages.append((role, url, response.content.decode()))
    return pages


def test_every_post_form_on_every_page_carries_a_csrf_token(rendered_pages):
    missing = []
    forms = 0
    for role, url, html in rendered_pages:
        parser = _PageParser()
        parser.feed(html)
        for form in parser.forms:
            if form["method"] == "post":
                forms += 1
                if "csrfmiddlewaretoken" not in form["inputs"]:
                    missing.append(f"{role} {url}: form → {form['action']}")
    assert forms > 10, "the walk found too few forms; is the page walk broken?"
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


def _inline_problems(pages) -> list[str]:
    found = []
    for role, url, html in pages:
        parser = _PageParser()
        parser.feed(html)
        found += [f"{role} {url}: {what.splitlines()[0]}" for what in parser.inline]
    return sorted(set(found))


def test_no_page_has_inline_scripts_styles_or_event_handlers(rendered_pages):
    """The CSP (script-src 'self'; style-src 'self') would block them in the browser."""
    found = _inline_problems(rendered_pages)
    assert not found, "\n".join(found)


def test_api_docs_page_works_under_the_csp(hatinh, login):
    """Swagger UI's start-up script comes from a URL (split view) and its layout from static/."""
    client = login("ht.vanthu1")
    html = client.get("/api/docs/").content.decode()
    assert not _inline_problems([("vanthu", "/api/docs/", html)])
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_a_post_without_csrf_token_is_refused(hatinh):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "ht.chanhvp", "password": PASSWORD})
    assert response.status_code == 403
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="ht.chanhvp"))
    assert client.post("/vang-mat/", {"form": "absence"}).status_code == 403


def test_htmx_requests_carry_the_csrf_token_from_the_page(hatinh, login):
    html = login("ht.vanthu1").get("/").content.decode()
    assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[A-Za-z0-9]{32,64}"\}\'', html)


@pytest.mark.parametrize("url", ["/", "/dang-nhap/", "/khong-co-trang-nay/", "/api/v1/me/", "/healthz"])
def test_security_headers_on_pages_errors_and_api(hatinh, login, url):
    response = login("ht.vanthu1").get(url)
    csp = response["Content-Security-Policy"]
    for directive in ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_production_redirects_to_https_and_sends_hsts_and_secure_cookies():
    script = (
        "import django, json; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.test import Client; from django.conf import settings as s;"
        "c = Client(); plain = c.get('/dang-nhap/'); tls = c.get('/api/v1/me/', secure=True);"
        "health = c.get('/healthz');"
        "print(json.dumps({'plain': [plain.status_code, plain.headers.get('Location', '')],"
        " 'hsts': tls.headers.get('Strict-Transport-Security', ''), 'health': health.status_code,"
        " 'cookie': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY]}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "False",
        "SECRET_KEY": "y" * 64 + "-production-secret-for-test",
        "ALLOWED_HOSTS": "testserver,eoffice.example",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=BASE_DIR, check=False
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["plain"][0] == 301 and out["plain"][1].startswith("https://")
    assert "max-age=31536000" in out["hsts"] and "includeSubDomains" in out["hsts"]
    assert out["health"] != 301, "/healthz must answer load balancers over plain HTTP"
    assert out["cookie"] == [True, True, True]


def test_sessions_expire_after_a_working_day_and_when_the_browser_closes(hatinh, login):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = login("ht.vanthu1")
    # Less than half of the idle window left: this page view pushes the expiry on and sets the cookie.
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(hours=1))
    response = client.get("/")
    assert response.status_code == 200
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"], "a browser-session cookie, gone when the browser closes"
    assert cookie["httponly"]
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_activity_keeps_the_session_alive(hatinh, login):
    client = login("ht.vanthu1")
    client.get("/")
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(minutes=5))
    client.get("/")
    assert Session.objects.get().expire_date > timezone.now() + timezone.timedelta(hours=7)


def test_a_fresh_session_is_not_rewritten_on_every_page_view(hatinh, login):
    """The sliding expiry writes the session row only once less than half of the idle window is left."""
    client = login("ht.vanthu1")
    client.get("/")
    expiry = timezone.now() + timezone.timedelta(hours=6)
    Session.objects.update(expire_date=expiry)
    client.get("/")
    assert Session.objects.get().expire_date == expiry


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!xyz", "quá ngắn"),  # fewer than 10 characters
        ("1234567890", "quá phổ biến"),
        ("83920174659", "hoàn toàn là số"),
        ("ht.vanthu1", "quá giống"),  # the username itself
    ],
)
def test_weak_passwords_are_refused_with_a_vietnamese_reason(hatinh, person, password, reason):
    from django.utils import translation

    user = person("ht.vanthu1").user
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert any(reason in m for m in exc.value.messages), exc.value.messages


def test_passwords_shorter_than_ten_characters_are_refused(hatinh, person):
    with pytest.raises(ValidationError):
        validate_password("Ab1!xyz#q", person("ht.vanthu1").user)


def test_a_strong_password_is_accepted(hatinh, person):
    validate_password("Trống-đồng-Đông-Sơn-1945", person("ht.vanthu1").user)


def test_repeated_failed_token_requests_lock_the_api_login_too(hatinh, api):
    client = api()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": "ht.chanhvp", "password": "sai"}, format="json")
    response = client.post("/api/v1/auth/token/", {"username": "ht.chanhvp", "password": PASSWORD}, format="json")
    assert response.status_code != 200 and "token" not in response.content.decode()


def test_uploaded_files_are_never_served_from_a_public_url(hatinh, login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "mat.pdf").write_bytes(b"%PDF-1.4 secret")
    client = login("ht.chanhvp")
    for url in ["/media/mat.pdf", f"{settings.MEDIA_URL.rstrip('/') or ''}/mat.pdf", "/var/media/mat.pdf"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"secret" not in b"".join(getattr(response, "streaming_content", [response.content]))

    from django.views.static import serve

    def callbacks(patterns):
        for p in patterns:
            yield from callbacks(p.url_patterns) if hasattr(p, "url_patterns") else [p.callback]

    assert serve not in set(callbacks(get_resolver().url_patterns)), "no URL may serve files straight from disk"


def test_document_files_are_checked_by_content_and_size(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services.files import check_upload

    html_named_pdf = SimpleUploadedFile("van-ban.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="không phải là tệp PDF hoặc DOCX"):
        check_upload(html_named_pdf)
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="vượt giới hạn"):
        check_upload(SimpleUploadedFile("lon.pdf", b"%PDF-1.4 " + b"x" * 20))


def test_document_files_are_downloaded_with_nosniff_and_only_by_those_who_see_the_document(
    matrix_ctx,  # noqa: F811
    login,
):
    from tests.test_permission_matrix import _registered_document

    ids = _registered_document(matrix_ctx)
    url = f"/van-ban/den/{ids['pk']}/tep/{ids['file_id']}/"
    response = login("ht.vanthu1").get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert login("ht.kinhte.cv1").get(url).status_code == 404


def test_error_pages_in_production_mode_leak_nothing(hatinh, login):
    assert not settings.DEBUG  # pytest-django runs with DEBUG off, as production does
    response = login("ht.vanthu1").get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Traceback" not in page and "URLconf" not in page and "config.urls" not in page


def test_the_admin_is_not_at_the_guessable_address(db, client):
    assert client.get("/admin/").status_code == 404
