"""Browser journeys: pytest + Playwright driving Debian's Chromium against a live server.

One Chromium per test session (per xdist worker), a fresh context (cookies, storage) per
test. A failing test leaves a screenshot and the page's HTML in test-artifacts/.
Every page a journey visits is also watched for Content-Security-Policy violations and
JavaScript errors: either fails the test, so an inline script slipped into a template is
caught in the browser, not only by grepping HTML.

Never run `playwright install`: the browser is Debian's (CHROMIUM_PATH, default
/usr/bin/chromium, installed by .ci/run).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run
# unless told that this single-threaded use is safe (it is: the live server has its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import PASSWORD  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
#: Generous for a loaded 2-core CI machine (two xdist workers, each with a browser and a live
#: server), short enough that a missing element still fails within the suite's budget.
TIMEOUT_MS = 20_000


def _chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if not Path(path).exists():
        if "CHROMIUM_PATH" in os.environ:  # CI names the browser: a missing one is a failure, not a skip
            pytest.fail(f"CHROMIUM_PATH={path} does not exist")
        pytest.skip(f"Chromium not found at {path} (apt-get install chromium, or set CHROMIUM_PATH)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # assertions wait as long as actions do

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def office(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    """The hatinh-ubnd office with its demo users, committed so the live server sees it.

    serialized_rollback keeps rows that data migrations made (document types…) across the
    flush that follows every transactional test. Uploads go to a temporary MEDIA_ROOT."""
    from office.services.profiles import load_profile

    settings.MEDIA_ROOT = str(tmp_path / "media")
    return load_profile("hatinh-ubnd", demo_users=True, password=PASSWORD).organisation


class Problems(list):
    """CSP violations and JavaScript errors seen by the page during a test."""


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    problems = Problems()
    pg.on("console", lambda msg: _watch_console(msg, problems))
    pg.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    pg.problems = problems
    yield pg
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        _save_artifacts(pg, request.node.nodeid)
    context.close()
    if not failed:
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def _watch_console(msg, problems: Problems) -> None:
    text = msg.text
    if msg.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
        problems.append(f"CSP violation: {text}")


def _save_artifacts(pg, nodeid: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(pg.content(), encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 - artifacts are a courtesy; never hide the real failure
        print(f"could not save browser artifacts for {nodeid}: {exc}")


@pytest.fixture
def log_in(page, office) -> Callable:
    """log_in("ht.chanhvp") types the username and password into the login page, as staff do."""

    def do(username: str, password: str = PASSWORD):
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state("domcontentloaded")
        return page

    return do


@pytest.fixture
def log_out(page) -> Callable:
    def do():
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url("**/dang-nhap/**")

    return do
