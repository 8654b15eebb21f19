"""Starting the plan from the conversation's stage 3 (the function conversations calls)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conversations.models import Conversation, StageRecord
from devplans import services
from devplans.models import Plan
from scopegrowth.exceptions import RuleError
from tests.conversations.helpers import write_stage
from tests.devplans.factories import agreed_plan, impact

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(people):
    held = timezone.make_aware(datetime.combine(date(2026, 8, 31), time(10, 0)))
    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=held,
        location="Ward office",
        status=Conversation.Status.IN_PROGRESS,
        agreed_now_growth="depth",
        agreed_now_impact=impact("Established in role"),
        agreed_now_evidence="Leads the safety huddle.",
        agreed_future_growth="stretch",
        agreed_future_impact=impact("Exceeding in role"),
        agreed_future_why="Ready to lead a team.",
    )
    write_stage(
        conversation, 1, agreed_summary="Energised by teaching.", notes="CANARY-FACILITATOR-NOTE"
    )
    StageRecord.objects.create(conversation=conversation, stage=2, agreed_summary="Ward sister.")
    return conversation


def test_the_draft_is_prefilled_from_the_conversation(people, conversation):
    plan = services.plan_start_from_conversation(actor=people.manager, conversation=conversation)
    assert plan.status == Plan.Status.DRAFT
    assert plan.individual == people.individual
    assert plan.facilitator == people.manager
    assert plan.conversation == conversation
    assert (plan.current_growth, plan.current_impact.name) == ("depth", "Established in role")
    assert (plan.future_growth, plan.future_impact.name) == ("stretch", "Exceeding in role")
    assert plan.current_evidence == "Leads the safety huddle."
    assert plan.future_why == "Ready to lead a team."
    assert plan.reflections == "Energised by teaching."
    assert plan.aspirations == "Ward sister."
    assert "CANARY" not in plan.reflections + plan.aspirations


def test_the_horizon_is_two_years_with_six_monthly_reviews(people, conversation):
    plan = services.plan_start_from_conversation(actor=people.manager, conversation=conversation)
    assert plan.horizon_end == date(2028, 8, 31)
    assert [r.due_on for r in plan.reviews.order_by("due_on")] == [
        date(2027, 2, 28),  # 31 August + 6 months, clamped to the month's end
        date(2027, 8, 31),
        date(2028, 2, 29),
        date(2028, 8, 31),
    ]


def test_starting_twice_returns_the_same_draft(people, conversation):
    first = services.plan_start_from_conversation(actor=people.manager, conversation=conversation)
    again = services.plan_start_from_conversation(actor=people.coach, conversation=conversation)
    assert again.pk == first.pk
    assert Plan.objects.filter(conversation=conversation).count() == 1
    assert first.reviews.count() == 4


@pytest.mark.parametrize("persona", ["individual", "colleague", "other_manager", "hr", "admin"])
def test_only_a_current_facilitator_may_start_it(people, conversation, persona):
    with pytest.raises(PermissionDenied):
        services.plan_start_from_conversation(actor=people.get(persona), conversation=conversation)
    assert not Plan.objects.exists()


def test_an_earlier_agreed_plan_starts_a_new_lineage(people, conversation):
    earlier = agreed_plan(people.individual, people.manager)
    plan = services.plan_start_from_conversation(actor=people.manager, conversation=conversation)
    assert plan.lineage != earlier.lineage
    assert plan.number == 1
    earlier.refresh_from_db()
    assert earlier.status == Plan.Status.AGREED


def test_stage_three_starts_the_plan_once_stages_one_and_two_are_complete(people, conversation):
    with pytest.raises(RuleError, match="the plan is pre-filled from them"):
        services.plan_start_from_stage_three(actor=people.manager, conversation=conversation)
    assert not Plan.objects.exists()

    StageRecord.objects.filter(conversation=conversation).update(completed_at=timezone.now())
    plan = services.plan_start_from_stage_three(actor=people.manager, conversation=conversation)
    again = services.plan_start_from_stage_three(actor=people.coach, conversation=conversation)

    assert again.pk == plan.pk
    assert plan.reflections == "Energised by teaching."


def test_stage_three_start_refuses_someone_who_does_not_facilitate(people, conversation):
    StageRecord.objects.filter(conversation=conversation).update(completed_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.plan_start_from_stage_three(actor=people.individual, conversation=conversation)
    assert not Plan.objects.exists()
