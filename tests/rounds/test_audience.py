"""Who is in a round: computed live from people's current teams (issue 19). Joiners are in,
leavers are out, movers follow their current team; a draft counts nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from rounds.audience import audience_q
from rounds.selectors import completion
from scopegrowth.models import User
from tests import factories
from tests.rounds.helpers import journal_ready, open_round

pytestmark = pytest.mark.django_db


def members(round_) -> set[str]:
    return set(User.objects.filter(audience_q(round_)).values_list("email", flat=True))


@pytest.fixture
def trust(people):
    """Trust A with a second directorate: Medicine (the persona's team and a ward) and
    Corporate (Finance, the other team), plus Surgery, which no round below includes."""
    medicine = people.individual.team.directorate
    ward = factories.TeamFactory(name="Ward 7", directorate=medicine)
    surgery = factories.TeamFactory(
        name="Theatres", directorate__organisation=medicine.organisation
    )
    return {"medicine": medicine, "ward": ward, "surgery": surgery}


def test_a_round_for_chosen_parts_counts_only_the_people_there_now(people, trust):
    round_ = open_round(
        people.hr, directorates=[trust["medicine"]], teams=[people.other_report.team]
    )
    assert members(round_) == {
        "individual@example.org",
        "colleague@example.org",
        "manager@example.org",
        "other.manager@example.org",
        "other.report@example.org",
    }
    assert completion(round_).overall.total == 5


def test_someone_who_joins_an_included_team_mid_round_is_in_it(people, trust):
    round_ = open_round(people.hr, directorates=[trust["medicine"]])
    newcomer = factories.UserFactory(email="new@example.org", team=trust["surgery"])
    assert "new@example.org" not in members(round_)
    newcomer.team = trust["ward"]
    newcomer.save()
    assert "new@example.org" in members(round_)
    journal_ready(newcomer)
    teams = {t.name: t.figures for _, t in completion(round_).teams}
    assert teams["Ward 7"].total == 1
    assert teams["Ward 7"].journal_done == 1


def test_a_leaver_leaves_the_round_and_its_figures(people, trust):
    round_ = open_round(people.hr, directorates=[trust["medicine"]])
    journal_ready(people.colleague)
    assert completion(round_).overall.journal_done == 1
    people.colleague.left_on = timezone.localdate()
    people.colleague.save()
    result = completion(round_)
    assert "colleague@example.org" not in members(round_)
    assert (result.overall.total, result.overall.journal_done) == (2, 0)
    # Deactivated is out too.
    people.manager.is_active = False
    people.manager.save()
    assert members(round_) == {"individual@example.org"}


def test_someone_leaving_in_future_is_still_in_until_then(people, trust):
    round_ = open_round(people.hr, directorates=[trust["medicine"]])
    people.colleague.left_on = timezone.localdate() + timedelta(days=10)
    people.colleague.save()
    assert "colleague@example.org" in members(round_)
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        assert "colleague@example.org" not in members(round_)


def test_a_mover_takes_their_steps_with_them_to_their_new_team(people, trust):
    round_ = open_round(people.hr, directorates=[trust["medicine"]], teams=[trust["surgery"]])
    journal_ready(people.individual)
    before = {t.name: t.figures.journal_done for _, t in completion(round_).teams}
    assert before["Acute Medical Unit"] == 1
    people.individual.team = trust["surgery"]
    people.individual.save()
    after = {t.name: t.figures for _, t in completion(round_).teams}
    assert after["Acute Medical Unit"].journal_done == 0
    assert (after["Theatres"].total, after["Theatres"].journal_done) == (1, 1)
    # Moving out of every chosen part takes them out of the round.
    people.individual.team = people.other_report.team
    people.individual.save()
    assert "individual@example.org" not in members(round_)


def test_the_whole_organisation_includes_people_with_no_team_but_not_other_trusts(people):
    round_ = open_round(people.hr)
    found = members(round_)
    assert {"hr@example.org", "coach@example.org", "individual@example.org"} <= found
    assert "hr@other.example.org" not in found
    assert "left@example.org" not in found  # inactive


def test_what_was_done_before_the_round_opened_does_not_count(people):
    journal_ready(people.individual, at=timezone.now() - timedelta(days=3))
    round_ = open_round(people.hr)
    assert completion(round_).overall.journal_done == 0
    journal_ready(people.individual)
    assert completion(round_).overall.journal_done == 1


def test_what_is_done_after_a_round_closed_does_not_count(people):
    from rounds import services

    round_ = open_round(people.hr)
    services.round_close(actor=people.hr, round_=round_)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        journal_ready(people.individual)
        assert completion(round_).overall.journal_done == 0


def test_a_draft_round_counts_nothing(people):
    from rounds import services

    today = timezone.localdate()
    round_ = services.round_create(
        actor=people.hr, name="Draft", journal_ready_by=today, conversation_held_by=today,
        plan_agreed_by=today,
    )  # fmt: skip
    journal_ready(people.individual)
    result = completion(round_)
    assert result.window is None
    assert result.overall.total == 0
