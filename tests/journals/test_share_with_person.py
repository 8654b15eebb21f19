"""Sharing is with the person, not the role (issue 14): the individual chooses, per section,
which of the people supporting them may read it. A supporter who arrives later sees nothing
until the individual shares with them; one who leaves sees nothing, also if they come back."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from journals import services
from journals.models import SectionShare
from journals.policies import shared_sections
from scopegrowth import relationships
from scopegrowth.exceptions import RuleError
from scopegrowth.models import AuditEvent
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

STRENGTHS = "STRENGTHS-words-for-the-manager"
CAREER = "CAREER-words-for-the-coach"


@pytest.fixture
def journal(people):
    journal = h.start(people.individual)
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: STRENGTHS})
    h.answer(journal, "career-history", {h.text_questions("career-history")[0]: CAREER})
    return journal


def choose(client, journal, slug, *readers):
    """What the section page's checkboxes post."""
    return client.post(
        h.section_url(journal, slug, "share"),
        {"choose": "1", "return_to": "section", "readers": [str(r.pk) for r in readers]},
    )


def reads(client, journal, slug) -> str | None:
    response = client.get(h.section_url(journal, slug))
    return response.content.decode() if response.status_code == 200 else None


def test_written_shared_with_the_manager_then_read_by_the_manager_only(journal, client_for, people):
    owner = client_for("individual")
    page = owner.get(h.section_url(journal, "strengths")).content.decode()
    # One checkbox per person by name and role.
    assert f'id="reader-{people.manager.pk}"' in page
    assert "Helen Carter (your line manager)" in page
    assert "Grace Adeyemi (your coach)" in page
    # Sharing for the first time: everyone supporting her now is ticked, and the button says
    # "Share this section" (one click shares as before; she unticks anyone who should not read).
    form = page.split('id="sharing"')[1].split("</form>")[0]
    assert form.count(" checked") == 2
    assert "Share this section" in form

    response = choose(owner, journal, "strengths", people.manager)

    assert response["Location"] == h.section_url(journal, "strengths")
    message = owner.get(response["Location"]).content.decode()
    assert "is now shared with Helen Carter (your line manager)." in message
    assert STRENGTHS in reads(client_for("manager"), journal, "strengths")
    assert reads(client_for("coach"), journal, "strengths") is None
    assert client_for("coach").get(h.overview_url(journal)).status_code == 404
    after = owner.get(h.section_url(journal, "strengths")).content.decode()
    assert f'value="{people.manager.pk}" checked' in after
    assert f'value="{people.coach.pk}" checked' not in after


def test_shared_with_the_coach_only_the_manager_sees_nothing_of_it(journal, client_for, people):
    choose(client_for("individual"), journal, "career-history", people.coach)
    choose(client_for("individual"), journal, "strengths", people.manager)

    manager = client_for("manager")
    overview = manager.get(h.overview_url(journal)).content.decode()
    assert "Career history" not in overview
    assert h.section_url(journal, "career-history") not in overview
    assert reads(manager, journal, "career-history") is None
    assert CAREER in reads(client_for("coach"), journal, "career-history")
    assert shared_sections(people.manager, journal) == {"strengths"}
    assert shared_sections(people.coach, journal) == {"career-history"}


def test_unticking_someone_hides_it_from_them_on_the_next_request(journal, client_for, people):
    owner = client_for("individual")
    choose(owner, journal, "strengths", people.manager, people.coach)
    assert reads(client_for("coach"), journal, "strengths") is not None

    choose(owner, journal, "strengths", people.manager)

    assert reads(client_for("coach"), journal, "strengths") is None
    assert reads(client_for("manager"), journal, "strengths") is not None
    assert AuditEvent.objects.filter(
        action="unshare", detail=f"strengths@{people.coach.pk}"
    ).exists()

    choose(owner, journal, "strengths")  # nobody ticked: private again

    assert reads(client_for("manager"), journal, "strengths") is None
    assert not SectionShare.objects.exists()


def test_a_new_line_manager_sees_nothing_until_shared_with_by_name(journal, client_for, people):
    h.share(journal, "strengths")  # the overview's "share": everyone supporting her now
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        relationships.manager_set(
            actor=people.hr, person=people.individual, manager=people.other_manager
        )
        new_manager = client_for("other_manager")
        assert new_manager.get(h.overview_url(journal)).status_code == 404
        assert reads(new_manager, journal, "strengths") is None
        assert reads(client_for("manager"), journal, "strengths") is None  # the former one
        assert reads(client_for("coach"), journal, "strengths") is not None  # unchanged
        page = client_for("individual").get(h.section_url(journal, "strengths")).content.decode()
        assert "David Mensah (your line manager)" in page
        assert f'value="{people.other_manager.pk}" checked' not in page

        choose(client_for("individual"), journal, "strengths", people.coach, people.other_manager)

        assert STRENGTHS in reads(new_manager, journal, "strengths")


def test_a_coach_added_after_sharing_sees_nothing_until_shared_with(journal, client_for, people):
    h.share(journal, "strengths")
    with time_machine.travel(timezone.now() + timedelta(days=7)):
        relationships.coach_add(
            actor=people.hr, person=people.individual, coach=people.unassigned_coach
        )

        assert reads(client_for("unassigned_coach"), journal, "strengths") is None
        assert reads(client_for("coach"), journal, "strengths") is not None


def test_a_former_manager_who_comes_back_sees_nothing_until_shared_again(
    journal, client_for, people
):
    h.share(journal, "strengths")
    relationships.manager_set(
        actor=people.hr, person=people.individual, manager=people.other_manager
    )
    with time_machine.travel(timezone.now() + timedelta(days=365)):
        relationships.manager_set(actor=people.hr, person=people.individual, manager=people.manager)

        assert reads(client_for("manager"), journal, "strengths") is None
        log = client_for("individual").get(f"/journal/{journal.pk}/readers/").content.decode()
        assert "No longer supports you, so can no longer read" in log


def test_sharing_with_someone_who_does_not_support_her_is_refused(journal, client_for, people):
    owner = client_for("individual")

    response = choose(owner, journal, "strengths", people.colleague)

    assert (
        "only with the people who support you now"
        in owner.get(response["Location"]).content.decode()
    )
    assert not SectionShare.objects.exists()
    with pytest.raises(RuleError):
        services.journal_section_share(
            actor=people.individual,
            journal=journal,
            section=h.section("strengths"),
            readers=[people.other_manager],
        )
    assert reads(client_for("colleague"), journal, "strengths") is None


def test_the_overview_says_with_whom_each_section_is_shared(journal, client_for, people):
    choose(client_for("individual"), journal, "strengths", people.coach)

    page = client_for("individual").get(h.overview_url(journal)).content.decode()

    status = page.split('id="share-status-strengths"')[1].split("</dd>")[0]
    assert "with Grace Adeyemi (your coach)" in status
    assert "Helen Carter" not in status
    assert "Private" in page.split('id="share-status-career-history"')[1].split("</dd>")[0]


def test_the_access_record_shows_who_read_which_section(journal, client_for, people):
    owner = client_for("individual")
    choose(owner, journal, "strengths", people.manager, people.coach)
    choose(owner, journal, "career-history", people.coach)
    client_for("manager").get(h.section_url(journal, "strengths"))
    client_for("coach").get(h.section_url(journal, "career-history"))
    client_for("coach").get(h.section_url(journal, "strengths"))

    page = owner.get(f"/journal/{journal.pk}/readers/").content.decode()

    summary = page.split('id="readers"')[1].split("</dl>")[0]
    manager_row = summary.split("Helen Carter")[1].split("</div>")[0]
    coach_row = summary.split("Grace Adeyemi")[1].split("</div>")[0]
    assert "Personal strengths" in manager_row
    assert "Career history" not in manager_row
    assert "Personal strengths" in coach_row
    assert "Career history" in coach_row
    assert "Shared \u201cCareer history" in page
    assert "with Grace Adeyemi" in page
    assert STRENGTHS not in page
    assert CAREER not in page


def test_my_data_lists_with_whom_each_section_is_shared(journal, client_for, people):
    choose(client_for("individual"), journal, "strengths", people.coach)
    from scopegrowth.dataprotection.download import my_data

    mine = my_data(people.individual)
    theirs = my_data(people.coach)

    strengths_id = journal.journal_sections.get(section__slug="strengths").pk
    assert [(s["journal_section_id"], s["reader_id"]) for s in mine["journal_section_shares"]] == [
        (strengths_id, people.coach.pk)
    ]
    assert theirs["journal_section_shares"] == []


def test_the_health_section_asks_for_the_password_then_shares_with_whom_was_ticked(
    journal, client_for, people
):
    from tests.factories import PASSWORD

    owner = client_for("individual")

    asked = choose(owner, journal, "wellbeing", people.coach)

    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert not SectionShare.objects.exists()
    confirmed = owner.post(asked["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == h.section_url(journal, "wellbeing")
    assert list(SectionShare.objects.values_list("reader_id", flat=True)) == [people.coach.pk]
    # Unticking never asks for the password.
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert choose(owner, journal, "wellbeing")["Location"] == h.section_url(
            journal, "wellbeing"
        )
    assert not SectionShare.objects.exists()
