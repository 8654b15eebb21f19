"""Conversation cycles: one open journal per person; a new one closes the last (read-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from journals.models import Answer, Journal, JournalSection, Section
from scopegrowth import access
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User


def journal_start_new(*, actor: User, copy_previous: bool) -> Journal:
    """Start the actor's next journal (cycle n+1), closing the open one.

    With `copy_previous`, answers to questions still asked and the self-assessment are copied
    from the latest journal; sharing is never copied (a new journal starts private).
    """
    if not access.is_person(actor):
        raise PermissionDenied("not allowed: start a journal")
    try:
        with transaction.atomic():
            previous = Journal.objects.filter(owner=actor).order_by("-cycle").first()
            if previous is not None:
                access.require(actor, "own", previous)
                if previous.is_open:
                    Journal.objects.filter(pk=previous.pk, closed_at__isnull=True).update(
                        closed_at=timezone.now()
                    )
            journal = Journal.objects.create(
                owner=actor, cycle=previous.cycle + 1 if previous else 1
            )
            sections = {
                js.section_id: js
                for js in JournalSection.objects.bulk_create(
                    JournalSection(journal=journal, section=section)
                    for section in Section.objects.all()
                )
            }
            if copy_previous and previous is not None:
                _copy_answers(previous, journal, sections)
    except IntegrityError:
        raise RuleError(
            "Your journal changed in another tab while you were starting a new one. "
            "Open your journal again."
        ) from None
    return journal


def _copy_answers(previous: Journal, journal: Journal, sections: dict[int, JournalSection]) -> None:
    now = timezone.now()
    copies = []
    for answer in Answer.objects.filter(
        journal_section__journal=previous, question__is_active=True
    ).select_related("question", "journal_section"):
        target = sections.get(answer.journal_section.section_id)
        if target is None or answer.question.section_id != target.section_id:
            continue
        copies.append(
            Answer(
                journal_section=target,
                question=answer.question,
                question_text=answer.question.text,
                question_facilitator_text=answer.question.facilitator_text,
                question_kind=answer.question.kind,
                question_order=answer.question.order,
                text=answer.text,
                updated_at=now,
            )
        )
    Answer.objects.bulk_create(copies)
    journal.set_position(
        now_growth=previous.position_now_growth,
        now_impact=previous.position_now_impact,
        future_growth=previous.position_future_growth,
        future_impact=previous.position_future_impact,
    )
    journal.save(
        update_fields=[
            "position_now_growth",
            "position_now_impact",
            "position_future_growth",
            "position_future_impact",
        ]
    )


def journal_current_for(*, actor: User) -> Journal:
    """The actor's open journal, starting cycle 1 (or the next one, empty) when there is none."""
    journal = Journal.objects.filter(owner=actor, closed_at__isnull=True).first()
    if journal is not None:
        access.require(actor, "own", journal)
        return journal
    return journal_start_new(actor=actor, copy_previous=False)
