"""The demo plans (seed_demo): idempotent, agreed, signed with the right fingerprints."""

from __future__ import annotations

import pytest
from django.utils import timezone

from devplans import demo
from devplans.content import plan_content_hash
from devplans.models import Plan
from scopegrowth.demo import seed_people

pytestmark = pytest.mark.django_db


def test_seeding_twice_gives_the_same_plans():
    org = seed_people()
    first = demo.seed(org)
    counts = (Plan.objects.count(), sum(p.objectives.count() for p in Plan.objects.all()))
    again = demo.seed(org)
    assert {k: p.pk for k, p in first.items()} == {k: p.pk for k, p in again.items()}
    assert (Plan.objects.count(), sum(p.objectives.count() for p in Plan.objects.all())) == counts


def test_the_individual_has_an_agreed_plan_from_an_earlier_cycle():
    org = seed_people()
    plan = demo.seed(org)["individual"]
    assert plan.status == Plan.Status.AGREED
    assert plan.facilitator_signed_by.email == "manager@example.com"
    days_ago = (timezone.now() - plan.agreed_at).days
    assert 400 <= days_ago <= 450  # about 14 months
    assert 3 <= plan.objectives.count() <= 4
    assert all(o.initiatives.exists() for o in plan.objectives.all())
    assert plan.reviews.filter(held_on__isnull=False).count() == 1
    assert plan.individual_signed_hash == plan.facilitator_signed_hash == plan_content_hash(plan)


def test_individual2_has_an_agreed_plan_even_without_the_conversation():
    org = seed_people()
    plan = demo.seed(org)["individual2"]
    assert plan.status == Plan.Status.AGREED
    assert plan.individual.email == "individual2@example.com"
    assert plan.objectives.count() == 3
    assert plan.individual_signed_hash == plan_content_hash(plan)
