"""The plan page's objective cards written in Python (`devplans.plan_markup`) are the markup
the template's loop gave (kept here as it was), apart from whitespace: every status, empty and
filled fields, line breaks, initiatives with and without a description, progress notes with
and without an author, shown or not, and markup in every value shown as text."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from devplans.models import Objective
from devplans.plan_markup import objective_cards

#: The loop `templates/devplans/plan_detail.html` had before the cards were written in Python.
LOOP = Template((Path(__file__).parent / "objective_cards_before.html").read_text())

PAYLOAD = '<script>alert("x")</script>&amp;\'"'


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _objective(pk: int, status: str, text: str, filled: bool) -> Objective:
    objective = Objective(
        pk=pk,
        status=status,
        term=Objective.Term.LONG if filled else Objective.Term.SHORT,
        description=f"{text}\r\nsecond line\rthird",
        aspiration=f"{text}\nwhy" if filled else "",
        success_measure=text if filled else "",
        support_needed=f"{text}\n\nmore" if filled else "",
    )
    objective.target_text = f"3 March 2026 {text}" if filled else ""
    objective.initiative_list = (
        [SimpleNamespace(name=text, description=""), SimpleNamespace(name="b", description=text)]
        if filled
        else []
    )
    author = SimpleNamespace(full_name=f"Helen {text}")
    objective.note_list = (
        [
            SimpleNamespace(when_text=f"1 May 2026 {text}", author=author, text=f"{text}\nnext"),
            SimpleNamespace(when_text="2 May 2026", author=None, text=text),
        ]
        if filled
        else []
    )
    return objective


@pytest.mark.parametrize("show_notes", [True, False])
@pytest.mark.parametrize("text", ["plain words", PAYLOAD])
def test_the_cards_are_the_templates_markup(show_notes, text):
    objectives = [
        _objective(pk, status, text, filled)
        for pk, (status, filled) in enumerate(
            [(s, f) for s in Objective.Status.values for f in (True, False)], start=7
        )
    ]
    expected = LOOP.render(Context({"objectives": objectives, "show_notes": show_notes}))
    written = objective_cards(objectives, show_notes=show_notes)
    assert _same(written) == _same(expected)
    assert written.count('class="nhsuk-card"') == len(objectives)
    if text == PAYLOAD:
        assert "<script>" not in written
        assert "&lt;script&gt;" in written


def test_no_objectives_write_nothing():
    assert objective_cards([], show_notes=True) == ""
