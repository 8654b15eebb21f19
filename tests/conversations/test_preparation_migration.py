"""conversations 0003: existing preparation and stage notes keep their text, with the
conversation's facilitator as their author (issue 14, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("conversations", "0002_invite_sent_sequence")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_become_the_facilitators_own():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "conversations"]
    old = executor.loader.project_state([*others, *BEFORE]).apps
    User = old.get_model("scopegrowth", "User")
    Conversation = old.get_model("conversations", "Conversation")
    Preparation = old.get_model("conversations", "Preparation")
    StageRecord = old.get_model("conversations", "StageRecord")
    person = User.objects.create(email="p@example.com", full_name="Person")
    manager = User.objects.create(email="m@example.com", full_name="Manager")
    conversation = Conversation.objects.create(
        individual=person,
        facilitator=manager,
        scheduled_at=dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC),
        location="Room",
    )
    Preparation.objects.create(conversation=conversation, strengths="Kept text")
    StageRecord.objects.create(
        conversation=conversation, stage=1, facilitator_notes="Kept note", agreed_summary="S"
    )
    StageRecord.objects.create(conversation=conversation, stage=2, agreed_summary="No notes")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from conversations.models import Preparation as LivePreparation
    from conversations.models import StageNote

    prep = LivePreparation.objects.get(conversation_id=conversation.pk)
    assert (prep.author_id, prep.strengths, prep.handed_over_at) == (manager.pk, "Kept text", None)
    notes = list(StageNote.objects.values_list("stage", "author_id", "text"))
    assert notes == [(1, manager.pk, "Kept note")]
