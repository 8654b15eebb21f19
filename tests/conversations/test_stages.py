"""The three facilitation screens: prompts, shared answers, notes, completion, the position,
the plan hand-over and the presentation view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.models import Conversation, StageRecord
from devplans.models import Plan
from tests.conversations.conftest import complete_stages, levels, make_journal, mark_prepared
from tests.conversations.helpers import own_notes, write_stage
from tests.html_check import assert_valid_html

pytestmark = pytest.mark.django_db


def _url(conversation, stage: int, present: bool = False) -> str:
    url = reverse("conversations:stage", args=[conversation.pk, stage])
    return f"{url}?present=1" if present else url


def _stage_post(version: int = 0, **extra) -> dict:
    data = {"version": str(version), "facilitator_notes": "", "agreed_summary": ""}
    data.update(extra)
    return data


def _position_post(conversation_version: int = 1, **extra) -> dict:
    lv = levels()
    data = _stage_post(
        agreed_now_growth="depth",
        agreed_now_impact=str(lv[1].pk),
        agreed_now_evidence="Runs the ward's induction",
        agreed_future_growth="stretch",
        agreed_future_impact=str(lv[2].pk),
        agreed_future_why="Wants to lead a team",
        conversation_version=str(conversation_version),
    )
    data.update(extra)
    return data


def test_stage_one_shows_the_guide_and_what_was_shared(clock, client_for, conversation, people):
    make_journal(
        people.individual,
        answers={"strengths": "Calm in a crisis", "wellbeing": "PRIVATE-HEALTH"},
        shared=("strengths",),
    )
    mark_prepared(conversation, strengths="PREP-STRENGTHS")

    page = client_for("manager").get(_url(conversation, 1)).content.decode()

    assert "Stage 1: Personal reflection" in page
    assert "Prompts for you" in page
    assert "Open coaching questions" in page
    assert "Calm in a crisis" in page
    assert "PREP-STRENGTHS" in page
    assert "PRIVATE-HEALTH" not in page
    # A section that was not shared lists its questions to ask, never an answer.
    assert "has not shared this section" in page
    # The facilitator reads the question in its facilitator wording (issue 16, part 5).
    assert "How do they look after their well-being?" in page
    assert page.count("<h1") == 1


def test_saving_a_stage_keeps_notes_and_starts_the_conversation(clock, client_for, conversation):
    response = client_for("manager").post(
        _url(conversation, 1),
        _stage_post(
            facilitator_notes="Seemed tired", agreed_summary="We agreed rest days", save="1"
        ),
    )

    assert response.status_code == 302
    record = StageRecord.objects.get(conversation=conversation, stage=1)
    assert (own_notes(conversation, 1), record.agreed_summary) == (
        "Seemed tired",
        "We agreed rest days",
    )
    assert record.completed_at is None
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.IN_PROGRESS


def test_completing_a_stage_moves_to_the_next(clock, client_for, conversation):
    response = client_for("manager").post(
        _url(conversation, 1), _stage_post(agreed_summary="Done", complete="1")
    )

    assert response["Location"] == _url(conversation, 2)
    assert StageRecord.objects.get(stage=1).completed_at is not None


def test_stages_complete_in_order(clock, client_for, conversation):
    response = client_for("manager").post(
        _url(conversation, 2), _position_post(agreed_summary="Typed text", complete="1")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Complete stage 1 (personal reflection) first" in page
    assert "Typed text" in page
    assert not StageRecord.objects.exists()
    conversation.refresh_from_db()
    assert conversation.agreed_now_growth == ""


def test_stage_two_records_the_agreed_position(clock, client_for, conversation):
    complete_stages(conversation, 1, position=False)

    response = client_for("manager").post(
        _url(conversation, 2), _position_post(agreed_summary="Position agreed", complete="1")
    )

    assert response.status_code == 302
    conversation.refresh_from_db()
    lv = levels()
    assert (conversation.agreed_now_growth, conversation.agreed_now_impact) == ("depth", lv[1])
    assert (conversation.agreed_future_growth, conversation.agreed_future_impact) == (
        "stretch",
        lv[2],
    )
    assert conversation.agreed_now_evidence == "Runs the ward's induction"
    assert conversation.agreed_future_why == "Wants to lead a team"
    assert conversation.version == 2
    assert StageRecord.objects.get(stage=2).completed_at is not None


def test_stage_two_cannot_complete_without_a_position(clock, client_for, conversation):
    complete_stages(conversation, 1, position=False)

    response = client_for("manager").post(
        _url(conversation, 2),
        _stage_post(agreed_summary="No position", complete="1", conversation_version="1"),
    )

    assert "Record the agreed position first" in response.content.decode()
    assert not StageRecord.objects.filter(stage=2).exists()


def test_stage_two_shows_the_self_assessment_beside_the_facilitators_view(
    clock, client_for, conversation, people
):
    lv = levels()
    make_journal(
        people.individual,
        answers={"aspirations": "To lead"},
        shared=("aspirations",),
        position=("breadth", lv[0], "stretch", lv[1]),
    )
    mark_prepared(
        conversation,
        view_now_growth="depth",
        view_now_impact=lv[2],
        view_evidence="FACILITATOR-VIEW",
    )

    page = client_for("manager").get(_url(conversation, 2)).content.decode()

    assert "Aisha's self-assessment" in page
    assert "Breadth: broaden" in page
    assert lv[0].name in page
    assert "Your view" in page
    assert "FACILITATOR-VIEW" in page
    assert 'name="agreed_now_growth"' in page


def test_the_self_assessment_stays_private_until_its_section_is_shared(
    clock, client_for, conversation, people
):
    lv = levels()
    make_journal(
        people.individual, shared=("strengths",), position=("breadth", lv[0], "stretch", lv[1])
    )

    page = client_for("manager").get(_url(conversation, 2)).content.decode()

    assert (
        "Breadth: broaden"
        not in page.split("Position on the Scope for Growth")[1].split("Your view")[0]
    )
    assert "Not shared" in page


def test_stage_three_hands_over_to_the_plan(clock, client_for, conversation):
    complete_stages(conversation, 1, 2)

    response = client_for("manager").post(_url(conversation, 3), {"start_plan": "1"})

    plan = Plan.objects.get(conversation=conversation)
    assert response.status_code == 302
    assert response["Location"] == reverse("devplans:detail", args=[plan.pk])
    assert plan.current_growth == "depth"
    assert plan.future_growth == "stretch"
    assert plan.reflections == "Summary of stage 1"
    again = client_for("manager").post(_url(conversation, 3), {"start_plan": "1"})
    assert again["Location"] == response["Location"]
    assert Plan.objects.filter(conversation=conversation).count() == 1


def test_the_plan_waits_for_stages_one_and_two(clock, client_for, conversation):
    complete_stages(conversation, 1, position=False)

    response = client_for("manager").post(_url(conversation, 3), {"start_plan": "1"}, follow=True)

    assert "Complete stage 2 (career history and scope for growth) first" in (
        response.content.decode()
    )
    assert not Plan.objects.exists()


def test_stage_three_completes_once_the_plan_is_started(clock, client_for, conversation):
    complete_stages(conversation, 1, 2)
    client = client_for("manager")

    refused = client.post(_url(conversation, 3), _stage_post(agreed_summary="Plan", complete="1"))
    assert "Start the development plan before completing stage 3" in refused.content.decode()
    client.post(_url(conversation, 3), {"start_plan": "1"})
    done = client.post(_url(conversation, 3), _stage_post(agreed_summary="Plan", complete="1"))

    assert done["Location"] == reverse("conversations:detail", args=[conversation.pk])
    assert StageRecord.objects.get(stage=3).completed_at is not None


def test_the_presentation_view_hides_notes_and_preparation(clock, client_for, conversation, people):
    make_journal(people.individual, answers={"strengths": "Shared answer"}, shared=("strengths",))
    mark_prepared(conversation, strengths="CANARY-PREP", self_check="CANARY-SELF")
    write_stage(conversation, 1, notes="CANARY-NOTES", agreed_summary="Agreed text")

    page = client_for("manager").get(_url(conversation, 1, present=True)).content.decode()

    assert "CANARY" not in page
    assert "Prompts for you" not in page
    assert "Shared answer" in page
    assert "Agreed text" in page
    assert "Show my notes and preparation" in page


def test_saving_from_the_presentation_view_leaves_the_notes_alone(clock, client_for, conversation):
    write_stage(conversation, 1, notes="Private", agreed_summary="Old")

    response = client_for("manager").post(
        _url(conversation, 1), {"version": "1", "agreed_summary": "New", "present": "1"}
    )

    assert response["Location"] == _url(conversation, 1, present=True)
    record = StageRecord.objects.get()
    assert (own_notes(conversation, 1), record.agreed_summary) == ("Private", "New")


def test_the_individual_reads_the_agreed_summary_only(clock, client_for, conversation):
    write_stage(conversation, 1, notes="CANARY-NOTES", agreed_summary="Agreed text")

    response = client_for("individual").get(_url(conversation, 1))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Agreed text" in page
    assert "CANARY" not in page
    assert "<textarea" not in page
    assert "Hide notes" not in page


def test_the_individual_cannot_post_to_a_stage(clock, client_for, conversation):
    response = client_for("individual").post(
        _url(conversation, 1), _stage_post(agreed_summary="Mine now")
    )

    assert response.status_code == 403
    assert not StageRecord.objects.exists()


@pytest.mark.parametrize("stage", [0, 4])
def test_there_are_only_three_stages(clock, client_for, conversation, stage):
    response = client_for("manager").get(
        reverse("conversations:stage", args=[conversation.pk, stage])
    )

    assert response.status_code == 404


def test_a_stale_stage_save_shows_both_versions(clock, client_for, conversation):
    client = client_for("manager")
    client.post(_url(conversation, 1), _stage_post(agreed_summary="Tab A summary"))

    response = client.post(_url(conversation, 1), _stage_post(agreed_summary="Tab B summary"))

    page = response.content.decode()
    assert "changed (in another tab, or by someone else)" in page
    assert "Tab A summary" in page
    assert "Tab B summary" in page
    assert_valid_html([("the stage's conflict page", page)])
    assert StageRecord.objects.get().agreed_summary == "Tab A summary"


def test_a_stale_position_is_refused(clock, client_for, conversation):
    complete_stages(conversation, 1, position=False)
    client = client_for("manager")
    client.post(_url(conversation, 2), _position_post())

    response = client.post(
        _url(conversation, 2), _position_post(agreed_now_growth="breadth", version="1")
    )

    assert "changed (in another tab, or by someone else)" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.agreed_now_growth == "depth"


def test_editing_a_completed_conversation_says_why_and_keeps_the_text(
    clock, client_for, conversation
):
    complete_stages(conversation, 1, 2, 3)
    conversation.status = Conversation.Status.COMPLETED
    conversation.completed_at = conversation.created_at
    conversation.save()

    response = client_for("manager").post(
        _url(conversation, 1), _stage_post(version=1, agreed_summary="An afterthought")
    )

    page = response.content.decode()
    assert "was completed on" in page
    assert "can no longer be changed" in page
    assert "An afterthought" in page
    assert StageRecord.objects.get(stage=1).agreed_summary == "Summary of stage 1"


def test_agreed_text_is_escaped(clock, client_for, conversation):
    StageRecord.objects.create(
        conversation=conversation, stage=1, agreed_summary="<script>alert(1)</script>\nline two"
    )

    page = client_for("individual").get(_url(conversation, 1)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>line two" in page
