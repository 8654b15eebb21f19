"""What a mail system checks on every email we send, ours and allauth's: `Auto-Submitted:
auto-generated`, a `Message-ID` in the domain of SITE_URL (not the machine's host name), and on
optional reminders only, a `List-Unsubscribe` link to the preferences page (no one-click POST)."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.utils import DNS_NAME
from django.utils import timezone

from conversations.models import Preparation
from journals.models import Journal
from reminders.models import Reminder
from tests.reminders.test_reminders import WEDNESDAY, at, conversation, run

pytestmark = pytest.mark.django_db

SITE = "https://scopegrowth.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def headers(message) -> email.message.EmailMessage:
    """The message as it goes on the wire, parsed back."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def assert_automatic_from_our_domain(message) -> None:
    sent = headers(message)
    assert sent.get_all("Auto-Submitted") == ["auto-generated"], message.subject
    assert sent["Message-ID"].endswith("@scopegrowth.example.org>"), sent["Message-ID"]
    if DNS_NAME.get_fqdn() != "scopegrowth.example.org":
        assert str(DNS_NAME) not in sent["Message-ID"]


def test_an_optional_reminder_links_to_the_preferences_page_to_unsubscribe(people):
    conversation(people, WEDNESDAY)

    sent = run(at(WEDNESDAY - timedelta(days=7)))

    assert [r.kind for r in sent] == [Reminder.Kind.JOURNAL_WEEK]
    (message,) = mail.outbox
    assert_automatic_from_our_domain(message)
    wire = headers(message)
    assert wire.get_all("List-Unsubscribe") == [f"<{SITE}/preferences/>"]
    assert wire["List-Unsubscribe-Post"] is None  # no one-click endpoint


def test_a_reminder_no_one_can_turn_off_has_no_unsubscribe_link(people):
    c = conversation(people, WEDNESDAY)
    # Journal ready and preparation done: only the day-before reminder is due.
    Journal.objects.update(ready_at=timezone.now())
    Preparation.objects.create(conversation=c, author=c.facilitator, prepared_at=timezone.now())

    sent = run(at(WEDNESDAY - timedelta(days=1)))

    assert [r.kind for r in sent] == [Reminder.Kind.DAY_BEFORE] * 2
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_automatic_from_our_domain(message)
        assert headers(message)["List-Unsubscribe"] is None


def test_invites_are_automatic_without_an_unsubscribe_link(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    from conversations import services
    from scopegrowth import tasks

    monkeypatch.setattr(tasks.send_outbox, "delay", tasks.send_outbox)  # in-process, after commit
    with (
        time_machine.travel(at(WEDNESDAY - timedelta(days=10)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.conversation_schedule(
            actor=people.manager,
            individual=people.individual,
            scheduled_at=at(WEDNESDAY, 10),
            duration_minutes=60,
            location="Seminar room 2",
        )

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_automatic_from_our_domain(message)
        assert headers(message)["List-Unsubscribe"] is None


def test_allauth_emails_carry_the_same_headers(people, client):
    response = client.post("/accounts/password/reset/", {"email": people.individual.email})

    assert response.status_code == 302
    assert mail.outbox == []  # written to the outbox; a worker sends it
    from scopegrowth import outbox

    assert outbox.send_ready() == 1
    (message,) = mail.outbox
    assert "/accounts/password/reset/key/" in message.body
    assert_automatic_from_our_domain(message)
    assert headers(message)["List-Unsubscribe"] is None


def test_every_message_gets_its_own_id(people):
    conversation(people, WEDNESDAY)
    run(at(WEDNESDAY - timedelta(days=1)))

    ids = [headers(m)["Message-ID"] for m in mail.outbox]
    assert len(ids) >= 2
    assert len(set(ids)) == len(ids)
