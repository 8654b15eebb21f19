"""Each journal question has a facilitator wording (issue 16, part 5), edited with the question
in the admin and kept on the answer beside `question_text`, so it is versioned with it. The
facilitator reads it wherever they read the question; the individual keeps their own words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from journals import services
from journals.models import Answer, Question, Section

pytestmark = pytest.mark.django_db

OWN = "How do I look after my personal well-being? What happens when I don't?"
THEIRS = "How do they look after their well-being? What happens when they don't?"


def test_every_question_of_the_default_bank_has_its_own_facilitator_wording():
    questions = list(Question.objects.all())

    assert questions
    assert all(q.facilitator_text for q in questions)
    assert not [q.text for q in questions if q.facilitator_text == q.text]
    assert Question.objects.get(text=OWN).facilitator_text == THEIRS


@pytest.fixture
def shared_wellbeing(people):
    journal = services.journal_start_new(actor=people.individual, copy_previous=False)
    wellbeing = Section.objects.get(slug="wellbeing")
    question = Question.objects.get(text=OWN)
    services.journal_section_save(
        actor=people.individual,
        journal=journal,
        section=wellbeing,
        data=services.SectionAnswers(texts={question.pk: "Walking the dog."}),
        version=0,
    )
    services.journal_section_share(
        actor=people.individual, journal=journal, section=wellbeing, readers=[people.manager]
    )
    return journal, question


def test_the_facilitator_reads_the_facilitator_wording_and_the_individual_her_own(
    clock, client_for, people, conversation, shared_wellbeing
):
    url = reverse("conversations:detail", args=[conversation.pk])

    manager = client_for("manager").get(url).content.decode()
    stage = client_for("manager").get(f"/conversations/{conversation.pk}/stage/1/").content
    individual = client_for("individual").get(url).content.decode()

    assert THEIRS.replace("'", "&#x27;") in manager
    assert THEIRS.replace("'", "&#x27;") in stage.decode()
    assert OWN.replace("'", "&#x27;") in individual
    assert "How do they" not in individual


def test_editing_the_wording_later_leaves_what_was_answered_with_the_old_wording(
    clock, client_for, people, conversation, shared_wellbeing
):
    journal, question = shared_wellbeing
    question.facilitator_text = "What keeps them well?"
    question.save()

    answer = Answer.objects.get(question=question)
    assert answer.question_facilitator_text == THEIRS
    page = client_for("manager").get(reverse("conversations:detail", args=[conversation.pk]))
    assert "What keeps them well?" not in page.content.decode()

    services.journal_section_save(
        actor=people.individual,
        journal=journal,
        section=question.section,
        data=services.SectionAnswers(texts={question.pk: "Walking the dog, and swimming."}),
        version=1,
    )
    # An answer edited later keeps the wordings it was first given under (issue 15: the form
    # shows the individual that wording), so the facilitator's stays as it was too.
    assert Answer.objects.get(question=question).question_facilitator_text == THEIRS


def test_the_admin_edits_the_facilitator_wording_with_the_question(client_for, people):
    page = client_for("admin").get(
        reverse("admin:journals_section_change", args=[Section.objects.get(slug="wellbeing").pk])
    )

    assert page.status_code == 200
    assert 'name="questions-0-facilitator_text"' in page.content.decode()
