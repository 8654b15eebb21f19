"""The harness itself: it must notice what it is there to catch."""

from __future__ import annotations

import pytest

from tests.browser.harness import assert_no_page_problems
from tests.html_check import assert_valid_html, recording

pytestmark = pytest.mark.browser

BAD_PAGE = b"""<!DOCTYPE html><html lang="en-GB"><head><title>Bad</title></head>
<body><main><h1 style="color: red">Inline style</h1>
<script>console.log("inline script ran")</script>
<button onclick="alert(1)">Handler</button></main></body></html>"""


def test_csp_violations_from_inline_code_are_reported(page, live_server):
    csp = page.goto(f"{live_server.url}/accounts/login/").headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in csp
    url = f"{live_server.url}/__bad__/"
    page.route(
        url,
        lambda route: route.fulfill(
            body=BAD_PAGE,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp},
        ),
    )
    page.goto(url)
    page.wait_for_load_state("load")

    with pytest.raises(AssertionError) as failure:
        assert_no_page_problems(page)

    report = str(failure.value)
    assert "CSP violation: script-src-elem blocked inline" in report
    assert "CSP violation: style-src-attr blocked inline" in report
    page.problems.console_errors.clear()  # the teardown check would fail this test otherwise
    page.evaluate("window.__cspViolations = []")


INVALID_PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Invalid</title></head>
<body><main><h1><span role="text">Two</span> lines</h1></main></body></html>"""


def test_html_errors_are_reported():
    with pytest.raises(AssertionError) as failure:
        assert_valid_html([("/invalid/", INVALID_PAGE)])

    report = str(failure.value)
    assert "/invalid/: 1 HTML error(s)" in report
    assert "Bad value “text” for attribute “role” on element “span”" in report


def test_every_page_the_browser_is_sent_is_recorded_and_nothing_else(page, live_server):
    with recording() as documents:
        page.goto(f"{live_server.url}/accounts/login/?next=/")
        page.goto(f"{live_server.url}/no-such-page/")
        page.evaluate("fetch('/accounts/password/reset/').then((r) => r.text())")
        page.goto(f"{live_server.url}/")  # a redirect to the sign-in page, then that page

    assert [path for path, _ in documents] == [
        "/accounts/login/?next=/",
        "/no-such-page/",
        "/accounts/login/?next=/",
    ]
    assert "<title>Sign in – ScopeGrowth</title>" in documents[0][1]
    assert "<h1" in documents[1][1]
