"""End to end: beat's sweep task, sent through the real broker (embedded, or Redis under CI),
run by a real worker process, sends a due reminder exactly once."""

from __future__ import annotations

import email
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from conversations.models import Conversation
from reminders.models import Reminder
from reminders.tasks import send_due_reminders
from scopegrowth.celery import app
from tests.workers import celery_worker

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def wait_for(predicate, worker, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        assert worker.poll() is None, worker.stdout.read().decode()
        time.sleep(0.3)
    return False


def conversation_tomorrow(people) -> Conversation:
    return Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.make_aware(  # tomorrow at noon, whatever the hour now
            datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time())
        )
        + timedelta(hours=12),
        location="Room 4",
    )


def emails_written(mail_dir: Path) -> int:
    return sum(f.read_text().count("\nSubject: ") for f in mail_dir.glob("*.log"))


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_due_reminder_once(people, tmp_path):
    conversation_tomorrow(people)
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    with celery_worker(env) as worker:
        with app.connection_for_write() as conn:
            send_due_reminders.apply_async(connection=conn)
            send_due_reminders.apply_async(connection=conn)  # a second beat: no second email
        sent_all = worker.wait_for(
            lambda: (
                Reminder.objects.filter(status=Reminder.Status.SENT).exists()
                and not Reminder.objects.filter(status__in=["pending", "sending"]).exists()
            )
        )
        time.sleep(1)  # let the second task finish too
    assert sent_all, f"no reminder was sent by the worker within 60 s:\n{worker.output()}"
    sent = Reminder.objects.filter(status=Reminder.Status.SENT)
    assert emails_written(mail_dir) == sent.count() >= 2  # day-before to both people, each once
    assert {r.recipient for r in sent} >= {people.individual, people.manager}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(people, tmp_path):
    """security.md K1: the worker dies (SIGKILL) while an email is being sent; the claim it
    left is taken over by the next sweep of another worker, and every reminder goes once."""
    conversation_tomorrow(people)
    mail_dir, marker = tmp_path / "mail", tmp_path / "sending"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_FILE_PATH": str(mail_dir),
        "REMINDER_STALE_CLAIM_SECONDS": "2",
    }
    slow = {
        **env,
        "EMAIL_BACKEND": "tests.scopegrowth.slow_email.SlowFileBackend",
        "SLOW_EMAIL_MARKER": str(marker),
    }
    with celery_worker(slow) as doomed:
        with app.connection_for_write() as conn:
            send_due_reminders.apply_async(connection=conn)
        assert doomed.wait_for(marker.exists), "the worker never began to send"
        doomed.process.kill()
        doomed.process.wait(timeout=10)
    assert emails_written(mail_dir) == 0
    assert Reminder.objects.filter(status=Reminder.Status.UNCERTAIN).count() == 1
    assert Reminder.objects.filter(status=Reminder.Status.PENDING).exists()

    time.sleep(2.5)  # the dead worker's claim is now stale
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    with celery_worker(env) as worker:
        with app.connection_for_write() as conn:
            send_due_reminders.apply_async(connection=conn)  # the next beat
        done = worker.wait_for(
            lambda: not Reminder.objects.exclude(status=Reminder.Status.SENT).exists()
        )
    assert done, f"not every reminder was sent:\n{worker.output()}"
    sent = Reminder.objects.filter(status=Reminder.Status.SENT)
    assert emails_written(mail_dir) == sent.count() >= 2
    assert {r.recipient for r in sent} >= {people.individual, people.manager}


def written_message_ids(mail_dir: Path) -> list[str]:
    """The Message-ID of every email the file backend wrote, in order."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if "Subject: " in chunk:
                found.append(email.message_from_string(chunk.strip())["Message-ID"])
    return found


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_smtp_server_accepted_resends_with_the_same_message_id(
    people, tmp_path
):
    """security.md K1, the crash window: the message went out, the worker died before marking
    it. The row says "may have been sent"; the next sweep sends it again with the first send's
    Message-ID (a mail system drops the repeat), and nothing is lost."""
    conversation_tomorrow(people)
    mail_dir, marker = tmp_path / "mail", tmp_path / "sent"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_FILE_PATH": str(mail_dir),
        "REMINDER_STALE_CLAIM_SECONDS": "2",
    }
    slow = {
        **env,
        "EMAIL_BACKEND": "tests.scopegrowth.slow_email.SlowFileBackend",
        "SLOW_EMAIL_MARKER": str(marker),
        "SLOW_EMAIL_AFTER": "1",
    }
    with celery_worker(slow) as doomed:
        with app.connection_for_write() as conn:
            send_due_reminders.apply_async(connection=conn)
        assert doomed.wait_for(marker.exists), "the worker never sent"
        doomed.process.kill()
        doomed.process.wait(timeout=10)
    first = written_message_ids(mail_dir)
    assert len(first) == 1
    uncertain = Reminder.objects.get(status=Reminder.Status.UNCERTAIN)
    assert uncertain.message_id == first[0]

    time.sleep(2.5)  # the dead worker's claim is now stale
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    with celery_worker(env) as worker:
        with app.connection_for_write() as conn:
            send_due_reminders.apply_async(connection=conn)  # the next beat
        done = worker.wait_for(
            lambda: not Reminder.objects.exclude(status=Reminder.Status.SENT).exists()
        )
    assert done, f"not every reminder was sent:\n{worker.output()}"
    rows = Reminder.objects.filter(status=Reminder.Status.SENT)
    ids = written_message_ids(mail_dir)
    assert sorted(set(ids)) == sorted(row.message_id for row in rows)  # 0 lost
    assert len(ids) == rows.count() + 1  # one repeat: the uncertain send ...
    assert ids.count(uncertain.message_id) == 2  # ... carrying the first send's Message-ID
