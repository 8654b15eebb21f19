"""The idle-session warning: shown before expiry, accessible, and "Stay signed in" keeps you in."""

from __future__ import annotations

import pytest

from tests.browser.harness import check_a11y, login

pytestmark = pytest.mark.browser


def test_the_warning_appears_and_staying_signed_in_works(page, live_server, make_user, settings):
    settings.SESSION_COOKIE_AGE = 8  # the warning shows at half the idle time for short limits
    make_user(email="aisha.rahman@example.org")
    login(page, live_server, "aisha.rahman@example.org")
    page.goto(f"{live_server.url}/preferences/")
    dialog = page.locator("#session-warning")
    dialog.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    check_a11y(page, "session-warning")
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=5_000)
    page.goto(f"{live_server.url}/preferences/")
    assert page.locator("h1").inner_text() == "Your preferences"


def test_an_ignored_warning_ends_on_the_sign_in_page(page, live_server, make_user, settings):
    settings.SESSION_COOKIE_AGE = 4
    make_user(email="aisha.rahman@example.org")
    login(page, live_server, "aisha.rahman@example.org")
    page.goto(f"{live_server.url}/preferences/")
    page.wait_for_url("**/accounts/login/?next=%2Fpreferences%2F", timeout=15_000)
    assert page.locator("h1").inner_text() == "Sign in"


def test_sign_out_from_the_warning_signs_out_and_sits_beside_stay_signed_in(
    page, live_server, make_user, settings
):
    settings.SESSION_COOKIE_AGE = 8
    make_user(email="aisha.rahman@example.org")
    login(page, live_server, "aisha.rahman@example.org")
    page.goto(f"{live_server.url}/preferences/")
    dialog = page.locator("#session-warning")
    dialog.wait_for(state="visible", timeout=10_000)
    stay = dialog.get_by_role("button", name="Stay signed in").bounding_box()
    sign_out = dialog.get_by_role("button", name="Sign out")
    # The group's two buttons on one line (inside its own form, "Sign out" sat lower).
    assert abs(sign_out.bounding_box()["y"] - stay["y"]) < 1
    sign_out.click()
    page.wait_for_url(lambda url: url.rstrip("/") == live_server.url or "/accounts/login/" in url)
    page.goto(f"{live_server.url}/preferences/")
    assert page.locator("h1").inner_text() == "Sign in"
