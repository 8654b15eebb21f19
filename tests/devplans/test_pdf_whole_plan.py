"""The plan PDF tells the whole plan: progress updates and review outcomes on the individual's
and facilitator's copies (HR's copy leaves them out and says so), one date format, no heading
left alone at the foot of a page. Read through pypdf, as a reader of the file would."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from devplans.pdf import HR_COPY_OMITS, render_plan_pdf
from tests.devplans.factories import ObjectiveFactory, PlanFactory, ProgressNoteFactory, agree
from tests.devplans.helpers import pdf_reader, pdf_text, squash

pytestmark = pytest.mark.django_db

NOTE = "Ran the first teaching session for six students."
OUTCOME = "Agreed to add a second session each month."


@pytest.fixture
def reviewed(people, agreed):
    """The agreed plan with a progress note on its first objective and one review held."""
    ProgressNoteFactory(
        objective=agreed.objectives.order_by("order", "pk").first(),
        author=people.individual,
        text=NOTE,
    )
    review = agreed.reviews.order_by("due_on").first()
    review.held_on = date(2026, 7, 1)
    review.notes = OUTCOME
    review.recorded_by = people.manager
    review.save()
    return agreed


def download(client_for, persona: str, plan) -> str:
    response = client_for(persona).get(reverse("devplans:pdf", args=[plan.pk]))
    assert response.status_code == 200, persona
    return squash(pdf_text(response.getvalue()))


@pytest.mark.parametrize("persona", ["individual", "manager"])
def test_the_individuals_and_facilitators_copies_have_progress_and_review_outcomes(
    client_for, reviewed, persona
):
    text = download(client_for, persona, reviewed)
    assert squash("Progress updates") in text
    assert squash(NOTE) in text
    assert squash("Aisha Rahman:") in text  # who wrote the note
    assert squash("Held 1 July 2026, recorded by Helen Carter") in text
    assert squash("What was agreed") in text
    assert squash(OUTCOME) in text
    assert squash(HR_COPY_OMITS) not in text


def test_hrs_copy_leaves_out_progress_and_review_outcomes_and_says_so(client_for, reviewed):
    text = download(client_for, "hr", reviewed)
    assert squash(HR_COPY_OMITS) in text
    assert squash(NOTE) not in text
    assert squash(OUTCOME) not in text
    assert squash("Held 1 July 2026") in text  # the dates HR sees on the plan page
    assert squash("Progress updates") not in text


def test_every_date_is_written_as_1_july_2026(people):
    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    objective = ObjectiveFactory(plan=plan, target_date=date(2026, 7, 1))
    ProgressNoteFactory(objective=objective, author=people.individual)
    agree(plan)
    text = pdf_text(render_plan_pdf(plan, with_notes=True))
    assert "1 July 2026" in " ".join(text.split())
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    dates = re.findall(rf"\b\d{{1,2}}\s+(?:{months})\s+\d{{4}}\b", text)
    assert len(dates) >= 8  # target, notes, reviews, horizon, signatures, generated


def test_no_heading_is_left_alone_at_the_foot_of_a_page(people):
    """Forty objectives with one or two one-line progress notes each put a heading every few
    lines, so pages end at every point of a heading-and-notes group; and the reviews add more.
    No heading may be the last thing on a page."""
    plan = PlanFactory(individual=people.individual, facilitator=people.manager, reviews=[])
    for n in range(1, 41):
        objective = ObjectiveFactory(plan=plan, description=f"Goal {n}: lead the weekly session")
        for k in range(1 + n % 2):
            ProgressNoteFactory(objective=objective, author=people.individual, text=f"Step {k}.")
    for month in range(1, 13):
        plan.reviews.create(
            due_on=date(2026, month, 1), held_on=date(2026, month, 2), notes="Carry on."
        )
    agree(plan)
    pages = [
        page.extract_text() for page in pdf_reader(render_plan_pdf(plan, with_notes=True)).pages
    ]
    assert len(pages) >= 4
    assert squash("Objective 40: Goal 40") in squash("".join(pages))  # the progress headings
    headings = re.compile(
        r"^(Objective \d+: Goal \d+|Progress updates|Reviews|Review due .*|What was agreed|"
        r"Reflections|Aspirations|Development objectives|Agreement|Scope for Growth position)$"
    )
    running = re.compile(
        r"^(OFFICIAL-SENSITIVE: PERSONAL|Aspirational development plan|Page \d+ of \d+)"
    )
    for number, page in enumerate(pages[:-1], 1):
        body = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in body if not running.match(line)]
        assert body, number
        assert not headings.match(body[-1]), f"page {number} ends with the heading {body[-1]!r}"
