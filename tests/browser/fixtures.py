"""Playwright + axe-core harness: headless Chromium against pytest-django's live server.

- `browser` (session): the system Chromium (`/usr/bin/chromium`, or $CHROMIUM_PATH). Never a
  browser downloaded by `playwright install`: the machines here reach no download host.
- `page` (per test): a fresh context at 1280x900; parametrise indirectly with "phone" for
  390x844, e.g. `@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)`.
  Every page records console errors, uncaught exceptions and Content-Security-Policy
  violations; `check_a11y` and the `page` teardown fail the test on any of them. The teardown
  also puts every page the live server sent during the test through the Nu HTML Checker
  (tests/browser/html_check.py): 0 errors.
- `harness.check_a11y(page, name)`: axe-core (served by Django at
  /static/vendor/axe/axe.min.js, so the page's CSP allows it) on WCAG 2.0/2.1/2.2 A and AA
  plus best practice; zero violations, and a screenshot in
  var/screenshots/<name>-<viewport>.png to look at.
- `harness.login(page, live_server, email, password)`: signs in through the allauth form.
- `make_user(...)`: a user with a verified primary email, ready to sign in.

Browser tests need `transactional_db` (the live server runs in another thread). The sync
Playwright API runs an event loop in this thread, so Django's async-safety check is switched off
for these tests (the ORM calls here are ordinary synchronous test set-up).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import html_check
from tests.browser.harness import PASSWORD, assert_no_page_problems

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
    "narrow": {"width": 320, "height": 640},  # WCAG 1.4.10 reflow: 320 CSS pixels wide
}

# Registered before any page script runs (CDP addScriptToEvaluateOnNewDocument, which the
# page's CSP does not govern): every CSP violation the page causes is kept for the assertions.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "?"}:${event.lineNumber || "?"})`
  );
});
"""


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)) and not shutil.which(path):
        where = "CI" if os.environ.get("CI") else "this machine"
        # One message and the end of the run, not one error per browser test.
        pytest.exit(
            f"Chromium not found at {path} on {where}. Browser tests drive the system Chromium: "
            "`bin/system-deps test` installs it (or set CHROMIUM_PATH). "
            "Do not run `playwright install`.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    return path


@pytest.fixture(scope="session")
def _static_build() -> None:
    css = BASE_DIR / "static" / "build" / "app.css"
    js = BASE_DIR / "static" / "build" / "js" / "app.js"
    axe = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    vnu = html_check.VNU_JAR
    missing = [str(p.relative_to(BASE_DIR)) for p in (css, js, axe, vnu) if not p.is_file()]
    if missing:
        pytest.fail(
            f"Missing {', '.join(missing)}: run `npm ci --no-audit --no-fund && "
            "npm run build` (make install does).",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser(_static_build):
    from playwright.sync_api import sync_playwright

    executable = _chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems:
    """What went wrong in the browser while a test ran."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "?")
        if message.text.startswith("Failed to load resource") and url == message.page.url:
            return  # the page's own error status (a 404 page), not a broken sub-resource
        self.console_errors.append(f"{message.text} ({url})")


REFERENCE_DATA = [
    ("scopegrowth.migrations.0003_default_impact_levels", "add_levels"),
    ("journals.migrations.0002_question_bank", "add_bank"),
    ("journals.migrations.0008_facilitator_wording_bank", "forwards"),  # what facilitators read
    ("devplans.migrations.0003_initiative_catalogue", "add_initiatives"),
]


@pytest.fixture
def reference_data(transactional_db) -> None:
    """The rows data migrations seed (impact levels, question bank, initiative catalogue).
    A transactional test may start from a database the test before it flushed, so put them back
    with the same idempotent functions the migrations run. (serialized_rollback is not used: it
    reloads content types that a flush has already recreated, and Playwright's event loop gives
    the test thread a new connection without the serialized copy.)"""
    import importlib

    from django.apps import apps as django_apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture
def page(request, browser, transactional_db, reference_data, live_server) -> Iterator:
    viewport = getattr(request, "param", "desktop")
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB")
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    pg = context.new_page()
    pg.viewport_name = viewport
    pg.problems = PageProblems()
    pg.problems.attach(pg)
    with html_check.recording() as documents:
        yield pg
    try:
        if getattr(request.node, "sg_call_passed", False):
            assert_no_page_problems(pg)  # also for tests that never call check_a11y
            html_check.assert_valid_html(documents)
    finally:
        context.close()


def pytest_unconfigure(config) -> None:
    html_check.CHECKER.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.sg_call_passed = report.passed
    return report


@pytest.fixture
def make_user(transactional_db):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    def make(email: str = "aisha.rahman@example.org", full_name: str = "Aisha Rahman", **extra):
        user = get_user_model().objects.create_user(
            email=email, password=PASSWORD, full_name=full_name, **extra
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make
