"""Multi-factor sign-in: required for line managers, coaches, HR and admins; offered to all."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"
PAGES = ["/", "/preferences/", "/journal/", "/dashboard/", "/plans/", "/hr/plans/"]


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.MFA_REQUIRED = True


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(email: str) -> tuple[Client, object]:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    return client, response


@pytest.mark.parametrize("persona", ["manager", "coach", "hr", "admin"])
def test_privileged_people_without_an_authenticator_must_set_one_up(people, persona):
    client, _ = sign_in(people.get(persona).email)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == SETUP, page
    # allauth asks for the password again before an authenticator is added; that page and the
    # set-up page itself stay reachable.
    setup = client.get(SETUP)
    assert setup["Location"].startswith("/accounts/reauthenticate/")
    confirmed = client.post(setup["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_an_individual_is_offered_but_not_forced(people):
    client, response = sign_in(people.individual.email)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_with_an_authenticator_sign_in_asks_for_a_code_and_refuses_a_reused_one(people):
    secret = generate_totp_secret()
    TOTP.activate(people.hr, secret)
    client, response = sign_in(people.hr.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in until the code is given
    code = code_for(secret)
    done = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert done.status_code == 302
    assert client.get("/").status_code == 200

    again, _ = sign_in(people.hr.email)
    reused = again.post("/accounts/2fa/authenticate/", {"code": code})
    assert reused.status_code == 200
    assert again.get("/").status_code == 302


def test_a_password_reset_does_not_skip_the_code(people):
    import re

    from django.core import mail

    TOTP.activate(people.manager, generate_totp_secret())
    client = Client()
    client.post("/accounts/password/reset/", {"email": people.manager.email})
    from scopegrowth import outbox

    outbox.send_ready()  # the worker
    link = re.search(r"/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    form = client.get(link, follow=True)
    new = "another long passphrase here"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    response = client.post("/accounts/login/", {"login": people.manager.email, "password": new})
    assert response["Location"] == "/accounts/2fa/authenticate/"


@pytest.mark.parametrize(("steps_ago", "accepted"), [(1, True), (3, False)])
def test_a_code_that_just_turned_over_is_accepted_but_an_old_one_is_not(
    people, steps_ago, accepted
):
    secret = generate_totp_secret()
    TOTP.activate(people.hr, secret)
    client, _ = sign_in(people.hr.email)
    old = format_hotp_value(hotp_value(secret, int(time.time()) // 30 - steps_ago))
    client.post("/accounts/2fa/authenticate/", {"code": old})
    assert (client.get("/").status_code == 200) is accepted


@pytest.mark.parametrize("prefix", ["/accounts", "/healthz", "/privacy", "/accessibility"])
@pytest.mark.parametrize(
    "force_script_name",
    [
        pytest.param(None, id="prefix-reaches-django"),  # the rule alone must hold
        pytest.param("", id="as-configured"),  # and Django ignores the prefix anyway
    ],
)
def test_a_script_name_from_the_client_does_not_exempt_a_page(
    people, settings, client_for, force_script_name, prefix
):
    """Issue 14, item 2: the rule once read `request.path` (SCRIPT_NAME + PATH_INFO) while
    Django routes PATH_INFO, so SCRIPT_NAME=/accounts made /dashboard/ look like a sign-in page.
    Behind a real gunicorn: tests/scopegrowth/test_gunicorn_script_name.py."""
    settings.FORCE_SCRIPT_NAME = force_script_name
    for persona, page in [("manager", "/dashboard/"), ("hr", "/hr/plans/export.csv")]:
        response = client_for(persona).get(page, SCRIPT_NAME=prefix)
        assert response.status_code == 302, (persona, page, prefix)
        assert response["Location"].endswith(SETUP), (persona, page, prefix)


def test_django_never_takes_the_prefix_from_the_environment(settings):
    from scopegrowth import settings as project_settings

    assert project_settings.FORCE_SCRIPT_NAME == ""
