"""Suppression: small counts hidden, and nothing hidden can be worked out from what is shown.

Unit examples worked by hand, then Hypothesis properties checked by an attacker written apart
from the suppressor (tests/insight/oracle.py: max-flow, and the simple row/column subtraction).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insight import engine
from insight.report import build_report
from insight.selectors import Filters, Period
from insight.suppression import suppress_parts, suppress_table
from tests.insight.oracle import lines_with_one_hidden_cell, recoverable_cells

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cells_shown(cells, hidden) -> list[list]:
    return [
        ["[c]" if h else v for v, h in zip(r, hr, strict=True)]
        for r, hr in zip(cells, hidden, strict=True)
    ]


# --- parts of a known total ---------------------------------------------------------------


def test_a_small_part_is_hidden_with_the_next_smallest():
    assert suppress_parts([3, 10, 20], 5) == [True, True, False]


def test_two_small_parts_hide_each_other():
    assert suppress_parts([3, 2, 20], 5) == [True, True, False]


def test_a_zero_is_not_used_to_cover_a_small_part_while_a_count_can_be():
    # Hiding 2 with the 0 would tell the reader the two hidden groups hold 2 people.
    assert suppress_parts([2, 0, 30], 5) == [True, False, True]


def test_a_total_under_the_threshold_hides_everything():
    assert suppress_parts([1, 2, 0], 5) == [True, True, True]


def test_nothing_small_means_nothing_hidden():
    assert suppress_parts([0, 5, 9], 5) == [False, False, False]


# --- two-way tables --------------------------------------------------------------------------


def test_secondary_suppression_hides_the_cheapest_rectangle():
    cells = [
        [3, 10, 12],  # 25
        [8, 9, 11],  # 28
        [10, 6, 7],  # 23
    ]  # 21 25 30
    hidden = suppress_table(cells, 5)

    # 3 is small. Hiding it alone, row 1's total would give it away (25 - 10 - 12), so three
    # more cells close a rectangle: the one with the smallest counts (10 + 10 + 6).
    assert cells_shown(cells, hidden) == [
        ["[c]", "[c]", 12],
        [8, 9, 11],
        ["[c]", "[c]", 7],
    ]
    # What a reader can work out: x + y = 13, x + z = 13, y + w = 16, z + w = 16; so any x from
    # 0 to 13 fits, and the 3 stays unknown.
    assert recoverable_cells(cells, hidden) == []
    assert lines_with_one_hidden_cell(cells, hidden) == []


def test_a_small_count_and_its_complement_in_a_row_are_hidden_together():
    cells = [[6, 1, 9], [20, 30, 12], [15, 11, 25]]
    hidden = suppress_table(cells, 5)

    assert hidden[0][1]
    assert sum(hidden[0]) >= 2
    assert recoverable_cells(cells, hidden) == []


def test_a_table_under_the_threshold_is_hidden_whole():
    assert suppress_table([[1, 0], [2, 1]], 5) == [[True, True], [True, True]]


def test_a_line_whose_total_is_hidden_elsewhere_is_hidden_whole():
    cells = [[20, 30], [2, 1], [40, 50]]
    hidden = suppress_table(cells, 5, hidden_rows=[1], hidden_cols=[])

    assert hidden[1] == [True, True]
    assert recoverable_cells(cells, hidden, hidden_rows={1}) == []


def test_cells_of_a_row_with_no_people_stay_visible():
    cells = [[0, 0], [3, 20], [12, 30]]
    hidden = suppress_table(cells, 5)

    assert hidden[0] == [False, False]


# --- properties ------------------------------------------------------------------------------

counts = st.one_of(
    st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]), st.integers(min_value=0, max_value=60)
)


@PROPERTY
@given(values=st.lists(counts, min_size=2, max_size=8), limit=st.integers(2, 10))
def test_no_hidden_part_can_be_worked_out(values, limit):
    hidden = suppress_parts(values, limit)

    total = sum(values)
    if 0 < total < limit:
        assert all(hidden)
        return
    for i, v in enumerate(values):
        if 0 < v < limit:
            assert hidden[i], f"{v} shown in {values}"
        if hidden[i]:
            others = [j for j, h in enumerate(hidden) if h and j != i]
            # it can take one from, or give one to, another hidden part
            assert any(values[j] >= 1 for j in others) or (v >= 1 and others), (values, hidden)


@st.composite
def tables(draw):
    rows = draw(st.integers(2, 5))
    cols = draw(st.integers(2, 4))
    cells = [[draw(counts) for _ in range(cols)] for _ in range(rows)]
    limit = draw(st.integers(2, 8))
    # Totals hidden by the parent tables, as the report hides them: the parts of a known total,
    # possibly by a stricter parent (one that has hidden more).
    parent_limit = limit + draw(st.sampled_from([0, 0, 3, 10]))
    row_parts = suppress_parts([sum(r) for r in cells], parent_limit)
    col_sums = [sum(cells[i][j] for i in range(rows)) for j in range(cols)]
    col_parts = suppress_parts(col_sums, parent_limit)
    hidden_rows = {i for i, h in enumerate(row_parts) if h}
    hidden_cols = {j for j, h in enumerate(col_parts) if h}
    return cells, limit, hidden_rows, hidden_cols


@PROPERTY
@given(tables())
def test_no_hidden_cell_can_be_worked_out_from_the_published_totals(table):
    cells, limit, hidden_rows, hidden_cols = table
    if 0 < sum(map(sum, cells)) < limit:
        return  # hidden whole, with its parent's total
    hidden = suppress_table(cells, limit, hidden_rows=hidden_rows, hidden_cols=hidden_cols)

    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            if 0 < v < limit or i in hidden_rows or j in hidden_cols:
                assert hidden[i][j], f"cell {(i, j)} = {v} shown"
    assert lines_with_one_hidden_cell(cells, hidden, hidden_rows, hidden_cols) == []
    assert recoverable_cells(cells, hidden, hidden_rows, hidden_cols) == [], cells_shown(
        cells, hidden
    )


ANSWERS = {
    "eth": ["", "white", "asian", "black", "mixed", "other", "prefer_not_to_say"],
    "dis": ["", "yes", "no", "prefer_not_to_say"],
    "sex": ["", "female", "male", "prefer_not_to_say"],
    "age": ["", "25_34", "45_54", "prefer_not_to_say"],
}
GROWTH = [None, "depth", "breadth", "stretch"]


@st.composite
def facts(draw):
    found = []
    for _ in range(draw(st.integers(1, 25))):
        agreed = draw(st.booleans())
        due = draw(st.booleans())
        found.append(
            {
                **{key: draw(st.sampled_from(values)) for key, values in ANSWERS.items()},
                "held": draw(st.booleans()),
                "ready": draw(st.booleans()),
                "agreed": agreed,
                "now_growth": draw(st.sampled_from(GROWTH)) if agreed else None,
                "next_growth": draw(st.sampled_from(GROWTH)) if agreed else None,
                "now_impact": None,
                "next_impact": None,
                "due": due,
                "late": due and draw(st.booleans()),
                "n": draw(st.sampled_from([1, 1, 2, 3, 5, 8])),
            }
        )
    return found


ROW_DIMS = (engine.ETHNICITY, engine.ETHNIC_GROUP, engine.DISABILITY, engine.SEX, engine.AGE)
COL_DIMS = (
    engine.CONVERSATION,
    engine.JOURNAL,
    engine.PLAN,
    engine.REVIEW,
    engine.TIMELY,
    engine.NOW_GROWTH,
    engine.NEXT_GROWTH,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts(), st.integers(3, 6))
def test_every_table_of_a_report_keeps_its_hidden_cells_hidden(rows, limit):
    report = engine.Report(rows, limit)

    for dim in (*ROW_DIMS, None):
        for cols in COL_DIMS:
            table = report.table(dim, cols)
            if dim is None:
                continue
            row_totals = report.table(dim, cols.parent)
            col_totals = report.table(dim.parent, cols)
            ci = cols.parent_index if cols.parent else 0
            ri = dim.parent_index if dim.parent else 0
            hidden_rows = {i for i in range(len(table.values)) if row_totals.hidden[i][ci]}
            hidden_cols = {j for j in range(len(table.values[0])) if col_totals.hidden[ri][j]}
            where = f"{dim.key} x {cols.key}: {cells_shown(table.values, table.hidden)}"
            if not any(map(any, table.values)) and not report.population_hidden(dim, cols):
                continue  # nobody in it, and that is published: every cell is a known 0
            for i in hidden_rows:
                assert all(table.hidden[i]), where
            for j in hidden_cols:
                assert all(row[j] for row in table.hidden), where
            for i, row in enumerate(table.values):
                for j, v in enumerate(row):
                    assert table.hidden[i][j] or not 0 < v < limit, where
            if all(all(r) for r in table.hidden):
                continue
            found = recoverable_cells(table.values, table.hidden, hidden_rows, hidden_cols)
            assert found == [], where
    # The pipeline: growth now x in two years, whose totals are the two splits of "agreed".
    matrix = report.cross(engine.NOW_GROWTH, engine.NEXT_GROWTH)
    hidden_rows = {i for i, h in enumerate(report.table(None, engine.NOW_GROWTH).hidden[0]) if h}
    hidden_cols = {j for j, h in enumerate(report.table(None, engine.NEXT_GROWTH).hidden[0]) if h}
    where = f"pipeline: {cells_shown(matrix.values, matrix.hidden)}"
    for i in hidden_rows:
        assert all(matrix.hidden[i]), where
    if not all(all(r) for r in matrix.hidden):
        found = recoverable_cells(matrix.values, matrix.hidden, hidden_rows, hidden_cols)
        assert found == [], where


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts(), st.integers(3, 6))
def test_rates_and_charts_use_only_published_counts(rows, limit):
    period = Period("12m", "12 months", dt.date(2025, 3, 1), dt.date(2026, 2, 28))
    result = build_report(engine.Report(rows, limit), Filters(period), [], limit)

    figures = [f for _, f in result.coverage]
    for section in result.fields:
        for row in [*section.rows, section.total]:
            figures += [row.people, *row.coverage, *row.positions]
    for matrix in result.matrices:
        figures += [matrix.total, *matrix.col_totals]
        for _, cells, total in matrix.rows:
            figures += [*cells, total]
    for fig in figures:
        if fig.hidden:
            assert fig.rate is None
            assert fig.text == "[c]"
        elif fig.count and fig.count < limit:
            raise AssertionError(f"{fig.count} shown with threshold {limit}")
        if fig.rate is not None:
            assert not fig.base_hidden
