"""A shared journal section's answers, written in Python: the markup
`conversations/_answers.html` gave, without a template lookup per answer (issue 20: the
conversation, stage and preparation pages draw one list per shared section). Every value is
escaped as the template's autoescape did (`linebreaksbr` for the answers: escaped, line breaks
kept); `tests/scopegrowth/test_markup_escapes.py` puts markup in a question and an answer.
Its classes are all in `_preparation_items.html` too, which the same pages include, so each
page's stylesheet keeps their rules (`bin/build-css.mjs` does not search this module)."""

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
