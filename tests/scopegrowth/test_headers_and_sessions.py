"""Security headers, cookies and session lifetime (security checklist B and I)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_html_pages_carry_a_strict_content_security_policy(client_for):
    response = client_for("individual").get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert "unsafe-inline" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_anonymous_pages_have_the_same_protections(client):
    response = client.get("/accounts/login/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("persona", ["anonymous", "individual"])
def test_a_permissions_policy_denies_the_features_we_never_use(client_for, persona):
    """Issue 14, item 9 (security.md I4). Every URL in the matrix is checked too."""
    response = client_for(persona).get("/" if persona != "anonymous" else "/accounts/login/")
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert policy[feature] == "()", feature


def test_every_page_has_a_request_id(client):
    response = client.get("/accounts/login/")
    assert len(response["X-Request-ID"]) == 32


def test_hsts_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_sign_out_clears_what_the_browser_kept(people):
    client = sign_in(people.individual.email)
    response = client.post("/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/").status_code == 302


def test_the_old_session_cookie_is_useless_after_sign_out(people):
    client = sign_in(people.individual.email)
    old = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = old
    assert replay.get("/").status_code == 302


def test_signing_in_gives_a_new_session_key(people):
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/accounts/login/", {"login": people.individual.email, "password": PASSWORD})
    assert client.session.session_key != before


def test_login_by_emailed_code_is_not_offered(client):
    assert client.get("/accounts/login/code/").status_code == 404


def test_idle_timeout_is_thirty_minutes_and_slides(people):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = sign_in(people.individual.email)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200  # activity slides the window
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58 + 31), tick=False):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_session_ends_twelve_hours_after_sign_in_however_active(people):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = sign_in(people.individual.email)
    minutes = 20
    while minutes <= 12 * 60:
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, f"signed out after {minutes} minutes"
        minutes += 20
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get("/")
    assert response.status_code == 302


def test_people_can_end_their_other_sessions(people):
    laptop = sign_in(people.individual.email)
    phone = sign_in(people.individual.email)
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    response = laptop.post("/accounts/sessions/", {"action": "logout"}, follow=True)
    assert response.status_code == 200
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


def test_changing_the_password_ends_other_sessions_and_sends_a_notice(people):
    laptop = sign_in(people.individual.email)
    phone = sign_in(people.individual.email)
    new = "a brand new long passphrase"
    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    from scopegrowth import outbox

    outbox.send_ready()  # the worker
    notices = [m for m in mail.outbox if people.individual.email in m.to]
    assert len(notices) == 1
    assert new not in notices[0].body
