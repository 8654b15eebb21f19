"""The core's own periodic task."""

from scopegrowth.registry import BEAT_SCHEDULE

# Proves end to end that beat publishes and a worker consumes (read by operators).
BEAT_SCHEDULE.register("heartbeat", {"task": "scopegrowth.tasks.heartbeat", "schedule": 300.0})
