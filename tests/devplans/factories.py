"""Plan factories (the plan app's part of tests/factories.py): drafts, objectives, agreement."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from devplans.content import plan_content_hash
from devplans.models import Initiative, Objective, Plan, ProgressNote, Review
from devplans.services import default_review_dates, horizon_for
from scopegrowth.models import ImpactLevel
from tests.factories import UserFactory

DEFAULT_IMPACT_ORDER = {"Developing in role": 1, "Established in role": 2, "Exceeding in role": 3}


def impact(name: str = "Established in role") -> ImpactLevel:
    """A default impact level (made again if a transactional test flushed the seeded rows)."""
    level, _ = ImpactLevel.objects.get_or_create(
        organisation=None, name=name, defaults={"order": DEFAULT_IMPACT_ORDER.get(name, 9)}
    )
    return level


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    individual = factory.SubFactory(UserFactory)
    facilitator = factory.SubFactory(UserFactory)
    current_growth = "depth"
    current_impact = factory.LazyFunction(lambda: impact("Established in role"))
    current_evidence = "Leads the ward's safety huddle; consistently good feedback."
    future_growth = "stretch"
    future_impact = factory.LazyFunction(lambda: impact("Exceeding in role"))
    future_why = "Wants to lead a team within two years."
    reflections = "Energised by teaching students."
    aspirations = "Become a ward sister."
    horizon_end = factory.LazyFunction(lambda: horizon_for(timezone.localdate()))

    @factory.post_generation
    def reviews(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            start = timezone.localdate()
            extracted = default_review_dates(start, obj.horizon_end)
        Review.objects.bulk_create(Review(plan=obj, due_on=d) for d in extracted)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Objective {n}: lead the weekly teaching session")
    aspiration = "Become a ward sister"
    term = Objective.Term.SHORT
    success_measure = "Feedback from students"
    target_date = factory.LazyAttribute(lambda o: timezone.localdate() + timedelta(days=180))
    support_needed = "Protected time"

    @factory.post_generation
    def initiatives(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.initiatives.set(extracted)


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote

    objective = factory.SubFactory(ObjectiveFactory)
    text = "Ran the first session."


def initiative(name: str) -> Initiative:
    """A catalogue initiative (made again if a transactional test flushed the seeded rows)."""
    return Initiative.objects.get_or_create(name=name)[0]


def agree(plan: Plan, *, facilitator=None, at=None) -> Plan:
    """Mark a plan agreed as if both people had signed its current content."""
    at = at or timezone.now()
    digest = plan_content_hash(plan)
    plan.individual_signed_at = at
    plan.individual_signed_hash = digest
    plan.facilitator_signed_by = facilitator or plan.facilitator
    plan.facilitator_signed_at = at
    plan.facilitator_signed_hash = digest
    plan.status = Plan.Status.AGREED
    plan.agreed_at = at
    plan.save()
    return plan


def agreed_plan(individual, facilitator, *, objectives: int = 2, **kwargs) -> Plan:
    plan = PlanFactory(individual=individual, facilitator=facilitator, **kwargs)
    for _ in range(objectives):
        ObjectiveFactory(plan=plan, initiatives=[initiative("Coaching")])
    return agree(plan)
