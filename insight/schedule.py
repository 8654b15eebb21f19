"""The insight's periodic task in the beat schedule."""

from celery.schedules import crontab

from scopegrowth.registry import BEAT_SCHEDULE

# Figures come from snapshots (issue 22): one for every organisation on the 1st of each month,
# just after midnight (CELERY_TIMEZONE, London), so each covers the month that has just ended.
BEAT_SCHEDULE.register(
    "insight-monthly-snapshots",
    {
        "task": "insight.tasks.schedule_snapshots",
        "schedule": crontab(minute=30, hour=0, day_of_month=1),
    },
)
