"""The core's own periodic task."""

from scopegrowth.registry import BEAT_SCHEDULE

# Proves end to end that beat publishes and a worker consumes (read by operators).
BEAT_SCHEDULE.register("heartbeat", {"task": "scopegrowth.tasks.heartbeat", "schedule": 300.0})

# Relationship notices and invitations queued while the broker was down.
BEAT_SCHEDULE.register(
    "send-notices", {"task": "scopegrowth.tasks.send_notices", "schedule": 300.0}
)
