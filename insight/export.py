"""The insight CSV: the page's aggregate tables only (never a row per person), from the same
`InsightReport` the page shows, so the two always match."""

from __future__ import annotations

from insight.report import (
    COVERAGE_LABELS,
    HIDDEN_MARK,
    NO_ACTIVITY_MESSAGE,
    InsightReport,
    as_at_text,
    too_few_message,
    withheld_message,
)

CSV_HEADER = ["Table", "Group", "Measure", "Count", "Rate"]


def csv_rows(result: InsightReport) -> list[list[str]]:
    f = result.filters
    rows = [
        ["About", "Snapshot", "", as_at_text(result.as_at), ""],
        [
            "About",
            "Period",
            "",
            f"{f.period.label} ({f.period.start:%d/%m/%Y} to {f.period.end:%d/%m/%Y})",
            "",
        ],
        ["About", "Directorate", "", f.directorate.name if f.directorate else "All", ""],
        ["About", "Team", "", f.team.name if f.team else "All", ""],
        ["About", "People", "", result.people_text.replace(",", ""), ""],
        [
            "About",
            "Hidden figures",
            "",
            f"{HIDDEN_MARK}: fewer than {result.limit} people, or hidden so that a small "
            "number cannot be worked out from the totals; every count is adjusted slightly "
            "and rounded (docs/insight-protection.md), so totals may not add up exactly",
            "",
        ],
    ]
    if result.too_few:
        rows.append(["About", "Message", "", too_few_message(result.limit), ""])
        return rows
    if result.no_activity:
        rows.append(["About", "Message", "", NO_ACTIVITY_MESSAGE, ""])
        return rows
    if not result.equality:
        rows.append(["About", "Equality groups", "", withheld_message(result.limit_teams), ""])
    for label, fig in result.coverage:
        rows.append(["Coverage", "All people", label, fig.plain, fig.rate_text])
    for section in result.fields:
        for row in [*section.rows, section.total]:
            rows.append([section.title, row.label, "People", row.people.plain, ""])
            for label, fig in zip(COVERAGE_LABELS, row.coverage, strict=True):
                rows.append([section.title, row.label, label, fig.plain, fig.rate_text])
            for label, fig in zip(section.position_columns, row.positions[1:], strict=True):
                rows.append(
                    [
                        section.title,
                        row.label,
                        f"{label} (of agreed plans)",
                        fig.plain,
                        fig.rate_text,
                    ]
                )
    for matrix in result.matrices:
        for label, cells, total in matrix.rows:
            for col, fig in zip(matrix.col_labels, cells, strict=True):
                rows.append([matrix.title, f"Now: {label}", f"In two years: {col}", fig.plain, ""])
            rows.append([matrix.title, f"Now: {label}", "Total", total.plain, total.rate_text])
        for col, fig in zip(matrix.col_labels, matrix.col_totals, strict=True):
            rows.append([matrix.title, "Total", f"In two years: {col}", fig.plain, fig.rate_text])
        rows.append([matrix.title, "Total", "Total", matrix.total.plain, ""])
    return rows
