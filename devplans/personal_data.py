"""What the devplans app holds about a person, for "download my data" and retention."""

from django.db.models import Q

from devplans.models import ExportJob, Objective, Plan, PlanCheckIn, ProgressNote, Review
from scopegrowth import access
from scopegrowth.registry import PERSONAL_DATA, Export, Holding, PersonalData

# Positions, dates and statuses stay (counted in the anonymous talent-pipeline figures); words
# go, and so do the signature hashes (a hash of the words would confirm a guess of them).
SHAPE = "the plan's shape: positions, dates and statuses for the anonymous figures"

HOLDINGS = (
    # Check-ins are words (what progressed, what is blocked): they go with the leaver.
    Holding(
        "devplans.plancheckin",
        lambda p: PlanCheckIn.objects.filter(plan__individual=p),
        delete_rows=True,
    ),
    Holding(
        "devplans.progressnote",
        lambda p: ProgressNote.objects.filter(objective__plan__individual=p),
        delete_rows=True,
    ),
    Holding(
        "devplans.review",
        lambda p: Review.objects.filter(plan__individual=p),
        remove=frozenset({"notes"}),
        keep={f: SHAPE for f in ("id", "plan", "due_on", "held_on", "recorded_by")},
    ),
    Holding(
        "devplans.objective",
        lambda p: Objective.objects.filter(plan__individual=p),
        remove=frozenset({"description", "aspiration", "success_measure", "support_needed"}),
        keep={
            f: SHAPE
            for f in ("id", "plan", "order", "term", "target_date", "status", "copied_from")
        }
        | {"initiatives": SHAPE},
    ),
    Holding(
        "devplans.plan",
        lambda p: Plan.objects.filter(individual=p),
        remove=frozenset(
            {
                "current_evidence",
                "future_why",
                "reflections",
                "aspirations",
                "reopened_reason",
                "individual_signed_hash",
                "facilitator_signed_hash",
            }
        ),
        keep={
            f: SHAPE
            for f in (
                "id",
                "individual",
                "facilitator",
                "conversation",
                "lineage",
                "number",
                "status",
                "current_growth",
                "current_impact",
                "future_growth",
                "future_impact",
                "horizon_end",
                "individual_signed_at",
                "facilitator_signed_by",
                "facilitator_signed_at",
                "agreed_at",
                "reopened_by",
                "reopened_at",
                "version",
                "created_at",
                "updated_at",
                "updated_by",
            )
        },
    ),
    # HR's own export jobs (filters and a file name): not needed once they have left.
    Holding(
        "devplans.exportjob",
        lambda p: ExportJob.objects.filter(requested_by=p),
        delete_rows=True,
    ),
)


def plans_of(user):
    """The user's own plans, and the plans they facilitate only while `access` still lets them
    see them (a former line manager or coach gets none, and no later version)."""
    facilitated = access.scope(user, "view", Plan.objects.filter(facilitator=user))
    return Plan.objects.filter(Q(individual=user) | Q(pk__in=facilitated.values("pk")))


def progress_notes_of(user):
    """Notes on the user's own plans, and notes they wrote on plans they may still see."""
    visible = access.scope(user, "view", Plan).values("pk")
    return ProgressNote.objects.filter(
        Q(objective__plan__individual=user) | Q(author=user, objective__plan__in=visible)
    )


def checkins_of(user):
    """Check-ins on the user's own plans, and the ones they recorded on plans they may still
    see (a former line manager downloads none)."""
    visible = access.scope(user, "view", Plan).values("pk")
    return PlanCheckIn.objects.filter(Q(plan__individual=user) | Q(author=user, plan__in=visible))


PERSONAL_DATA.register(
    "devplans",
    PersonalData(
        exports=(
            Export(
                "plans",
                "devplans.plan",
                plans_of,
            ),
            Export(
                "plan_objectives",
                "devplans.objective",
                lambda u: Objective.objects.filter(plan__individual=u),
            ),
            Export(
                "plan_progress_notes",
                "devplans.progressnote",
                progress_notes_of,
            ),
            Export("plan_checkins", "devplans.plancheckin", checkins_of),
            Export(
                "plan_reviews",
                "devplans.review",
                lambda u: Review.objects.filter(plan__individual=u),
            ),
        ),
        not_exported={
            "devplans.exportjob": "HR's export jobs: records about HR's work, not about you",
        },
        holdings=HOLDINGS,
        order=30,
    ),
)
