"""What the devplans app holds about a person, for "download my data" and retention."""

from django.db.models import Q

from devplans.models import Objective, Plan, ProgressNote, Review
from scopegrowth.registry import PERSONAL_DATA, Export, PersonalData


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
                lambda u: Plan.objects.filter(Q(individual=u) | Q(facilitator=u)),
            ),
            Export(
                "plan_objectives",
                "devplans.objective",
                lambda u: Objective.objects.filter(plan__individual=u),
            ),
            Export(
                "plan_progress_notes",
                "devplans.progressnote",
                lambda u: ProgressNote.objects.filter(
                    Q(objective__plan__individual=u) | Q(author=u)
                ),
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
