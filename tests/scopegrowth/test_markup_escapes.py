"""The Python that writes HTML itself (`MARKUP_MODULES` in test_code_rules.py: the dashboard's
rows, the HR list's filter fields and select options, HR insight's rows and bars, a shared
section's answers, the preparation items and the stage navigation on the conversation pages, a
journal section's answers) escapes every value as autoescape would: a name, job title, team,
directorate, question or answer holding markup is shown as text, never run (security
checklist D1)."""

from __future__ import annotations

import re

import pytest

from conversations import markup as conversation_markup
from conversations import nav_markup
from conversations.forms.stage_notes import NoteField, notes_html
from conversations.selectors.conversation import StageNav
from conversations.selectors.sections import PrepItem
from devplans.models import Initiative, Objective, ProgressNote
from insight import markup
from insight.report import Figure, GroupRow, bar_chart
from journals import markup as journal_markup
from scopegrowth.models import Directorate, Team, User
from tests.devplans.factories import agreed_plan

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile(people):
    """The individual, their team and directorate all named with markup."""
    Team.objects.filter(pk=people.individual.team_id).update(name=f"Team {PAYLOAD}")
    Directorate.objects.filter(teams=people.individual.team_id).update(name=f"Dir {PAYLOAD}")
    User.objects.filter(pk=people.individual.pk).update(
        full_name=f"Aisha {PAYLOAD}", job_title=f"Nurse {PAYLOAD}"
    )
    people.individual.refresh_from_db()
    return people


def _shown_as_text(page: str, times: int = 1) -> None:
    assert PAYLOAD not in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert page.count(ESCAPED) >= times


def test_the_dashboard_rows_show_markup_as_text(hostile, client_for):
    page = client_for("manager").get("/dashboard/").content.decode()
    _shown_as_text(page, times=3)  # the name (link and hidden text), job title, team


def test_the_hr_list_filters_and_rows_show_markup_as_text(hostile, client_for):
    agreed_plan(hostile.individual, hostile.manager)
    page = client_for("hr").get("/hr/plans/").content.decode()
    _shown_as_text(page, times=3)  # the team option, the row's name, its team
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert any(ESCAPED in label for label in options)  # the team select's option


def test_insight_rows_and_bars_show_markup_as_text():
    row = GroupRow(label=PAYLOAD, people=Figure(12), coverage=[Figure(3, 0.25)], positions=[])
    _shown_as_text(markup.rows_html([row], "coverage"))
    _shown_as_text(str(bar_chart("c", "t", [(PAYLOAD, Figure(3, 0.25))]).bars_svg))


def test_shared_answers_show_markup_as_text():
    class Answer:  # the fields `answers_html` reads of a journals.Answer
        question_text = f"Own {PAYLOAD}"
        facilitator_wording = f"Facilitator {PAYLOAD}"
        text = f"First line {PAYLOAD}\nsecond line"

    for own_wording in (True, False):
        page = str(conversation_markup.answers_html([Answer()], own_wording=own_wording))
        _shown_as_text(page, times=2)  # the question and the answer
        assert "<br>second line" in page  # line breaks kept, as `linebreaksbr`


def test_preparation_items_show_markup_as_text():
    items = [PrepItem("strengths", f"Label {PAYLOAD}", f"First line {PAYLOAD}\nsecond line")]
    for columns in (True, False):
        page = str(conversation_markup.preparation_html(items, columns=columns))
        _shown_as_text(page, times=2)  # the label and the value
        assert "<br>second line" in page  # line breaks kept, as `linebreaksbr`
    empty = str(conversation_markup.preparation_html([PrepItem("x", PAYLOAD, "")]))
    _shown_as_text(empty)
    assert "Not written yet" in empty


def test_the_stage_navigation_shows_markup_as_text():
    stages = [
        StageNav(1, f"Title {PAYLOAD}", None, "", current=True),
        StageNav(2, f"Title {PAYLOAD}", None, "", url=f'/x/?a=1&b="{PAYLOAD}'),
    ]
    page = str(nav_markup.stage_nav_html(stages))
    _shown_as_text(page, times=3)  # both titles and the link
    assert "&amp;b=&quot;" in page


def test_the_stage_notes_show_markup_as_text():
    field = NoteField(f"n{PAYLOAD}", f"Label {PAYLOAD}", f"Hint {PAYLOAD}", 10, f"Saved {PAYLOAD}")
    page = str(notes_html([field], PAYLOAD, private=True))
    _shown_as_text(page, times=4)  # the version, the label, the hint and the text
    assert f"\nSaved {ESCAPED}</textarea>" in page


def test_a_journal_answer_and_its_question_show_markup_as_text():
    field = {
        "auto_id": "id_q_1",
        "html_name": "q_1",
        "label": f"Question {PAYLOAD}",
        "help_text": f"Hint {PAYLOAD}",
        "errors": [f"Error {PAYLOAD}"],
        "value": f"Answer {PAYLOAD}",
    }
    html = journal_markup.textarea_html(
        field, max_length="10", max_length_text="10", in_conflict=True, saved_text=PAYLOAD
    )
    _shown_as_text(str(html), times=5)  # label, hint, error, the saved text and the answer


def test_the_plan_pages_objective_cards_show_markup_as_text(hostile, client_for):
    plan = agreed_plan(hostile.individual, hostile.manager)
    initiative = Initiative.objects.create(name=f"Course {PAYLOAD}", description=PAYLOAD)
    for objective in plan.objectives.all():
        Objective.objects.filter(pk=objective.pk).update(
            description=PAYLOAD, aspiration=PAYLOAD, success_measure=PAYLOAD, support_needed=PAYLOAD
        )
        objective.initiatives.add(initiative)
        ProgressNote.objects.create(objective=objective, author=hostile.individual, text=PAYLOAD)
    count = plan.objectives.count()
    assert count
    page = client_for("individual").get(f"/plans/{plan.pk}/").content.decode()
    # per card: what, why, success, support, the initiative's name and description, the note
    # and its author
    _shown_as_text(page, times=8 * count)
