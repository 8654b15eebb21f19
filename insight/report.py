"""What the HR insight page shows: tables of figures, bar charts (as data the template draws in
SVG) and the CSV rows: aggregates only, never a row per person.

Rates are computed only from published counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from insight import markup
from insight.engine import (
    CONVERSATION,
    ETHNIC_GROUP,
    ETHNICITY,
    FIELDS,
    GROWTH_LABELS,
    JOURNAL,
    NEXT_GROWTH,
    NOW_GROWTH,
    PLAN,
    REVIEW,
    TIMELY,
    Dim,
    Report,
    StoredReport,
    impact_dims,
)
from scopegrowth.models import ImpactLevel

if TYPE_CHECKING:
    from insight.selectors import Filters

HIDDEN_MARK = "[c]"


@dataclass(frozen=True)
class Figure:
    """One published number: a count (None = hidden) and, where it has one, a rate (None when
    the count or its base is hidden, or the base is 0)."""

    count: int | None
    rate: float | None = None
    base_hidden: bool = False

    @property
    def hidden(self) -> bool:
        return self.count is None

    @property
    def text(self) -> str:
        return HIDDEN_MARK if self.count is None else f"{self.count:,}"

    @property
    def plain(self) -> str:
        """For the CSV: digits only, so spreadsheets read it as a number."""
        return HIDDEN_MARK if self.count is None else str(self.count)

    @property
    def rate_text(self) -> str:
        return "" if self.rate is None else f"{round(self.rate * 100)}%"

    @property
    def html(self) -> str:
        """The figure as the page's tables show it (`markup.figure_html`)."""
        return markup.figure_html(self)

    @property
    def chart_text(self) -> str:
        if self.rate is not None:
            return self.rate_text
        return "hidden" if self.hidden or self.base_hidden else "none"


def _rate(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def figure(part: int | None, whole: int | None) -> Figure:
    return Figure(part, _rate(part, whole), base_hidden=whole is None)


@dataclass
class GroupRow:
    label: str
    people: Figure
    coverage: list[Figure]  # held, ready, agreed, reviews on time
    positions: list[Figure]  # plans agreed, then growth now..., growth in two years...
    level: int = 0  # 1 = a subgroup (the ONS groups under BME)


@dataclass
class Chart:
    """A horizontal bar chart, drawn in the template as SVG (no script, no inline style)."""

    id: str
    title: str
    bars: list[dict]
    width: int = 680
    label_width: int = 330
    bar_area: int = 260
    bar_height: int = 22
    gap: int = 10

    @property
    def height(self) -> int:
        return len(self.bars) * (self.bar_height + self.gap) + self.gap

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def bars_svg(self) -> str:
        return markup.bars_svg(self)

    @property
    def all_hidden(self) -> bool:
        return all(bar["value"] == "hidden" for bar in self.bars)


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, Figure]]) -> Chart:
    chart = Chart(chart_id, title, [])
    for n, (label, fig) in enumerate(items):
        y = chart.gap + n * (chart.bar_height + chart.gap)
        width = round((fig.rate or 0) * chart.bar_area)
        chart.bars.append(
            {
                "label": label,
                "y": y,
                "text_y": y + chart.bar_height - 6,
                "width": width,
                "value_x": chart.label_width + width + 8,
                "value": fig.chart_text,
            }
        )
    return chart


@dataclass
class FieldSection:
    key: str
    title: str
    rows: list[GroupRow]
    total: GroupRow
    position_columns: list[str]
    charts: list[Chart] = field(default_factory=list)

    # The tables' rows, drawn in Python (`insight.markup`): the groups', then the total.
    coverage_html = property(lambda self: markup.rows_html(self.rows, "coverage"))
    coverage_total_html = property(lambda self: markup.rows_html([self.total], "coverage"))
    positions_html = property(lambda self: markup.rows_html(self.rows, "positions"))
    positions_total_html = property(lambda self: markup.rows_html([self.total], "positions"))


@dataclass
class Matrix:
    key: str
    title: str
    row_title: str
    col_labels: list[str]
    rows: list[tuple[str, list[Figure], Figure]]
    col_totals: list[Figure]
    total: Figure


@dataclass
class InsightReport:
    filters: Filters
    limit: int
    people: int | None  # published; None when too few to show
    too_few: bool
    no_activity: bool
    #: False: too few equality declarations in this team or directorate (or in a neighbour of
    #: it, which would give it away by subtraction): no equality cuts (`withheld_message`).
    equality: bool = True
    as_at: dt.date | None = None  # the snapshot's date
    limit_teams: int = 10  # INSIGHT_TEAM_MIN_DECLARATIONS when it was read

    @property
    def as_at_text(self) -> str:
        return as_at_text(self.as_at)

    coverage: list[tuple[str, Figure]] = field(default_factory=list)
    coverage_chart: Chart | None = None
    fields: list[FieldSection] = field(default_factory=list)
    matrices: list[Matrix] = field(default_factory=list)
    aspiration_chart: Chart | None = None

    @property
    def people_text(self) -> str:
        return f"fewer than {self.limit}" if self.too_few else f"{self.people:,}"


def _row(report: Report, dim: Dim | None, i: int, label: str, level: int = 0) -> GroupRow:
    """One group's coverage and positions (`dim` None: everyone)."""

    def cell(cols: Dim, j: int) -> int | None:
        return report.table(dim, cols).get(i, j)

    people = report.table(dim, None).get(i, 0)
    agreed, due = cell(PLAN, 0), cell(REVIEW, 0)
    coverage = [
        figure(cell(CONVERSATION, 0), people),
        figure(cell(JOURNAL, 0), people),
        figure(agreed, people),
        figure(cell(TIMELY, 0), due),
    ]
    positions = [figure(agreed, people)] + [
        figure(cell(dims, j), agreed) for dims in (NOW_GROWTH, NEXT_GROWTH) for j in range(3)
    ]
    return GroupRow(label, Figure(people), coverage, positions, level)


COVERAGE_LABELS = (
    "Conversation held",
    "Journal marked ready",
    "Development plan agreed",
    "Reviews held on time (of people with a review due)",
)
COVERAGE_COLUMNS = ("Conversation held", "Journal ready", "Plan agreed", "Reviews on time")


def _field_section(report: Report, dim: Dim) -> FieldSection:
    rows = []
    for i, label in enumerate(dim.labels):
        rows.append(_row(report, dim, i, label))
        if dim is ETHNICITY and i == 1:
            rows += [_row(report, ETHNIC_GROUP, k, g, 1) for k, g in enumerate(ETHNIC_GROUP.labels)]
    growth = GROWTH_LABELS[:3]
    section = FieldSection(
        dim.key,
        dim.title,
        rows,
        _row(report, None, 0, "All people"),
        [f"Now: {g}" for g in growth] + [f"In two years: {g}" for g in growth],
    )
    top = [r for r in rows if r.level == 0]
    section.charts = [
        bar_chart(
            f"{dim.key}-held",
            f"Conversation held, by {dim.title.lower()} (% of people)",
            [(r.label, r.coverage[0]) for r in top],
        ),
        bar_chart(
            f"{dim.key}-agreed",
            f"Development plan agreed, by {dim.title.lower()} (% of people)",
            [(r.label, r.coverage[2]) for r in top],
        ),
        bar_chart(
            f"{dim.key}-stretch",
            f"Aiming for stretch in two years, by {dim.title.lower()} (% of agreed plans)",
            [(r.label, r.positions[6]) for r in top],
        ),
    ]
    return section


def _matrix(report: Report, key: str, title: str, rows: Dim, cols: Dim) -> Matrix:
    table = report.cross(rows, cols)
    row_parts, col_parts = report.table(None, rows), report.table(None, cols)
    agreed = report.table(None, PLAN).get(0, 0)
    keep_rows = [i for i in range(len(rows.labels)) if row_parts.get(0, i) != 0]
    keep_cols = [j for j in range(len(cols.labels)) if col_parts.get(0, j) != 0]
    return Matrix(
        key,
        title,
        f"{rows.title} ↓ / {cols.title.lower()} →",
        [cols.labels[j] for j in keep_cols],
        [
            (
                rows.labels[i],
                [figure(table.get(i, j), row_parts.get(0, i)) for j in keep_cols],
                figure(row_parts.get(0, i), agreed),
            )
            for i in keep_rows
        ],
        [figure(col_parts.get(0, j), agreed) for j in keep_cols],
        Figure(agreed),
    )


def build_report(
    report: Report | StoredReport,
    filters: Filters,
    levels: Sequence[ImpactLevel],
    limit: int,
    *,
    equality: bool = True,
) -> InsightReport:
    """The page's content from a `Report` (live, when a snapshot is taken) or a `StoredReport`
    (read back from it): no database access. `equality` False leaves out the equality cuts."""
    # The published total, never the exact one (None: too few to show).
    people = report.table(None, None).get(0, 0)
    result = InsightReport(
        filters, limit, people, report.too_few, report.no_activity, equality=equality
    )
    if not people or report.too_few or report.no_activity:
        return result
    everyone = _row(report, None, 0, "All people")
    result.coverage = list(zip(COVERAGE_LABELS, everyone.coverage, strict=True))
    result.coverage_chart = bar_chart(
        "coverage",
        "Coverage in the period (% of people; reviews, % of those due)",
        list(zip(COVERAGE_COLUMNS, everyone.coverage, strict=True)),
    )
    result.fields = [_field_section(report, dim) for dim in FIELDS] if equality else []
    now_impact, next_impact = impact_dims(levels)
    result.matrices = [
        _matrix(report, "growth", "Growth category now and in two years", NOW_GROWTH, NEXT_GROWTH),
        _matrix(report, "impact", "Impact level now and in two years", now_impact, next_impact),
    ]
    aspirations = report.table(None, NEXT_GROWTH)
    agreed = report.table(None, PLAN).get(0, 0)
    result.aspiration_chart = bar_chart(
        "aspirations",
        "Growth category in two years (% of agreed plans)",
        [(GROWTH_LABELS[j], figure(aspirations.get(0, j), agreed)) for j in range(3)],
    )
    return result


# =============================================================================
# Messages the page and the CSV (`insight.export`) share
# =============================================================================


def as_at_text(day: dt.date | None) -> str:
    """How the page and the CSV name a snapshot."""
    return f"Figures as at {day.day} {day:%B %Y}" if day else ""


def withheld_message(minimum: int) -> str:
    return (
        f"Figures by equality group are not shown here: fewer than {minimum} people in this "
        "team or directorate have answered the equality questions, or in a team or directorate "
        "next to it, whose figures could then be worked out from the totals. Choose the "
        "directorate or the whole organisation."
    )


MISSING_VIEW_MESSAGE = (
    "The latest snapshot has no figures for this team or directorate (it is newer than the "
    "snapshot). Choose another, or ask for a new snapshot."
)


def too_few_message(limit: int) -> str:
    return (
        f"Fewer than {limit} people match these filters: figures are hidden so nobody can be "
        "identified. Choose a wider team, directorate or period."
    )


NO_ACTIVITY_MESSAGE = (
    "No conversations, journals, agreed plans or reviews were recorded for these people in this "
    "period. Choose another period."
)
