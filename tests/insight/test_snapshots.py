"""Snapshots (issue 22): the page and the CSV show figures from the latest snapshot, taken by the
monthly beat entry or on demand, covering whole periods only; a GET never computes one.

Also the per-team declaration threshold: a team (or directorate) with too few equality
declarations gets no equality cuts, and neither does the smallest team next to it when the
directorate minus its shown teams would give the withheld one away.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from celery.schedules import crontab
from django.test import Client
from django.urls import reverse

from insight import services as equality
from insight import snapshots, tasks
from insight.models import Snapshot, SnapshotFigures
from scopegrowth.models import AuditEvent
from scopegrowth.registry import BEAT_SCHEDULE
from tests.devplans.helpers import page_text
from tests.factories import TeamFactory
from tests.insight.conftest import LONDON, held, staff, take_snapshot
from tests.insight.test_csv import read

pytestmark = pytest.mark.django_db

URL = reverse("insight:hr_insight")
CSV = reverse("insight:hr_insight_csv")
SNAP = reverse("insight:hr_insight_snapshot")


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=LONDON)


def run_beat() -> None:
    """What beat and a worker do on the 1st: queue a snapshot per organisation, then take it
    (the task is sent on commit, which a test transaction never reaches, so it is run here)."""
    assert tasks.schedule_snapshots() >= 1
    for pk in Snapshot.objects.filter(status=Snapshot.Status.PENDING).values_list("pk", flat=True):
        assert tasks.take_snapshot(pk)


def hospital(size: int = 12):
    """A team of `size` declared people who held a conversation in January 2026, and HR."""
    ward = TeamFactory(name="Ward 9", directorate__name="Medicine")
    org = ward.directorate.organisation
    hr = staff(None, "Hana HR", organisation=org, is_hr=True)
    crowd = []
    for k in range(size):
        person = staff(ward, f"Crowd {k}", declare=("white", "no", "female", "35_44"))
        held(person, hr, on=at(2026, 1, 12))
        crowd.append(person)
    return hr, ward, crowd


class Fresh:
    """A client that signs in again for each request (moving the clock ends sessions)."""

    def __init__(self, hr) -> None:
        self.hr = hr

    def _client(self) -> Client:
        client = Client()
        client.force_login(self.hr, backend="django.contrib.auth.backends.ModelBackend")
        return client

    def get(self, *args, **kwargs):
        return self._client().get(*args, **kwargs)

    def post(self, *args, **kwargs):
        return self._client().post(*args, **kwargs)


def test_the_beat_entry_runs_on_the_first_of_each_month():
    entry = BEAT_SCHEDULE["insight-monthly-snapshots"]
    assert entry["task"] == "insight.tasks.schedule_snapshots"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == {1}
    assert (schedule.hour, schedule.minute) == ({0}, {30})


def test_monthly_snapshots_in_the_natural_order(clock, settings):
    """Declarations over months, a snapshot each 1st: a change shows only from the next one."""
    settings.INSIGHT_SUPPRESSION_THRESHOLD = 1  # exact counts, nothing hidden: see each move
    clock.move_to(at(2026, 1, 20))
    hr, ward, crowd = hospital()
    client = Fresh(hr)
    assert "There are no figures yet" in page_text(client.get(URL))

    clock.move_to(at(2026, 2, 1, 0))
    run_beat()
    text = page_text(client.get(URL))
    assert "Figures as at 1 February 2026" in text
    assert "12 months, February 2025 to January 2026" in text
    assert "13 people match these filters." in text
    february = read(client.get(CSV))

    # 10 February: a newcomer declares and holds a conversation. Nothing moves on the page.
    clock.move_to(at(2026, 2, 10))
    newcomer = staff(ward, "New Starter", declare=("black", "yes", "male", "25_34"))
    held(newcomer, hr, on=at(2026, 2, 10))
    rows = Snapshot.objects.count(), SnapshotFigures.objects.count()
    assert read(client.get(CSV)) == february
    assert "13 people match these filters." in page_text(client.get(URL))
    assert (Snapshot.objects.count(), SnapshotFigures.objects.count()) == rows  # GETs wrote none

    # 1 March: the next snapshot counts them.
    clock.move_to(at(2026, 3, 1, 0))
    run_beat()
    text = page_text(client.get(URL))
    assert "Figures as at 1 March 2026" in text
    assert "12 months, March 2025 to February 2026" in text
    assert "14 people match these filters." in text
    march = read(client.get(CSV))
    assert ["Ethnicity", "Black and minority ethnic (BME)", "People", "1", ""] in march
    assert [r for r in february if r[1] == "Black and minority ethnic (BME)"][0][3] == "0"


def test_a_get_never_computes_a_snapshot(trust, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a GET computed figures")

    monkeypatch.setattr(snapshots, "compute", refuse)
    monkeypatch.setattr(snapshots, "snapshot_take", refuse)
    client = trust.client()
    before = Snapshot.objects.count(), SnapshotFigures.objects.count()

    assert client.get(URL).status_code == 200
    assert client.get(CSV).status_code == 200
    assert client.get(URL, {"team": trust.ward.pk, "period": "2025-q2"}).status_code == 200
    assert (Snapshot.objects.count(), SnapshotFigures.objects.count()) == before


def test_hr_asks_for_a_snapshot_mid_month_and_it_still_covers_whole_months(trust, clock):
    clock.move_to(at(2026, 3, 16))
    client = Fresh(trust.hr)

    response = client.post(SNAP, follow=True)

    text = page_text(response)
    assert "A new snapshot is being taken." in text
    assert "Figures as at 2 March 2026" in text  # the last one, until the task has run
    pending = Snapshot.objects.get(status=Snapshot.Status.PENDING)
    assert pending.reason == Snapshot.Reason.ON_DEMAND
    assert AuditEvent.objects.get(action="request_insight_snapshot").actor == trust.hr
    assert "Take a new snapshot now" not in text  # one at a time

    assert tasks.take_snapshot(pending.pk)
    assert not tasks.take_snapshot(pending.pk)  # a second delivery does nothing
    text = page_text(client.get(URL))
    assert "Figures as at 16 March 2026" in text
    # Whole months only: the 12 months still end with February.
    assert "12 months, March 2025 to February 2026" in text

    # Asked again a few days later: refused until a week has passed.
    clock.move_to(at(2026, 3, 20))
    text = page_text(client.post(SNAP, follow=True))
    assert "You can ask for another from 23 March 2026" in text
    assert not Snapshot.objects.filter(status=Snapshot.Status.PENDING).exists()


@pytest.mark.protected
def test_a_declaration_made_then_withdrawn_between_snapshots_changes_nothing(trust, clock):
    """Perturbation on: the same people give the same figures, so nothing shows that someone
    declared for a while; the CSV of the next snapshot is identical but for its date."""
    clock.move_to(at(2026, 3, 3))
    client = Fresh(trust.hr)
    first = read(client.get(CSV))
    p10 = trust.staff["p10"]
    equality.equality_declaration_save(actor=p10, person=p10, ethnicity="black", sex="male")
    clock.move_to(at(2026, 3, 12))
    equality.equality_declaration_withdraw(actor=p10, person=p10)
    take_snapshot(trust.hr)

    second = read(client.get(CSV))

    assert second[1] == ["About", "Snapshot", "", "Figures as at 12 March 2026", ""]
    assert second[2:] == first[2:]


def test_a_year_later_the_periods_move_on_and_leavers_drop_out(trust, clock):
    clock.move_to(at(2027, 1, 1, 0))
    p1 = trust.staff["p1"]
    p1.left_on = date(2026, 12, 31)
    p1.save()
    run_beat()

    response = Fresh(trust.hr).get(URL)

    text = page_text(response)
    assert "Figures as at 1 January 2027" in text
    assert "12 months, January 2026 to December 2026" in text
    assert "13 people match these filters." in text  # 14 a year ago, less p1
    html = response.content.decode()
    for key, label in (
        ("2026-q4", "October to December 2026"),
        ("2026-q1", "January to March 2026"),
    ):
        assert f'<option value="{key}">{label}</option>' in html
    assert "2025-q4" not in html
    # The old snapshot is kept but not shown.
    kept = Snapshot.objects.filter(organisation_id=trust.hr.organisation_id)
    assert [s.as_at for s in kept.order_by("pk")] == [date(2026, 3, 2), date(2027, 1, 1)]


def test_round_closed_is_an_extension_point_that_queues_one_snapshot(trust):
    org = trust.hr.organisation_id

    first = snapshots.round_closed(org)
    again = snapshots.round_closed(org)

    assert first == again
    assert first.reason == Snapshot.Reason.ROUND_CLOSED
    assert first.status == Snapshot.Status.PENDING


def test_only_hr_can_ask_for_a_snapshot(people):
    from scopegrowth.exceptions import RuleError

    with pytest.raises(RuleError):
        snapshots.snapshot_request(actor=people.manager)
    assert not Snapshot.objects.exists()


# --- equality cuts only where a team has enough declarations ---------------------------------


@pytest.fixture
def minimum(settings):
    settings.INSIGHT_TEAM_MIN_DECLARATIONS = 10
    return 10


def _declared(team, n: int, hr, prefix: str) -> None:
    for k in range(n):
        person = staff(team, f"{prefix} {k}", declare=("black" if k % 3 else "white", "", "", ""))
        held(person, hr)


def test_a_team_with_few_declarations_and_its_neighbour_get_no_equality_cuts(trust, minimum):
    medicine = trust.ward.directorate
    big = TeamFactory(name="Big Ward", directorate=medicine)
    small = TeamFactory(name="Small Ward", directorate=medicine)
    _declared(big, 25, trust.hr, "Big")
    _declared(small, 3, trust.hr, "Small")
    for k in range(4):  # people without answers do not count towards the threshold
        staff(small, f"Quiet {k}")
    # Surgery (6 declarations in Theatres) needs more, or "the organisation minus Medicine"
    # would give it away and Medicine would be withheld as well.
    _declared(TeamFactory(directorate=trust.theatres.directorate), 12, trust.hr, "Surgery")
    trust.snapshot()
    client = trust.client()

    for team in (small, trust.ward):
        # Small Ward: 3 declarations. Ward 1 (5 declarations) is withheld too, and they hold 8
        # between them, so Big Ward (25) is withheld as well: Medicine minus its shown teams
        # must never be a small group.
        response = client.get(URL, {"team": team.pk})
        text = page_text(response)
        assert "Figures by equality group are not shown here" in text, team.name
        assert ">By ethnicity</h2>" not in response.content.decode()
        assert "Coverage" in text
    text = page_text(client.get(URL, {"team": big.pk}))
    assert "Figures by equality group are not shown here" in text

    directorate = client.get(URL, {"directorate": medicine.pk})
    assert ">By ethnicity</h2>" in directorate.content.decode()
    rows = read(client.get(CSV, {"team": small.pk}))
    assert any(r[:2] == ["About", "Equality groups"] for r in rows)
    assert not [r for r in rows if r[0] == "Ethnicity"]


def test_a_team_with_enough_declarations_next_to_enough_others_is_shown(trust, minimum):
    surgery = trust.theatres.directorate
    one = TeamFactory(name="Recovery", directorate=surgery)
    two = TeamFactory(name="Day Surgery", directorate=surgery)
    _declared(one, 12, trust.hr, "Recovery")
    _declared(two, 11, trust.hr, "Day")
    _declared(TeamFactory(directorate=trust.ward.directorate), 12, trust.hr, "Medicine")
    trust.snapshot()
    client = trust.client()

    # Theatres (6 declarations) is withheld; with the smallest shown neighbour (Day Surgery,
    # 11) the withheld part holds 17, so Recovery is shown.
    assert ">By ethnicity</h2>" in client.get(URL, {"team": one.pk}).content.decode()
    for team in (two, trust.theatres):
        assert ">By ethnicity</h2>" not in client.get(URL, {"team": team.pk}).content.decode()


def test_withheld_views_across_the_hierarchy():
    """The rule on its own: teams within a directorate, directorates within the organisation
    (people without a team are a part never shown)."""

    def fact(d, t, n, declared=True):
        answers = ("white", "", "", "") if declared else ("", "", "", "")
        fields = dict(zip(("eth", "dis", "sex", "age"), answers, strict=True))
        return {**fields, "directorate": d, "team": t, "n": n}

    rows = [
        fact(1, 10, 30),
        fact(1, 11, 9),
        fact(2, 20, 12),
        fact(2, 21, 40),
        fact(None, None, 3),  # HR without a team, declared: 3 people
    ]
    found = snapshots.withheld_views(rows, 10)
    # t11 (9) alone would be "d1 minus t10": t10 goes too. The 3 without a team would be "org
    # minus its directorates": the smallest directorate, d1 (39 against 52), goes too.
    assert found == {"t10", "t11", "d1"}
    assert snapshots.withheld_views([fact(1, 10, 5)], 10) == {"org", "d1", "t10"}
    assert snapshots.withheld_views(rows, 0) == set()


def test_a_new_team_since_the_snapshot_says_so(trust):
    team = TeamFactory(name="Brand New", directorate=trust.ward.directorate)

    text = page_text(trust.client().get(URL, {"team": team.pk}))

    assert "The latest snapshot has no figures for this team or directorate" in text
    response = trust.client().get(CSV, {"team": team.pk}, follow=True)
    assert "The latest snapshot has no figures" in response.content.decode()


def test_the_period_boundaries_are_whole_months_and_quarters():
    periods = snapshots.periods_for(date(2026, 11, 15))
    assert [(p.key, p.start, p.end) for p in periods] == [
        ("12m", date(2025, 11, 1), date(2026, 10, 31)),
        ("2026-q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2025-q4", date(2025, 10, 1), date(2025, 12, 31)),
    ]
    assert periods[0].label == "12 months, November 2025 to October 2026"
    # On the 1st of a quarter's first month, that quarter is not over: the one before is last.
    assert snapshots.periods_for(date(2027, 1, 1))[1].key == "2026-q4"
    assert snapshots.periods_for(date(2027, 1, 1))[0].end == date(2026, 12, 31)
