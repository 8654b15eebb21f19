"""Ready for the conversation: the owner marks the journal ready; the facilitators get an email
(through Celery, after the commit) that names who and when, never what was written."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from journals import services, tasks
from journals.models import Journal
from scopegrowth import access
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink
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
def run_task_inline():
    """`.delay` replaced by running the task body here (the real task, no broker)."""
    with mock.patch.object(
        tasks.send_journal_ready, "delay", side_effect=tasks.send_journal_ready
    ) as delay:
        yield delay


def test_marking_ready_emails_each_facilitator_without_any_answer(
    journal, client_for, django_capture_on_commit_callbacks, run_task_inline, settings
):
    settings.SITE_URL = "https://scopegrowth.example.nhs.uk"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for("individual").post(ready_url(journal))

    assert response.status_code == 302
    assert len(callbacks) == 1
    run_task_inline.assert_called_once_with(journal.pk)
    journal.refresh_from_db()
    assert journal.ready_at is not None
    assert journal.ready_notified_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["coach@example.org", "manager@example.org"]
    link = f"https://scopegrowth.example.nhs.uk/journal/{journal.pk}/"
    for message in mail.outbox:
        html = message.alternatives[0].content
        assert message.alternatives[0].mimetype == "text/html"
        assert "Aisha Rahman's journal is ready for your conversation" in message.subject
        assert "Aisha Rahman has said their reflection journal is ready" in message.body
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


def test_a_retried_task_sends_nothing_twice(journal, people):
    services.journal_mark_ready(actor=people.individual, journal=journal)

    first = services.journal_ready_notify(actor=access.SYSTEM, journal_id=journal.pk)
    second = services.journal_ready_notify(actor=access.SYSTEM, journal_id=journal.pk)

    assert (first, second) == (2, 0)
    assert len(mail.outbox) == 2


def test_a_failed_send_can_be_retried(journal, people):
    services.journal_mark_ready(actor=people.individual, journal=journal)

    with (
        mock.patch("scopegrowth.emails.send", side_effect=OSError("SMTP down")),
        pytest.raises(OSError, match="SMTP down"),
    ):
        services.journal_ready_notify(actor=access.SYSTEM, journal_id=journal.pk)
    sent = services.journal_ready_notify(actor=access.SYSTEM, journal_id=journal.pk)

    assert sent == 2


def test_a_broker_outage_does_not_fail_the_save(
    journal, client_for, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(
            tasks.send_journal_ready, "delay", side_effect=ConnectionError("broker down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for("individual").post(ready_url(journal))

    assert response.status_code == 302
    journal.refresh_from_db()
    assert journal.ready_at is not None
    assert mail.outbox == []


def test_with_nothing_shared_the_email_says_so_and_links_home(people):
    journal = h.start(people.individual)
    h.answer(journal, "wellbeing", {h.text_questions("wellbeing")[0]: WORDS})
    services.journal_mark_ready(actor=people.individual, journal=journal)

    services.journal_ready_notify(actor=access.SYSTEM, journal_id=journal.pk)

    message = mail.outbox[0]
    assert "have not shared any section" in message.body
    assert f"/journal/{journal.pk}/" not in message.body
    assert WORDS not in message.body


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


def test_the_task_takes_only_an_id(journal, people):
    """Celery messages carry ids, never text (Redis keeps message bodies in plain text)."""
    with (
        mock.patch.object(tasks.send_journal_ready, "delay") as delay,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda f, robust: f()),
    ):
        services.journal_mark_ready(actor=people.individual, journal=journal)

    delay.assert_called_once_with(journal.pk)


def test_the_sweeper_sends_what_a_broker_outage_left_behind(journal, people):
    # marked ready, but the on-commit enqueue never reached a broker (no callback runs here)
    services.journal_mark_ready(actor=people.individual, journal=journal)
    assert services.journal_ready_sweep(actor=access.SYSTEM) == 0  # too early: it may yet run

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        sent = tasks.send_pending_journal_ready()
        again = tasks.send_pending_journal_ready()

    assert (sent, again) == (2, 0)
    assert len(mail.outbox) == 2
