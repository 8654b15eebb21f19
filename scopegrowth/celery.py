"""The Celery app. Settings come from Django's (`CELERY_*`); the beat schedule is declared here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scopegrowth.settings")

app = Celery("scopegrowth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one beat schedule (run exactly one beat process). Entries are added by the features that
# need them; each says why it runs when it does.
HOURLY = 3600.0
EVERY_5_MINUTES = 300.0

app.conf.beat_schedule = {
    # Reminders are due-dated rows found by a scan, never long ETAs in the broker: every five
    # minutes the sweep creates what became due and sends what is pending (exactly once each).
    "send-due-reminders": {
        "task": "scopegrowth.tasks.send_due_reminders",
        "schedule": EVERY_5_MINUTES,
    },
    # Outbox sweeps: emails whose on-commit nudge never reached the broker (it was down when
    # the thing was saved) are sent from the database state; claims make them exactly once.
    "send-pending-journal-ready": {
        "task": "journals.tasks.send_pending_journal_ready",
        "schedule": EVERY_5_MINUTES,
    },
    "send-pending-invites": {
        "task": "conversations.tasks.send_pending_invites",
        "schedule": EVERY_5_MINUTES,
    },
    # Retention of temporary copies: unsaved text kept after an expired session (24 h) and
    # bulk-export ZIPs (24 h).
    "purge-pending-drafts": {"task": "journals.tasks.purge_pending_drafts", "schedule": HOURLY},
    "purge-plan-exports": {"task": "devplans.tasks.purge_plan_exports", "schedule": HOURLY},
    # Proves end to end that beat publishes and a worker consumes (read by operators).
    "heartbeat": {"task": "scopegrowth.tasks.heartbeat", "schedule": EVERY_5_MINUTES},
}
