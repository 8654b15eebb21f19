"""Sign in with the organisation's account (issue 18, part 2), against a real OpenID provider
running locally (tests/oidc/provider.mjs): the app's redirect, the provider's sign-in and
consent, the callback, allauth's checks of state and ID token, and our matching and refusals."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client

from scopegrowth import notices
from scopegrowth.models import Notice, User
from scopegrowth.outbox import send_ready
from scopegrowth.sso import DEACTIVATED, NOT_ADDED
from tests.factories import PASSWORD, UserFactory
from tests.oidc.provider import CALLBACK_PATH, running

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/oidc/organisation/login/"
SETUP = "/accounts/2fa/totp/activate/"
USERS = {
    "aisha": {"email": "individual@example.org", "email_verified": True, "name": "Aisha Rahman"},
    "aisha-unverified": {"email": "individual@example.org", "email_verified": False},
    "stranger": {"email": "stranger@example.org", "email_verified": True},
    "leaver": {"email": "left@example.org", "email_verified": True},
    "helen": {"email": "manager@example.org", "email_verified": True},
    "helen-mfa": {"email": "manager@example.org", "email_verified": True, "amr": ["pwd", "mfa"]},
    "sam": {"email": "admin@example.org", "email_verified": True},
    "by-number": {"email": "a.rahman@nhs.net", "email_verified": True, "employee_number": "E100"},
}


@pytest.fixture(scope="module")
def provider():
    with running(USERS, [f"http://testserver{CALLBACK_PATH}"]) as p:
        yield p


@pytest.fixture(scope="module")
def short_token_provider():
    """ID tokens that expire a minute after they are issued."""
    import os

    os.environ["OIDC_ID_TOKEN_TTL"] = "60"
    try:
        with running(USERS, [f"http://testserver{CALLBACK_PATH}"]) as p:
            yield p
    finally:
        del os.environ["OIDC_ID_TOKEN_TTL"]


@pytest.fixture
def sso(settings, provider):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sign_in_with_organisation(client: Client, provider, login: str):
    start = client.post(LOGIN)
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/auth?")
    return client.get(callback_path(provider.sign_in(start["Location"], login)))


def signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_sign_in_page_offers_the_organisations_account(client, sso):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with NHSmail" in page
    assert 'name="password"' in page  # passwords still work when SSO is not the only way


def test_without_an_issuer_there_is_no_organisation_button(client, settings):
    settings.SSO_OIDC_ISSUER = ""
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()


def test_a_person_the_organisation_added_signs_in_and_again_later(people, sso):
    client = Client()
    response = sign_in_with_organisation(client, sso, "aisha")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == people.individual
    assert "Aisha Rahman" in client.get("/").content.decode()
    start = client.post(LOGIN)
    assert "code_challenge_method=S256" in start["Location"]  # PKCE

    # Later their address here changed (the people file says so): the earlier sign-in's
    # subject still finds them, not the email.
    client.post("/accounts/logout/")
    people.individual.email = "aisha.rahman@nhs.net"
    people.individual.save()
    again = Client()
    assert sign_in_with_organisation(again, sso, "aisha")["Location"] == "/"
    assert signed_in_as(again) == people.individual
    assert SocialAccount.objects.filter(user=people.individual).count() == 1


def test_nobody_unknown_gets_an_account(people, sso):
    before = User.objects.count()
    client = Client()
    response = sign_in_with_organisation(client, sso, "stranger")
    assert response.status_code == 403
    assert NOT_ADDED in response.content.decode()
    assert "Your organisation has not added you yet" in response.content.decode()
    assert signed_in_as(client) is None
    assert User.objects.count() == before
    assert not SocialAccount.objects.exists()


def test_an_unverified_email_matches_nobody(people, sso):
    client = Client()
    response = sign_in_with_organisation(client, sso, "aisha-unverified")
    assert response.status_code == 403
    assert NOT_ADDED in response.content.decode()
    assert signed_in_as(client) is None


def test_the_employee_number_claim_finds_the_person(people, sso, settings):
    people.individual.employee_number = "E100"
    people.individual.save()
    client = Client()
    assert sign_in_with_organisation(client, sso, "by-number").status_code == 403  # claim off

    settings.SSO_OIDC_EMPLOYEE_NUMBER_CLAIM = "employee_number"
    client = Client()
    assert sign_in_with_organisation(client, sso, "by-number")["Location"] == "/"
    assert signed_in_as(client) == people.individual


def test_a_deactivated_person_is_refused(people, sso):
    client = Client()
    response = sign_in_with_organisation(client, sso, "leaver")
    assert response.status_code == 403
    assert DEACTIVATED in response.content.decode()
    assert signed_in_as(client) is None


def test_someone_who_signed_in_before_and_then_left_is_refused(people, sso):
    client = Client()
    sign_in_with_organisation(client, sso, "aisha")
    client.post("/accounts/logout/")
    people.individual.is_active = False
    people.individual.save()
    again = Client()
    response = sign_in_with_organisation(again, sso, "aisha")
    assert response.status_code == 403
    assert DEACTIVATED in response.content.decode()
    assert signed_in_as(again) is None


def test_a_callback_with_a_state_this_browser_never_started_is_refused(people, sso):
    client = Client()
    start = client.post(LOGIN)
    params = dict(
        p.split("=", 1) for p in urlsplit(sso.sign_in(start["Location"], "aisha")).query.split("&")
    )
    forged = client.get(f"{CALLBACK_PATH}?{urlencode({**params, 'state': 'forged'})}")
    assert forged.status_code == 401
    assert "Sign-in was not completed" in forged.content.decode()
    assert signed_in_as(client) is None

    # The right code in another browser (no state of its own) is refused too.
    other = Client()
    start = client.post(LOGIN)
    response = other.get(callback_path(sso.sign_in(start["Location"], "aisha")))
    assert "Sign-in was not completed" in response.content.decode()
    assert signed_in_as(other) is None


def test_an_expired_id_token_is_refused(people, settings, short_token_provider, caplog):
    for name, value in short_token_provider.settings().items():
        setattr(settings, name, value)
    # Control: the same provider's token works while it is fresh.
    fresh = Client()
    assert sign_in_with_organisation(fresh, short_token_provider, "aisha")["Location"] == "/"

    client = Client()
    start = client.post(LOGIN)
    callback = short_token_provider.sign_in(start["Location"], "aisha")
    # The token is issued now and expires in a minute; this server reads it five minutes late.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)):
        response = client.get(callback_path(callback))
    assert "Sign-in was not completed" in response.content.decode()
    assert signed_in_as(client) is None
    assert [r.exc for r in caplog.records if getattr(r, "event", "") == "sso_error"] == [
        "OAuth2Error('Invalid id_token')"
    ]


# --- Second factor for privileged roles --------------------------------------------------------


@pytest.fixture
def mfa_on(settings):
    settings.MFA_REQUIRED = True


@pytest.mark.parametrize(
    ("trust", "login"), [(False, "helen"), (False, "helen-mfa"), (True, "helen")]
)
def test_a_manager_must_still_set_up_the_apps_authenticator(
    people, sso, mfa_on, settings, trust, login
):
    settings.SSO_OIDC_TRUST_MFA = trust
    client = Client()
    assert sign_in_with_organisation(client, sso, login)["Location"] == "/"
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_a_manager_with_no_password_can_set_up_the_authenticator_after_sso(people, sso, mfa_on):
    """Imported people have no password: the set-up page must not ask for one."""
    people.manager.set_unusable_password()
    people.manager.save()
    client = Client()
    sign_in_with_organisation(client, sso, "helen")
    assert client.get("/dashboard/")["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


def test_a_trusted_provider_mfa_stands_for_the_authenticator(people, sso, mfa_on, settings):
    settings.SSO_OIDC_TRUST_MFA = True
    client = Client()
    assert sign_in_with_organisation(client, sso, "helen-mfa")["Location"] == "/"
    assert client.get("/dashboard/").status_code == 200

    # The same person signing in with a password later must set up the app's authenticator.
    client.post("/accounts/logout/")
    password = Client()
    password.post("/accounts/login/", {"login": people.manager.email, "password": PASSWORD})
    assert password.get("/dashboard/")["Location"] == SETUP


@pytest.mark.parametrize(
    ("trust", "login", "asked"),
    [
        (False, "helen-mfa", True),
        (True, "helen", True),
        (True, "helen-mfa", False),
    ],
)
def test_a_manager_with_an_authenticator_is_asked_for_a_code(
    people, sso, mfa_on, settings, trust, login, asked
):
    settings.SSO_OIDC_TRUST_MFA = trust
    TOTP.activate(people.manager, generate_totp_secret())
    client = Client()
    response = sign_in_with_organisation(client, sso, login)
    if asked:
        assert response["Location"] == "/accounts/2fa/authenticate/"
        assert signed_in_as(client) is None
    else:
        assert response["Location"] == "/"
        assert client.get("/dashboard/").status_code == 200
    assert Authenticator.objects.filter(user=people.manager).exists()


# --- SSO_ONLY ----------------------------------------------------------------------------------


@pytest.fixture
def sso_only(sso, settings):
    settings.SSO_ONLY = True
    return sso


def test_sso_only_leads_with_the_organisations_button(client, sso_only):
    page = client.get("/accounts/login/").content.decode()
    assert page.index("Sign in with NHSmail") < page.index('name="password"')
    assert "Administrators: sign in with a password" in page


def test_sso_only_refuses_every_password_but_an_admins_the_same_way(people, sso_only):
    def try_password(email: str, password: str = PASSWORD):
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": password})
        return client, response

    answers = {}
    for email, password in [
        (people.individual.email, PASSWORD),  # exists, right password
        (people.hr.email, PASSWORD),  # HR is not an admin
        ("nobody@example.org", PASSWORD),  # no such account
        (people.admin.email, "wrong-password-1"),  # an admin, wrong password
    ]:
        client, response = try_password(email, password)
        assert response.status_code == 200, email
        assert signed_in_as(client) is None, email
        page = response.content.decode()
        summary = page[page.index("nhsuk-error-summary") :]
        answers[email] = summary[: summary.index("</ul>")]
    assert len(set(answers.values())) == 1, answers
    assert "A password here works only for an administrator" in next(iter(answers.values()))

    client, response = try_password(people.admin.email)
    assert response.status_code == 302
    assert signed_in_as(client) == people.admin

    # The organisation's button still signs the others in.
    client = Client()
    assert sign_in_with_organisation(client, sso_only, "aisha")["Location"] == "/"


def test_an_invitation_says_sign_in_with_the_organisation_when_sso_is_on(people, sso):
    newcomer = UserFactory(email="newcomer@example.org", organisation=people.hr.organisation)
    notices.queue([Notice(recipient=newcomer, kind=Notice.Kind.INVITED)])
    assert send_ready() == 1
    body = mail.outbox[0].body
    assert "Sign in with NHSmail here:" in body
    assert "/accounts/login/" in body
    assert "Choose your password" not in body
