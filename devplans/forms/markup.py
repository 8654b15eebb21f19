"""HTML written in Python for the HR list (issue 20), the same markup the templates gave: its
rows, position matrix and pagination, a string per row (its filter fields are
`scopegrowth.field_markup`'s). Every value is escaped. `tests/scopegrowth/test_page_links.py` and
`tests/devplans/test_hr_list.py` check them against the templates'."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils import dateformat, formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from scopegrowth.field_markup import escape_text as _text
from scopegrowth.templatetags.pages import page_links

# =============================================================================
# The HR list's rows, position matrix and pagination (issue 20): the markup
# `templates/devplans/hr_list.html` and `_partials/pagination.html` gave, a string per row.
# =============================================================================


_HEADING = '<span class="nhsuk-table-responsive__heading" aria-hidden="true">'


def _cell(heading: str, inner: str) -> str:
    return f'<td class="nhsuk-table__cell">{_HEADING}{heading} </span>{inner}</td>'


def hr_rows_html(rows, links) -> SafeString:
    """The table's rows (`devplans.selectors.hr_page`'s), each value escaped; `links` a
    `RowLinks` for the plan and PDF paths."""
    out = []
    dates: dict = {}
    for plan in rows:
        person = plan.individual
        name = _text(person.full_name)
        team = person.team
        team_html = (
            f'{_text(team.name)}<br><span class="nhsuk-body-s">'
            f"{_text(team.directorate.name)}</span>"
            if team
            else "–"
        )
        day = timezone.localtime(plan.agreed_at).date()
        if day not in dates:
            dates[day] = _text(dateformat.format(day, "j M Y"))
        detail = _text(links.url("devplans:detail", plan.pk))
        pdf = _text(links.url("devplans:pdf", plan.pk))
        out.append(
            '<tr class="nhsuk-table__row">'
            + _cell(
                "Name",
                f'<span><a href="{detail}">{name}</a><br>'
                f'<span class="nhsuk-body-s">{_text(person.job_title)}</span></span>',
            )
            + _cell("Team", f"<span>{team_html}</span>")
            + _cell("Agreed", dates[day])
            + _cell("Now", _text(plan.now_label))
            + _cell("In two years", _text(plan.future_label))
            + _cell("Objectives", _number(plan.objective_count))
            + _cell(
                "PDF",
                f'<a href="{pdf}" download>PDF<span class="nhsuk-u-visually-hidden"> of '
                f"{name}'s plan</span></a>",
            )
            + "</tr>"
        )
    return SafeString("".join(out))


def _number(value) -> str:
    """A count as `{{ n }}` shows it (`localize`: digits alone without a thousands separator)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escape(formats.localize(value))


def matrix_html(matrix) -> SafeString:
    """The position matrix's head row and body (`devplans.selectors.PositionMatrix`)."""
    header = '<th class="nhsuk-table__header" scope="col">'
    head = "".join(f"{header}{escape(label)}</th>" for _g, _i, label in matrix.positions)
    body = []
    for row in matrix.rows:
        cells = "".join(f'<td class="nhsuk-table__cell">{_number(n)}</td>' for n in row["cells"])
        body.append(
            '<tr class="nhsuk-table__row">'
            f'<th class="nhsuk-table__header" scope="row">{escape(row["label"])}</th>{cells}'
            f'<td class="nhsuk-table__cell"><strong>{_number(row["total"])}</strong></td></tr>'
        )
    totals = "".join(
        f'<td class="nhsuk-table__cell"><strong>{_number(n)}</strong></td>'
        for n in matrix.column_totals
    )
    body.append(
        '<tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="row">Total</th>'
        f'{totals}<td class="nhsuk-table__cell"><strong>{_number(matrix.total)}</strong></td></tr>'
    )
    return SafeString(
        '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
        f"{header}Now ↓ / in two years →</th>{head}{header}Total</th></tr></thead>"
        f'<tbody class="nhsuk-table__body">{"".join(body)}</tbody>'
    )


_PREVIOUS_ICON = (
    '<svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" '
    'viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">'
    '<path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 '
    '0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"/></svg>'
)
_NEXT_ICON = (
    '<svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" '
    'viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">'
    '<path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 '
    '1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z"/></svg>'
)


def pagination_html(page_obj, query) -> SafeString:
    """NHS.UK numbered pagination, as `_partials/pagination.html` writes it: each link keeps
    the other parameters of `query` (the request's `QueryDict`) as `{% querystring %}` does."""
    if page_obj.paginator.num_pages <= 1:
        return SafeString("")

    # `QueryDict.urlencode` of the query with `page` set (in its place, or last when not
    # given), each other parameter encoded once, not a copy of the query per link.
    encoded = [
        (key, urlencode({key.encode(query.encoding): str(value).encode(query.encoding)}))
        for key, values in query.lists()
        for value in values
    ]

    def href(number: int) -> str:
        parts, placed = [], False
        for key, text in encoded:
            if key != "page":
                parts.append(text)
            elif not placed:
                parts.append(f"page={number}")
                placed = True
        if not placed:
            parts.append(f"page={number}")
        return escape("?" + "&".join(parts))

    out = [
        '<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" '
        'aria-label="Pagination">'
    ]
    if page_obj.has_previous():
        out.append(
            f'<a href="{href(page_obj.previous_page_number())}" '
            f'class="nhsuk-pagination__previous" rel="prev">{_PREVIOUS_ICON}'
            '<span class="nhsuk-pagination__title">Previous<span class="nhsuk-u-visually-hidden">'
            " page</span></span></a>"
        )
    out.append('<ul class="nhsuk-pagination__list">')
    for number, kind in page_links(page_obj):
        if kind == "gap":
            out.append(
                '<li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">&ctdot;</li>'
            )
            continue
        current = kind == "current"
        item = " nhsuk-pagination__item--current" if current else ""
        aria = ' aria-current="page"' if current else ""
        out.append(
            f'<li class="nhsuk-pagination__item{item}"><a class="nhsuk-pagination__link" '
            f'href="{href(number)}" aria-label="Page {number}"{aria}>{number}</a></li>'
        )
    out.append("</ul>")
    if page_obj.has_next():
        out.append(
            f'<a href="{href(page_obj.next_page_number())}" class="nhsuk-pagination__next" '
            'rel="next"><span class="nhsuk-pagination__title">Next<span '
            f'class="nhsuk-u-visually-hidden"> page</span></span>{_NEXT_ICON}</a>'
        )
    out.append("</nav>")
    return SafeString("".join(out))
