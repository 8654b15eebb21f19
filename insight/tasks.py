"""Background work for the insight: thin tasks that take ids and call `insight.snapshots`."""

from __future__ import annotations

from celery import shared_task

# A snapshot of a large organisation computes every view of every period: give it room.
SNAPSHOT_SOFT_LIMIT = 20 * 60
SNAPSHOT_HARD_LIMIT = SNAPSHOT_SOFT_LIMIT + 60


@shared_task(
    name="insight.tasks.take_snapshot",
    ignore_result=True,
    soft_time_limit=SNAPSHOT_SOFT_LIMIT,
    time_limit=SNAPSHOT_HARD_LIMIT,
)
def take_snapshot(snapshot_id: int) -> bool:
    """Take one pending snapshot (a second delivery does nothing)."""
    from insight import snapshots

    return snapshots.snapshot_take(snapshot_id)


@shared_task(name="insight.tasks.schedule_snapshots", ignore_result=True)
def schedule_snapshots() -> int:
    """The monthly run: queue a snapshot for every organisation."""
    from insight import snapshots

    return snapshots.snapshots_schedule()
