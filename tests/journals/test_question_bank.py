"""The question bank is data: seeded from domain.md, edited in the admin, and editing it never
changes what an earlier journal says."""

from __future__ import annotations

import pytest
from django.contrib import admin

from journals.models import Answer, Journal, JournalSection, PendingDraft, Question, Section
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db


def test_the_bank_has_the_contract_sections_in_order():
    assert list(Section.objects.values_list("slug", flat=True)) == [
        "wellbeing",
        "strengths",
        "behaviours",
        "career-history",
        "current-role",
        "aspirations",
        "planner",
    ]
    assert Section.objects.get(slug="wellbeing").is_sensitive
    assert not Section.objects.filter(is_sensitive=True).exclude(slug="wellbeing").exists()


def test_the_default_questions_are_the_domain_wording():
    counts = {s.slug: s.questions.count() for s in Section.objects.all()}
    assert counts == {
        "wellbeing": 7,
        "strengths": 5,
        "behaviours": 6,
        "career-history": 4,
        "current-role": 8,  # the 0–10 fulfilment question is a scale plus "three things"
        "aspirations": 5,
        "planner": 7,
    }
    texts = set(Question.objects.values_list("text", flat=True))
    assert "How do I look after my personal well-being? What happens when I don't?" in texts
    assert (
        'Looking forward to the next year, what project, task or activity would I "die for"? '
        "How would it contribute to my career development?"
    ) in texts
    assert "Motivation: my career interest patterns \u2014 what kind of work draws me." in texts
    kinds = dict(Question.objects.exclude(kind="text").values_list("kind", "section__slug"))
    assert kinds == {
        "adjustments": "wellbeing",
        "scale_0_10": "current-role",
        "position": "aspirations",
    }


def test_editing_a_question_does_not_change_an_earlier_journal(people, client_for):
    question = h.text_questions("strengths")[0]
    old_wording = question.text
    journal = h.start(people.individual)
    h.answer(journal, "strengths", {question: "Calm in a crisis."})
    h.start(people.individual)  # the first journal is now an earlier cycle

    question.text = "How would the people you work with describe you?"
    question.save()

    answer = Answer.objects.get(journal_section__journal=journal)
    assert answer.question_text == old_wording
    page = client_for("individual").get(h.section_url(journal, "strengths")).content.decode()
    assert old_wording.replace("'", "&#x27;") in page
    assert "How would the people you work with describe you?" not in page
    assert "Calm in a crisis." in page


def test_the_open_journal_asks_the_new_wording(people, client_for):
    question = h.text_questions("strengths")[0]
    journal = h.start(people.individual)
    question.text = "How would the people you work with describe you?"
    question.save()

    page = client_for("individual").get(h.section_url(journal, "strengths")).content.decode()

    assert "How would the people you work with describe you?" in page


def test_a_retired_question_keeps_its_answer(people, client_for):
    question = h.text_questions("planner")[0]
    journal = h.start(people.individual)
    h.answer(journal, "planner", {question: "The falls project."})

    question.is_active = False
    question.save()

    page = client_for("individual").get(h.section_url(journal, "planner")).content.decode()
    assert "Answers to questions no longer asked" in page
    assert "The falls project." in page
    assert f'name="q_{question.pk}"' not in page
    assert Answer.objects.get(journal_section__journal=journal).text == "The falls project."


def test_a_deleted_question_keeps_its_answer_and_wording(people, client_for):
    question = h.text_questions("planner")[0]
    wording = question.text
    journal = h.start(people.individual)
    h.answer(journal, "planner", {question: "Kept."})

    question.delete()

    answer = Answer.objects.get(journal_section__journal=journal)
    assert answer.question is None
    assert answer.question_text == wording
    page = client_for("individual").get(h.section_url(journal, "planner")).content.decode()
    assert "Kept." in page


def test_a_new_question_appears_in_the_open_journal(people, client_for):
    journal = h.start(people.individual)
    question = Question.objects.create(
        section=h.section("planner"), text="What would I like to try next?", order=99
    )

    page = client_for("individual").get(h.section_url(journal, "planner")).content.decode()

    assert "What would I like to try next?" in page
    assert f'name="q_{question.pk}"' in page


def test_the_admin_edits_the_bank_and_never_journals():
    registered = {model for model in admin.site._registry}

    assert Section in registered
    assert Question not in registered  # edited inline, within its section
    for private in (Journal, JournalSection, Answer, PendingDraft):
        assert private not in registered
    inlines = [inline.model for inline in admin.site._registry[Section].inlines]
    assert inlines == [Question]


def test_the_admin_section_page_shows_its_questions_for_editing(client_for):
    section = h.section("wellbeing")

    response = client_for("admin").get(f"/admin/journals/section/{section.pk}/change/")

    assert response.status_code == 200
    assert "What frustrates me?" in response.content.decode()
