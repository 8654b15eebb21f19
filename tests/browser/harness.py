"""Helpers for browser tests: accessibility and page-health checks, signing in.

Use: `from tests.browser.harness import check_a11y, login`.
"""

from __future__ import annotations

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS = BASE_DIR / "var" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_URL = "/static/vendor/axe/axe.min.js"
PASSWORD = "Browser-test-password-1"


def csp_violations(page) -> list[str]:
    try:
        return page.evaluate("window.__cspViolations || []")
    except Exception:  # noqa: BLE001 - a closed or navigating page has nothing to report
        return []


def assert_no_page_problems(page) -> None:
    problems = page.problems
    violations = csp_violations(page)
    lines = (
        [f"CSP violation: {v}" for v in violations]
        + [f"console error: {e}" for e in problems.console_errors]
        + [f"uncaught exception: {e}" for e in problems.page_errors]
    )
    assert not lines, f"Problems on {page.url}:\n" + "\n".join(lines)


def _format_violations(violations: list[dict]) -> str:
    out = []
    for v in violations:
        out.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  <{v.get('helpUrl', '')}>")
        for node in v.get("nodes", [])[:10]:
            out.append(f"    target {node.get('target')}: {node.get('failureSummary', '').strip()}")
            out.append(f"      {node.get('html', '')[:200]}")
    return "\n".join(out)


def check_a11y(page, name: str) -> Path:
    """axe-clean, no CSP violation, no console error; saves and returns the screenshot path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}-{getattr(page, 'viewport_name', 'desktop')}.png"
    page.wait_for_load_state("load")
    page.screenshot(path=str(shot), full_page=True)
    assert_no_page_problems(page)

    origin = page.evaluate("window.location.origin")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=origin + AXE_URL)
    results = page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {page.url} ({shot.name}):\n"
        + _format_violations(violations)
    )
    assert_no_page_problems(page)  # axe itself must not trip the CSP
    return shot


def login(page, live_server, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
