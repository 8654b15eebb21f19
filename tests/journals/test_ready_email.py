"""Ready for the conversation: the owner marks the journal ready; the facilitators get an email
(written to the outbox with the change, sent by a worker after the commit) that names who and
when, never what was written."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from journals import services
from journals.models import Journal
from scopegrowth import outbox, tasks
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, OutboundEmail
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

WORDS = "CANARY my private reflection about my manager"


@pytest.fixture
def journal(people):
    journal = h.start(people.individual)
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: WORDS})
    h.answer(journal, "wellbeing", {h.text_questions("wellbeing")[0]: WORDS})
    h.share(journal, "strengths")
    return journal


def ready_url(journal):
    return f"/journal/{journal.pk}/ready/"


@pytest.fixture
def run_task_inline(outbox_worker):
    """The outbox's task runs here when the commit nudges it (the real task, no broker)."""
    return outbox_worker


def test_marking_ready_emails_each_facilitator_without_any_answer(
    journal, client_for, django_capture_on_commit_callbacks, run_task_inline, settings
):
    settings.SITE_URL = "https://scopegrowth.example.nhs.uk"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for("individual").post(ready_url(journal))

    assert response.status_code == 302
    assert len(callbacks) == 1
    assert len(run_task_inline) == 1  # one nudge for the commit
    journal.refresh_from_db()
    assert journal.ready_at is not None
    assert set(OutboundEmail.objects.values_list("kind", "status")) == {("journal_ready", "sent")}
    assert sorted(m.to[0] for m in mail.outbox) == ["coach@example.org", "manager@example.org"]
    link = f"https://scopegrowth.example.nhs.uk/journal/{journal.pk}/"
    for message in mail.outbox:
        html = message.alternatives[0].content
        assert message.alternatives[0].mimetype == "text/html"
        assert "Aisha Rahman's journal is ready for your conversation" in message.subject
        assert "Aisha Rahman marked their reflection journal ready on" in message.body
        assert "shared 1 section" in message.body
        assert link in message.body
        assert f'href="{link}"' in html
        assert "does not include anything they wrote" in html
        for part in (message.subject, message.body, html):
            assert WORDS not in part
            assert "CANARY" not in part


def test_the_owner_is_told_and_it_is_recorded(journal, client_for, run_task_inline):
    client = client_for("individual")

    response = client.post(ready_url(journal), follow=True)

    page = response.content.decode()
    assert "Your journal is marked ready" in page
    assert "You said your journal was ready for the conversation" in page
    assert AuditEvent.objects.filter(action="ready", subject=journal.owner).count() == 1


def test_marking_ready_twice_sends_one_email(
    journal, client_for, django_capture_on_commit_callbacks, run_task_inline
):
    client = client_for("individual")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ready_url(journal))
    first_ready_at = Journal.objects.get(pk=journal.pk).ready_at

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(ready_url(journal), follow=True)

    assert callbacks == []
    assert "already said your journal is ready" in response.content.decode()
    assert len(mail.outbox) == 2  # one each for the line manager and the coach, once
    assert Journal.objects.get(pk=journal.pk).ready_at == first_ready_at


def test_a_sender_run_again_sends_nothing_twice(journal, people):
    services.journal_mark_ready(actor=people.individual, journal=journal)

    first, second = outbox.send_ready(), outbox.send_ready()

    assert (first, second) == (2, 0)
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_later_with_the_same_message_id(journal, people):
    services.journal_mark_ready(actor=people.individual, journal=journal)
    ids = set(OutboundEmail.objects.values_list("message_id", flat=True))

    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("SMTP down"),
    ):
        assert outbox.send_ready() == 0
    assert outbox.send_ready() == 0  # waits before trying again
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        sent = outbox.send_ready()

    assert sent == 2
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == ids


def test_a_broker_outage_does_not_fail_the_save(
    journal, client_for, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.send_outbox, "delay", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for("individual").post(ready_url(journal))

    assert response.status_code == 302
    journal.refresh_from_db()
    assert journal.ready_at is not None
    assert mail.outbox == []


def test_with_nothing_shared_nobody_is_emailed_and_the_owner_is_told_so(
    people, client_for, run_task_inline, django_capture_on_commit_callbacks
):
    """Issue 14: the ready email goes only to the people a section is shared with."""
    journal = h.start(people.individual)
    h.answer(journal, "wellbeing", {h.text_questions("wellbeing")[0]: WORDS})

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("individual").post(ready_url(journal), follow=True)
    page = response.content.decode()

    assert "not shared any section with the people who support you" in page
    assert mail.outbox == []


def test_the_ready_email_goes_only_to_whom_a_section_is_shared_with(
    people, client_for, run_task_inline, django_capture_on_commit_callbacks
):
    journal = h.start(people.individual)
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: WORDS})
    services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=h.section("strengths"),
        readers=[people.coach],
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("individual").post(ready_url(journal), follow=True)
    page = response.content.decode()

    assert "We have let Grace Adeyemi (your coach) know" in page
    assert [m.to for m in mail.outbox] == [[people.coach.email]]
    assert "shared 1 section of their journal with you" in mail.outbox[0].body
    assert WORDS not in mail.outbox[0].body


def test_without_a_facilitator_nobody_is_emailed(people, client, run_task_inline):
    journal = h.start(people.other_report)
    now = timezone.now()
    ManagerLink.objects.filter(report=people.other_report).update(ended_at=now)
    CoachLink.objects.filter(coachee=people.other_report).update(ended_at=now)
    client.force_login(people.other_report, backend="django.contrib.auth.backends.ModelBackend")

    # an empty journal: the person confirms once that it is ready anyway (issue 15)
    page = client.post(ready_url(journal), {"confirm": "empty"}, follow=True).content.decode()

    assert "nobody has been told" in page
    assert mail.outbox == []


def test_a_facilitator_cannot_mark_it_ready(journal, client_for):
    response = client_for("manager").post(ready_url(journal))

    assert response.status_code == 403
    journal.refresh_from_db()
    assert journal.ready_at is None


@pytest.mark.parametrize("persona", ["colleague", "hr", "admin"])
def test_outsiders_get_404(journal, client_for, persona):
    response = client_for(persona).post(ready_url(journal))

    assert response.status_code == 404
    journal.refresh_from_db()
    assert journal.ready_at is None


def test_it_rejects_get(journal, client_for):
    assert client_for("individual").get(ready_url(journal)).status_code == 405


def test_the_task_takes_only_ids(journal, people):
    """Celery messages carry ids, never text (Redis keeps message bodies in plain text)."""
    with (
        mock.patch.object(tasks.send_outbox, "delay") as delay,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda f, robust: f()),
    ):
        services.journal_mark_ready(actor=people.individual, journal=journal)

    rows = list(OutboundEmail.objects.order_by("pk").values_list("pk", flat=True))
    assert [call.args for call in delay.call_args_list] == [([rows[0]],), ([rows[1]],)]


def test_the_sweep_sends_what_a_broker_outage_left_behind(journal, people):
    # marked ready, but the on-commit nudge never reached a broker (no callback runs here)
    services.journal_mark_ready(actor=people.individual, journal=journal)

    sent = tasks.send_outbox()  # the beat's `send-outbox` entry
    again = tasks.send_outbox()

    assert (sent, again) == (2, 0)
    assert len(mail.outbox) == 2
