"""Two tabs: a save based on an older version never overwrites newer text."""

from __future__ import annotations

import pytest
from django.db.models import F

from journals import services
from journals.models import Answer, JournalSection
from journals.services import answers as answers_service
from scopegrowth.models import ImpactLevel
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(people):
    return h.start(people.individual)


def test_tab_b_sees_both_versions_and_the_database_keeps_tab_a(journal, client_for):
    q1, q2 = h.text_questions("career-history")[:2]
    client = client_for("individual")
    url = h.section_url(journal, "career-history")
    tab_a = h.form_data(journal, "career-history", {q1: "Tab A: most motivated on the project."})
    tab_b = h.form_data(journal, "career-history", {q1: "Tab B: least motivated on nights."})

    assert client.post(url, tab_a).status_code == 302
    response = client.post(url, tab_b)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone (or another tab) saved this section after you opened it" in page
    assert "Saved version (from the other tab)" in page
    assert "Tab A: most motivated on the project." in page
    assert "Tab B: least motivated on nights." in page
    assert "Your version (not saved yet)" in page
    assert Answer.objects.get(question=q1).text == "Tab A: most motivated on the project."
    assert not Answer.objects.filter(question=q2).exists()
    assert h.version(journal, "career-history") == 1


def test_after_comparing_tab_b_can_deliberately_save_its_version(journal, client_for):
    q = h.text_questions("career-history")[0]
    client = client_for("individual")
    url = h.section_url(journal, "career-history")
    tab_b = h.form_data(journal, "career-history", {q: "B"})
    client.post(url, h.form_data(journal, "career-history", {q: "A"}))

    conflict = client.post(url, tab_b)
    assert 'name="version" value="1"' in conflict.content.decode()
    tab_b["version"] = "1"
    response = client.post(url, tab_b)

    assert response.status_code == 302
    assert Answer.objects.get(question=q).text == "B"


def test_only_questions_that_differ_are_shown_twice(journal, client_for):
    q1, q2 = h.text_questions("career-history")[:2]
    h.answer(journal, "career-history", {q1: "same in both", q2: "first"})
    client = client_for("individual")
    url = h.section_url(journal, "career-history")
    tab_b = h.form_data(journal, "career-history", {q1: "same in both", q2: "from tab B"})
    client.post(url, h.form_data(journal, "career-history", {q1: "same in both", q2: "from tab A"}))

    page = client.post(url, tab_b).content.decode()

    assert page.count("Saved version (from the other tab)") == 1
    assert "from tab A" in page
    assert "from tab B" in page


def test_a_stale_tab_that_changes_nothing_is_not_a_conflict(journal, client_for):
    q = h.text_questions("career-history")[0]
    client = client_for("individual")
    url = h.section_url(journal, "career-history")
    stale = h.form_data(journal, "career-history", {q: "the same words"})
    client.post(url, h.form_data(journal, "career-history", {q: "the same words"}))

    response = client.post(url, stale)

    assert response.status_code == 302
    assert h.version(journal, "career-history") == 1


def test_a_position_conflict_shows_the_saved_position(journal, client_for):
    position = next(q for q in h.questions("aspirations") if q.kind == "position")
    level = ImpactLevel.objects.get(name="Developing in role")
    client = client_for("individual")
    url = h.section_url(journal, "aspirations")
    tab_b = h.form_data(journal, "aspirations", {position: ""}, now_growth="stretch")
    client.post(
        url,
        h.form_data(journal, "aspirations", {}, now_growth="depth", now_impact=str(level.pk)),
    )

    response = client.post(url, tab_b)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Saved position (from the other tab)" in page
    assert "Now: Depth: keep growing in my current role or field; Developing in role." in page
    journal.refresh_from_db()
    assert journal.position_now_growth == "depth"


def test_two_saves_from_the_same_version_cannot_both_win(journal, people):
    q = h.text_questions("career-history")[0]
    section = h.section("career-history")

    services.journal_section_save(
        actor=people.individual,
        journal=journal,
        section=section,
        data=services.SectionAnswers(texts={q.pk: "first"}),
        version=0,
    )
    with pytest.raises(services.StaleVersion) as refused:
        services.journal_section_save(
            actor=people.individual,
            journal=journal,
            section=section,
            data=services.SectionAnswers(texts={q.pk: "second"}),
            version=0,
        )

    assert refused.value.saved == {q.pk: "first"}
    assert refused.value.version == 1
    assert Answer.objects.get(question=q).text == "first"


def test_a_save_that_loses_the_race_after_its_check_is_still_refused(journal, people, monkeypatch):
    """Another save commits between this save's version check and its UPDATE: the conditional
    UPDATE (WHERE version = the form's version) matches no row, so this save is refused."""
    q = h.text_questions("career-history")[0]
    real_saved_state = answers_service._saved_state

    def another_tab_saves_meanwhile(js, questions):
        monkeypatch.setattr(answers_service, "_saved_state", real_saved_state)
        JournalSection.objects.filter(pk=js.pk).update(version=F("version") + 1)
        return real_saved_state(js, questions)

    monkeypatch.setattr(answers_service, "_saved_state", another_tab_saves_meanwhile)

    with pytest.raises(services.StaleVersion):
        services.journal_section_save(
            actor=people.individual,
            journal=journal,
            section=h.section("career-history"),
            data=services.SectionAnswers(texts={q.pk: "lost the race"}),
            version=0,
        )

    # (the simulated other save ran inside this save's transaction, so it is rolled back too)
    assert not Answer.objects.filter(question=q).exists()
