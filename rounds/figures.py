"""The completion figures, kept in the cache for a minute.

Counting a round at 10,000 people takes the database a few hundred milliseconds (every person's
journal, conversation, plan and reviews), too slow for a page HR reloads; and no cheap signal
tells when any of those rows changed (services update them with conditional UPDATEs, in other
apps). So the figures and the page's rendered figures section are kept for
`ROUND_FIGURES_SECONDS` (default 60) under a key of the round's own fields and the day: opening,
extending or closing the round, and the next day, count again at once; what people do shows
within the minute, or at once when HR presses "Count again". The page says when it counted.

What is cached is group counts and team names, never anything a person wrote, and nothing about
a named person (the team page is always read live).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from rounds.models import Round
from rounds.selectors import Completion, completion


def key(round_: Round) -> str:
    parts = (
        round_.pk, round_.state, round_.opened_at, round_.closed_at, round_.journal_ready_by,
        round_.conversation_held_by, round_.plan_agreed_by, round_.whole_organisation,
        timezone.localdate(),
    )  # fmt: skip
    return "rounds:figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def seconds() -> int:
    return int(getattr(settings, "ROUND_FIGURES_SECONDS", 60))


def _count(round_: Round, render: Callable[[Completion, Any], str]) -> tuple[Completion, str]:
    name = key(round_)
    result = completion(round_)
    html = render(result, timezone.now())
    # Two entries: the page reads only its HTML (a string is quick to read back), the CSV only
    # the figures.
    cache.set_many({f"{name}:html": html, f"{name}:data": result}, seconds())
    return result, html


def cached_html(round_: Round, render: Callable[[Completion, Any], str]) -> str:
    """The round page's rendered figures section, counted and rendered again when it expired."""
    found = cache.get(f"{key(round_)}:html")
    return found if found is not None else _count(round_, render)[1]


def cached_completion(round_: Round, render: Callable[[Completion, Any], str]) -> Completion:
    """The figures the page shows (the CSV's rows), the same entry's other half."""
    found = cache.get(f"{key(round_)}:data")
    return found if found is not None else _count(round_, render)[0]


def forget(round_: Round) -> None:
    """Count again on the next read (HR's "Count again now")."""
    name = key(round_)
    cache.delete_many([f"{name}:html", f"{name}:data"])
