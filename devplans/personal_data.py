"""What the devplans app holds about a person, for "download my data" and retention."""

from django.db.models import Q

from devplans.models import Objective, Plan, ProgressNote, Review
from scopegrowth import access
from scopegrowth.registry import PERSONAL_DATA, Export, PersonalData


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


def anonymise(person) -> None:
    plans = Plan.objects.filter(individual=person)
    ProgressNote.objects.filter(objective__plan__in=plans).delete()
    Objective.objects.filter(plan__in=plans).update(
        description="(removed)", aspiration="", success_measure="", support_needed=""
    )
    # Positions stay (counted in the anonymous talent-pipeline figures); words go.
    plans.update(current_evidence="", future_why="", reflections="", aspirations="")


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
            Export(
                "plan_reviews",
                "devplans.review",
                lambda u: Review.objects.filter(plan__individual=u),
            ),
        ),
        not_exported={
            "devplans.exportjob": "HR's export jobs: records about HR's work, not about you",
        },
        anonymise=anonymise,
        order=30,
    ),
)
