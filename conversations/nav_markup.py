"""The three stages' navigation, written in Python: the markup `_stage_nav.html` gave, without
a template lookup per stage (issue 20: the conversation and stage pages). Every value is escaped
as the template's autoescape did; `tests/scopegrowth/test_markup_escapes.py` puts markup in a
stage link. Apart from `conversations.markup` so that the preparation page's stylesheet does
not take the numbered list's rules: `bin/build-css.mjs` searches this module for the two pages
that show it (`PYTHON_PAGE`), so each class is written here whole."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

COMPLETED = '<strong class="nhsuk-tag nhsuk-tag--green">Completed</strong>'
NOT_COMPLETED = '<strong class="nhsuk-tag nhsuk-tag--grey">Not completed</strong>'


def stage_nav_html(stages: Iterable[Any]) -> SafeString:
    """The three stages (`selectors.stage_nav`): each a link (the current one marked, not
    linked) and whether it is completed."""
    rows = []
    for stage in stages:
        name = conditional_escape(f"Stage {stage.number}: {stage.title}")
        if stage.current:
            link = f'<strong aria-current="page">{name}</strong>'
        else:
            link = f'<a href="{conditional_escape(stage.url)}">{name}</a>'
        rows.append(f"<li>{link} {COMPLETED if stage.completed_at else NOT_COMPLETED}</li>")
    return SafeString(
        '<nav aria-label="Conversation stages"><ol class="nhsuk-list nhsuk-list--number">'
        f"{''.join(rows)}</ol></nav>"
    )
