"""After the conversation: the facilitator's private "stop / start / continue" reflection
(issue 16, part 3), and the MaST planner's own questions in the facilitator's preparation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conversations import services
from conversations.models import Reflection
from scopegrowth import relationships
from scopegrowth.exceptions import RuleError
from tests.conversations.conftest import complete_stages
from tests.devplans.helpers import page_text

pytestmark = pytest.mark.django_db

WORDS = {
    "stop": "Stop filling the silences.",
    "start": "Start with the well-being question.",
    "carry_on": "Continue asking about the die-for project.",
}


def reflection_url(conversation) -> str:
    return reverse("conversations:reflection", args=[conversation.pk])


def _held(clock, conversation):
    """The conversation happens (three days on) and its facilitator completes it."""
    clock.shift(timedelta(days=3, hours=2))
    complete_stages(conversation, 1, 2, 3)
    return services.conversation_complete(actor=conversation.facilitator, conversation=conversation)


def test_after_completing_the_facilitator_reflects_and_only_they_read_it(
    clock, client_for, conversation
):
    completed = _held(clock, conversation)
    manager = client_for("manager")
    detail = page_text(manager.get(reverse("conversations:detail", args=[completed.pk])))
    assert "Reflect on how the conversation went: stop, start, continue" in detail

    response = manager.post(reflection_url(completed), WORDS, follow=True)
    text = page_text(response)
    assert "Your reflection has been saved. Only you can read it." in text
    assert WORDS["start"] in response.content.decode()
    reflection = Reflection.objects.get()
    assert reflection.author == completed.facilitator
    assert reflection.continue_doing == WORDS["carry_on"]

    # Saving again replaces it (one per facilitator and conversation).
    manager.post(reflection_url(completed), {**WORDS, "stop": "Stop rushing stage 3."})
    assert Reflection.objects.get().stop_doing == "Stop rushing stage 3."

    # Nobody else reads it: not the individual, not the co-facilitating coach, not HR.
    for persona in ("individual", "coach", "hr", "admin"):
        client = client_for(persona)
        assert client.get(reflection_url(completed)).status_code in (403, 404), persona
        page = client.get(reverse("conversations:detail", args=[completed.pk]))
        assert "Stop rushing" not in page.content.decode(), persona
        assert "Reflect on how the conversation went" not in page.content.decode(), persona
        data = client.post("/my-data/download/").content.decode()
        assert "Stop rushing" not in data, persona
    # Its author's own download holds it.
    assert "Stop rushing stage 3." in manager.post("/my-data/download/").content.decode()


def test_a_reflection_before_completion_is_refused(clock, client_for, people, conversation):
    manager = client_for("manager")
    detail = page_text(manager.get(reverse("conversations:detail", args=[conversation.pk])))
    assert "Reflect on how the conversation went" not in detail
    assert manager.get(reflection_url(conversation)).status_code == 403
    assert manager.post(reflection_url(conversation), WORDS).status_code == 403
    with pytest.raises(RuleError, match="once it is marked complete"):
        services.conversation_reflection_save(
            actor=people.manager, conversation=conversation, stop="x", start="", carry_on=""
        )
    assert not Reflection.objects.exists()


def test_an_empty_reflection_says_what_to_write(clock, client_for, conversation):
    completed = _held(clock, conversation)
    response = client_for("manager").post(
        reflection_url(completed), {"stop": " ", "start": "", "carry_on": ""}
    )
    assert response.status_code == 200
    assert "Write what you will stop, start or continue doing." in page_text(response)
    assert not Reflection.objects.exists()


def test_the_page_rejects_put(clock, client_for, conversation):
    completed = _held(clock, conversation)
    assert client_for("manager").put(reflection_url(completed)).status_code == 405


def test_a_facilitator_who_handed_over_keeps_their_reflection_the_new_one_cannot_read_it(
    clock, client_for, people, conversation
):
    """Awkward order: the manager completes and reflects; then the line manager changes. The
    new manager may open the conversation but neither reads nor writes a reflection on it; the
    former manager keeps theirs (in their own download) and can no longer change it."""
    completed = _held(clock, conversation)
    services.conversation_reflection_save(
        actor=people.manager,
        conversation=completed,
        stop=WORDS["stop"],
        start=WORDS["start"],
        carry_on=WORDS["carry_on"],
    )
    clock.shift(timedelta(days=10))
    relationships.manager_set(
        actor=people.hr, person=people.individual, manager=people.other_manager
    )

    newcomer = client_for("other_manager")
    page = newcomer.get(reverse("conversations:detail", args=[completed.pk]))
    assert page.status_code == 200
    assert WORDS["stop"] not in page.content.decode()
    assert "Reflect on how the conversation went" not in page.content.decode()
    assert newcomer.get(reflection_url(completed)).status_code == 403
    assert newcomer.post(reflection_url(completed), WORDS).status_code == 403
    with pytest.raises(PermissionDenied):
        services.conversation_reflection_save(
            actor=people.other_manager, conversation=completed, stop="x", start="", carry_on=""
        )
    assert WORDS["stop"] not in newcomer.post("/my-data/download/").content.decode()

    former = client_for("manager")
    assert former.get(reflection_url(completed)).status_code == 404
    assert WORDS["stop"] in former.post("/my-data/download/").content.decode()
    assert Reflection.objects.get().author == people.manager


# ---------------------------------------------------------------------------------------------
# The MaST planner's own questions, and the craft of the conversation, in the preparation
# ---------------------------------------------------------------------------------------------


def test_the_facilitator_prepares_with_the_planner_themes_and_reads_them_beside_stage_two(
    clock, client_for, people, conversation
):
    from tests.conversations.conftest import make_journal

    make_journal(people.individual, answers={"planner": "Led the audit."}, shared=("planner",))
    manager = client_for("manager")
    page = manager.get(reverse("conversations:prepare", args=[conversation.pk]))
    text = page_text(page)
    for label in (
        "Accomplishments: their successes, as you see them",
        "Motivation: the kind of work that draws them",
        "Personal style: how they prefer to work",
        "Learning style: how they prefer to develop",
        "Skills and behaviours: their functional and transferable skills",
    ):
        assert label in text
    # The craft of the conversation: listening and questioning, from one module.
    from conversations import craft

    for heading, _points in craft.GUIDANCE:
        assert heading in text

    services.preparation_save(
        actor=people.manager,
        conversation=conversation,
        values={
            "planner_accomplishments": "The sepsis audit, start to finish.",
            "planner_learning_style": "Learns by doing, then teaching.",
        },
        version=0,
    )
    stages = "".join(
        page_text(manager.get(reverse("conversations:stage", args=[conversation.pk, stage])))
        for stage in (1, 2, 3)
    )
    assert "The sepsis audit, start to finish." in stages
    assert "Learns by doing, then teaching." in stages
    # Private to its author: the individual and the coach never read it.
    for persona in ("individual", "coach"):
        for stage in (1, 2, 3):
            other = client_for(persona).get(
                reverse("conversations:stage", args=[conversation.pk, stage])
            )
            assert "The sepsis audit" not in other.content.decode(), persona
