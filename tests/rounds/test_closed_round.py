"""A closed round keeps its audience (issue 19): at the close its people are kept with their
directorate and team then and what each had done, so later moves and leavers change nothing on
its page, team list, CSV or the next round's comparison. An open round stays live."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from rounds import services
from rounds.models import Member, Round
from rounds.selectors import completion
from scopegrowth.exceptions import RuleError
from tests import factories
from tests.rounds.helpers import conversation_held, journal_ready, open_round, plan_agreed

pytestmark = pytest.mark.django_db


def _figures(html: str) -> str:
    """The page's figures: from the whole-round table to the end of the main content."""
    return html.split('id="round-overall"')[1].split("</main>")[0]


def _csv(client, round_) -> list[list[str]]:
    response = client.get(f"/hr/rounds/{round_.pk}/completion.csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_moves_and_leavers_after_the_close_change_nothing(people, client_for):
    ward = factories.TeamFactory(name="Ward 7", directorate=people.individual.team.directorate)
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=30)):
        round_ = open_round(people.hr, teams=[people.individual.team], days=(5, 10, 20))
    with time_machine.travel(start - timedelta(days=20)):
        journal_ready(people.individual)
        conversation_held(people.individual, people.manager)
        journal_ready(people.colleague)
    with time_machine.travel(start - timedelta(days=10)):
        services.round_close(actor=people.hr, round_=round_)
    hr = client_for("hr")
    team_url = f"/hr/rounds/{round_.pk}/teams/{people.individual.team_id}/"
    before = (
        _figures(hr.get(f"/hr/rounds/{round_.pk}/").text),
        hr.get(team_url).text.split("<table")[1].split("</table>")[0],
        _csv(hr, round_),
    )
    assert "2 of 3" in before[0]  # journals ready: Aisha and her colleague
    assert "Aisha Rahman" in before[1]
    old_team_name = people.individual.team.name

    # After the close: Aisha moves to the ward, her colleague leaves, a newcomer joins her old
    # team and marks a journal ready, and the team is renamed.
    people.individual.team = ward
    people.individual.save()
    people.colleague.left_on = timezone.localdate() - timedelta(days=1)
    people.colleague.save()
    team = round_.teams.get()
    newcomer = factories.UserFactory(team=team, organisation=people.hr.organisation)
    journal_ready(newcomer)
    team.name = "Renamed later"
    team.save()

    after = (
        _figures(hr.get(f"/hr/rounds/{round_.pk}/").text),
        hr.get(team_url).text.split("<table")[1].split("</table>")[0],
        _csv(hr, round_),
    )
    assert after == before
    page = hr.get(team_url).text
    assert old_team_name in page
    assert "Renamed later" not in page
    assert newcomer.full_name not in page
    assert hr.get(f"/hr/rounds/{round_.pk}/teams/{ward.pk}/").status_code == 404


def test_an_open_round_stays_live_for_movers(people, client_for):
    ward = factories.TeamFactory(name="Ward 7", directorate=people.individual.team.directorate)
    round_ = open_round(people.hr, teams=[people.individual.team])
    journal_ready(people.individual)
    assert completion(round_).overall.journal_done == 1
    people.individual.team = ward
    people.individual.save()
    assert completion(round_).overall.journal_done == 0
    assert not Member.objects.exists()


def test_the_next_round_compares_with_the_closed_round_as_it_closed(people):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=400)):
        earlier = open_round(people.hr, name="2025/26", teams=[people.individual.team])
        journal_ready(people.individual)
        services.round_close(actor=people.hr, round_=earlier)
    current = open_round(people.hr, teams=[people.individual.team])
    before = completion(current).previous
    assert (before.total, before.journal_done) == (3, 1)
    people.individual.is_active = False
    people.individual.save()
    people.colleague.team = factories.TeamFactory(directorate=people.individual.team.directorate)
    people.colleague.save()
    after = completion(current).previous
    assert (after.total, after.journal_done) == (3, 1)


def test_closing_a_round_where_nobody_acted_keeps_everyone_at_nothing_done(people, client_for):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=30)):
        round_ = open_round(people.hr, teams=[people.individual.team], days=(5, 10, 20))
    services.round_close(actor=people.hr, round_=round_)
    assert Member.objects.filter(round=round_).count() == 3
    assert not Member.objects.filter(round=round_, journal_done=True).exists()
    result = completion(round_)
    assert result.overall.total == 3
    assert result.overall.overdue == {"journal": 3, "conversation": 3, "plan": 3}
    page = client_for("hr").get(f"/hr/rounds/{round_.pk}/").text
    assert "0 of 3" in page


def test_a_closed_round_cannot_be_reopened_extended_or_closed_again(people):
    round_ = open_round(people.hr, teams=[people.individual.team])
    services.round_close(actor=people.hr, round_=round_)
    kept = list(Member.objects.filter(round=round_).values_list("pk", flat=True))
    with pytest.raises(RuleError, match="not a draft"):
        services.round_open(actor=people.hr, round_=round_)
    with pytest.raises(RuleError, match="Only an open round"):
        services.round_extend(
            actor=people.hr,
            round_=round_,
            step="plan",
            new_date=round_.plan_agreed_by + timedelta(1),
        )
    with pytest.raises(RuleError, match="Only an open round can be closed"):
        services.round_close(actor=people.hr, round_=round_)
    round_.refresh_from_db()
    assert round_.state == Round.State.CLOSED
    assert list(Member.objects.filter(round=round_).values_list("pk", flat=True)) == kept


def _grow(people, n):
    org = people.hr.organisation
    for _ in range(n):
        team = factories.TeamFactory(directorate__organisation=org)
        for _ in range(2):
            person = factories.UserFactory(team=team, organisation=org)
            journal_ready(person)
            conversation_held(person, people.manager)
            plan_agreed(person, people.manager, reviews=[(timezone.localdate(), None)])


@pytest.mark.parametrize(("page", "queries"), [("detail", 6), ("csv", 7), ("team", 6)])
def test_a_closed_round_pages_make_the_same_queries_at_n_and_2n(
    people, client_for, django_assert_num_queries, page, queries
):
    hr = client_for("hr")
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        services.round_close(actor=people.hr, round_=open_round(people.hr, name="Earlier"))
    for n in (5, 10):
        _grow(people, n)
        round_ = open_round(people.hr, name=f"Round {n}")
        services.round_close(actor=people.hr, round_=round_)
        url = {
            "detail": f"/hr/rounds/{round_.pk}/",
            "csv": f"/hr/rounds/{round_.pk}/completion.csv",
            "team": f"/hr/rounds/{round_.pk}/teams/{people.individual.team_id}/",
        }[page]
        hr.get(url)  # warm-up
        with django_assert_num_queries(queries):
            assert hr.get(url).status_code == 200
