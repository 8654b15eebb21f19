"""The conversation pages' repeated markup, written in Python: a shared journal section's
answers (what `_answers.html` gave) and the facilitator's preparation items (what
`_preparation_items.html` gave), without a template lookup per item (issue 20: the
conversation, stage and preparation pages draw one list per section). Every value is escaped
as the templates' autoescape did (`linebreaksbr` for the answers and the preparation: escaped,
line breaks kept); `tests/scopegrowth/test_markup_escapes.py` puts markup in a question, an
answer and a preparation. `bin/build-css.mjs` searches this module for those pages'
stylesheets (`PYTHON_PAGE`), so each class is written here whole."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

NONE_YET = '<p class="nhsuk-body">Shared, but no questions answered yet.</p>'


def answers_html(answers: Iterable[Any], *, own_wording: bool, columns: bool = False) -> SafeString:
    """The answers as an NHS.UK summary list. `own_wording`: each question as the individual
    reads it (their own page), otherwise in its facilitator wording as it was when answered.
    `columns`: in two balanced columns on a desktop screen."""
    rows = []
    for answer in answers:
        question = answer.question_text if own_wording else answer.facilitator_wording
        rows.append(
            '<div class="nhsuk-summary-list__row">'
            f'<dt class="nhsuk-summary-list__key">{conditional_escape(question)}</dt>'
            '<dd class="nhsuk-summary-list__value">'
            f"{linebreaksbr(answer.text, autoescape=True)}</dd></div>"
        )
    if not rows:
        return SafeString(NONE_YET)
    css = "nhsuk-summary-list sg-stacked sg-answers" + (" sg-columns" if columns else "")
    return SafeString(f'<dl class="{css}">{"".join(rows)}</dl>')


def with_answers_html(views: Iterable[Any], *, own_wording: bool, columns: bool = False) -> None:
    """Give each section view (`selectors.SectionView`) its `answers_html`."""
    for view in views:
        view.answers_html = answers_html(view.answers, own_wording=own_wording, columns=columns)


def preparation_html(items: Iterable[Any], *, columns: bool = False) -> SafeString:
    """The facilitator's preparation items (`selectors.PrepItem`) as an NHS.UK summary list,
    "Not written yet" for an empty one. `columns`: in two balanced columns on a desktop screen.
    """
    rows = []
    for item in items:
        value = (
            linebreaksbr(item.value, autoescape=True)
            if item.value
            else '<span class="nhsuk-u-secondary-text-colour">Not written yet</span>'
        )
        rows.append(
            '<div class="nhsuk-summary-list__row">'
            f'<dt class="nhsuk-summary-list__key">{conditional_escape(item.label)}</dt>'
            f'<dd class="nhsuk-summary-list__value">{value}</dd></div>'
        )
    css = "nhsuk-summary-list sg-stacked sg-columns" if columns else "nhsuk-summary-list sg-stacked"
    return SafeString(f'<dl class="{css}">{"".join(rows)}</dl>')


def with_preparation_html(views: Iterable[Any], *, columns: bool = False) -> None:
    """Give each section view (or stage's question group) its `preparation_html`."""
    for view in views:
        view.preparation_html = preparation_html(view.preparation, columns=columns)
