"""One outbox for every email (issue 17 item 4): written with the change, sent by a worker.

With the broker down every kind of email the app sends is still written (the save succeeds in
well under the time a person waits); once the broker is back the beat's sweep sends each one
exactly once, with the Message-ID it was given when written. A change that rolls back leaves no
email behind.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import timezone

from devplans import services as plan_services
from journals import services as journal_services
from journals.models import Journal, Section
from scopegrowth import access, outbox, relationships, tasks
from scopegrowth.celery import app
from scopegrowth.models import OutboundEmail
from tests.conversations.helpers import date_fields
from tests.devplans.factories import ObjectiveFactory, PlanFactory
from tests.services import broker_at

pytestmark = pytest.mark.django_db


def _fresh_pool():
    # Producers come from a pool made with the broker URL of its time: start a new one.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None


@pytest.fixture
def broker(private_redis):
    """This process publishes to a private redis-server, which the test stops and starts."""
    with broker_at(private_redis.url(0)):
        _fresh_pool()
        yield private_redis
    _fresh_pool()


def _schedule(client, person):
    when = timezone.localtime() + timedelta(days=10)
    return client.post(
        f"/conversations/new/{person.pk}/",
        {
            **date_fields(f"{when:%Y-%m-%d}"),
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Seminar room 2",
            "agenda": "",
        },
    )


def test_with_the_broker_down_every_kind_is_written_and_sent_once_when_it_is_back(
    people, client_for, broker, django_capture_on_commit_callbacks
):
    broker.stop()
    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    ObjectiveFactory(plan=plan)
    journal = Journal.objects.create(owner=people.individual, cycle=1)
    # Only the people a section is shared with are told (issue 14).
    journal_services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=Section.objects.get(slug="strengths"),
        readers=[people.manager],
    )
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):  # each nudge meets a dead broker
        responses = [
            _schedule(client_for("manager"), people.individual),
            client_for("individual").post(
                f"/journal/{journal.pk}/ready/",
                {"confirm": "empty"},  # an empty journal: confirmed once (issue 15)
            ),
            Client().post("/accounts/password/reset/", {"email": people.colleague.email}),
        ]
        plan_services.plan_sign(actor=people.individual, plan=plan)
        plan.refresh_from_db()
        plan_services.plan_sign(actor=people.manager, plan=plan)
        relationships.manager_set(
            actor=people.hr, person=people.colleague, manager=people.other_manager
        )
        relationships.role_set(actor=access.SYSTEM, person=people.coach, role="hr", value=True)
    elapsed = time.monotonic() - started

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert elapsed < 15, elapsed  # seven commits, none waiting long on the broker
    assert mail.outbox == []
    expected = {
        "conversation_invite": 2,  # the individual and the manager
        "journal_ready": 1,  # the line manager, the one it is shared with (issue 14)
        "account/email/password_reset_key": 1,
        "plan_signature_needed": 1,  # the manager, when the individual signed
        "plan_agreed": 2,
        # the colleague, the new manager and the old one; the coach given HR (issue 18)
        "support_changes": 4,
    }
    rows = OutboundEmail.objects.all()
    assert Counter(rows.values_list("kind", flat=True)) == expected
    assert set(rows.values_list("status", flat=True)) == {OutboundEmail.Status.PENDING}

    broker.start()
    _fresh_pool()
    sent = tasks.send_outbox()  # the beat's `send-outbox` entry, as a worker runs it
    again = tasks.send_outbox()

    assert (sent, again) == (sum(expected.values()), 0)
    kind_of = dict(rows.values_list("message_id", "kind"))
    delivered = Counter(kind_of[m.extra_headers["Message-ID"]] for m in mail.outbox)
    assert delivered == expected  # each kind, each email exactly once, with its own Message-ID
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == sum(expected.values())
    assert set(rows.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    assert set(rows.values_list("body_text", flat=True)) == {""}  # sent: the text is not kept


def test_a_change_that_rolls_back_writes_no_email(people):
    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    ObjectiveFactory(plan=plan)
    journal = Journal.objects.create(owner=people.individual, cycle=1)
    journal_services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=Section.objects.get(slug="strengths"),
        readers=[people.manager, people.coach],
    )

    def change():
        with transaction.atomic():
            plan_services.plan_sign(actor=people.individual, plan=plan)
            journal_services.journal_mark_ready(actor=people.individual, journal=journal)
            written.append(OutboundEmail.objects.count())  # written with the change...
            raise RuntimeError("something later in the same change failed")

    written: list[int] = []
    with pytest.raises(RuntimeError):
        change()

    assert written == [3]

    assert not OutboundEmail.objects.exists()  # ...and gone with it
    assert outbox.send_ready() == 0
    assert mail.outbox == []


def test_a_send_whose_mark_was_lost_is_sent_again_with_the_same_message_id(people):
    """The SMTP server accepted it, then the database dropped before it was marked sent: the row
    stays "may have been sent" and the stale-claim sweep repeats it with the first Message-ID
    (so a mail system can drop the repeat). Never lost; a repeat is recognisable."""
    relationships.role_set(actor=access.SYSTEM, person=people.coach, role="hr", value=True)
    row = OutboundEmail.objects.get()
    real = outbox.sender.write_after_fault
    calls = []

    def mark_fails(write):
        calls.append(write)
        if len(calls) == 1:
            raise DatabaseError("connection dropped")
        return real(write)

    with mock.patch.object(outbox.sender, "write_after_fault", mark_fails):
        assert outbox.deliver(row.pk) == OutboundEmail.Status.UNCERTAIN
    assert outbox.send_ready() == 0  # a live claim is left alone
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert outbox.send_ready() == 1

    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [row.message_id] * 2
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundEmail.Status.SENT, 1)


def test_a_person_who_left_before_the_worker_ran_is_not_emailed(people):
    relationships.role_set(actor=access.SYSTEM, person=people.coach, role="hr", value=True)
    people.coach.is_active = False
    people.coach.save()

    assert outbox.send_ready() == 0
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SKIPPED
