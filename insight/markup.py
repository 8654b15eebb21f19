"""The HR insight page's repeated markup, drawn in Python (issue 20): a template include per
table row and a loop per chart bar cost more than the rest of the page. The output is the
same HTML the templates drew (a row include, and the bars loop of `insight_chart.html`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from scopegrowth.field_markup import field_html

if TYPE_CHECKING:
    from insight.report import Chart, Figure, GroupRow


def figure_html(fig: Figure) -> SafeString:
    """A figure as the page's tables show it: the count (or the hidden mark, read as "hidden")
    and its rate: digits, commas and our own markup only."""
    from insight.report import HIDDEN_MARK

    if fig.count is None:
        out = f'<span aria-hidden="true">{HIDDEN_MARK}</span>'
        out += '<span class="nhsuk-u-visually-hidden">hidden</span>'
    else:
        out = f"{fig.count:,}"
    if fig.rate is not None:
        out += f' <span class="nhsuk-body-s">({fig.rate_text})</span>'
    return mark_safe(out)  # noqa: S308 - digits, commas and our own markup only


def row_html(row: GroupRow, cells: list[Figure], skip_people: bool = False) -> str:
    """One group's row of an insight table: its label, people (unless `skip_people`), cells."""
    padded = " nhsuk-u-padding-left-5" if row.level else ""
    whom = '<span class="nhsuk-u-visually-hidden">of whom </span>' if row.level else ""
    people = "" if skip_people else f'<td class="nhsuk-table__cell">{row.people.html}</td>'
    tds = "".join(f'<td class="nhsuk-table__cell">{fig.html}</td>' for fig in cells)
    return (
        f'\n<tr class="nhsuk-table__row">\n'
        f'  <th class="nhsuk-table__header{padded}" scope="row">{whom}{escape(row.label)}</th>\n'
        f"  {people}\n  {tds}\n</tr>\n"
    )


def rows_html(rows: list[GroupRow], part: str) -> SafeString:
    """Rows of a section's table (`part`: "coverage", or "positions" without the people)."""
    html = "".join(row_html(r, getattr(r, part), part == "positions") for r in rows)
    return mark_safe(html)  # noqa: S308 - labels escaped, figures are digits and our markup


def bars_svg(chart: Chart) -> SafeString:
    """The bars of a chart's SVG: a label, a bar and its value each."""
    html = "".join(
        f'\n      <text x="{chart.label_x}" y="{bar["text_y"]}" text-anchor="end" font-size="14"'
        f' fill="#212b32">{escape(bar["label"])}</text>'
        f'\n      <rect x="{chart.label_width}" y="{bar["y"]}" width="{bar["width"]}"'
        f' height="{chart.bar_height}" fill="#005eb8"/>'
        f'\n      <text x="{bar["value_x"]}" y="{bar["text_y"]}" font-size="14"'
        f' fill="#212b32">{escape(bar["value"])}</text>\n    '
        for bar in chart.bars
    )
    return mark_safe(html)  # noqa: S308 - labels and values escaped


# The classes that field markup writes, named here for the page's sheet: bin/build-css.mjs
# keeps the rules of the classes an area's markup modules name (this page no longer names the
# crispy form pack, which named every form component's).
FIELD_CLASSES = (
    "nhsuk-form-group nhsuk-form-group--error nhsuk-label nhsuk-hint nhsuk-error-message "
    "nhsuk-u-visually-hidden nhsuk-select nhsuk-select--error"
)


def filter_fields_html(form) -> dict[str, SafeString]:
    """Each field of the insight filter form in the crispy "nhsuk" pack's markup, written in
    Python (`scopegrowth.field_markup.field_html`: every label, value and option escaped)."""
    return {bound.name: SafeString(field_html(bound)) for bound in form}
