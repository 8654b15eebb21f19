"""The dashboard's table rows, written in Python: the markup the row of
`conversations/dashboard.html` gave, without a template variable lookup per cell (a 50-row
dashboard spent most of its time there; issue 20). Every value is escaped as the template's
autoescape did; `tests/conversations/test_dashboard_precompiled.py` and the dashboard tests
read it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

HEADING = '<span class="nhsuk-table-responsive__heading" aria-hidden="true">{} </span>'


def _e(value) -> str:
    return str(conditional_escape(value))


def _hidden(text: str) -> str:
    return f'<span class="nhsuk-u-visually-hidden">{text}</span>'


def _cell(heading: str, body: str) -> str:
    return f'<td class="nhsuk-table__cell">{HEADING.format(heading)}<span>{body}</span></td>'


def _name(row, name: str) -> str:
    person = row.person
    link = f'<a href="{_e(row.urls["person"])}">{name}</a>' if row.urls["person"] else name
    team = f", {_e(person.team.name)}" if person.team else ""
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
    hidden = _hidden(f" of {name}'s journal")
    return (
        f"{text}: {row.answered} of {row.total} shared question{plural} answered<br> "
        f'Shared: {titles}<br><a class="nhsuk-link" href="{_e(row.urls["journal"])}">'
        f"Read the shared sections{hidden}</a>"
    )


def _conversation(row) -> str:
    c = row.conversation
    if not c:
        return "None scheduled"
    when = date_format(timezone.localtime(c.scheduled_at), "j M Y, H:i")
    tag = row.status
    tag_html = ""
    if tag:
        colour = f" nhsuk-tag--{_e(tag.colour)}" if tag.colour else ""
        tag_html = f'<strong class="nhsuk-tag{colour}">{_e(tag.label)}</strong>'
    return (
        f'<a href="{_e(row.urls["conversation"])}">{when}</a> {tag_html}<br> '
        f'<span class="nhsuk-body-s">{_e(row.prep.label)}</span>'
    )


def _plan(row, name: str) -> str:
    status = {"draft": "Draft", "agreed": "Agreed"}.get(row.plan_status, "No plan yet")
    out = status
    if row.urls["plan"]:
        hidden = _hidden(f" {name}'s plan")
        out += f' (<a href="{_e(row.urls["plan"])}">open{hidden}</a>)'
    if row.next_review:
        out += f" <br>Next review {date_format(row.next_review, 'j M Y')}"
        if row.review_overdue:
            out += ' <strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>'
    return out


def _actions(row, name: str) -> str:
    urls = row.urls
    parts = []
    for key, label in row.action_items:
        label = _e(label)
        if key == "schedule":
            item = f'<a href="{_e(urls["schedule"])}">{label}{_hidden(f" with {name}")}</a>'
        elif key == "prepare":
            item = f'<a href="{_e(urls["prepare"])}">{label}{_hidden(f" with {name}")}</a>'
        elif key == "overdue":
            item = f'<a href="{_e(urls["conversation"])}">{label}{_hidden(f": {name}")}</a>'
        elif key in ("agree_plan", "review") and urls["plan"]:
            item = f'<a href="{_e(urls["plan"])}">{label}{_hidden(f" with {name}")}</a>'
        else:
            item = label
        parts.append(item)
    out = "<br> ".join(parts)
    if not row.conversation and "schedule" not in row.actions:
        out += (
            f'<br><a class="nhsuk-body-s" href="{_e(urls["schedule"])}">Schedule a conversation'
            f"{_hidden(f' with {name}')}</a>"
        )
    return out


def row_html(row) -> SafeString:
    """One `<tr>` of the dashboard's table."""
    name = _e(row.person.full_name)
    cells = (
        _cell("Name", _name(row, name))
        + _cell("Journal", _journal(row, name))
        + _cell("Next conversation", _conversation(row))
        + _cell("Plan", _plan(row, name))
        + _cell("Needs action now", _actions(row, name))
    )
    return SafeString(f'<tr class="nhsuk-table__row" data-person="{row.person.pk}">{cells}</tr>')
