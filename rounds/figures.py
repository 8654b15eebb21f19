"""A round's completion figures, counted in the background and stored (`rounds.models.Tally`).

Counting a round at 10,000 people takes the database a few hundred milliseconds (every person's
journal, conversation, plan and reviews), far too slow for a page. So a GET never counts in the
steady state: it reads the stored row (the page's rendered figures section, or the CSV file's
text exactly as the download sends it: issue 20).
They are counted

- by the task `rounds.tasks.count_round`, queued after a round is opened or a deadline moved;
- by the beat's `rounds-count` sweep every `ROUND_FIGURES_SECONDS` (default 60) for every open
  round, so what people do shows within that time;
- at once when HR presses "Count again now" (a POST), and at the close (from the round's kept
  audience, `rounds.members`: a closed round's figures never change after that).

A row is for the round's own fields and the day (`key`): a GET that finds none for them (the
task has not run yet, or it is the first read of a new day before the sweep) counts for itself
and stores nothing (a GET writes nothing). The page says when it counted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from rounds.charts import completion_chart
from rounds.models import Round, Tally
from rounds.report import csv_text
from rounds.selectors import Completion, completion
from scopegrowth import precompiled


def render(round_: Round, result: Completion, counted_at: Any) -> str:
    """The round page's figures section (tables, chart, when it was counted)."""
    context = {
        "round": round_,
        "result": result,
        "chart": completion_chart(result),
        "counted_at": counted_at,
        "fresh_seconds": seconds(),
    }
    return render_to_string("rounds/_figures.html", context)


def key(round_: Round) -> str:
    parts = (
        round_.pk, round_.state, round_.opened_at, round_.closed_at, round_.journal_ready_by,
        round_.conversation_held_by, round_.plan_agreed_by, round_.whole_organisation,
        timezone.localdate() if round_.state == Round.State.OPEN else None,
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def seconds() -> int:
    return int(getattr(settings, "ROUND_FIGURES_SECONDS", 60))


PARTS = ("html", "csv_text")


def _tally(round_: Round, parts: tuple[str, ...] = PARTS) -> Tally:
    """The round counted now, with the `parts` asked for (a read makes only its own)."""
    result = completion(round_)
    now = timezone.now()
    tally = Tally(round_id=round_.pk, key=key(round_), counted_at=now)
    if "html" in parts:
        tally.html = render(round_, result, now)
    if "csv_text" in parts:
        tally.csv_text = csv_text(result)
    return tally


def count(round_: Round) -> Tally:
    """Count the round now and store its figures (the task's, the close's and HR's recount)."""
    tally = _tally(round_)
    Tally.objects.update_or_create(
        round_id=round_.pk,
        defaults={f: getattr(tally, f) for f in ("key", "counted_at", *PARTS)},
    )
    return tally


def stored(round_: Round, part: str = "html") -> Tally:
    """The round's stored figures (`part`: "html" for the page, "csv_text" for the CSV, the
    other is not read from the database). When none are stored for its current fields and day
    (right after a change, before the task ran) they are counted for this read and not stored:
    a GET writes nothing."""
    tally = precompiled.first(("round_tally", part), _stored_part(part), round_.pk)
    if tally is None or tally.key != key(round_) or not getattr(tally, part):
        tally = _tally(round_, (part,))
    return tally


def _tally_html(round_id: int) -> QuerySet:
    return Tally.objects.filter(round_id=round_id).defer("csv_text").order_by("pk")[:1]


def _tally_csv_text(round_id: int) -> QuerySet:
    return Tally.objects.filter(round_id=round_id).defer("html").order_by("pk")[:1]


def _stored_part(part: str) -> Any:
    return {"html": _tally_html, "csv_text": _tally_csv_text}[part]


def count_open_rounds() -> int:
    """The beat's sweep: count every open round again (returns how many)."""
    rounds = list(Round.objects.filter(state=Round.State.OPEN))
    for round_ in rounds:
        count(round_)
    return len(rounds)
