"""Sign in with email and password, sign out by POST only, reset a password, no self-signup."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from scopegrowth import outbox
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "The email address and/or password you specified are not correct."


def test_sign_in_with_email_and_password_lands_on_home(client, people):
    response = client.post(
        "/accounts/login/", {"login": "individual@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Hello, Aisha" in response.text


def test_email_is_not_case_sensitive(client, people):
    response = client.post(
        "/accounts/login/", {"login": "Individual@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_says_so_and_keeps_the_email(client, people):
    response = client.post(
        "/accounts/login/", {"login": "individual@example.org", "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert WRONG in response.text
    assert 'value="individual@example.org"' in response.text
    assert "_auth_user_id" not in client.session


def test_an_unknown_email_gets_the_same_message(client, people):
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "whatever-it-is"}
    )
    assert response.status_code == 200
    assert WRONG in response.text


def test_an_inactive_user_cannot_sign_in(client, people):
    response = client.post("/accounts/login/", {"login": "left@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != "/"


def test_five_failures_lock_that_account_but_not_a_colleague_on_the_same_network(client, people):
    for _ in range(5):
        client.post(
            "/accounts/login/", {"login": "individual@example.org", "password": "wrong-one"}
        )
    blocked = client.post(
        "/accounts/login/", {"login": "individual@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert blocked.status_code in (200, 429)
    colleague = client.post(
        "/accounts/login/", {"login": "colleague@example.org", "password": PASSWORD}
    )
    assert colleague.status_code == 302
    assert colleague["Location"] == "/"


def test_sign_out_by_get_does_not_sign_out(client, people):
    client.force_login(people.individual, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert client.get("/").status_code == 200


def test_sign_out_by_post_ends_the_session(client, people):
    client.force_login(people.individual, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, people):
    response = client.post("/accounts/password/reset/", {"email": "individual@example.org"})
    assert response.status_code == 302
    outbox.send_ready()  # the worker
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    new = "a long and memorable passphrase"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    people.individual.refresh_from_db()
    assert people.individual.check_password(new)


def test_password_reset_for_an_unknown_address_looks_the_same(client, people):
    known = client.post("/accounts/password/reset/", {"email": "individual@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("elevenchars", False),
        ("twelve chars", True),
        ("x" * 64, True),
        ("password1234", False),
    ],
)
def test_password_policy(password, ok):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_signup_is_closed(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert response.status_code == 200
    assert get_user_model().objects.count() == 0


def test_admin_login_goes_through_allauth(client, people):
    response = client.post("/admin/login/", {"username": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_next_cannot_send_you_off_site(client, people):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"login": "individual@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_no_account_form_shows_placeholder_text(client, client_for, people):
    """NHS.UK forms use a visible label and hint, never placeholder text (it vanishes as you
    type and often fails contrast)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    anonymous = ["/accounts/login/", "/accounts/password/reset/"]
    client.post("/accounts/password/reset/", {"email": people.individual.email})
    outbox.send_ready()  # the worker
    reset = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    reset_form = client.get(reset, follow=True)
    assert reset_form.status_code == 200
    pages = [client.get(path) for path in anonymous] + [reset_form]

    signed_in = client_for("individual")
    for path in ("/accounts/password/change/", "/accounts/email/", "/accounts/reauthenticate/"):
        pages.append(signed_in.get(path))
    pages.append(signed_in.get("/accounts/2fa/totp/activate/", follow=True))

    TOTP.activate(people.hr, generate_totp_secret())
    with_app = client_for("hr")
    pages.append(with_app.get("/accounts/2fa/reauthenticate/"))
    pages.append(
        Client().post(
            "/accounts/login/", {"login": people.hr.email, "password": PASSWORD}, follow=True
        )
    )

    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert "<input" in html, response.request["PATH_INFO"]
        assert "placeholder=" not in html, response.request["PATH_INFO"]
