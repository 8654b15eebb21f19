"""The conversation's periodic tasks in the beat schedule."""

from scopegrowth.registry import BEAT_SCHEDULE

# Outbox sweep: invitations whose on-commit nudge never reached the broker are sent from the
# database state; claims make them exactly once.
BEAT_SCHEDULE.register(
    "send-pending-invites",
    {"task": "conversations.tasks.send_pending_invites", "schedule": 300.0},
)
