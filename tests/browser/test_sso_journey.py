"""Signing in with the organisation's account in a real browser: the sign-in page's button, the
redirect to a real OpenID provider (tests/oidc/provider.mjs), its sign-in and consent pages,
the callback, and the dashboard the person asked for. The pages are axe-clean at both widths."""

from __future__ import annotations

import pytest

from tests.browser.harness import check_a11y
from tests.factories import ManagerLinkFactory
from tests.oidc.provider import CALLBACK_PATH, running

pytestmark = pytest.mark.browser

BOTH_VIEWPORTS = pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
USERS = {
    "helen": {"email": "helen.carter@example.org", "email_verified": True},
    "stranger": {"email": "stranger@example.org", "email_verified": True},
}


@pytest.fixture
def provider(live_server, settings):
    with running(USERS, [f"{live_server.url}{CALLBACK_PATH}"]) as p:
        for name, value in p.settings().items():
            setattr(settings, name, value)
        yield p


def sign_in_at_the_provider(page, login: str) -> None:
    page.wait_for_url("http://127.0.0.1:*/interaction/**")
    assert page.locator("h1").inner_text() == "Test identity provider: sign in"
    page.fill("#login", login)
    page.get_by_role("button", name="Sign in").click()


@BOTH_VIEWPORTS
def test_a_manager_signs_in_with_the_organisation_and_reaches_the_dashboard(
    page, live_server, make_user, provider
):
    manager = make_user(email="helen.carter@example.org", full_name="Helen Carter")
    report = make_user(email="aisha.rahman@example.org", full_name="Aisha Rahman")
    ManagerLinkFactory(manager=manager, report=report)

    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_url("**/accounts/login/?next=**")
    assert page.url.endswith("next=/dashboard/") or page.url.endswith("next=%2Fdashboard%2F")
    check_a11y(page, "sign-in-with-organisation")
    page.get_by_role("button", name="Sign in with NHSmail").click()

    sign_in_at_the_provider(page, "helen")
    page.wait_for_url("**/interaction/**")
    assert page.locator("h1").inner_text() == "Test identity provider: consent"
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert "Aisha Rahman" in page.locator("main").inner_text()
    check_a11y(page, "dashboard-after-organisation-sign-in")


@BOTH_VIEWPORTS
def test_someone_the_organisation_has_not_added_is_told_so(page, live_server, provider):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with NHSmail").click()
    sign_in_at_the_provider(page, "stranger")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{live_server.url}{CALLBACK_PATH}**")
    assert page.locator("h1").inner_text() == "You cannot sign in yet"
    assert "Your organisation has not added you yet" in page.locator("main").inner_text()
    check_a11y(page, "organisation-sign-in-refused")

    # A callback this browser did not start: allauth's state check, in our words.
    page.goto(f"{live_server.url}{CALLBACK_PATH}?code=made-up&state=made-up")
    assert page.locator("h1").inner_text() == "Sign-in was not completed"
    check_a11y(page, "organisation-sign-in-not-completed")


@BOTH_VIEWPORTS
def test_sso_only_sign_in_page(page, live_server, provider, settings):
    settings.SSO_ONLY = True
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("button", name="Sign in with NHSmail").is_visible()
    assert not page.locator("#id_password").is_visible()  # admins open the details first
    page.get_by_text("Administrators: sign in with a password").click()
    assert page.locator("#id_password").is_visible()
    check_a11y(page, "sign-in-sso-only")
