"""A question reworded in the admin after it was answered (issue 15, item 4): the answer is shown
under the wording it was given under on every screen, and an unanswered question under today's.

The development plan and its PDF carry no journal questions (their texts are the agreed summaries),
so the screens here are the journal's (edit, read view), the conversation's (stages, preparation),
the my-data download and the question bank admin."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.urls import reverse

from conversations.models import Conversation
from journals.models import Answer, Question
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

NEW_WORDING = "Which three words would the people you work with use for you?"


def escaped(text: str) -> str:
    return text.replace("'", "&#x27;").replace('"', "&quot;")


@pytest.fixture
def answered(people):
    """Aisha answered the first strengths question and shared the section; then the question
    was reworded in the admin."""
    question = h.text_questions("strengths")[0]
    unanswered = h.text_questions("strengths")[1]
    old_wording = question.text
    journal = h.start(people.individual)
    h.answer(journal, "strengths", {question: "Calm in a crisis."})
    h.share(journal, "strengths")
    for q, words in ((question, NEW_WORDING), (unanswered, "Today's second question?")):
        q.text = words
        q.save()
    return journal, question, old_wording


def test_the_owners_form_shows_the_answer_under_its_own_wording(answered, client_for):
    journal, question, old_wording = answered

    page = client_for("individual").get(h.section_url(journal, "strengths")).content.decode()

    label = page.split(f'for="id_q_{question.pk}"', 1)[1].split("</label>", 1)[0]
    assert escaped(old_wording) in label
    assert "Calm in a crisis." in page
    assert f"It is now asked as: {NEW_WORDING}" in page  # the hint says what changed
    assert "Today&#x27;s second question?" in page  # unanswered: today's wording


def test_the_facilitators_read_view_shows_the_old_wording(answered, client_for):
    journal, _question, old_wording = answered

    page = client_for("manager").get(h.section_url(journal, "strengths")).content.decode()

    assert escaped(old_wording) in page
    assert NEW_WORDING not in page
    assert "Calm in a crisis." in page
    assert "Today&#x27;s second question?" in page


def test_editing_the_answer_keeps_the_wording_it_was_given_under(answered, client_for):
    journal, question, old_wording = answered
    data = h.form_data(journal, "strengths", {question: "Calm in a crisis, and kind."})

    response = client_for("individual").post(h.section_url(journal, "strengths"), data)

    assert response.status_code == 302
    answer = Answer.objects.get(question=question)
    assert (answer.text, answer.question_text) == ("Calm in a crisis, and kind.", old_wording)


def test_an_answer_given_after_the_rewording_carries_the_new_wording(answered):
    journal, _question, _old = answered
    second = h.text_questions("strengths")[1]

    h.answer(journal, "strengths", {second: "Steady."})

    assert Answer.objects.get(question=second).question_text == "Today's second question?"


def test_the_conversation_stage_and_preparation_show_the_old_wording(answered, people, client_for):
    journal, _question, old_wording = answered
    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        journal=journal,
        scheduled_at=journal.opened_at,
        duration_minutes=60,
        location="Room 1",
    )
    manager = client_for("manager")

    # A facilitator reads the facilitator wording the answer was given under (issue 16).
    as_given = Answer.objects.get(question=_question).facilitator_wording
    for url in (
        reverse("conversations:stage", args=[conversation.pk, 1]),
        reverse("conversations:prepare", args=[conversation.pk]),
    ):
        page = manager.get(url).content.decode()
        assert escaped(as_given) in page, url
        assert "Calm in a crisis." in page, url
        assert NEW_WORDING not in page, url


def test_my_data_download_carries_the_old_wording(answered, client_for):
    _journal, _question, old_wording = answered

    data = json.loads(client_for("individual").post("/my-data/download/").content)

    answers = data["journal_answers"]
    assert [(a["question_text"], a["text"]) for a in answers] == [
        (old_wording, "Calm in a crisis.")
    ]


def test_the_admin_shows_which_wording_each_answer_carries(answered, people, client_for):
    journal, question, old_wording = answered
    h.start(people.colleague)
    colleague_journal = people.colleague.journals.get()
    h.answer(colleague_journal, "strengths", {Question.objects.get(pk=question.pk): "Quick."})

    page = client_for("admin").get(
        reverse("admin:journals_section_change", args=[question.section_id])
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert f"\u201c{escaped(old_wording)}\u201d: 1 answer" in text
    assert f"\u201c{NEW_WORDING}\u201d (today\u2019s wording): 1 answer" in text
    assert "Calm in a crisis." not in text  # counts only, never what anyone wrote


def test_reworded_mid_cycle_then_a_new_cycle_a_year_later(people, client_for):
    """Awkward order: reworded mid-cycle, answered again after; a year later the first
    cycle's record still reads as it was written."""
    question = h.text_questions("strengths")[0]
    old_wording = question.text
    with time_machine.travel("2026-01-10 10:00Z", tick=False) as clock:
        first = h.start(people.individual)
        h.answer(first, "strengths", {question: "Calm."})
        clock.move_to("2026-04-01 10:00Z")
        question.text = NEW_WORDING
        question.save()
        clock.move_to("2027-01-10 10:00Z")
        second = h.start(people.individual)
        h.answer(second, "strengths", {question: "Calm and kind."})
        me = client_for("individual")

        old_page = me.get(h.section_url(first, "strengths")).content.decode()
        new_page = me.get(h.section_url(second, "strengths")).content.decode()

    assert escaped(old_wording) in old_page
    assert NEW_WORDING not in old_page
    label = new_page.split(f'for="id_q_{question.pk}"', 1)[1].split("</label>", 1)[0]
    assert NEW_WORDING in label
