"""The access record: every read by someone other than the owner, every share and unshare, and
the owner's "who has read my journal" page."""

from __future__ import annotations

import pytest

from scopegrowth.models import AuditEvent
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

WORDS = "Calm in a crisis and proud of the falls project."


@pytest.fixture
def journal(people):
    journal = h.start(people.individual)
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: WORDS})
    h.answer(journal, "wellbeing", {h.text_questions("wellbeing")[0]: "private"})
    h.share(journal, "strengths")
    return journal


def readers_url(journal):
    return f"/journal/{journal.pk}/readers/"


def test_a_facilitator_reading_a_shared_section_is_recorded(journal, client_for, people):
    client_for("manager").get(h.section_url(journal, "strengths"))

    event = AuditEvent.objects.get(action="view")
    assert event.actor == people.manager
    assert event.subject == people.individual
    assert (event.object_type, event.object_id, event.detail) == (
        "journal",
        journal.pk,
        "strengths",
    )


def test_a_facilitator_opening_the_overview_is_recorded(journal, client_for, people):
    client_for("coach").get(h.overview_url(journal))

    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.detail) == (people.coach, "overview")


def test_the_owner_reading_her_own_journal_is_not_recorded(journal, client_for):
    owner = client_for("individual")
    owner.get(h.overview_url(journal))
    owner.get(h.section_url(journal, "strengths"))

    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_refused_read_records_no_view(journal, client_for):
    assert client_for("manager").get(h.section_url(journal, "wellbeing")).status_code == 404
    assert client_for("hr").get(h.section_url(journal, "strengths")).status_code == 404

    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_owner_sees_who_has_read_her_journal(journal, client_for):
    client_for("manager").get(h.section_url(journal, "strengths"))
    h.share(journal, "strengths", shared=False)

    page = client_for("individual").get(readers_url(journal)).content.decode()

    assert "Who has read my journal" in page
    assert "Helen Carter" in page
    assert "Read \u201cPersonal strengths and development challenges\u201d" in page
    assert "Shared \u201cPersonal strengths and development challenges\u201d" in page
    assert "Stopped sharing \u201cPersonal strengths and development challenges\u201d" in page
    assert WORDS not in page


def test_nobody_else_sees_the_record(journal, client_for):
    assert client_for("manager").get(readers_url(journal)).status_code == 403
    assert client_for("coach").get(readers_url(journal)).status_code == 403
    for persona in ("colleague", "hr", "admin", "unassigned_coach"):
        assert client_for(persona).get(readers_url(journal)).status_code == 404, persona


def test_it_rejects_post(journal, client_for):
    assert client_for("individual").post(readers_url(journal)).status_code == 405


def test_the_record_holds_no_answer_text(journal, client_for):
    client_for("manager").get(h.section_url(journal, "strengths"))
    client_for("manager").get(h.overview_url(journal))

    for row in AuditEvent.objects.values_list("action", "object_type", "detail"):
        assert WORDS not in " ".join(row)


def test_the_record_cannot_be_changed_or_deleted(journal, client_for):
    client_for("manager").get(h.section_url(journal, "strengths"))

    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.filter(action="view").update(detail="nothing to see")
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.filter(action="view").delete()
    assert AuditEvent.objects.get(action="view").detail == "strengths"


def test_every_successful_non_owner_read_is_one_event(journal, client_for):
    manager, coach = client_for("manager"), client_for("coach")
    reads = [
        manager.get(h.overview_url(journal)),
        manager.get(h.section_url(journal, "strengths")),
        coach.get(h.section_url(journal, "strengths")),
        manager.get(h.section_url(journal, "wellbeing")),  # refused: 404
    ]

    successful = sum(1 for r in reads if r.status_code == 200)
    assert successful == 3
    assert AuditEvent.objects.filter(action="view").count() == successful
