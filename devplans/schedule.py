"""The plan's periodic tasks in the beat schedule."""

from scopegrowth.registry import BEAT_SCHEDULE

# Retention: bulk-export ZIPs live 24 hours.
BEAT_SCHEDULE.register(
    "purge-plan-exports", {"task": "devplans.tasks.purge_plan_exports", "schedule": 3600.0}
)

# Exports never hang: a job with no progress for PLAN_EXPORT_STALL_SECONDS is sent again (or,
# after its retries, failed with "try again"). The database row is the truth, not the broker.
BEAT_SCHEDULE.register(
    "sweep-plan-exports", {"task": "devplans.tasks.sweep_plan_exports", "schedule": 60.0}
)
