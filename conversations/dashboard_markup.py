"""The dashboard's table rows, written in Python: the markup the row of
`conversations/dashboard.html` gave, without a template variable lookup per cell (a 50-row
dashboard spent most of its time there; issue 20). Every value is escaped as the template's
autoescape did (`html.escape`, which Django's `escape` wraps); dates are written as the
template's `j M Y` and `j M Y, H:i` did, with the month names of the active language read once
per page. `tests/conversations/test_dashboard_precompiled.py` and the dashboard tests read it."""

from __future__ import annotations

import re
from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.translation import get_language

HEADING = (
    '<td class="nhsuk-table__cell">'
    '<span class="nhsuk-table-responsive__heading" aria-hidden="true">'
)
HIDDEN = '<span class="nhsuk-u-visually-hidden">'
PLAN_STATUS = {"draft": "Draft", "agreed": "Agreed"}
#: The characters `html.escape` replaces: a text without any is returned as it is.
_SPECIAL = re.compile("[&<>\"']")


def _e(value) -> str:
    """`conditional_escape` without its lazy-string and SafeString wrapping (a tenth of a row),
    and without `escape`'s five replacements when there is nothing to replace (most cells).
    A plain `str` (not a subclass such as `SafeString`) has no `__html__`."""
    if type(value) is str:
        return escape(value) if _SPECIAL.search(value) else value
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    text = str(value)
    return escape(text) if _SPECIAL.search(text) else text


#: `month_names()` by language: the translation catalogues are read once per process, so a
#: language's names never change while it runs.
_MONTHS: dict[str | None, tuple[str, ...]] = {}


def month_names() -> tuple[str, ...]:
    """Django's `M` (a month's three letters, title case) in the active language, by number."""
    language = get_language()
    found = _MONTHS.get(language)
    if found is None:
        found = _MONTHS[language] = ("", *(str(MONTHS_3[n]).title() for n in range(1, 13)))
    return found


def _day(value, months) -> str:
    return f"{value.day} {months[value.month]} {value.year}"


def _cell(heading: str, body: str) -> str:
    return f"{HEADING}{heading} </span><span>{body}</span></td>"


def _name(row, name: str) -> str:
    person = row.person
    url = row.urls["person"]
    link = f'<a href="{_e(url)}">{name}</a>' if url else name
    team = f", {_e(person.team_name)}" if person.team_id else ""
    return (
        f"<strong>{link}</strong><br> {_e(person.job_title)}{team}<br> "
        f'<span class="nhsuk-body-s">You are their {_e(row.relation.lower())}</span>'
    )


def _journal(row, name: str) -> str:
    text = _e(row.journal_state)
    if not row.shared_titles:
        return f"{text}<br> Nothing shared"
    plural = "" if row.total == 1 else "s"
    titles = ", ".join(_e(t) for t in row.shared_titles)
    return (
        f"{text}: {row.answered} of {row.total} shared question{plural} answered<br> "
        f'Shared: {titles}<br><a class="nhsuk-link" href="{_e(row.urls["journal"])}">'
        f"Read the shared sections{HIDDEN} of {name}'s journal</span></a>"
    )


def _conversation(row, months) -> str:
    c = row.conversation
    if not c:
        return "None scheduled"
    at = timezone.localtime(c.scheduled_at)
    when = f"{_day(at, months)}, {at.hour:02d}:{at.minute:02d}"
    tag = row.status
    tag_html = ""
    if tag:
        colour = f" nhsuk-tag--{_e(tag.colour)}" if tag.colour else ""
        tag_html = f'<strong class="nhsuk-tag{colour}">{_e(tag.label)}</strong>'
    return (
        f'<a href="{_e(row.urls["conversation"])}">{when}</a> {tag_html}<br> '
        f'<span class="nhsuk-body-s">{_e(row.prep.label)}</span>'
    )


def _plan(row, name: str, months) -> str:
    out = PLAN_STATUS.get(row.plan_status, "No plan yet")
    url = row.urls["plan"]
    if url:
        out += f' (<a href="{_e(url)}">open{HIDDEN} {name}\'s plan</span></a>)'
    if row.next_review:
        out += f" <br>Next review {_day(row.next_review, months)}"
        if row.review_overdue:
            out += ' <strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>'
    return out


def _actions(row, name: str) -> str:
    urls = row.urls
    with_name = f"{HIDDEN} with {name}</span></a>"
    parts = []
    for key, label in row.action_items:
        label = _e(label)
        if key == "schedule":
            item = f'<a href="{_e(urls["schedule"])}">{label}{with_name}'
        elif key == "prepare":
            item = f'<a href="{_e(urls["prepare"])}">{label}{with_name}'
        elif key == "overdue":
            item = f'<a href="{_e(urls["conversation"])}">{label}{HIDDEN}: {name}</span></a>'
        elif key in ("agree_plan", "review") and urls["plan"]:
            item = f'<a href="{_e(urls["plan"])}">{label}{with_name}'
        else:
            item = label
        parts.append(item)
    out = "<br> ".join(parts)
    if not row.conversation and "schedule" not in row.actions:
        out += (
            f'<br><a class="nhsuk-body-s" href="{_e(urls["schedule"])}">Schedule a conversation'
            f"{with_name}"
        )
    return out


def row_html(row, months: tuple[str, ...] | None = None) -> SafeString:
    """One `<tr>` of the dashboard's table (`months`: `month_names()`, read once per page)."""
    months = months or month_names()
    name = _e(row.person.full_name)
    return SafeString(
        f'<tr class="nhsuk-table__row" data-person="{int(row.person.id)}">'
        f"{_cell('Name', _name(row, name))}"
        f"{_cell('Journal', _journal(row, name))}"
        f"{_cell('Next conversation', _conversation(row, months))}"
        f"{_cell('Plan', _plan(row, name, months))}"
        f"{_cell('Needs action now', _actions(row, name))}</tr>"
    )


def rows_html(rows) -> SafeString:
    """The table body's rows, joined (each row's own markup is also kept as `row.html`)."""
    months = month_names()
    for row in rows:
        row.html = row_html(row, months)
    return SafeString("".join(row.html for row in rows))
