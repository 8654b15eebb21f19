"""Fixtures for the lifecycle tests: the conversation tests' invite runner, and the
journal-ready email task run in-process."""

from __future__ import annotations

from unittest import mock

import pytest

from tests.conversations.conftest import invites  # noqa: F401 - a fixture used here


@pytest.fixture(autouse=True)
def ready_emails_inline():
    """`.delay` of the journal-ready email runs the real task body here (no broker)."""
    from journals import tasks

    with mock.patch.object(
        tasks.send_journal_ready, "delay", side_effect=tasks.send_journal_ready
    ) as delay:
        yield delay
