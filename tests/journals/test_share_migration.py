"""journals 0004-0006: a section shared under the old rule (one "shared" date, read by every
current facilitator) becomes shared by name with the people supporting its owner at migration
time, so nobody gains or loses access on deploy (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("journals", "0003_section_ordering")]
SHARED_AT = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)


def _old_rows(executor):
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "journals"]
    old = executor.loader.project_state([*others, *BEFORE]).apps
    User = old.get_model("scopegrowth", "User")
    ManagerLink = old.get_model("scopegrowth", "ManagerLink")
    CoachLink = old.get_model("scopegrowth", "CoachLink")
    Journal = old.get_model("journals", "Journal")
    JournalSection = old.get_model("journals", "JournalSection")
    Section = old.get_model("journals", "Section")
    person = User.objects.create(email="p@example.com", full_name="Person")
    manager = User.objects.create(email="m@example.com", full_name="Manager")
    former = User.objects.create(email="f@example.com", full_name="Former manager")
    coach = User.objects.create(email="c@example.com", full_name="Coach")
    alone = User.objects.create(email="a@example.com", full_name="Nobody supports me")
    ManagerLink.objects.create(manager=former, report=person, ended_at=SHARED_AT)
    ManagerLink.objects.create(manager=manager, report=person)
    CoachLink.objects.create(coach=coach, coachee=person)
    strengths, wellbeing = (
        # A transactional test before this one may have flushed the seeded question bank.
        Section.objects.get_or_create(slug="strengths", defaults={"title": "S", "stage": 1})[0],
        Section.objects.get_or_create(slug="wellbeing", defaults={"title": "W", "stage": 1})[0],
    )
    earlier = Journal.objects.create(owner=person, cycle=1, closed_at=SHARED_AT)
    current = Journal.objects.create(owner=person, cycle=2)
    JournalSection.objects.create(journal=earlier, section=strengths, shared_at=SHARED_AT)
    JournalSection.objects.create(journal=current, section=strengths, shared_at=SHARED_AT)
    JournalSection.objects.create(journal=current, section=wellbeing)  # private
    lonely = Journal.objects.create(owner=alone, cycle=1)
    JournalSection.objects.create(journal=lonely, section=strengths, shared_at=SHARED_AT)

    return person, manager, former, coach, current


@pytest.mark.django_db(transaction=True)
def test_existing_shares_move_to_todays_supporters_by_name():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        people = _old_rows(executor)
    finally:  # never leave the database on the old schema for the tests after this one
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    person, manager, former, coach, current = people

    from journals.models import Journal as LiveJournal
    from journals.models import SectionShare
    from journals.policies import shared_sections
    from scopegrowth.models import User as LiveUser

    shares = set(
        SectionShare.objects.values_list(
            "journal_section__journal__cycle",
            "journal_section__journal__owner_id",
            "journal_section__section__slug",
            "reader_id",
            "shared_at",
        )
    )
    assert shares == {
        (cycle, person.pk, "strengths", reader.pk, SHARED_AT)
        for cycle in (1, 2)
        for reader in (manager, coach)
    }
    journal = LiveJournal.objects.get(pk=current.pk)
    assert shared_sections(LiveUser.objects.get(pk=manager.pk), journal) == {"strengths"}
    assert shared_sections(LiveUser.objects.get(pk=coach.pk), journal) == {"strengths"}
    assert shared_sections(LiveUser.objects.get(pk=former.pk), journal) == set()
