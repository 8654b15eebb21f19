"""The insight app's rows of the URL matrix (the page and CSV rows are in matrix.py) and its
objects: a snapshot of each HR persona's organisation, so the page and the CSV show figures.

Rows are literal dicts (this module is imported by matrix.py, so it must not import it).
"""

from __future__ import annotations

SIGNED_IN = (
    "individual",
    "colleague",
    "manager",
    "other_manager",
    "coach",
    "unassigned_coach",
    "hr",
    "hr_other_org",
    "admin",
)


def _row(default: int, **overrides: int) -> dict[str, int]:
    row = {p: default for p in SIGNED_IN}
    row["anonymous"] = 302
    row["inactive"] = 302
    row.update(overrides)
    return row


MATRIX = {
    # HR asks for a snapshot: a POST that queues it and goes back to the page (302).
    "insight:hr_insight_snapshot": {
        "GET": _row(405),
        "POST": _row(404, hr=302, hr_other_org=302),
    },
}

KWARGS: dict = {}


def build_snapshots(people) -> dict:
    """Taken after the other builders' objects exist (this builder runs last)."""
    from insight import snapshots
    from insight.models import Snapshot

    found = {}
    for persona in ("hr", "hr_other_org"):
        hr = getattr(people, persona)
        snapshot = Snapshot.objects.create(
            organisation_id=hr.organisation_id, reason=Snapshot.Reason.ON_DEMAND
        )
        snapshots.snapshot_take(snapshot.pk)
        found[f"snapshot_{persona}"] = snapshot
    return found


OBJECT_BUILDERS: list = [build_snapshots]
