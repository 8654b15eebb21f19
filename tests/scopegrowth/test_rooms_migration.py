"""Issue 13's migration: reminders and equality declarations written under the core app are read
back, unchanged, through the new `reminders` and `insight` apps (their tables kept their names),
and the content types follow the models."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("scopegrowth", "0005_equality_declaration"), ("reminders", None), ("insight", None)]


@pytest.mark.django_db(transaction=True)
def test_populated_rows_move_to_the_new_apps_and_read_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:1]).apps
    User = old.get_model("scopegrowth", "User")
    OldReminder = old.get_model("scopegrowth", "Reminder")
    OldDeclaration = old.get_model("scopegrowth", "EqualityDeclaration")
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="scopegrowth", model="reminder")
    person = User.objects.create(email="moved@example.com", full_name="Moved Person")
    OldReminder.objects.create(
        kind="day_before",
        subject_type="conversation",
        subject_id=41,
        recipient=person,
        due_on=dt.date(2026, 12, 2),
        status="sent",
    )
    OldDeclaration.objects.create(person=person, ethnicity="mixed", age_band="35_44")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType as LiveContentType

    from insight.models import EqualityDeclaration
    from reminders.models import Reminder

    LiveContentType.objects.clear_cache()
    reminder = Reminder.objects.get(recipient__email="moved@example.com")
    assert (reminder.kind, reminder.subject_id, reminder.due_on, reminder.status) == (
        "day_before",
        41,
        dt.date(2026, 12, 2),
        "sent",
    )
    declaration = EqualityDeclaration.objects.get(person__email="moved@example.com")
    assert (declaration.ethnicity, declaration.age_band, declaration.sex) == ("mixed", "35_44", "")
    assert LiveContentType.objects.get_for_model(Reminder).app_label == "reminders"
    assert not LiveContentType.objects.filter(app_label="scopegrowth", model="reminder").exists()
