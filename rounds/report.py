"""The completion CSV: one row for the audience, one per directorate and one per team (counts and
shares; statuses of groups, never of a named person). Cells go through `devplans.exports`, which
neutralises spreadsheet formulas (a team called "=HYPERLINK(...)" stays text). The counting
task stores the file's text (`csv_text`) with the figures, so a download sends it as it is."""

from __future__ import annotations

from collections.abc import Iterator

from devplans import exports
from rounds.selectors import Completion, Figures

CSV_HEADER = [
    "Level", "Directorate", "Team", "People",
    "Journal ready", "Journal ready %", "Conversation held", "Conversation held %",
    "Plan agreed", "Plan agreed %", "Reviews due", "Reviews held on time", "Reviews on time %",
    "Journals overdue", "Conversations overdue", "Plans overdue", "Reviews overdue",
]  # fmt: skip


def _cells(f: Figures) -> list[object]:
    s = f.shares
    blank = ""
    return [
        f.total,
        f.journal_done, blank if s["journal"] is None else s["journal"],
        f.conversation_done, blank if s["conversation"] is None else s["conversation"],
        f.plan_done, blank if s["plan"] is None else s["plan"],
        f.review_due, f.review_on_time, blank if s["review"] is None else s["review"],
        f.overdue.get("journal", 0), f.overdue.get("conversation", 0),
        f.overdue.get("plan", 0), f.review_overdue,
    ]  # fmt: skip


def csv_rows(result: Completion) -> Iterator[list[object]]:
    yield ["Organisation", "", "", *_cells(result.overall)]
    for group in result.directorates:
        yield ["Directorate", group.name, "", *_cells(group.figures)]
        for team in group.teams:
            yield ["Team", group.name, team.name, *_cells(team.figures)]


def csv_text(result: Completion) -> str:
    """The whole file as the download sends it (BOM, header, neutralised cells), not encoded."""
    return "".join(exports.csv_lines(csv_rows(result), CSV_HEADER))
