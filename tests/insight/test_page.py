"""The HR insight page: HR only, audited, filters, hidden figures, charts, fixed query count."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.urls import reverse

from insight.models import Snapshot
from scopegrowth.models import AuditEvent
from tests.devplans.helpers import page_text
from tests.factories import TeamFactory
from tests.insight.conftest import LONDON, agreed, held, ready, staff, take_snapshot

pytestmark = pytest.mark.django_db

URL = reverse("insight:hr_insight")
TOO_FEW = "Fewer than 5 people match these filters: figures are hidden so nobody can be identified."


def test_hr_sees_coverage_and_the_pipeline_for_their_organisation(trust):
    response = trust.client().get(URL)

    assert response.status_code == 200
    text = page_text(response)
    assert "Figures as at 2 March 2026" in text
    assert "12 months, March 2025 to February 2026" in text
    assert "14 people match these filters." in text
    assert "Conversation held 8 (57%)" in text
    assert "Development plan agreed 7 (50%)" in text
    for heading in ("Coverage", "The talent pipeline", "By ethnicity", "By disability", "By sex"):
        assert f">{heading}</h2>" in response.content.decode()


@pytest.mark.parametrize("persona", ["individual", "manager", "coach", "admin"])
def test_people_without_the_hr_role_get_404_and_nothing_is_recorded(client_for, persona):
    response = client_for(persona).get(URL)

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="view_insight").exists()


def test_every_view_is_audited_with_the_snapshot_and_filters_but_no_names(trust):
    snapshot = Snapshot.objects.get()
    client = trust.client()
    client.get(URL)
    client.get(URL, {"team": trust.theatres.pk, "period": "2025-q2"})

    events = list(AuditEvent.objects.filter(action="view_insight").order_by("pk"))
    assert [e.actor for e in events] == [trust.hr, trust.hr]
    assert events[0].detail == f"snapshot={snapshot.pk} 12m directorate=- team=-"
    assert (
        events[1].detail == f"snapshot={snapshot.pk} 2025-q2 directorate=- team={trust.theatres.pk}"
    )
    assert all(e.subject is None and e.object_id is None for e in events)


def test_hr_of_another_organisation_sees_only_their_own(trust, client_for, people):
    take_snapshot(people.hr)
    text = page_text(client_for("hr").get(URL))  # Trust A: the nine personas still there

    assert "9 people match these filters." in text
    assert "14 people" not in text


def test_a_team_filter_narrows_the_figures(trust):
    text = page_text(trust.client().get(URL, {"team": trust.theatres.pk}))

    assert "Theatres" in text
    assert "7 people match these filters." in text
    # 5 of 7 held: the 2 without are few, so the 5 is hidden as well
    assert "Conversation held [c] hidden" in text


def test_a_filter_that_narrows_to_two_people_hides_everything_and_says_why(trust):
    pair = TeamFactory(name="Pharmacy", directorate=trust.ward.directorate)
    for name in ("Solo One", "Solo Two"):
        person = staff(pair, name, declare=("black", "yes", "male", "25_34"))
        held(person, trust.staff["boss"])
    trust.snapshot()

    response = trust.client().get(URL, {"team": pair.pk})

    text = page_text(response)
    assert TOO_FEW in text
    html = response.content.decode()
    assert "<table" not in html
    assert "sg-insight-chart" not in html
    assert "2 people" not in text


def test_a_period_with_no_data_says_so(trust, clock):
    clock.move_to(datetime(2028, 3, 2, 9, 0, tzinfo=LONDON))  # two years on: nothing new
    trust.snapshot()

    text = page_text(trust.client().get(URL))

    assert "Figures as at 2 March 2028" in text
    assert "14 people match these filters." in text
    assert "No conversations, journals, agreed plans or reviews were recorded" in text
    assert "Coverage by ethnicity" not in text


def test_only_whole_periods_of_the_snapshot_can_be_chosen(trust):
    client = trust.client()
    # The old arbitrary dates are not filters any more: the default period is shown.
    text = page_text(client.get(URL, {"date_from": "2025-06-10", "date_to": "2025-06-10"}))
    assert "12 months, March 2025 to February 2026" in text
    assert "14 people match these filters." in text

    response = client.get(URL, {"period": "2025-06-10..2025-06-11"})

    text = page_text(response)
    assert "There is a problem" in text
    assert "Choose a period from the list" in text
    assert "people match" not in text
    assert (
        AuditEvent.objects.filter(action="view_insight").order_by("pk").last().detail
        == "filters not valid"
    )
    options = re.findall(r'<option value="([^"]*)"', response.content.decode())
    assert options[:5] == ["12m", "2025-q4", "2025-q3", "2025-q2", "2025-q1"]


def test_a_team_outside_the_chosen_directorate_is_refused(trust):
    other = trust.theatres.directorate
    text = page_text(trust.client().get(URL, {"directorate": other.pk, "team": trust.ward.pk}))

    assert "Ward 1 is not in Surgery" in text


def test_a_team_of_another_organisation_cannot_be_chosen(trust, people):
    text = page_text(trust.client().get(URL, {"team": people.individual.team.pk}))

    assert "Choose a team from the list" in text


def test_charts_are_svg_images_with_a_table_alternative_and_no_inline_style(trust, settings):
    settings.INSIGHT_SUPPRESSION_THRESHOLD = 2  # enough shown to draw every chart
    trust.snapshot()
    html = trust.client().get(URL).content.decode()

    svgs = re.findall(r'<svg class="sg-insight-chart"[^>]*>.*?</svg>', html, flags=re.S)
    not_drawn = html.count("No chart: every figure in it is hidden")
    # coverage, aspirations, three per equality field
    assert len(svgs) + not_drawn == 2 + 3 * 4
    assert len(svgs) >= 10
    for svg in svgs:
        opening = svg.split(">", 1)[0]
        assert 'role="img"' in opening
        chart_id = re.search(r'aria-labelledby="(chart-[\w-]+)-title', opening).group(1)
        assert f'<h3 class="nhsuk-heading-s" id="{chart_id}-title">' in html
        assert "<title>" in svg
        assert "<script" not in svg
        # the same figures follow as a table, in the same section
        section = html.split(svg, 1)[1].split("<h2", 1)[0]
        assert "<table" in section, chart_id
    assert "style=" not in html


def test_a_chart_with_every_figure_hidden_is_not_drawn(trust):
    html = trust.client().get(URL).content.decode()  # 14 people: the groups are too small

    assert 'id="chart-ethnicity-held-title"' in html
    assert 'aria-labelledby="chart-ethnicity-held-title' not in html
    assert "No chart: every figure in it is hidden, because the groups are too small." in html


def test_the_page_never_names_anyone_but_the_signed_in_hr_user(trust):
    text = page_text(trust.client().get(URL))

    for key, person in trust.staff.items():
        assert person.full_name not in text, key


def _crowd(team, facilitator, n: int) -> None:
    """n people with answers, a conversation, a journal and an agreed plan with a review."""
    groups = ["white", "asian", "black", "mixed", "other"]
    for k in range(n):
        person = staff(
            team, f"Crowd {team.pk}-{k}", declare=(groups[k % 5], "no", "female", "35_44")
        )
        held(person, facilitator)
        ready(person)
        agreed(person, facilitator, "depth", "stretch", reviews=((date(2025, 9, 1), None),))


def test_the_page_takes_a_fixed_number_of_queries(trust, django_assert_num_queries):
    client = trust.client()
    team = TeamFactory(directorate=trust.ward.directorate)
    _crowd(team, trust.staff["boss"], 10)
    trust.snapshot()
    client.get(URL)  # warm-up (sessions, content types)

    # 2 for every signed-in page (session, user; no session write on a read since issue 20), the
    # reader's roles once, and here: the two snapshots, the team (filter), the snapshot's
    # figures, the audit row, the directorate and team lists (the unread updates count comes
    # with the roles).
    with django_assert_num_queries(10):
        client.get(URL, {"team": team.pk})
    _crowd(team, trust.staff["boss"], 10)
    trust.snapshot()
    with django_assert_num_queries(10):
        response = client.get(URL, {"team": team.pk})
    assert "20 people match these filters." in page_text(response)
