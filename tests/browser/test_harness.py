"""The browser harness itself: the CSP watch catches an inline script, and the browser is
Debian's Chromium, not one downloaded by Playwright."""

from __future__ import annotations

import pytest

from tests.browser.conftest import _chromium_path

pytestmark = pytest.mark.browser


def test_an_inline_script_is_blocked_by_the_csp_and_reported(page, office):
    page.goto("/dang-nhap/")
    with pytest.raises(Exception, match="Content Security Policy|Refused"):
        page.add_script_tag(content="document.title = 'inline';")
    page.wait_for_timeout(100)
    assert page.title() != "inline"
    assert any("CSP violation" in p for p in page.problems), page.problems
    page.problems.clear()  # expected here; any other test with a violation fails


def test_the_browser_is_debians_chromium(browser):
    assert browser.browser_type.name == "chromium"
    assert not _chromium_path().startswith(str(__import__("pathlib").Path.home() / ".cache" / "ms-playwright"))
