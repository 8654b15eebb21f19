"""HTML written in Python for the plan page (issue 20): its objective cards, a string per
card, the markup `templates/devplans/plan_detail.html` gave them (the same apart from
whitespace) without a template node per field. Every value is escaped, as the template's
autoescape and `linebreaksbr` did. `tests/devplans/test_plan_markup.py` checks it against the
template's markup; the plan page's sheet (bin/build-css.mjs `PYTHON_PAGE`) searches it."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import normalize_newlines

#: The tag colour of each objective status (the others are grey).
_TAGS = {"achieved": "green", "in_progress": "blue", "changed": "yellow"}


def _lines(value: object) -> str:
    """`{{ value|linebreaksbr }}`: escaped, each line break a `<br>`."""
    return escape(normalize_newlines(str(value))).replace("\n", "<br>")


def _or_dash(value: str) -> str:
    """`{{ value|default:"–"|linebreaksbr }}`."""
    return _lines(value) if value else "–"


def _row(key: str, value: str) -> str:
    return (
        '<div class="nhsuk-summary-list__row">'
        f'<dt class="nhsuk-summary-list__key">{key}</dt>'
        f'<dd class="nhsuk-summary-list__value">{value}</dd></div>'
    )


def _initiatives(objective) -> str:
    found = objective.initiative_list
    if not found:
        return "–"
    items = "".join(
        f"<li><strong>{escape(i.name)}:</strong> {escape(i.description)}</li>"
        if i.description
        else f"<li>{escape(i.name)}</li>"
        for i in found
    )
    return f'<ul class="nhsuk-list">{items}</ul>'


def _notes(objective) -> str:
    notes = objective.note_list
    if not notes:
        return ""
    items = "".join(
        f"<li><strong>{escape(note.when_text)}"
        f"{f', {escape(note.author.full_name)}' if note.author else ''}:</strong> "
        f"{_lines(note.text)}</li>"
        for note in notes
    )
    return f'<h4 class="nhsuk-heading-xs">Progress notes</h4><ul class="nhsuk-list">{items}</ul>'


def _card(number: int, objective, show_notes: bool) -> str:
    colour = _TAGS.get(objective.status, "grey")
    rows = "".join(
        (
            _row("What", _lines(objective.description)),
            _row("Why", _or_dash(objective.aspiration)),
            _row("Term", escape(objective.get_term_display())),
            _row("How success will be seen", _or_dash(objective.success_measure)),
            _row("Target date", escape(objective.target_text) or "–"),
            _row("Support needed", _or_dash(objective.support_needed)),
            _row("Initiatives", _initiatives(objective)),
        )
    )
    return (
        f'<div class="nhsuk-card" id="objective-{int(objective.pk)}">'
        '<div class="nhsuk-card__content">'
        f'<h3 class="nhsuk-card__heading nhsuk-heading-s">Objective {number}</h3>'
        f'<p><strong class="nhsuk-tag nhsuk-tag--{colour}">'
        f"{escape(objective.get_status_display())}</strong>\n</p>"
        f'<dl class="nhsuk-summary-list">{rows}</dl>'
        f"{_notes(objective) if show_notes else ''}</div></div>\n"
    )


def objective_cards(objectives: list, *, show_notes: bool) -> SafeString:
    """The plan page's objective cards, numbered from 1; progress notes when `show_notes`."""
    return SafeString("".join(_card(n, o, show_notes) for n, o in enumerate(objectives, 1)))
