"""Read models for the journal pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from journals.home_card import HomeCard, home_journal_card  # noqa: F401 (re-exported)
from journals.models import Answer, Journal, JournalSection, Question, Section
from journals.policies import journal_facilitators, section_readers, shared_sections
from scopegrowth import access, precompiled, registry
from scopegrowth.models import AuditEvent, ImpactLevel, User


@dataclass
class SectionRow:
    section: Section
    answered: int
    total: int
    version: int = 0
    # For the owner only: whom it is shared with, [(user, relation, shared_at)]
    # (journals.policies.section_readers).
    readers: list[tuple[User, str, datetime]] = field(default_factory=list)

    @property
    def is_shared(self) -> bool:
        return bool(self.readers)

    @property
    def shared_at(self) -> datetime | None:
        """When it was first shared with someone who may still read it."""
        return min((at for _, _, at in self.readers), default=None)

    @property
    def status(self) -> str:
        if self.total and self.answered >= self.total:
            return "Completed"
        if self.answered:
            return "In progress"
        return "Not started"


@dataclass
class Overview:
    journal: Journal
    rows: list[SectionRow]
    facilitators: list[tuple[User, str]] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def shared_rows(self) -> list[SectionRow]:
        return [r for r in self.rows if r.is_shared]


def open_journal(user: User) -> Journal | None:
    """The user's current (open) journal, if they have started one."""
    scope = access.scope_q(user, "own", Journal)
    return precompiled.first(("open_journal",), _open_journal_query, scope)


def _open_journal_query(scope: Q) -> QuerySet:
    return Journal.objects.filter(scope).filter(closed_at__isnull=True)[:1]


def journal_history(user: User) -> list[Journal]:
    """All of the user's own journals, newest cycle first."""
    return list(access.scope(user, "own", Journal).order_by("-cycle"))


def section_rows(
    journal: Journal, visible: set[str], readers: dict[int, list] | None = None
) -> list[SectionRow]:
    """One row per section the reader may see, with answered/total counts (and, for the
    owner, `readers`: section id -> whom it is shared with). Three queries, however many
    sections, questions, answers or journals there are.

    Open journal: total = questions asked now; answered = answers to those questions.
    Earlier (closed) journal: answers are what was kept, so total = answered = answers kept.
    """
    sections = list(
        Section.objects.filter(slug__in=visible)
        .annotate(active_questions=Count("questions", filter=Q(questions__is_active=True)))
        .order_by("stage", "order", "pk")  # Meta.ordering is not applied to GROUP BY queries
    )
    answers = Answer.objects.filter(journal_section__journal=journal)
    if journal.is_open:
        answers = answers.filter(question__is_active=True)
    answered = dict(
        answers.values_list("journal_section__section_id").annotate(n=Count("pk")).order_by()
    )
    states = {
        js.section_id: js
        for js in JournalSection.objects.filter(journal=journal).only("section_id", "version")
    }
    rows = []
    for section in sections:
        js = states.get(section.pk)
        count = answered.get(section.pk, 0)
        rows.append(
            SectionRow(
                section=section,
                answered=count,
                total=section.active_questions if journal.is_open else count,
                version=js.version if js else 0,
                readers=(readers or {}).get(section.pk, []),
            )
        )
    return rows


def journal_overview(*, user: User, journal: Journal) -> Overview:
    visible = shared_sections(user, journal)
    facilitators = journal_facilitators(journal)
    is_owner = journal.owner_id == user.pk
    readers = section_readers(journal, facilitators) if is_owner else None
    rows = section_rows(journal, visible, readers)
    return Overview(journal=journal, rows=rows, facilitators=facilitators)


@dataclass
class SectionPage:
    section: Section
    journal_section: JournalSection | None
    questions: list[Question]
    answers: dict[int, Answer]
    retired: list[Answer]  # answers to questions no longer asked (or a closed journal's answers)
    impact_levels: list[ImpactLevel]
    # For the owner only: whom it is shared with, [(user, relation, shared_at)].
    readers: list[tuple[User, str, datetime]] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.journal_section.version if self.journal_section else 0

    @property
    def is_shared(self) -> bool:
        return bool(self.readers)

    @property
    def shared_at(self) -> datetime | None:
        return min((at for _, _, at in self.readers), default=None)

    @property
    def reader_ids(self) -> set[int]:
        return {user.pk for user, _, _ in self.readers}

    @property
    def read_rows(self) -> list[dict]:
        """Each question asked now with its answer's text ("" when not answered), under the
        wording the answer was given under (`with_answer_wording`)."""
        return [
            {"question": q, "text": self.answers[q.pk].text if q.pk in self.answers else ""}
            for q in self.questions
        ]


def impact_levels_for(user: User) -> list[ImpactLevel]:
    """The organisation's own impact levels when it named any, else the default levels."""
    levels = precompiled.fetch(("impact_levels_for",), _impact_levels_query, user.organisation_id)
    own = [lvl for lvl in levels if lvl.organisation_id is not None]
    return own or levels


def _impact_levels_query(organisation_id: int | None) -> QuerySet:
    return ImpactLevel.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
    )


def with_answer_wording(questions: list[Question], answers: dict[int, Answer]) -> list[Question]:
    """The questions as the page shows them: an answered question under the wording its answer
    was given under (the bank may have been reworded since; `asked_now` then holds today's
    wording), an unanswered one under today's wording. Changes the instances in memory only."""
    for question in questions:
        answer = answers.get(question.pk)
        question.asked_now = ""
        if answer is not None and answer.question_text and answer.question_text != question.text:
            question.asked_now = question.text
            question.text = answer.question_text
    return questions


def section_page(*, journal: Journal, section: Section) -> SectionPage:
    """What one section page shows: the questions asked now (open journal) and the answers.

    An earlier (closed) journal shows only what was answered, in the words of the question
    as it was asked then.
    """
    js = precompiled.first(("section_page", "js"), _journal_section_query, journal.pk, section.pk)
    answers = precompiled.fetch(("section_page", "answers"), _answers_query, js.pk) if js else []
    if journal.is_open:
        questions = asked_questions(section)
        asked = {q.pk for q in questions}
        by_question = {a.question_id: a for a in answers if a.question_id in asked}
        retired = [a for a in answers if a.question_id not in asked]
        with_answer_wording(questions, by_question)
    else:
        questions, by_question, retired = [], {}, answers
    needs_levels = any(q.kind == Question.Kind.POSITION for q in questions) or any(
        a.question_kind == Question.Kind.POSITION for a in retired
    )
    return SectionPage(
        section=section,
        journal_section=js,
        questions=questions,
        answers=by_question,
        retired=retired,
        impact_levels=impact_levels_for(journal.owner) if needs_levels else [],
    )


def sections_named(slugs: set[str]) -> list[Section]:
    """The sections with these slugs, in order (one query, its SQL built once per process)."""
    return precompiled.fetch(("sections_named",), _sections_query, sorted(slugs))


def _sections_query(slugs: list[str]) -> QuerySet:
    return Section.objects.filter(slug__in=slugs)


def asked_questions(section: Section) -> list[Question]:
    """The section's questions asked now, in order (as `section.questions` gives them: each
    with its `section`)."""
    found = precompiled.fetch(("asked_questions",), _asked_query, section.pk)
    for question in found:
        Question.section.field.set_cached_value(question, section)
    return found


def _asked_query(section_pk: int) -> QuerySet:
    return Question.objects.filter(section_id=section_pk, is_active=True).order_by("order", "pk")


def _journal_section_query(journal_pk: int, section_pk: int) -> QuerySet:
    found = JournalSection.objects.filter(journal_id=journal_pk, section_id=section_pk)
    return (found if found.ordered else found.order_by("pk"))[:1]


def _answers_query(journal_section_pk: int) -> QuerySet:
    return Answer.objects.filter(journal_section_id=journal_section_pk).select_related("question")


def next_conversation(journal: Journal):
    """The coming conversation this (open) journal prepares for, or None: the owner's next
    open conversation (`.facilitator`, `.scheduled_at`), asked of the conversations app (a
    higher layer) through the "next_conversation_for" provider (conversations/providers.py).
    When there is none, the overview says "Your line manager will arrange your conversation"."""
    if not journal.is_open:
        return None
    return registry.provide("next_conversation_for", journal.owner)


@dataclass
class AccessLogRow:
    at: datetime
    who: str
    what: str
    by_owner: bool


@dataclass
class ReaderSummary:
    """One person who read the journal: which sections, how often, and when last."""

    who: str
    sections: list[str]
    reads: int
    last_read: datetime


@dataclass
class AccessLog:
    rows: list[AccessLogRow]
    readers: list[ReaderSummary]


def _reader_id(detail: str) -> int | None:
    _, sep, tail = detail.partition("@")
    return int(tail) if sep and tail.isdigit() else None


def _name(user: User | None, fallback: str = "a person whose account was removed") -> str:
    return user.full_name if user is not None else fallback


def access_log(journal: Journal) -> AccessLog:
    """Every recorded view, share, unshare and ready mark on this journal, newest first, as
    sentences for its owner, and who has read what (each reader's sections). Three queries."""
    titles = dict(Section.objects.values_list("slug", "title"))
    events = list(
        AuditEvent.objects.filter(object_type=Journal._meta.model_name, object_id=journal.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    # Share events name the reader ("slug@reader id"); older ones name only the section.
    reader_ids = {_reader_id(e.detail) for e in events} - {None}
    people = User.objects.in_bulk(reader_ids) if reader_ids else {}
    rows = []
    summaries: dict[object, ReaderSummary] = {}
    for event in events:
        by_owner = event.actor_id == journal.owner_id
        slug = event.detail.partition("@")[0]
        title = titles.get(slug, slug)
        reader_id = _reader_id(event.detail)
        reader = people.get(reader_id) if reader_id else None
        with_whom = f" with {_name(reader)}" if reader_id else ""
        who = "You" if by_owner else _name(event.actor, "A person whose account was removed")
        if event.action == "view":
            what = (
                "Looked at the list of sections you shared"
                if event.detail == "overview"
                else f"Read \u201c{title}\u201d"
            )
            if not by_owner:
                summary = summaries.setdefault(
                    event.actor_id, ReaderSummary(who=who, sections=[], reads=0, last_read=event.at)
                )
                summary.reads += 1
                if event.detail != "overview" and title not in summary.sections:
                    summary.sections.append(title)
        elif event.action == "share":
            what = f"Shared \u201c{title}\u201d{with_whom}"
        elif event.action == "unshare":
            what = f"Stopped sharing \u201c{title}\u201d{with_whom}"
        elif event.action == "share_ended":
            who = _name(reader).capitalize()
            what = f"No longer supports you, so can no longer read \u201c{title}\u201d"
        elif event.action == "ready":
            what = "Marked the journal ready for the conversation"
        else:
            what = event.action.replace("_", " ").capitalize()
        rows.append(AccessLogRow(at=event.at, who=who, what=what, by_owner=by_owner))
    return AccessLog(rows=rows, readers=list(summaries.values()))


def self_assessment(*, user: User, journal: Journal) -> dict | None:
    """The owner's self-assessment on the framework (now, in two years, why) for a reader who may
    see the aspirations section; None for anyone else. For the conversations app."""
    if "aspirations" not in shared_sections(user, journal):
        return None
    why = (
        Answer.objects.filter(
            journal_section__journal=journal, question_kind=Question.Kind.POSITION
        )
        .values_list("text", flat=True)
        .first()
    )
    return {
        "now_growth": journal.position_now_growth,
        "now_impact": journal.position_now_impact,
        "future_growth": journal.position_future_growth,
        "future_impact": journal.position_future_impact,
        "why": why or "",
    }


def adjustments_note(*, user: User, journal: Journal) -> str | None:
    """The reasonable adjustments note (part of the well-being section) for a reader who may
    see that section; None for anyone else. For the conversations app."""
    if "wellbeing" not in shared_sections(user, journal):
        return None
    note = (
        Answer.objects.filter(
            journal_section__journal=journal, question_kind=Question.Kind.ADJUSTMENTS
        )
        .values_list("text", flat=True)
        .first()
    )
    return note or ""
