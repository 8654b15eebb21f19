"""Answering a section: the owner's form, what is stored, progress, and refusals."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conversations.models import Conversation
from journals.models import Answer, Journal, JournalSection, Question
from scopegrowth.models import GrowthCategory, ImpactLevel
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(people):
    return h.start(people.individual)


def test_owner_saves_a_section_and_sees_it_again(journal, client_for):
    q1, q2 = h.text_questions("strengths")[:2]
    client = client_for("individual")

    response = client.post(
        h.section_url(journal, "strengths"),
        h.form_data(journal, "strengths", {q1: "Calm in a crisis.", q2: "Teaching students."}),
        follow=True,
    )

    assert response.status_code == 200
    assert "are saved" in response.content.decode()
    assert "Calm in a crisis." in response.content.decode()
    saved = {a.question_id: a for a in Answer.objects.filter(journal_section__journal=journal)}
    assert saved[q1.pk].text == "Calm in a crisis."
    assert saved[q1.pk].question_text == q1.text
    assert saved[q2.pk].text == "Teaching students."
    assert h.version(journal, "strengths") == 1


def test_overview_shows_progress_per_section_and_overall(journal, client_for):
    q1, q2 = h.text_questions("strengths")[:2]
    h.answer(journal, "strengths", {q1: "one", q2: "two"})
    total = Question.objects.filter(is_active=True).count()

    page = client_for("individual").get(h.overview_url(journal)).content.decode()

    assert f"You have answered 2 of {total} questions" in page
    assert f"2 of {len(h.questions('strengths'))} answered" in page
    assert "In progress" in page
    assert "Not started" in page


def test_a_validation_error_shows_every_value_typed(journal, client_for):
    scale = next(q for q in h.questions("current-role") if q.kind == "scale_0_10")
    first, second = h.text_questions("current-role")[:2]
    data = h.form_data(
        journal,
        "current-role",
        {scale: "11", first: "Motivated by patients.", second: "Long shifts tire me."},
    )

    response = client_for("individual").post(h.section_url(journal, "current-role"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose a number from 0 to 10." in page
    assert "Motivated by patients." in page
    assert "Long shifts tire me." in page
    assert not Answer.objects.filter(journal_section__journal=journal).exists()
    assert h.version(journal, "current-role") == 0


def test_the_fulfilment_scale_and_three_things(journal, client_for):
    scale = next(q for q in h.questions("current-role") if q.kind == "scale_0_10")
    three = next(q for q in h.questions("current-role") if "three things" in q.text)
    client = client_for("individual")

    response = client.post(
        h.section_url(journal, "current-role"),
        h.form_data(journal, "current-role", {scale: "7", three: "A mentor; time; a course."}),
    )

    assert response.status_code == 302
    answers = {a.question_id: a.text for a in Answer.objects.filter(question__in=[scale, three])}
    assert answers == {scale.pk: "7", three.pk: "A mentor; time; a course."}
    page = client.get(h.section_url(journal, "current-role")).content.decode()
    assert 'value="7" checked' in page


def test_the_position_on_the_framework_now_and_in_two_years(journal, client_for):
    position = next(q for q in h.questions("aspirations") if q.kind == "position")
    established = ImpactLevel.objects.get(name="Established in role")
    exceeding = ImpactLevel.objects.get(name="Exceeding in role")
    client = client_for("individual")
    data = h.form_data(
        journal,
        "aspirations",
        {position: "I want to lead a team."},
        now_growth="depth",
        now_impact=str(established.pk),
        future_growth="stretch",
        future_impact=str(exceeding.pk),
    )

    response = client.post(h.section_url(journal, "aspirations"), data)

    assert response.status_code == 302
    journal.refresh_from_db()
    assert journal.position_now_growth == GrowthCategory.DEPTH
    assert journal.position_now_impact == established
    assert journal.position_future_growth == GrowthCategory.STRETCH
    assert journal.position_future_impact == exceeding
    assert Answer.objects.get(question=position).text == "I want to lead a team."


def test_a_position_without_words_still_counts_as_answered(journal, client_for):
    position = next(q for q in h.questions("aspirations") if q.kind == "position")
    client = client_for("individual")

    client.post(
        h.section_url(journal, "aspirations"),
        h.form_data(journal, "aspirations", {}, now_growth="breadth"),
    )

    assert Answer.objects.filter(question=position, text="").exists()
    page = client.get(h.overview_url(journal)).content.decode()
    assert "You have answered 1 of" in page


def test_an_empty_save_says_there_is_nothing_to_save(journal, client_for):
    response = client_for("individual").post(
        h.section_url(journal, "planner"), h.form_data(journal, "planner", {})
    )

    assert response.status_code == 200
    assert "There is nothing to save yet" in response.content.decode()
    assert not Answer.objects.filter(journal_section__journal=journal).exists()
    assert h.version(journal, "planner") == 0


def test_clearing_an_answer_removes_it(journal, client_for):
    q1, q2 = h.text_questions("planner")[:2]
    h.answer(journal, "planner", {q1: "keep", q2: "remove me"})

    response = client_for("individual").post(
        h.section_url(journal, "planner"), h.form_data(journal, "planner", {q1: "keep"})
    )

    assert response.status_code == 302
    assert list(
        Answer.objects.filter(journal_section__journal=journal).values_list("text", flat=True)
    ) == ["keep"]


def test_questions_missing_from_a_post_are_left_alone(journal, client_for):
    q1, q2 = h.text_questions("planner")[:2]
    h.answer(journal, "planner", {q1: "first", q2: "second"})
    data = {"version": str(h.version(journal, "planner")), "asked": str(q1.pk), f"q_{q1.pk}": "new"}

    client_for("individual").post(h.section_url(journal, "planner"), data)

    texts = dict(
        Answer.objects.filter(journal_section__journal=journal).values_list("question_id", "text")
    )
    assert texts == {q1.pk: "new", q2.pk: "second"}


def test_extra_fields_cannot_change_owner_sharing_or_other_sections(journal, client_for, people):
    strengths = h.text_questions("strengths")[0]
    wellbeing = h.text_questions("wellbeing")[0]
    data = h.form_data(journal, "strengths", {strengths: "mine"})
    data.update(
        {
            "owner": str(people.colleague.pk),
            "shared": "1",
            "shared_at": "2020-01-01",
            "cycle": "9",
            f"q_{wellbeing.pk}": "smuggled into another section",
            "asked": data["asked"] + f",{wellbeing.pk}",
        }
    )

    client_for("individual").post(h.section_url(journal, "strengths"), data)

    journal.refresh_from_db()
    assert journal.owner == people.individual
    assert journal.cycle == 1
    assert (
        not JournalSection.objects.filter(journal=journal, shares__isnull=False).distinct().exists()
    )
    assert not Answer.objects.filter(question=wellbeing).exists()
    assert Answer.objects.get(question=strengths).text == "mine"


def test_the_line_manager_cannot_answer_a_shared_section(journal, client_for):
    q = h.text_questions("strengths")[0]
    h.answer(journal, "strengths", {q: "my words"})
    h.share(journal, "strengths")
    before = h.version(journal, "strengths")

    response = client_for("manager").post(
        h.section_url(journal, "strengths"), h.form_data(journal, "strengths", {q: "overwritten"})
    )

    assert response.status_code == 403
    assert Answer.objects.get(question=q).text == "my words"
    assert h.version(journal, "strengths") == before


@pytest.mark.parametrize("persona", ["colleague", "hr", "admin", "other_manager"])
def test_outsiders_cannot_answer_and_get_404(journal, client_for, persona):
    q = h.text_questions("strengths")[0]

    response = client_for(persona).post(
        h.section_url(journal, "strengths"), h.form_data(journal, "strengths", {q: "x"})
    )

    assert response.status_code == 404
    assert not Answer.objects.filter(journal_section__journal=journal).exists()


def test_it_rejects_other_methods(journal, client_for):
    response = client_for("individual").put(h.section_url(journal, "strengths"))

    assert response.status_code == 405


def test_the_wellbeing_page_says_plainly_who_will_see_it(journal, client_for):
    page = client_for("individual").get(h.section_url(journal, "wellbeing")).content.decode()

    assert "Who will see this section" in page
    assert "Only you can see this section until you share it." in page
    assert "Helen Carter (your line manager)" in page
    assert "Grace Adeyemi (your coach)" in page
    assert "HR and administrators never see it." in page


def test_the_overview_says_what_happens_next(journal, client_for):
    page = client_for("individual").get(h.overview_url(journal)).content.decode()

    assert "What happens next" in page
    assert "Your line manager will arrange your conversation." in page
    assert "Only you can see a section until you share it." in page
    assert "HR and administrators never see your journal." in page


def test_current_journal_address_leads_to_the_open_journal(journal, client_for):
    response = client_for("individual").get("/journal/")

    assert response.status_code == 302
    assert response["Location"] == h.overview_url(journal)


def test_someone_without_a_journal_is_offered_to_start_one(client_for, people):
    client = client_for("colleague")

    response = client.get("/journal/", follow=True)
    assert "Start your reflection journal" in response.content.decode()
    assert not Journal.objects.filter(owner=people.colleague).exists()

    response = client.post("/journal/new/")
    journal = Journal.objects.get(owner=people.colleague)
    assert response.status_code == 302
    assert journal.cycle == 1
    assert journal.is_open
    assert JournalSection.objects.filter(journal=journal, shares__isnull=True).count() == 7


def test_the_overview_lists_sections_in_the_order_of_the_conversation(journal, client_for):
    page = client_for("individual").get(h.overview_url(journal)).content.decode()

    titles = [
        "Stage 1: personal reflection",
        "Health and well-being",
        "Personal strengths and development challenges",
        "Behaviours and performance",
        "Stage 2: career history and Scope for Growth",
        "Career history",
        "Current role",
        "Aspirations",
        "Career planner",
    ]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert page.count("Stage 1: personal reflection") == 1


def test_the_overview_gives_the_date_of_the_coming_conversation(journal, client_for, people):
    Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        journal=journal,
        scheduled_at=datetime(2031, 3, 4, 14, 30, tzinfo=ZoneInfo("Europe/London")),
        location="Seminar room 2",
    )

    page = client_for("individual").get(h.overview_url(journal)).content.decode()

    assert "Your conversation with Helen Carter is on Tuesday 4 March 2031 at 14:30." in page
    assert "Your line manager will arrange your conversation." not in page
