"""conversations 0004: the journal link means "the journal a completed conversation kept"
(issue 15, item 1). Open and cancelled conversations drop the link made when scheduling; a
completed one without a link gets the journal open when it was completed, with the sections
shared then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("conversations", "0003_preparation_per_author")]
DAY = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)


@pytest.fixture
def back_to_the_latest():
    """Whatever happens in the test, the database ends on the latest migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_links_move_to_completion(back_to_the_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "conversations"]
    old = executor.loader.project_state([*others, *BEFORE]).apps
    User = old.get_model("scopegrowth", "User")
    Conversation = old.get_model("conversations", "Conversation")
    Journal = old.get_model("journals", "Journal")
    JournalSection = old.get_model("journals", "JournalSection")
    Section = old.get_model("journals", "Section")
    person = User.objects.create(email="p@example.com", full_name="Person")
    manager = User.objects.create(email="m@example.com", full_name="Manager")
    journal = Journal.objects.create(owner=person, cycle=1, opened_at=DAY - dt.timedelta(days=9))
    # An earlier transactional test may have flushed the question bank the migrations seeded.
    strengths, _ = Section.objects.get_or_create(
        slug="strengths", defaults={"title": "Strengths", "stage": 1, "order": 2}
    )
    planner, _ = Section.objects.get_or_create(
        slug="planner", defaults={"title": "Career planner", "stage": 3, "order": 1}
    )
    # Sharing is per person since journals 0004-0006 (issue 14), which run before this one.
    SectionShare = old.get_model("journals", "SectionShare")
    SectionShare.objects.create(
        journal_section=JournalSection.objects.create(journal=journal, section=strengths),
        reader=manager,
        shared_at=DAY - dt.timedelta(days=2),
    )
    SectionShare.objects.create(
        journal_section=JournalSection.objects.create(journal=journal, section=planner),
        reader=manager,
        shared_at=DAY + dt.timedelta(days=2),  # shared after the conversation
    )

    def conversation(**values):
        values.setdefault("scheduled_at", DAY)
        return Conversation.objects.create(
            individual=person, facilitator=manager, location="Room", **values
        )

    # Scheduled before the journal existed, completed after: no link today.
    held = conversation(status="completed", completed_at=DAY + dt.timedelta(hours=2))
    cancelled = conversation(status="cancelled", cancel_reason="Ill", journal=journal)
    coming = conversation(journal=journal, scheduled_at=DAY + dt.timedelta(days=300))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from conversations.models import Conversation as Live

    kept = Live.objects.get(pk=held.pk)
    assert kept.journal_id == journal.pk
    assert [row["slug"] for row in kept.shared_at_completion] == ["strengths"]
    assert Live.objects.get(pk=cancelled.pk).journal_id is None
    assert Live.objects.get(pk=coming.pk).journal_id is None
