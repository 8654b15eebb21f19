"""Earlier cycles: a new journal closes the current one, which stays readable and read-only;
the new journal can start from the last one's answers."""

from __future__ import annotations

import pytest

from journals.models import Answer, Journal, JournalSection
from scopegrowth.models import ImpactLevel
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(people):
    journal = h.start(people.individual)
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: "Calm in a crisis."})
    h.answer(journal, "planner", {h.text_questions("planner")[0]: "The falls project."})
    h.share(journal, "strengths")
    journal.set_position(
        now_growth="depth",
        now_impact=ImpactLevel.objects.get(name="Established in role"),
        future_growth="stretch",
        future_impact=None,
    )
    journal.save()
    return journal


def test_starting_a_new_journal_needs_a_confirmation(journal, client_for):
    response = client_for("individual").post("/journal/new/", {"copy_previous": "on"})

    assert response.status_code == 200
    assert "Confirm that your current journal will become read-only" in response.content.decode()
    journal.refresh_from_db()
    assert journal.is_open
    assert Journal.objects.filter(owner=journal.owner).count() == 1


def test_a_new_journal_closes_the_current_one(journal, client_for):
    response = client_for("individual").post("/journal/new/", {"confirm": "on"})

    new = Journal.objects.get(owner=journal.owner, cycle=2)
    assert response.status_code == 302
    assert response["Location"] == h.overview_url(new)
    journal.refresh_from_db()
    assert journal.closed_at is not None
    assert new.is_open
    assert not Answer.objects.filter(journal_section__journal=new).exists()
    assert client_for("individual").get("/journal/")["Location"] == h.overview_url(new)


def test_the_new_journal_can_start_from_the_last_ones_answers(journal, client_for):
    client_for("individual").post("/journal/new/", {"confirm": "on", "copy_previous": "on"})

    new = Journal.objects.get(owner=journal.owner, cycle=2)
    copied = dict(
        Answer.objects.filter(journal_section__journal=new).values_list("question_id", "text")
    )
    assert copied == {
        h.text_questions("strengths")[0].pk: "Calm in a crisis.",
        h.text_questions("planner")[0].pk: "The falls project.",
    }
    assert new.position_now_growth == "depth"
    assert new.position_now_impact.name == "Established in role"
    assert new.position_future_growth == "stretch"
    # a new journal starts private, whatever was shared before
    assert not JournalSection.objects.filter(journal=new, shares__isnull=False).distinct().exists()
    # the earlier journal keeps its own answers
    assert Answer.objects.filter(journal_section__journal=journal).count() == 2


def test_an_earlier_journal_is_readable_but_not_editable(journal, client_for, people):
    h.start(people.individual)
    client = client_for("individual")

    overview = client.get(h.overview_url(journal)).content.decode()
    section = client.get(h.section_url(journal, "strengths")).content.decode()

    assert "earlier conversation cycle" in overview
    assert "It is read-only." in overview
    assert "My journal is ready for the conversation" not in overview
    assert "Calm in a crisis." in section
    assert "<textarea" not in section
    assert "autosave.js" not in section


def test_an_edit_after_the_cycle_closed_keeps_the_text_with_a_clear_message(
    journal, client_for, people
):
    q = h.text_questions("strengths")[0]
    data = h.form_data(journal, "strengths", {q: "Typed in an old tab, after the cycle closed."})
    h.start(people.individual)

    response = client_for("individual").post(h.section_url(journal, "strengths"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "can no longer be changed" in page
    assert "Typed in an old tab, after the cycle closed." in page
    assert Answer.objects.get(journal_section__journal=journal, question=q).text == (
        "Calm in a crisis."
    )


def test_the_history_page_lists_earlier_journals(journal, client_for, people):
    h.start(people.individual)

    page = client_for("individual").get("/journal/history/").content.decode()

    assert "Conversation cycle 2" in page
    assert h.overview_url(journal) in page
    assert "Earlier journals" in page


def test_history_shows_only_my_own_journals(journal, client_for):
    page = client_for("colleague").get("/journal/history/").content.decode()

    assert h.overview_url(journal) not in page
    assert "You have no earlier journals." in page


def test_a_facilitator_still_reads_only_shared_sections_of_an_earlier_journal(
    journal, client_for, people
):
    h.start(people.individual)
    manager = client_for("manager")

    assert manager.get(h.section_url(journal, "strengths")).status_code == 200
    assert manager.get(h.section_url(journal, "planner")).status_code == 404


def test_it_rejects_put(client_for):
    assert client_for("individual").put("/journal/new/").status_code == 405
