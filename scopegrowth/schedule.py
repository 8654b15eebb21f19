"""The core's own periodic task."""

from scopegrowth.registry import BEAT_SCHEDULE

# Proves end to end that beat publishes and a worker consumes (read by operators).
BEAT_SCHEDULE.register("heartbeat", {"task": "scopegrowth.tasks.heartbeat", "schedule": 300.0})

# The outbox: every email written while the broker was down, or waiting for a retry.
BEAT_SCHEDULE.register("send-outbox", {"task": "scopegrowth.tasks.send_outbox", "schedule": 60.0})
