"""Server-drawn bar charts of a round's completion (SVG in the page, no script). The same figures
are in a table beside each chart, for screen readers and for anyone who prefers numbers."""

from __future__ import annotations

from dataclasses import dataclass

from rounds.selectors import Completion

BAR_LABELS = (("journal", "Journal ready"), ("conversation", "Conversation held"),
              ("plan", "Plan agreed"), ("review", "Review on time"))  # fmt: skip
#: NHS colours with at least 3:1 contrast on white (WCAG 1.4.11), as SVG presentation attributes
#: (no inline style, so the page's Content-Security-Policy holds).
COLOURS = {"journal": "#005eb8", "conversation": "#007f3b", "plan": "#330072",
           "review": "#7c2855"}  # fmt: skip
LABEL_WIDTH = 190
BAR_AREA = 300
ROW = 22
GAP = 14


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    y: int
    width: int
    colour: str


@dataclass(frozen=True)
class Block:
    name: str
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    blocks: list[Block]
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA


def completion_chart(result: Completion) -> Chart:
    """One group of four bars per directorate (share of people, 0-100%)."""
    blocks, y = [], 0
    for group in result.directorates:
        shares = group.figures.shares
        bars = []
        for n, (key, label) in enumerate(BAR_LABELS):
            value = shares[key]
            bars.append(
                Bar(label, value, y + 18 + n * ROW, round(BAR_AREA * (value or 0) / 100),
                    COLOURS[key])
            )  # fmt: skip
        blocks.append(Block(group.name, y + 12, bars))
        y += 18 + len(BAR_LABELS) * ROW + GAP
    return Chart(LABEL_WIDTH + BAR_AREA + 60, max(y, 1), blocks)
