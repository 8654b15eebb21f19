"""The insight figures against the hand-counted `trust` (tests/insight/conftest.py).

14 people count: HR, the facilitator and p1..p12. Leavers, deactivated accounts, other
organisations and anything outside 1 March 2025 - 28 February 2026 do not.
"""

from __future__ import annotations

import pytest

from insight import selectors as insight

pytestmark = pytest.mark.django_db


def report(trust, threshold, settings, **filters):
    """The figures of a snapshot taken now (12 months), read back as the page reads them."""
    settings.INSIGHT_SUPPRESSION_THRESHOLD = threshold
    snapshot = trust.snapshot()
    period = insight.snapshot_periods(snapshot)[0]
    chosen = insight.Filters(period, filters.get("directorate"), filters.get("team"))
    return insight.snapshot_report(snapshot, chosen)


def counts(figures) -> list:
    return [f.count for f in figures]


def rates(figures) -> list:
    return [f.rate_text for f in figures]


def section(result, key):
    return next(s for s in result.fields if s.key == key)


def rows(result, key) -> dict:
    found = section(result, key)
    return {r.label: r for r in [*found.rows, found.total]}


def test_coverage_counts_people_with_each_step_in_the_period(trust, settings):
    result = report(trust, 1, settings)  # nothing hidden

    assert result.people == 14
    coverage = dict(result.coverage)
    assert coverage["Conversation held"].count == 8
    assert coverage["Conversation held"].rate_text == "57%"  # 8 of 14
    assert coverage["Journal marked ready"].count == 8
    assert coverage["Development plan agreed"].count == 7  # p2's two versions count once
    assert coverage["Development plan agreed"].rate_text == "50%"
    # Due in the period and decided: p1 on time, p2 late, p5 not held (late), p11 on time;
    # p8's review is due in June 2026.
    on_time = coverage["Reviews held on time (of people with a review due)"]
    assert (on_time.count, on_time.rate_text) == (2, "50%")


def test_coverage_by_ethnicity_with_the_wres_grouping_and_the_ons_groups(trust, settings):
    by = rows(report(trust, 1, settings), "ethnicity")

    assert list(by) == [
        "White",
        "Black and minority ethnic (BME)",
        "Asian or Asian British",
        "Black, Black British, Caribbean or African",
        "Mixed or multiple ethnic groups",
        "Other ethnic group",
        "Prefer not to say",
        "Not declared",
        "All people",
    ]
    people = {label: row.people.count for label, row in by.items()}
    assert people == {
        "White": 5,
        "Black and minority ethnic (BME)": 5,
        "Asian or Asian British": 1,
        "Black, Black British, Caribbean or African": 2,
        "Mixed or multiple ethnic groups": 1,
        "Other ethnic group": 1,
        "Prefer not to say": 1,
        "Not declared": 3,  # HR, the facilitator, p10
        "All people": 14,
    }
    # held, ready, agreed, reviews on time
    assert counts(by["White"].coverage) == [3, 4, 3, 1]
    assert rates(by["White"].coverage) == ["60%", "80%", "60%", "50%"]
    assert counts(by["Black and minority ethnic (BME)"].coverage) == [4, 3, 4, 1]
    assert counts(by["Black, Black British, Caribbean or African"].coverage) == [1, 1, 1, 0]
    assert counts(by["Prefer not to say"].coverage) == [1, 1, 0, 0]
    assert counts(by["Not declared"].coverage) == [0, 0, 0, 0]
    assert counts(by["All people"].coverage) == [8, 8, 7, 2]


def test_partial_answers_count_as_not_declared_for_the_unanswered_questions(trust, settings):
    result = report(trust, 1, settings)

    disability = {label: row.people.count for label, row in rows(result, "disability").items()}
    assert disability == {
        "Yes": 2,
        "No": 7,
        "Prefer not to say": 1,
        "Not declared": 4,
        "All people": 14,
    }
    sex = {label: row.people.count for label, row in rows(result, "sex").items()}
    assert sex == {
        "Female": 7,
        "Male": 3,
        "Prefer not to say": 1,
        "Not declared": 3,
        "All people": 14,
    }
    age = {label: row.people.count for label, row in rows(result, "age").items()}
    assert age == {
        "16 to 24": 0,
        "25 to 34": 3,
        "35 to 44": 2,
        "45 to 54": 2,
        "55 to 64": 1,
        "65 or over": 0,
        "Prefer not to say": 1,
        "Not declared": 5,  # p11 and p12 did not give their age
        "All people": 14,
    }


def test_positions_now_and_in_two_years_by_group(trust, settings):
    by = rows(report(trust, 1, settings), "ethnicity")

    # plans agreed; now depth, breadth, stretch; in two years depth, breadth, stretch
    assert counts(by["White"].positions) == [3, 2, 1, 0, 1, 0, 2]
    assert rates(by["White"].positions)[-1] == "67%"  # 2 of 3 agreed plans aim for stretch
    assert counts(by["Black and minority ethnic (BME)"].positions) == [4, 2, 1, 1, 0, 2, 2]
    assert counts(by["All people"].positions) == [7, 4, 2, 1, 1, 2, 4]


def test_the_pipeline_matrix_of_growth_categories(trust, settings):
    growth = report(trust, 1, settings).matrices[0]

    assert growth.col_labels == ["Depth", "Breadth", "Stretch / complexity"]
    table = {label: (counts(cells), total.count) for label, cells, total in growth.rows}
    assert table == {
        "Depth": ([1, 1, 2], 4),
        "Breadth": ([0, 1, 1], 2),
        "Stretch / complexity": ([0, 0, 1], 1),
    }
    assert counts(growth.col_totals) == [1, 2, 4]
    assert growth.total.count == 7


def test_the_pipeline_matrix_of_impact_levels(trust, settings):
    impact = report(trust, 1, settings).matrices[1]

    assert impact.col_labels == ["Exceeding in role"]  # nobody aims for the other levels
    table = {label: counts(cells) for label, cells, _ in impact.rows}
    assert table == {"Established in role": [6], "Exceeding in role": [1]}


def test_filters_narrow_to_a_team(trust, settings):
    result = report(trust, 1, settings, team=trust.theatres)

    # p5..p11 are in Theatres
    assert result.people == 7
    assert counts([f for _, f in result.coverage]) == [5, 4, 4, 1]


def test_a_directorate_of_another_organisation_counts_nobody(trust, settings, people):
    other = people.individual.team.directorate  # Trust A's
    result = report(trust, 1, settings, directorate=other)

    # Not in this organisation's snapshot at all (the page's filter refuses it too).
    assert result is None


def test_the_default_threshold_hides_small_groups_and_their_complements(trust, settings):
    by = rows(report(trust, 5, settings), "ethnicity")

    assert by["White"].people.count == 5
    assert by["Black and minority ethnic (BME)"].people.count == 5
    # 1 and 3 people: hidden, and so each other's complement.
    assert by["Prefer not to say"].people.hidden
    assert by["Not declared"].people.hidden
    assert all(row.people.hidden for label, row in by.items() if row.level == 1)
    # 3 of 5 White staff had a conversation: 3 and the 2 without are both small.
    assert by["White"].coverage[0].hidden
    assert by["White"].coverage[0].rate is None
    # Totals for everyone: 8 held / 6 not; 4 due / 10 not due (4 is small, so both hidden).
    assert by["All people"].coverage[0].count == 8
    assert by["All people"].coverage[3].hidden
