"""What the conversation views share: fetching through `access`, conflict versions, and keeping
typed notes out of error reports."""

from __future__ import annotations

from django.http import HttpRequest

from conversations import selectors
from conversations.models import Conversation
from scopegrowth import access


def fetch_conversation(request: HttpRequest, action: str, pk: int) -> Conversation:
    return access.get_or_404(request.user, action, selectors.conversations_qs, pk=pk)


def with_version(form, field: str, version: int) -> None:
    """After a conflict the next save should win: post the saved version with it."""
    data = form.data.copy()
    data[field] = str(version)
    form.data = data
