"""Wrong-password limits (security A3; issue 14, item 6): the guesser is slowed, the person is
not locked out. Five wrong passwords once locked an account for everyone for five minutes,
renewably, for anyone who knew the address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from scopegrowth import outbox
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ALICE = "individual@example.org"
BOB = "colleague@example.org"
X, Y = "203.0.113.7", "198.51.100.20"  # the attacker's network; the person's other network
DELAYED = "Too many wrong passwords for this account from your network."
PAUSED = "Signing in to this account with a password is paused"


def attempt(login: str, password: str, address: str, **extra):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"login": login, "password": password}, **extra)
    return client, response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(login: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        _, response = attempt(login, "not-the-password", address)
        assert response.status_code == 200


def test_five_wrong_passwords_delay_that_pair_even_with_the_right_password(people):
    fail(ALICE, X, 5)

    client, response = attempt(ALICE, PASSWORD, X)

    assert not signed_in(client)
    assert DELAYED in response.text
    assert "Wait 1 minute and try again" in response.text


def test_the_person_signs_in_at_once_from_another_address(people):
    fail(ALICE, X, 5)

    client, response = attempt(ALICE, PASSWORD, Y)

    assert signed_in(client), response.text
    assert response["Location"] == "/"


def test_a_colleague_behind_the_attackers_address_signs_in(people):
    fail(ALICE, X, 5)

    client, _ = attempt(BOB, PASSWORD, X)

    assert signed_in(client)


def test_the_delays_grow_and_the_wait_is_always_possible(people):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(ALICE, X, 5)
        for delay_minutes in (1, 5, 15, 15):
            clock.shift(timedelta(seconds=delay_minutes * 60 - 1))
            client, response = attempt(ALICE, PASSWORD, X)
            assert DELAYED in response.text, delay_minutes
            assert not signed_in(client), delay_minutes
            clock.shift(timedelta(seconds=2))
            fail(ALICE, X)  # allowed to try again: and it is wrong again
        clock.shift(timedelta(minutes=15, seconds=1))
        client, _ = attempt(ALICE, PASSWORD, X)
        assert signed_in(client)


def test_the_right_password_after_the_wait_forgets_that_pairs_failures(people):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(ALICE, X, 5)
        clock.shift(timedelta(minutes=1, seconds=1))
        client, _ = attempt(ALICE, PASSWORD, X)
        assert signed_in(client)
        fail(ALICE, X, 4)  # four typos later: no delay yet
        client, _ = attempt(ALICE, PASSWORD, X)
        assert signed_in(client)


def test_a_forged_forwarded_for_header_does_not_reset_the_delay(people):
    """security A4: only the trusted proxy hop's address counts (none in development)."""
    for n in range(5):
        attempt(ALICE, "not-the-password", X, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")

    client, response = attempt(ALICE, PASSWORD, X, HTTP_X_FORWARDED_FOR="10.9.9.99")

    assert not signed_in(client)
    assert DELAYED in response.text


def test_the_per_account_ceiling_stops_guessing_spread_over_many_addresses(people, settings):
    settings.SIGNIN_ACCOUNT_CEILING = (50, 3600)
    for n in range(50):  # four from each address: never the pair's delay
        fail(ALICE, f"10.0.{n // 4}.{n % 4 + 1}")

    client, response = attempt(ALICE, PASSWORD, "192.0.2.55")

    assert not signed_in(client)
    assert PAUSED in response.text
    assert "reset your password" in response.text
    other, _ = attempt(BOB, PASSWORD, "192.0.2.55")
    assert signed_in(other)  # only that account
    _, unknown = attempt("nobody@example.org", "x", "192.0.2.55")
    assert PAUSED not in unknown.text


def test_an_unknown_address_reaches_the_ceiling_the_same_way(people, settings):
    """The messages say nothing about which addresses have an account."""
    settings.SIGNIN_ACCOUNT_CEILING = (3, 3600)
    for n in range(3):
        fail("nobody@example.org", f"10.1.0.{n + 1}")

    _, response = attempt("nobody@example.org", "x", "192.0.2.55")

    assert PAUSED in response.text


def test_a_password_reset_lifts_the_pause_for_the_person(people, settings):
    settings.SIGNIN_ACCOUNT_CEILING = (3, 3600)
    for n in range(3):
        fail(ALICE, f"10.2.0.{n + 1}")
    browser = Client(REMOTE_ADDR=Y)
    browser.post("/accounts/password/reset/", {"email": ALICE})
    outbox.send_ready()  # the worker
    link = re.search(r"/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    form = browser.get(link, follow=True)
    new = "a brand new long passphrase"
    browser.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})

    client, response = attempt(ALICE, new, Y)

    assert signed_in(client), response.text


def test_the_ceiling_ends_when_the_oldest_failure_is_an_hour_old(people, settings):
    settings.SIGNIN_ACCOUNT_CEILING = (3, 3600)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(3):
            fail(ALICE, f"10.3.0.{n + 1}")
        clock.shift(timedelta(minutes=59))
        _, response = attempt(ALICE, PASSWORD, Y)
        assert PAUSED in response.text
        assert "for 1 minute" in response.text
        clock.shift(timedelta(minutes=1, seconds=1))
        client, _ = attempt(ALICE, PASSWORD, Y)
        assert signed_in(client)


def test_with_the_cache_down_sign_in_still_works(people, settings):
    """A3: the counters degrade safely when Redis is down: never an error page."""
    from scopegrowth import settings as settings_module

    settings.CACHES = {
        "default": {
            "BACKEND": settings_module.CACHES["default"]["BACKEND"]
            if settings_module.REDIS_URL
            else "scopegrowth.cache.FallbackRedisCache",  # what production uses
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "RETRY_SECONDS": 15,
        }
    }
    _, wrong = attempt(ALICE, "not-the-password", X)
    client, right = attempt(ALICE, PASSWORD, X)

    assert wrong.status_code == 200
    assert signed_in(client), right.status_code


def test_an_unknown_address_gets_one_reset_email_a_day_however_often_it_is_asked(people):
    """Issue 14, item 9: anyone could fill a stranger's inbox with "no account" emails."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        pages = []
        for n in range(4):
            client = Client(REMOTE_ADDR=f"10.5.0.{n + 1}")
            pages.append(client.post("/accounts/password/reset/", {"email": "Victim@Example.net"}))
        outbox.send_ready()  # the worker
        assert [m.to for m in mail.outbox] == [["victim@example.net"]]
        assert {(p.status_code, p["Location"]) for p in pages} == {(302, pages[0]["Location"])}

        Client().post("/accounts/password/reset/", {"email": "other@example.net"})
        outbox.send_ready()
        assert len(mail.outbox) == 2  # another address is another count

        clock.shift(timedelta(hours=24, seconds=1))
        Client().post("/accounts/password/reset/", {"email": "victim@example.net"})
        outbox.send_ready()
        assert len(mail.outbox) == 3


def test_a_known_account_still_gets_each_reset_link(people):
    for _ in range(2):
        Client().post("/accounts/password/reset/", {"email": ALICE})
    outbox.send_ready()  # the worker
    assert len(mail.outbox) == 2
    assert all("/accounts/password/reset/key/" in m.body for m in mail.outbox)
