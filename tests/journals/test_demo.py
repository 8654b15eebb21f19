"""The journals part of `seed_demo`: individual@ partly filled, colleague@ not started."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from journals import demo
from journals.models import Answer, Journal, JournalSection
from scopegrowth.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_contract_journals_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    individual = User.objects.get(email="individual@example.com")
    journal = Journal.objects.get(owner=individual)
    shared = set(
        JournalSection.objects.filter(journal=journal, shares__isnull=False)
        .distinct()
        .values_list("section__slug", flat=True)
    )
    answered = set(
        Answer.objects.filter(journal_section__journal=journal).values_list(
            "journal_section__section__slug", flat=True
        )
    )
    assert shared == {"strengths", "career-history"}
    assert {"wellbeing", "strengths", "career-history", "current-role"} == answered
    assert not Journal.objects.filter(owner__email="colleague@example.com").exists()


def test_scale_gives_everyone_a_journal_once(people):
    added = demo.seed_scale([people.colleague, people.other_report])
    again = demo.seed_scale([people.colleague, people.other_report])

    assert (added, again) == (2, 0)
    journal = Journal.objects.get(owner=people.colleague)
    assert JournalSection.objects.filter(journal=journal).count() == 7
    assert JournalSection.objects.get(journal=journal, section__slug="strengths").is_shared
    assert Answer.objects.filter(journal_section__journal=journal).count() == 2
