"""The Celery app. Settings come from Django's (`CELERY_*`); the beat schedule is declared here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scopegrowth.settings")

app = Celery("scopegrowth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one beat schedule (run exactly one beat process). Entries are added by the features that
# need them; each says why it runs when it does.
app.conf.beat_schedule = {
    # Reminders are due-dated rows found by a scan, never long ETAs in the broker: every five
    # minutes the sweep creates what became due and sends what is pending (exactly once each).
    "send-due-reminders": {"task": "scopegrowth.tasks.send_due_reminders", "schedule": 300.0},
    # Proves end to end that beat publishes and a worker consumes (read by operators).
    "heartbeat": {"task": "scopegrowth.tasks.heartbeat", "schedule": 300.0},
}
