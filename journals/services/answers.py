"""Answering a section: the save with its optimistic version, and the refusals a person reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from journals.models import ANSWER_MAX_LENGTH, Answer, Journal, JournalSection, Question, Section
from scopegrowth import access
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

CLOSED_MESSAGE = (
    "This journal is from an earlier conversation cycle and can no longer be changed. "
    "Nothing has been saved. Your text is still on this page: copy anything you want to keep "
    "into your current journal."
)
NOTHING_TO_SAVE_MESSAGE = "There is nothing to save yet. Answer at least one question, then save."
CONFLICT_MESSAGE = (
    "Someone (or another tab) saved this section after you opened it. Nothing has been saved. "
    "Compare your text with the saved text below, then save again to keep yours."
)
SHARE_CLOSED_MESSAGE = (
    "This journal is from an earlier conversation cycle, so you cannot share it now. "
    "You can still stop sharing it."
)


class JournalClosed(RuleError):
    """The cycle is closed: nothing can be saved into it."""


class NothingToSave(RuleError):
    """An empty save of an empty section."""


class StaleVersion(RuleError):
    """The section was saved (in another tab) after the form was opened.

    `saved` maps question id -> the saved text, `saved_position` is the saved self-assessment and
    `version` the current version, so the page can show both versions side by side.
    """

    def __init__(self, *, saved: dict[int, str], saved_position: dict, version: int) -> None:
        super().__init__(CONFLICT_MESSAGE)
        self.saved = saved
        self.saved_position = saved_position
        self.version = version


@dataclass(frozen=True)
class SectionAnswers:
    """What a person submitted for one section.

    `texts`: question id -> text, only for the questions that were on the form (a question
    missing from the submission is left as it is). `position`: the four parts of the
    self-assessment (`now_growth`, `now_impact`, `future_growth`, `future_impact`; impacts are
    `ImpactLevel` or None), or None when the form had no position question.
    """

    texts: dict[int, str] = field(default_factory=dict)
    position: dict[str, Any] | None = None


def normalise(text: str) -> str:
    """Line endings as one character (browsers send CRLF, the limit counts characters);
    whitespace-only means no answer. Nothing else is changed: not trimmed, not cut."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else ""


def position_key(values: dict[str, Any] | None) -> tuple:
    values = values or {}

    def pk(value):
        return getattr(value, "pk", value)

    return (
        values.get("now_growth") or "",
        pk(values.get("now_impact")),
        values.get("future_growth") or "",
        pk(values.get("future_impact")),
    )


def _saved_state(js: JournalSection, questions: dict[int, Question]) -> dict[int, str]:
    return {a.question_id: a.text for a in js.answers.filter(question_id__in=list(questions))}


SAVE_KEY_LIFETIME = 60 * 60 * 24  # seconds: longer than any page stays open and signed in


def _page_saves_key(js: JournalSection) -> str:
    return f"journals:page-saves:{js.pk}"


def _own_earlier_save(js: JournalSection, save_key: str, version: int) -> bool:
    """Whether every save since `version` came from the page that sent `save_key` (its replies
    were lost, so the page still holds the older version): the same page's save, not a
    conflict. The cache holds the page's random key and two version numbers, never any text;
    when the cache has forgotten, the save is treated as a conflict (the safe side)."""
    if not save_key:
        return False
    mark = cache.get(_page_saves_key(js))
    return bool(
        mark
        and mark.get("key") == save_key
        and mark.get("to") == js.version
        and mark.get("from", js.version) <= version <= js.version
    )


def _remember_page_save(js: JournalSection, save_key: str, base: int, new: int) -> None:
    if not save_key:
        cache.delete(_page_saves_key(js))
        return
    mark = cache.get(_page_saves_key(js)) or {}
    start = mark["from"] if mark.get("key") == save_key and mark.get("to") == base else base
    cache.set(_page_saves_key(js), {"key": save_key, "from": start, "to": new}, SAVE_KEY_LIFETIME)


def journal_section_save(
    *,
    actor: User,
    journal: Journal,
    section: Section,
    data: SectionAnswers,
    version: int,
    save_key: str = "",
) -> int:
    """Save one section's answers; returns the section's new version.

    Refuses (nothing written) with `JournalClosed` on a closed cycle, `NothingToSave` for an
    empty save of an empty section, and `StaleVersion` when `version` is not the saved version
    and the submission would change something. The version moves with a conditional UPDATE, so
    of two concurrent saves from the same version exactly one wins.

    `save_key` is the random key of the page that sends the save (the autosave script makes
    one per page load). A page whose earlier saves succeeded but whose replies were lost
    still sends the version it last heard of: when every save since then carried its own key,
    this is the same page going on, not another tab, so it is saved (issue 15).
    """
    access.require(actor, "own", journal)
    if not journal.is_open:
        raise JournalClosed(CLOSED_MESSAGE)
    access.require(actor, "edit", journal)
    questions = {q.pk: q for q in section.questions.filter(is_active=True)}
    position_question = next(
        (q for q in questions.values() if q.kind == Question.Kind.POSITION), None
    )

    with transaction.atomic():
        js, _ = JournalSection.objects.get_or_create(journal=journal, section=section)
        saved = _saved_state(js, questions)
        fresh = Journal.objects.get(pk=journal.pk)
        if fresh.closed_at is not None:
            raise JournalClosed(CLOSED_MESSAGE)
        saved_position = fresh.position_values()

        changes: dict[int, str] = {}
        for question_id, text in data.texts.items():
            if question_id not in questions:
                continue  # not a question of this section: never written
            new = normalise(text)
            if len(new) > ANSWER_MAX_LENGTH:
                raise RuleError(
                    f"An answer is longer than {ANSWER_MAX_LENGTH:,} characters. Nothing has "
                    "been saved."
                )
            if new != saved.get(question_id, ""):
                changes[question_id] = new
        position_changed = (
            position_question is not None
            and data.position is not None
            and position_key(data.position) != position_key(saved_position)
        )

        if not changes and not position_changed:
            anything_saved = (
                any(saved.values())
                or (position_question is not None and fresh.has_position)
                or bool(saved)
            )
            if not anything_saved:
                raise NothingToSave(NOTHING_TO_SAVE_MESSAGE)
            return js.version
        if js.version != version and _own_earlier_save(js, save_key, version):
            version = js.version
        if js.version != version:
            raise StaleVersion(saved=saved, saved_position=saved_position, version=js.version)
        now = timezone.now()
        won = JournalSection.objects.filter(pk=js.pk, version=version).update(
            version=F("version") + 1, updated_at=now
        )
        if won != 1:
            js.refresh_from_db()
            raise StaleVersion(
                saved=_saved_state(js, questions), saved_position=saved_position, version=js.version
            )

        if position_changed:
            journal.set_position(**data.position)
            journal.save(
                update_fields=[
                    "position_now_growth",
                    "position_now_impact",
                    "position_future_growth",
                    "position_future_impact",
                ]
            )
            # A position alone answers the position question: make sure its row says so.
            changes.setdefault(position_question.pk, saved.get(position_question.pk, ""))

        has_position = journal.has_position
        for question_id, text in changes.items():
            question = questions[question_id]
            keep_row = bool(text) or (question is position_question and has_position)
            if not keep_row:
                Answer.objects.filter(journal_section=js, question=question).delete()
                continue
            answer = Answer.objects.filter(journal_section=js, question=question).first()
            if answer is None:
                # A new answer is given under today's wording; an answer edited later keeps
                # the wording it was first given under (the form shows that wording).
                answer = Answer(journal_section=js, question=question)
                answer.question_text = question.text
                answer.question_facilitator_text = question.facilitator_text
            answer.text = text
            answer.question_kind = question.kind
            answer.question_order = question.order
            answer.updated_at = now
            answer.full_clean(exclude=["journal_section", "question"])
            answer.save()
    _remember_page_save(js, save_key, version, version + 1)
    return version + 1
