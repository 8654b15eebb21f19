"""The plan's periodic tasks in the beat schedule."""

from scopegrowth.registry import BEAT_SCHEDULE

# Retention: bulk-export ZIPs live 24 hours.
BEAT_SCHEDULE.register(
    "purge-plan-exports", {"task": "devplans.tasks.purge_plan_exports", "schedule": 3600.0}
)
