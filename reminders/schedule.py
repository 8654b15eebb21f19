"""The reminder sweep in the beat schedule."""

from scopegrowth.registry import BEAT_SCHEDULE

# Reminders are due-dated rows found by a scan, never long ETAs in the broker: every five
# minutes the sweep creates what became due and sends what is pending (exactly once each).
BEAT_SCHEDULE.register(
    "send-due-reminders",
    {"task": "scopegrowth.tasks.send_due_reminders", "schedule": 300.0},
)
