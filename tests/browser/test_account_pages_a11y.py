"""Every allauth page a person can reach renders in NHS.UK style, axe-clean and within the CSP.

Sign-in itself, the header and the error pages are in test_pages_a11y.py and
test_error_pages_a11y.py; this module walks the rest of the account journeys: password reset,
password change, email, sign-up closed, re-authentication, two-factor authentication (TOTP and
recovery codes) and the sessions list. Every page is checked at the desktop and the phone
viewport, and the signed-in pages also reflow at 320 CSS pixels (WCAG 1.4.10): nothing scrolls
sideways.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail

from tests.browser.harness import PASSWORD, check_a11y, login

pytestmark = pytest.mark.browser

EMAIL = "aisha.rahman@example.org"
NEW_PASSWORD = "A-brand-new-password-42"
BOTH_VIEWPORTS = pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
SIGNED_IN_PAGES = [
    ("/accounts/password/change/", "password-change"),
    ("/accounts/email/", "email"),
    ("/accounts/sessions/", "sessions"),
    ("/accounts/2fa/", "mfa-index"),
    ("/accounts/reauthenticate/", "reauthenticate"),
]

# What scrolls sideways: the page itself, or any element whose content is wider than its box
# while it lets the content scroll or spill (`overflow-x` other than hidden/clip).
SIDEWAYS = """() => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.push(`the page: ${root.scrollWidth}px`);
  for (const el of document.querySelectorAll("body *")) {
    const overflow = getComputedStyle(el).overflowX;
    if (el.scrollWidth > el.clientWidth + 1 && !["hidden", "clip", "visible"].includes(overflow))
      found.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth}px`
        + ` in ${el.clientWidth}px`);
  }
  return found;
}"""


def h1(page) -> str:
    headings = page.locator("h1").all_inner_texts()
    assert len(headings) == 1, f"expected one h1 on {page.url}, found {headings}"
    return headings[0].strip()


def submit(page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


@BOTH_VIEWPORTS
def test_password_reset_journey(page, live_server, make_user):
    make_user(email=EMAIL)
    page.goto(f"{live_server.url}/accounts/password/reset/")
    submit(page, "Send reset link")
    assert h1(page) == "Reset your password"
    assert page.locator(".nhsuk-error-summary a[href='#id_email']").count() == 1
    check_a11y(page, "password-reset-error")

    page.fill("#id_email", EMAIL)
    submit(page, "Send reset link")
    assert h1(page) == "Check your email"
    check_a11y(page, "password-reset-done")

    from scopegrowth import outbox

    assert outbox.send_ready() == 1  # the worker sends what the page wrote to the outbox
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    page.goto(link)
    assert h1(page) == "Set a new password"
    check_a11y(page, "password-reset-from-key")

    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", "something else entirely")
    submit(page, "Set new password")
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.locator(".nhsuk-form-group--error").count() >= 1
    check_a11y(page, "password-reset-from-key-error")

    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    submit(page, "Set new password")
    assert h1(page) == "Your password has been changed"
    check_a11y(page, "password-reset-from-key-done")


@BOTH_VIEWPORTS
def test_a_used_or_broken_reset_link_explains_what_to_do(page, live_server):
    page.goto(f"{live_server.url}/accounts/password/reset/key/1-not-a-key/")

    assert h1(page) == "This link has expired"
    assert page.get_by_role("link", name="Ask for a new link to reset your password").count() == 1
    check_a11y(page, "password-reset-bad-key")


@BOTH_VIEWPORTS
def test_signup_is_closed_and_says_who_creates_accounts(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")

    assert h1(page) == "Accounts are created by your organisation"
    check_a11y(page, "signup-closed")


@BOTH_VIEWPORTS
def test_email_verification_pages(page, live_server):
    page.goto(f"{live_server.url}/accounts/confirm-email/")
    assert h1(page) == "Confirm your email address"
    check_a11y(page, "verification-sent")

    page.goto(f"{live_server.url}/accounts/confirm-email/not-a-real-key/")
    assert page.locator("h1").count() == 1
    check_a11y(page, "email-confirm-invalid")


@BOTH_VIEWPORTS
def test_inactive_account_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/inactive/")

    assert h1(page) == "Your account is not active"
    check_a11y(page, "account-inactive")


@BOTH_VIEWPORTS
def test_signed_in_account_pages(page, live_server, make_user):
    make_user(email=EMAIL)
    login(page, live_server, EMAIL)

    for path, name in SIGNED_IN_PAGES:
        page.goto(f"{live_server.url}{path}")
        assert "/accounts/login/" not in page.url, f"{path} sent a signed-in person to sign in"
        h1(page)
        check_a11y(page, name)


@pytest.mark.parametrize("page", ["narrow"], indirect=True)
def test_signed_in_account_pages_reflow_at_320_pixels(page, live_server, make_user):
    make_user(email=EMAIL)
    login(page, live_server, EMAIL)

    for path, _ in SIGNED_IN_PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(SIDEWAYS) == [], f"{path} scrolls sideways at 320px"


@BOTH_VIEWPORTS
def test_password_change_errors_are_shown_nhs_style(page, live_server, make_user):
    make_user(email=EMAIL)
    login(page, live_server, EMAIL)
    page.goto(f"{live_server.url}/accounts/password/change/")

    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state("load")

    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.locator(".nhsuk-error-message").count() >= 1
    check_a11y(page, "password-change-error")


@BOTH_VIEWPORTS
def test_two_factor_authentication_journey(page, live_server, make_user):
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    def current_code(secret: str) -> str:
        # A person types a code with time left on it: allauth accepts only the current 30-second
        # window, so a code read in its last seconds could expire before the form arrives.
        if time.time() % 30 > 25:
            time.sleep(30 - time.time() % 30 + 0.2)
        counter = next(iter(yield_hotp_counters_from_time()))
        return format_hotp_value(hotp_value(secret, counter))

    make_user(email=EMAIL)
    login(page, live_server, EMAIL)

    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again first
        assert h1(page) == "Confirm it is you"
        page.fill("#id_password", PASSWORD)
        submit(page, "Confirm")
    assert "/accounts/2fa/totp/activate/" in page.url
    h1(page)
    check_a11y(page, "mfa-totp-activate")
    secret = page.locator("#authenticator_secret").input_value()

    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state("load")
    assert page.locator(".nhsuk-error-summary").is_visible()
    check_a11y(page, "mfa-totp-activate-error")

    page.locator("main form input[name='code']").fill(current_code(secret))
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state("load")
    assert "/accounts/2fa/totp/activate/" not in page.url, "the authenticator was not activated"
    assert "/accounts/2fa/" in page.url

    page.goto(f"{live_server.url}/accounts/2fa/recovery-codes/")
    h1(page)
    check_a11y(page, "mfa-recovery-codes")

    page.goto(f"{live_server.url}/accounts/2fa/recovery-codes/generate/")
    h1(page)
    check_a11y(page, "mfa-recovery-codes-generate")

    page.goto(f"{live_server.url}/accounts/2fa/totp/deactivate/")
    h1(page)
    check_a11y(page, "mfa-totp-deactivate")

    # Sign out, then sign in again: the second step asks for a code.
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/"))
    h1(page)
    check_a11y(page, "mfa-authenticate")

    # The code from the app finishes signing in.
    page.locator("main form input[name='code']").fill(current_code(secret))
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("navigation", name="Account").count() == 1
