"""The journal's periodic tasks in the beat schedule."""

from scopegrowth.registry import BEAT_SCHEDULE

# Outbox sweep: "journal ready" emails whose on-commit nudge never reached the broker (it was
# down when the journal was marked ready) are sent from the database state, exactly once.
BEAT_SCHEDULE.register(
    "send-pending-journal-ready",
    {"task": "journals.tasks.send_pending_journal_ready", "schedule": 300.0},
)
# Retention: unsaved text kept after an expired session lives 24 hours.
BEAT_SCHEDULE.register(
    "purge-pending-drafts", {"task": "journals.tasks.purge_pending_drafts", "schedule": 3600.0}
)
