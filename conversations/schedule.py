"""The conversation's periodic tasks in the beat schedule: none since invites go through the
core's outbox (its `send-outbox` sweep, issue 17)."""
