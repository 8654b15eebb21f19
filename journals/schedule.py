"""The journal's periodic tasks in the beat schedule."""

from scopegrowth.registry import BEAT_SCHEDULE

# ("Journal ready" emails go through the core's outbox and its `send-outbox` sweep.)
# Retention: unsaved text kept after an expired session lives 24 hours.
BEAT_SCHEDULE.register(
    "purge-pending-drafts", {"task": "journals.tasks.purge_pending_drafts", "schedule": 3600.0}
)
