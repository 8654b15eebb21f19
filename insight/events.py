"""What the insight app does when something happens elsewhere (the core's event registries).

A round closed (`ROUND_CLOSED`, fired by the rounds app after the close committed): take a
snapshot of the organisation through the normal rules (`snapshots.round_closed`: one pending
snapshot at a time, taken by the Celery task `insight.tasks.take_snapshot`)."""

from insight import snapshots
from scopegrowth.registry import ROUND_CLOSED, RoundClosed


def snapshot_on_round_closed(event: RoundClosed) -> None:
    snapshots.round_closed(event.organisation_id)


ROUND_CLOSED.register("insight.snapshot", snapshot_on_round_closed)
