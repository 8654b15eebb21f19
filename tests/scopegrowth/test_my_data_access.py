"""Download my data holds what the person owns and, of other people's records, only what access
lets them see now (issue 14, item 1): a former line manager or coach gets none of the person's
plans or conversations, and a reopened plan never goes back to someone who left."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Conversation
from devplans import services as plan_services
from scopegrowth import relationships
from scopegrowth.models import CoachLink, ManagerLink
from tests.devplans.factories import agreed_plan

pytestmark = pytest.mark.django_db


def download(client_for, persona: str) -> dict:
    response = client_for(persona).post("/my-data/download/")
    assert response.status_code == 200
    return json.loads(response.content)


def change_manager(people, new) -> None:
    relationships.manager_set(actor=people.hr, person=people.individual, manager=new)


def end_coach(people) -> None:
    link = CoachLink.objects.get(coachee=people.individual, ended_at__isnull=True)
    relationships.coach_end(actor=people.hr, link=link)


def conversation_with(people, facilitator, **fields) -> Conversation:
    return Conversation.objects.create(
        individual=people.individual,
        facilitator=facilitator,
        scheduled_at=timezone.now() - timedelta(days=10),
        location="Room 1",
        **fields,
    )


def test_the_current_manager_downloads_what_they_facilitate(people, client_for):
    plan = agreed_plan(people.individual, people.manager, objectives=1)
    conversation = conversation_with(people, people.manager, status="completed")
    data = download(client_for, "manager")
    assert [p["id"] for p in data["plans"]] == [plan.pk]
    assert [c["id"] for c in data["conversations"]] == [conversation.pk]


def test_a_former_line_manager_downloads_none_of_the_persons_plans_or_conversations(
    people, client_for
):
    agreed_plan(people.individual, people.manager, objectives=1)
    conversation_with(people, people.manager, status="completed")
    change_manager(people, people.other_manager)

    data = download(client_for, "manager")

    assert data["plans"] == []
    assert data["conversations"] == []
    assert data["plan_progress_notes"] == []


def test_a_former_coach_downloads_none_of_the_persons_plans_or_conversations(people, client_for):
    agreed_plan(people.individual, people.coach, objectives=1)
    conversation_with(people, people.coach, status="completed")
    assert download(client_for, "coach")["plans"] != []
    end_coach(people)

    data = download(client_for, "coach")

    assert data["plans"] == []
    assert data["conversations"] == []


def test_the_person_keeps_all_of_their_own(people, client_for):
    plan = agreed_plan(people.individual, people.manager, objectives=1)
    conversation = conversation_with(people, people.manager, status="completed")
    change_manager(people, people.other_manager)
    end_coach(people)
    data = download(client_for, "individual")
    assert [p["id"] for p in data["plans"]] == [plan.pk]
    assert [c["id"] for c in data["conversations"]] == [conversation.pk]


def test_a_reopened_plan_goes_to_the_current_line_manager_when_the_facilitator_left(people):
    conversation = conversation_with(people, people.manager, status="completed")
    plan = agreed_plan(people.individual, people.manager, objectives=1)
    plan.conversation = conversation
    plan.save(update_fields=["conversation"])
    change_manager(people, people.other_manager)

    new = plan_services.plan_reopen(actor=people.individual, plan=plan, reason="Objectives changed")

    assert new.facilitator == people.other_manager


def test_a_reopened_plan_keeps_the_conversations_facilitator_who_still_supports(people):
    conversation = conversation_with(people, people.coach, status="completed")
    plan = agreed_plan(people.individual, people.coach, objectives=1)
    plan.conversation = conversation
    plan.save(update_fields=["conversation"])

    assert (
        plan_services.plan_reopen(
            actor=people.manager, plan=plan, reason="Objectives changed"
        ).facilitator
        == people.coach
    )


def test_text_written_after_reopening_never_reaches_the_former_manager(people, client_for):
    plan = agreed_plan(people.individual, people.manager, objectives=1)
    change_manager(people, people.other_manager)
    new = plan_services.plan_reopen(actor=people.individual, plan=plan, reason="Objectives changed")
    new.reflections = "WRITTEN-AFTER-THE-CHANGE"
    new.save(update_fields=["reflections"])

    assert "WRITTEN-AFTER-THE-CHANGE" not in json.dumps(download(client_for, "manager"))
    assert "WRITTEN-AFTER-THE-CHANGE" in json.dumps(download(client_for, "other_manager"))


def test_reopening_with_nobody_to_support_the_person_is_refused_and_changes_nothing(people):
    from devplans.models import Plan
    from scopegrowth.exceptions import RuleError

    plan = agreed_plan(people.individual, people.manager, objectives=1)
    ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
    CoachLink.objects.filter(coachee=people.individual).update(ended_at=timezone.now())

    with pytest.raises(RuleError, match="Nobody line manages or coaches you"):
        plan_services.plan_reopen(actor=people.individual, plan=plan, reason="Objectives changed")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    assert Plan.objects.filter(lineage=plan.lineage).count() == 1
