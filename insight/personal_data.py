"""What the insight app holds about a person: their own equality declaration, in their download
and removed when the retention rule applies. Its snapshots hold aggregate figures only (already
suppressed, perturbed and rounded; no row per person, no id of a person): nothing about anyone
to export or remove, and each field says why."""

from insight.models import EqualityDeclaration, Snapshot, SnapshotFigures
from scopegrowth.registry import PERSONAL_DATA, Export, Holding, PersonalData

AGGREGATES = (
    "aggregate figures only (suppressed, perturbed and rounded counts of groups of people): "
    "nothing in it is about one person"
)

PERSONAL_DATA.register(
    "insight",
    PersonalData(
        exports=(
            Export(
                "your_equality_declaration",
                "insight.equalitydeclaration",
                lambda u: EqualityDeclaration.objects.filter(person=u),
            ),
        ),
        not_exported={
            "insight.snapshot": AGGREGATES,
            "insight.snapshotfigures": AGGREGATES,
        },
        holdings=(
            # Special category data: never kept past retention.
            Holding(
                "insight.equalitydeclaration",
                lambda p: EqualityDeclaration.objects.filter(person=p),
                delete_rows=True,
            ),
            # Aggregates only: no row is about a person, so retention touches none.
            Holding(
                "insight.snapshot",
                lambda p: Snapshot.objects.none(),
                keep={
                    "id": "row id",
                    "organisation": "the organisation, not a person",
                    "reason": "why it was taken (monthly, HR, a round closed)",
                    "status": "being taken, ready or failed",
                    "requested_at": "when it was asked for (who: the audit trail)",
                    "taken_at": "when it was taken",
                    "as_at": "the date the figures are as at",
                    "periods": "the whole periods covered (dates and labels)",
                    "impact_labels": "the organisation's impact level names",
                },
            ),
            Holding(
                "insight.snapshotfigures",
                lambda p: SnapshotFigures.objects.none(),
                keep={
                    "id": "row id",
                    "snapshot": "the snapshot",
                    "period": "the period's key",
                    "view": "organisation, directorate or team id (never a person)",
                    "data": "published figures only: suppressed, perturbed, rounded counts",
                },
            ),
        ),
        order=50,
    ),
)
