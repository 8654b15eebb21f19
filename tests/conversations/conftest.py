"""Builders for the conversation tests: conversations, journals with shared answers, the clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from conversations.models import Conversation, Preparation, StageRecord
from journals.models import Answer, Journal, JournalSection, Question, Section, SectionShare
from journals.policies import journal_facilitators
from scopegrowth.models import GrowthCategory, ImpactLevel

LONDON = ZoneInfo("Europe/London")
# Monday 2 March 2026, 09:00 in London (GMT): every test that reads the clock starts here.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


@pytest.fixture
def clock():
    """The frozen clock; `clock.shift(timedelta(...))` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A London time in 2026 (March by default)."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def levels() -> list[ImpactLevel]:
    return list(ImpactLevel.objects.filter(organisation__isnull=True).order_by("order"))


@pytest.fixture
def make_conversation(people):
    def make(
        individual=None,
        facilitator=None,
        scheduled_at: datetime | None = None,
        **values,
    ) -> Conversation:
        now = timezone.now()
        return Conversation.objects.create(
            individual=individual or people.individual,
            facilitator=facilitator or people.manager,
            scheduled_at=scheduled_at or now + timedelta(days=3),
            duration_minutes=values.pop("duration_minutes", 120),
            location=values.pop("location", "Seminar room 2"),
            created_at=now,
            updated_at=now,
            **values,
        )

    return make


@pytest.fixture
def conversation(make_conversation):
    """individual's conversation with manager, three days from now."""
    return make_conversation()


def make_journal(
    owner,
    *,
    answers: dict[str, str] | None = None,
    shared: tuple[str, ...] = (),
    ready: bool = False,
    position: tuple | None = None,
) -> Journal:
    """A journal with one answer per section in `answers` (slug -> text, answering the section's
    first text question), sharing the sections in `shared` with everyone who supports the
    owner now (by name: someone linked later sees nothing of it)."""
    journal = Journal.objects.create(
        owner=owner, cycle=1, ready_at=timezone.now() if ready else None
    )
    now = timezone.now()
    for section in Section.objects.all():
        js = JournalSection.objects.create(journal=journal, section=section)
        if section.slug in shared:
            SectionShare.objects.bulk_create(
                SectionShare(journal_section=js, reader=reader, shared_at=now)
                for reader, _ in journal_facilitators(journal)
            )
        text = (answers or {}).get(section.slug)
        if text:
            question = section.questions.filter(kind=Question.Kind.TEXT).first()
            Answer.objects.create(
                journal_section=js,
                question=question,
                question_text=question.text,
                question_order=question.order,
                text=text,
            )
    if position:
        now_growth, now_impact, future_growth, future_impact = position
        journal.set_position(
            now_growth=now_growth,
            now_impact=now_impact,
            future_growth=future_growth,
            future_impact=future_impact,
        )
        journal.save()
    return journal


def complete_stages(conversation: Conversation, *stages: int, position: bool = True) -> None:
    """Mark stages complete directly (for status and completion tests)."""
    for stage in stages:
        StageRecord.objects.update_or_create(
            conversation=conversation,
            stage=stage,
            defaults={
                "agreed_summary": f"Summary of stage {stage}",
                "completed_at": timezone.now(),
            },
        )
    if position:
        lv = levels()
        conversation.agreed_now_growth = GrowthCategory.DEPTH
        conversation.agreed_now_impact = lv[1]
        conversation.agreed_future_growth = GrowthCategory.STRETCH
        conversation.agreed_future_impact = lv[2]
        conversation.save()


def mark_prepared(conversation: Conversation, **values) -> Preparation:
    preparation, _ = Preparation.objects.update_or_create(
        conversation=conversation,
        author=conversation.facilitator,
        defaults={"prepared_at": timezone.now(), **values},
    )
    return preparation


@pytest.fixture
def invites(outbox_worker):
    """Send the outbox's emails in-process when a commit nudges the worker; the list records
    each nudge's row ids."""
    return outbox_worker
