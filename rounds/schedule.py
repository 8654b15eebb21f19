"""The rounds app's periodic task."""

from django.conf import settings

from scopegrowth.registry import BEAT_SCHEDULE

# Opening emails: the next batch of every open round still being announced (rate-limited per
# minute by `ROUND_EMAILS_PER_MINUTE`; the opening task's own chain does the same).
BEAT_SCHEDULE.register(
    "rounds-announce", {"task": "rounds.tasks.announce_open_rounds", "schedule": 60.0}
)

# Completion figures: every open round counted again and stored, so a GET reads them
# (`ROUND_FIGURES_SECONDS`, default 60: what people do shows within it).
BEAT_SCHEDULE.register(
    "rounds-count",
    {
        "task": "rounds.tasks.count_open_rounds",
        "schedule": float(getattr(settings, "ROUND_FIGURES_SECONDS", 60)),
    },
)
