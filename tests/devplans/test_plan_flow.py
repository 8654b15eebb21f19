"""From stage 3 to the plan and back (issue 15, item 8): the stage 3 summary goes into the plan,
the plan links to its conversation and completes it, an agreed plan asked to be edited says so
and offers Reopen, and reopening asks why, records it and tells the other person."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation, StageRecord
from devplans import services
from devplans.models import Plan
from scopegrowth import outbox
from tests.conversations.helpers import write_stage
from tests.devplans.factories import ObjectiveFactory, agreed_plan, impact, initiative
from tests.devplans.helpers import page_text

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HELD = datetime(2026, 9, 7, 10, 0, tzinfo=LONDON)  # a Monday


@pytest.fixture
def clock():
    with time_machine.travel(HELD + timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def at_stage_three(people, clock):
    """The conversation is under way: stages 1 and 2 complete, the position agreed."""
    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=HELD,
        location="Ward office",
        status=Conversation.Status.IN_PROGRESS,
        agreed_now_growth="depth",
        agreed_now_impact=impact("Established in role"),
        agreed_future_growth="stretch",
        agreed_future_impact=impact("Exceeding in role"),
    )
    for stage, summary in ((1, "Energised by teaching."), (2, "Wants to be a ward sister.")):
        write_stage(conversation, stage, agreed_summary=summary, completed_at=timezone.now())
    return conversation


def stage_url(conversation) -> str:
    return reverse("conversations:stage", args=[conversation.pk, 3])


def start_from_stage_three(client, conversation, summary: str):
    """The facilitator writes stage 3's summary and presses "Start the development plan"."""
    record = StageRecord.objects.filter(conversation=conversation, stage=3).first()
    return client.post(
        stage_url(conversation),
        {
            "agreed_summary": summary,
            "facilitator_notes": "",
            "version": str(record.version if record else 0),
            "start_plan": "1",
        },
    )


def test_the_stage_three_summary_is_carried_into_the_plan(people, client_for, at_stage_three):
    response = start_from_stage_three(
        client_for("manager"), at_stage_three, "Shadow the matron; lead the huddle."
    )

    plan = Plan.objects.get(conversation=at_stage_three)
    assert response.status_code == 302
    assert response["Location"] == reverse("devplans:detail", args=[plan.pk])
    assert plan.reflections == "Energised by teaching."
    assert plan.aspirations == "Wants to be a ward sister.\n\nShadow the matron; lead the huddle."
    assert StageRecord.objects.get(conversation=at_stage_three, stage=3).agreed_summary == (
        "Shadow the matron; lead the huddle."
    )


def test_the_start_button_sits_in_the_stage_three_form(client_for, at_stage_three):
    page = client_for("manager").get(stage_url(at_stage_three)).content.decode()

    assert 'form="stage-notes"' in page
    assert 'id="stage-notes"' in page


def test_the_plan_links_back_to_its_conversation(people, client_for, at_stage_three):
    start_from_stage_three(client_for("manager"), at_stage_three, "Lead the huddle.")
    plan = Plan.objects.get(conversation=at_stage_three)
    link = reverse("conversations:detail", args=[at_stage_three.pk])

    for persona in ("individual", "manager"):
        page = client_for(persona).get(reverse("devplans:detail", args=[plan.pk])).content
        assert link in page.decode(), persona


def test_after_starting_the_plan_the_conversation_is_completed_from_the_plan(
    people, client_for, at_stage_three
):
    manager = client_for("manager")
    start_from_stage_three(manager, at_stage_three, "Lead the huddle.")
    plan = Plan.objects.get(conversation=at_stage_three)
    detail = reverse("devplans:detail", args=[plan.pk])

    page = page_text(manager.get(detail))
    individual_page = page_text(client_for("individual").get(detail))
    response = manager.post(reverse("devplans:complete_conversation", args=[plan.pk]))
    after = page_text(manager.get(detail))

    assert "Next step: complete the conversation" in page
    assert "Next step" not in individual_page  # only the one who facilitates it
    assert response.status_code == 302
    assert response["Location"] == detail
    at_stage_three.refresh_from_db()
    assert at_stage_three.status == Conversation.Status.COMPLETED
    assert StageRecord.objects.get(conversation=at_stage_three, stage=3).completed_at
    assert "Next step" not in after
    assert "Conversation completed" in after


def test_the_individual_cannot_complete_the_conversation(people, client_for, at_stage_three):
    start_from_stage_three(client_for("manager"), at_stage_three, "Lead the huddle.")
    plan = Plan.objects.get(conversation=at_stage_three)

    response = client_for("individual").post(
        reverse("devplans:complete_conversation", args=[plan.pk])
    )

    assert response.status_code == 403
    at_stage_three.refresh_from_db()
    assert at_stage_three.status == Conversation.Status.IN_PROGRESS


# --- An agreed plan asked to be edited ------------------------------------------------------


@pytest.mark.parametrize("persona", ["individual", "manager"])
def test_editing_an_agreed_plan_says_it_is_agreed_and_offers_reopen(people, client_for, persona):
    plan = agreed_plan(people.individual, people.manager)

    response = client_for(persona).get(reverse("devplans:edit", args=[plan.pk]))

    text = page_text(response)
    assert response.status_code == 200
    assert "This plan is agreed" in text
    assert "permission" not in text
    assert reverse("devplans:reopen", args=[plan.pk]) in response.content.decode()


def test_hr_is_told_it_is_agreed_without_a_reopen_button(people, client_for):
    plan = agreed_plan(people.individual, people.manager)

    response = client_for("hr").get(reverse("devplans:edit", args=[plan.pk]))

    assert response.status_code == 200
    assert "This plan is agreed" in page_text(response)
    assert reverse("devplans:reopen", args=[plan.pk]) not in response.content.decode()


# --- Reopening: confirmation, a reason, the other person told --------------------------------


def test_reopening_asks_for_confirmation_and_a_reason(people, client_for):
    plan = agreed_plan(people.individual, people.manager)
    url = reverse("devplans:reopen", args=[plan.pk])
    client = client_for("individual")

    confirm = client.get(url)
    refused = client.post(url, {"reason": "   "})

    assert confirm.status_code == 200
    assert "Reopen the agreed plan?" in page_text(confirm)
    assert refused.status_code == 200
    assert "Enter why you are reopening the plan" in page_text(refused)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    assert Plan.objects.filter(lineage=plan.lineage).count() == 1


def test_the_reason_is_recorded_shown_and_the_other_person_emailed(
    people, client_for, django_capture_on_commit_callbacks
):
    plan = agreed_plan(people.individual, people.manager)
    reason = "I have been offered a secondment to the stroke unit."

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("individual").post(
            reverse("devplans:reopen", args=[plan.pk]), {"reason": reason}
        )
    new = Plan.objects.get(lineage=plan.lineage, number=2)
    mail.outbox.clear()  # the agreed plan's own emails
    sent = outbox.send_ready()  # the worker: the reopen wrote its email to the outbox
    manager_page = page_text(client_for("manager").get(reverse("devplans:detail", args=[new.pk])))

    assert response.status_code == 302
    assert (new.reopened_by, new.reopened_reason) == (people.individual, reason)
    assert sent == 1
    message = mail.outbox[0]
    assert message.to == ["manager@example.org"]
    assert "Aisha Rahman has reopened their development plan" in message.subject
    for part in (message.body, message.alternatives[0][0]):
        assert f"/plans/{new.pk}/" in part
        assert "secondment" not in part  # emails never carry what anyone wrote
    assert "Aisha Rahman reopened the agreed plan" in manager_page
    assert reason in manager_page


def test_a_facilitator_reopening_tells_the_individual(people):
    plan = agreed_plan(people.individual, people.manager)
    outbox.send_ready()  # the agreed plan's own emails
    mail.outbox.clear()
    services.plan_reopen(actor=people.manager, plan=plan, reason="New objectives.")

    outbox.send_ready()  # the worker

    assert [m.to for m in mail.outbox] == [["individual@example.org"]]
    assert "Helen Carter has reopened your development plan" in mail.outbox[0].subject


def test_reopened_after_agreement_then_signed_again(people, client_for):
    """Awkward order: agreed, reopened months later with a reason, changed, signed again by
    both; the first version still reads as agreed and the reason stays on the second."""
    with time_machine.travel("2026-09-07 12:00Z", tick=False) as clock:
        plan = agreed_plan(people.individual, people.manager)
        clock.move_to("2027-01-15 09:00Z")
        new = services.plan_reopen(actor=people.manager, plan=plan, reason="The ward is closing.")
        ObjectiveFactory(plan=new, initiatives=[initiative("Secondment")])
        services.plan_sign(actor=people.individual, plan=new)
        services.plan_sign(actor=people.manager, plan=new)
        new.refresh_from_db()
        old_page = page_text(
            client_for("individual").get(reverse("devplans:detail", args=[plan.pk]))
        )
        new_page = page_text(
            client_for("individual").get(reverse("devplans:detail", args=[new.pk]))
        )

    plan.refresh_from_db()
    assert new.status == Plan.Status.AGREED
    assert plan.status == Plan.Status.SUPERSEDED
    assert "The ward is closing." in new_page
    assert "reopened the agreed plan on 15 January 2027" in new_page
    assert "The ward is closing." not in old_page
    assert "This is an earlier version" in old_page
