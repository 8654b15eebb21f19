"""Fixtures for the plan tests: a draft and an agreed plan of `individual` with `manager`."""

from __future__ import annotations

import pytest

from tests.devplans.factories import ObjectiveFactory, PlanFactory, agreed_plan, initiative


@pytest.fixture
def draft(people):
    """A draft plan of `individual`, facilitated by `manager`, with one objective."""
    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    ObjectiveFactory(plan=plan, initiatives=[initiative("Coaching")])
    return plan


@pytest.fixture
def agreed(people):
    """An agreed plan of `individual`, facilitated by `manager`, with two objectives."""
    return agreed_plan(people.individual, people.manager, objectives=2)
