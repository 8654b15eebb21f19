"""Sharing and unsharing sections: private by default, the facilitator sees shared sections only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from journals import selectors
from journals.models import JournalSection, Section
from journals.policies import shared_sections
from scopegrowth.models import AuditEvent, ManagerLink
from tests.factories import PASSWORD
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

PRIVATE = "PRIVATE-wellbeing-words"
SHARED = "SHARED-strengths-words"
REAUTHENTICATE = "/accounts/reauthenticate/"


@pytest.fixture
def journal(people):
    journal = h.start(people.individual)
    h.answer(journal, "wellbeing", {h.text_questions("wellbeing")[0]: PRIVATE})
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: SHARED})
    return journal


def share_post(client, journal, slug, value, **extra):
    return client.post(h.section_url(journal, slug, "share"), {"shared": value, **extra})


def test_a_new_journal_is_private_in_every_section(people):
    journal = h.start(people.colleague)

    assert JournalSection.objects.filter(journal=journal).count() == 7
    assert (
        not JournalSection.objects.filter(journal=journal, shares__isnull=False).distinct().exists()
    )


def test_nobody_else_can_open_a_journal_with_nothing_shared(journal, client_for):
    for persona in ("manager", "coach", "hr", "admin", "colleague"):
        assert client_for(persona).get(h.overview_url(journal)).status_code == 404, persona


def test_sharing_a_section_lets_the_facilitators_read_it(journal, client_for, people):
    owner = client_for("individual")

    response = share_post(owner, journal, "strengths", "1")

    assert response.status_code == 302
    assert response["Location"] == h.overview_url(journal)
    message = owner.get(response["Location"]).content.decode()
    assert (
        "is now shared with Helen Carter (your line manager) and Grace Adeyemi (your coach)."
        in message
    )
    for persona in ("manager", "coach"):
        page = client_for(persona).get(h.section_url(journal, "strengths"))
        assert page.status_code == 200, persona
        assert SHARED in page.content.decode()
        assert "<textarea" not in page.content.decode()  # read-only
    events = AuditEvent.objects.filter(action="share").order_by("detail")
    assert sorted((e.actor, e.subject, e.detail) for e in events) == sorted(
        (journal.owner, journal.owner, f"strengths@{reader.pk}")
        for reader in (people.manager, people.coach)
    )


def test_the_manager_cannot_read_the_private_wellbeing_section(journal, client_for):
    h.share(journal, "strengths")
    manager = client_for("manager")

    response = manager.get(h.section_url(journal, "wellbeing"))
    overview = manager.get(h.overview_url(journal)).content.decode()

    assert response.status_code == 404
    assert PRIVATE not in response.content.decode()
    assert h.section_url(journal, "wellbeing") not in overview
    assert PRIVATE not in overview
    assert "Personal strengths and development challenges" in overview


def test_the_coach_cannot_read_the_private_wellbeing_section(journal, client_for):
    h.share(journal, "strengths")

    response = client_for("coach").get(h.section_url(journal, "wellbeing"))

    assert response.status_code == 404
    assert PRIVATE not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["colleague", "other_manager", "unassigned_coach", "hr", "hr_other_org", "admin"]
)
def test_people_who_do_not_facilitate_never_see_a_shared_section(journal, client_for, persona):
    h.share(journal, "strengths")

    response = client_for(persona).get(h.section_url(journal, "strengths"))

    assert response.status_code == 404
    assert SHARED not in response.content.decode()


def test_unsharing_takes_effect_on_the_next_request(journal, client_for):
    h.share(journal, "strengths")
    manager = client_for("manager")
    assert manager.get(h.section_url(journal, "strengths")).status_code == 200

    response = share_post(client_for("individual"), journal, "strengths", "0")

    assert response.status_code == 302
    assert manager.get(h.section_url(journal, "strengths")).status_code == 404
    assert manager.get(h.overview_url(journal)).status_code == 404  # nothing shared any more
    # One event per person it stopped being shared with.
    assert AuditEvent.objects.filter(action="unshare", detail__startswith="strengths@").count() == 2
    assert not JournalSection.objects.get(journal=journal, section__slug="strengths").is_shared


def test_sharing_twice_is_recorded_once(journal, client_for):
    owner = client_for("individual")

    share_post(owner, journal, "strengths", "1")
    share_post(owner, journal, "strengths", "1")

    assert AuditEvent.objects.filter(action="share").count() == 2  # manager and coach, once


def test_a_manager_who_is_no_longer_the_line_manager_loses_access(journal, client_for, people):
    h.share(journal, "strengths")
    manager = client_for("manager")
    assert manager.get(h.section_url(journal, "strengths")).status_code == 200

    ManagerLink.objects.filter(manager=people.manager, report=people.individual).update(
        ended_at=timezone.now()
    )

    assert manager.get(h.section_url(journal, "strengths")).status_code == 404


def test_a_facilitator_cannot_share_or_unshare(journal, client_for):
    h.share(journal, "strengths")

    share_response = share_post(client_for("manager"), journal, "wellbeing", "1")
    unshare_response = share_post(client_for("coach"), journal, "strengths", "0")

    assert share_response.status_code == 403
    assert unshare_response.status_code == 403
    states = dict(
        JournalSection.objects.filter(journal=journal).values_list(
            "section__slug", "shares__reader_id"
        )
    )
    assert states["wellbeing"] is None
    assert states["strengths"] is not None


@pytest.mark.parametrize("persona", ["colleague", "hr", "admin"])
def test_outsiders_cannot_share_and_get_404(journal, client_for, persona):
    response = share_post(client_for(persona), journal, "wellbeing", "1")

    assert response.status_code == 404
    assert (
        not JournalSection.objects.filter(journal=journal, shares__isnull=False).distinct().exists()
    )


def test_a_share_without_a_choice_changes_nothing(journal, client_for):
    client = client_for("individual")

    response = client.post(h.section_url(journal, "strengths", "share"), {"shared": "maybe"})

    assert response.status_code == 302
    assert (
        "Choose whether to share this section." in client.get(response["Location"]).content.decode()
    )
    assert (
        not JournalSection.objects.filter(journal=journal, shares__isnull=False).distinct().exists()
    )


def test_sharing_from_the_section_page_returns_there(journal, client_for):
    response = share_post(client_for("individual"), journal, "strengths", "1", return_to="section")

    assert response["Location"] == h.section_url(journal, "strengths")


def shared_slugs(journal) -> set[str]:
    return set(
        JournalSection.objects.filter(journal=journal, shares__isnull=False)
        .distinct()
        .values_list("section__slug", flat=True)
    )


def test_sharing_the_health_section_asks_for_the_password_first_then_shares_it(journal, client_for):
    owner = client_for("individual")

    asked = share_post(owner, journal, "wellbeing", "1", return_to="section")

    assert asked["Location"].startswith(REAUTHENTICATE)
    assert shared_slugs(journal) == set()  # nothing shared until the password is confirmed
    confirm_page = owner.get(asked["Location"]).content.decode()
    assert "Confirm it is you" in confirm_page
    assert "You are about to share your health and well-being notes." in confirm_page
    wrong = owner.post(asked["Location"], {"password": "not the password"})
    assert wrong.status_code == 200
    assert shared_slugs(journal) == set()

    confirmed = owner.post(asked["Location"], {"password": PASSWORD})

    # The share that was asked for goes through, back where the person was.
    assert confirmed["Location"] == h.section_url(journal, "wellbeing")
    assert shared_slugs(journal) == {"wellbeing"}
    assert AuditEvent.objects.filter(action="share", detail__startswith="wellbeing@").count() == 2


def test_the_password_is_asked_again_after_five_minutes_but_never_to_stop_sharing(
    journal, client_for
):
    owner = client_for("individual")
    owner.post(REAUTHENTICATE, {"password": PASSWORD})
    assert share_post(owner, journal, "wellbeing", "1")["Location"] == h.overview_url(journal)
    assert shared_slugs(journal) == {"wellbeing"}

    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert share_post(owner, journal, "wellbeing", "0")["Location"] == h.overview_url(journal)
        assert shared_slugs(journal) == set()
        again = share_post(owner, journal, "wellbeing", "1")
        assert again["Location"].startswith(REAUTHENTICATE)
        # Other sections are not health notes: no password needed.
        share_post(owner, journal, "strengths", "1")
    assert shared_slugs(journal) == {"strengths"}


def test_an_earlier_journal_cannot_be_shared_but_can_be_unshared(journal, client_for, people):
    h.share(journal, "strengths")
    h.start(people.individual)  # closes `journal`
    client = client_for("individual")

    refused = share_post(client, journal, "wellbeing", "1")
    assert "you cannot share it now" in client.get(refused["Location"]).content.decode()
    share_post(client, journal, "strengths", "0")

    states = dict(
        JournalSection.objects.filter(journal=journal).values_list(
            "section__slug", "shares__reader_id"
        )
    )
    assert states["wellbeing"] is None
    assert states["strengths"] is None


def test_shared_sections_rule_per_persona(journal, people):
    h.share(journal, "strengths")
    expected = {
        "individual": set(Section.objects.values_list("slug", flat=True)),
        "manager": {"strengths"},
        "coach": {"strengths"},
        "colleague": set(),
        "other_manager": set(),
        "unassigned_coach": set(),
        "hr": set(),
        "hr_other_org": set(),
        "admin": set(),
        "inactive": set(),
        "anonymous": set(),
    }
    for persona, slugs in expected.items():
        assert shared_sections(people.get(persona), journal) == slugs, persona


def test_the_self_assessment_and_adjustments_reach_a_facilitator_only_when_shared(journal, people):
    adjustments = next(q for q in h.questions("wellbeing") if q.kind == "adjustments")
    position = next(q for q in h.questions("aspirations") if q.kind == "position")
    h.answer(journal, "wellbeing", {adjustments: "A fixed late shift on Thursdays."})
    h.answer(journal, "aspirations", {position: "I want to lead."})

    assert selectors.adjustments_note(user=people.manager, journal=journal) is None
    assert selectors.self_assessment(user=people.manager, journal=journal) is None
    assert selectors.adjustments_note(user=people.hr, journal=journal) is None

    h.share(journal, "wellbeing")
    h.share(journal, "aspirations")

    assert (
        selectors.adjustments_note(user=people.manager, journal=journal)
        == "A fixed late shift on Thursdays."
    )
    assert selectors.self_assessment(user=people.coach, journal=journal)["why"] == "I want to lead."
    assert selectors.self_assessment(user=people.hr, journal=journal) is None
