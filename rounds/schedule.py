"""The rounds app's periodic task."""

from scopegrowth.registry import BEAT_SCHEDULE

# Opening emails: the next batch of every open round still being announced (rate-limited per
# minute by `ROUND_EMAILS_PER_MINUTE`; the opening task's own chain does the same).
BEAT_SCHEDULE.register(
    "rounds-announce", {"task": "rounds.tasks.announce_open_rounds", "schedule": 60.0}
)
