"""What the conversation views share: fetching through `access`, the page's links, conflict
versions, and keeping typed notes out of error reports."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from conversations import selectors
from conversations.models import Conversation
from scopegrowth import access

# Stand-in integer arguments a pattern is reversed with once (then replaced by the real ones).
_MARKS = (2_147_483_647, 2_147_483_646)


def fetch_conversation(request: HttpRequest, action: str, pk: int) -> Conversation:
    return access.get_or_404(request.user, action, selectors.conversations_qs, pk=pk)


@lru_cache(maxsize=256)
def _pattern(name: str, arity: int, prefix: str, urlconf: str) -> str:
    try:
        return reverse(name, args=_MARKS[:arity], urlconf=urlconf)
    except NoReverseMatch:
        return ""


def path(name: str, *args: int) -> str:
    """`reverse(name, args=args)` for integer arguments, its pattern found once per URL
    configuration and prefix; "" when the project does not route `name` (an app not installed),
    as `{% url ... as var %}` gives. A page's links were a fifth of its template's time."""
    found = _pattern(name, len(args), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    for mark, value in zip(_MARKS, args, strict=False):
        found = found.replace(str(mark), str(int(value)), 1)
    return found


def with_version(form, field: str, version: int) -> None:
    """After a conflict the next save should win: post the saved version with it."""
    data = form.data.copy()
    data[field] = str(version)
    form.data = data
