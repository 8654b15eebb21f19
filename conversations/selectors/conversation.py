"""Read models for one conversation's pages (overview, preparation, stages) and the
individual's own list, each in a fixed number of queries.

Pages the individual reaches never load the facilitator-only notes nor the preparation; a
facilitator's pages load only their own (`conversations.policies`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from conversations import guide
from conversations import policies as conversation_policies
from conversations.models import Conversation, Preparation, StageRecord
from conversations.selectors.sections import (
    PrepItem,
    RecordedSection,
)
from journals.models import Journal, Question, Section
from journals.selectors import impact_levels_for as journal_levels
from scopegrowth import access, precompiled, registry
from scopegrowth.models import GrowthCategory, ImpactLevel, User

OPEN_STATUSES = (Conversation.Status.SCHEDULED, Conversation.Status.IN_PROGRESS)


def conversations_qs() -> QuerySet:
    return Conversation.objects.select_related(
        "individual",
        "individual__team",
        "facilitator",
        "journal",
        "agreed_now_impact",
        "agreed_future_impact",
    )


def preparation_of(conversation: Conversation, viewer: User) -> Preparation | None:
    """The viewer's own preparation, or None (nobody else's: preparation belongs to its
    author)."""
    return conversation_policies.own_preparation(viewer, conversation)


# =============================================================================
# Status and preparation state
# =============================================================================


@dataclass(frozen=True)
class Tag:
    key: str
    label: str
    colour: str  # NHS.UK tag modifier: "", "white", "grey", "green", "aqua-green", "blue", "red"...


@dataclass(frozen=True)
class PrepState:
    facilitator_ready: bool
    individual_ready: bool
    label: str

    @property
    def both(self) -> bool:
        return self.facilitator_ready and self.individual_ready


def facilitator_prepared(conversation: Conversation) -> bool:
    """Has the facilitator who holds the conversation marked their own preparation done? (A
    yes or no: no content is read.)"""
    return bool(
        precompiled.first(
            ("conversations.facilitator_prepared",),
            _facilitator_prepared_query,
            conversation.pk,
            conversation.facilitator_id,
        )
    )


def _facilitator_prepared_query(conversation_pk: int, facilitator_pk: int) -> QuerySet:
    return Preparation.objects.filter(
        conversation=conversation_pk, author=facilitator_pk, prepared_at__isnull=False
    ).values_list("pk", flat=True)[:1]


def prep_state(
    conversation: Conversation,
    facilitator_ready: bool,
    journal: Journal | None,
    viewer: User,
) -> PrepState:
    """Who has prepared, in words for the viewer. The facilitator's side is "prepared" once they
    marked their preparation done; the individual's once they marked their journal ready."""
    fac = facilitator_ready
    ind = bool(journal and journal.ready_at)
    person = conversation.individual.full_name
    facilitator = conversation.facilitator.full_name
    if fac and ind:
        label = "Prepared (both sides)"
    elif viewer.pk == conversation.individual_id:
        if fac:
            label = f"{facilitator} has prepared. Waiting for you to mark your journal ready."
        elif ind:
            label = f"You have prepared. Waiting for {facilitator} to prepare."
        else:
            label = f"Waiting for you to mark your journal ready and for {facilitator} to prepare."
    elif fac:
        label = f"You have prepared. Waiting for {person} to mark their journal ready."
    elif ind:
        label = f"{person} has said their journal is ready. Waiting for you to prepare."
    else:
        label = f"Waiting for you to prepare and for {person} to mark their journal ready."
    return PrepState(facilitator_ready=fac, individual_ready=ind, label=label)


def status_tag(conversation: Conversation, prepared_both: bool = False) -> Tag:
    if conversation.status == Conversation.Status.CANCELLED:
        return Tag("cancelled", "Cancelled", "grey")
    if conversation.status == Conversation.Status.COMPLETED:
        return Tag("completed", "Completed", "green")
    if conversation.is_overdue:
        return Tag("overdue", "Overdue", "red")
    if conversation.status == Conversation.Status.IN_PROGRESS:
        return Tag("in_progress", "In progress", "blue")
    if prepared_both:
        return Tag("prepared", "Prepared (both sides)", "aqua-green")
    return Tag("scheduled", "Scheduled", "white")


# =============================================================================
# Side by side: the individual's shared answers and the facilitator's preparation
# =============================================================================


STAGE_LABELS = {
    "facilitator_notes": "Your notes",
    "agreed_summary": "Agreed summary",
    "agreed_now_growth": "Growth now",
    "agreed_now_impact": "Impact now",
    "agreed_now_evidence": "Evidence for the position now",
    "agreed_future_growth": "Growth in two years",
    "agreed_future_impact": "Impact in two years",
    "agreed_future_why": "Why this position in two years",
}


def stage_conflict_items(saved: dict[str, Any], *, private: bool) -> list[tuple[str, str]]:
    """The saved version of a stage, readable, for the conflict panel (never the notes in the
    presentation view)."""
    items = []
    for name, value in saved.items():
        if name not in STAGE_LABELS or (name == "facilitator_notes" and not private):
            continue
        if isinstance(value, ImpactLevel):
            value = value.name
        elif name.endswith("_growth") and value:
            value = GrowthCategory(value).label
        items.append((STAGE_LABELS[name], value or ""))
    return items


# =============================================================================
# Conversation overview and stage pages
# =============================================================================


@dataclass
class StageNav:
    number: int
    title: str
    completed_at: datetime | None
    agreed_summary: str
    current: bool = False
    url: str = ""


def stage_records(
    conversation: Conversation, *, private: bool, viewer: User | None = None
) -> dict[int, StageRecord]:
    """The stage rows by number. With `private`, each carries the viewer's own notes on it as
    `facilitator_notes` (nobody else's); without, no notes are loaded."""
    found = precompiled.fetch(
        ("conversations.stage_records",), _stage_records_query, conversation.pk
    )
    rows = {r.stage: r for r in found}
    notes = conversation_policies.own_stage_notes(viewer, conversation) if private else {}
    for number, record in rows.items():
        record.facilitator_notes = notes.get(number, "")
    return rows


def _stage_records_query(conversation_pk: int) -> QuerySet:
    return StageRecord.objects.filter(conversation=conversation_pk)


def stage_nav(
    records: dict[int, StageRecord],
    current: int | None = None,
    url: Callable[[int], str] | None = None,
) -> list[StageNav]:
    """The three stages with their state; `url(number)`: each stage's link."""
    return [
        StageNav(
            number=n,
            title=g.title,
            completed_at=records[n].completed_at if n in records else None,
            agreed_summary=records[n].agreed_summary if n in records else "",
            current=n == current,
            url=url(n) if url is not None else "",
        )
        for n, g in guide.STAGES.items()
    ]


@dataclass
class StageQuestions:
    section: Section
    questions: list[Question]
    shared: bool
    recorded: RecordedSection | None = None  # shared when completed, no longer shared
    preparation: list[PrepItem] = field(default_factory=list)  # the viewer's own, if private


def stage_sections(stage: int) -> list[Section]:
    """The journal sections a conversation stage reads, in the journal's order."""
    section_stage = guide.STAGES[stage].section_stage
    # The stage is in the key, not an argument: a small-integer field refuses the stand-ins.
    return precompiled.fetch(
        ("conversations.stage_sections", section_stage), partial(_stage_sections, section_stage)
    )


def stage_questions(
    sections: list[Section], shared_slugs: set[str], recorded: list[RecordedSection] = ()
) -> list[StageQuestions]:
    """The journal's questions for a stage's sections (`stage_sections`), each with the
    completed record's entry when it was shared then but is not now. The bank holds no
    answers."""
    by_section: dict[int, list[Question]] = {s.pk: [] for s in sections}
    if sections:
        ids = [s.pk for s in sections]
        for question in precompiled.fetch(("conversations.stage_qs",), _stage_questions, ids):
            by_section[question.section_id].append(question)
    was = {row.slug: row for row in recorded if not row.still_shared}
    return [
        StageQuestions(
            section=s,
            questions=by_section[s.pk],
            shared=s.slug in shared_slugs,
            recorded=was.get(s.slug),
        )
        for s in sections
    ]


def _stage_sections(section_stage: int) -> QuerySet:
    return Section.objects.filter(stage=section_stage)


def _stage_questions(section_ids: list[int]) -> QuerySet:
    return Question.objects.filter(is_active=True, section_id__in=section_ids)


def impact_levels_for(individual: User) -> list[ImpactLevel]:
    """The same impact levels the individual's self-assessment offers."""
    return journal_levels(individual)


def plan_for(conversation: Conversation) -> Any:
    """The development plan started from the conversation (its current version), or None;
    asked of the plans app through the "plan_for_conversation" provider."""
    return registry.provide("plan_for_conversation", conversation)


# =============================================================================
# The individual's own conversations, and the home page
# =============================================================================


def my_conversations(user: User) -> list[Conversation]:
    """The user's own conversations, newest first, with agreed summaries (never the notes)."""
    return list(
        access.scope(user, "view", conversations_qs())
        .filter(individual=user)
        .prefetch_related(
            Prefetch(
                "stage_records",
                queryset=StageRecord.objects.order_by("stage"),
            )
        )
        .order_by("-scheduled_at")
    )


def next_conversation_for(user: User) -> Conversation | None:
    """The user's next open conversation as the individual (an overdue one counts), for the
    home page (its SQL built once per process: `precompiled`)."""
    return precompiled.first(
        ("next_conversation_for",),
        _next_conversation_query,
        access.scope_q(user, "view", Conversation),
        user.pk,
    )


def _next_conversation_query(scope: Q, pk: int) -> QuerySet:
    return (
        Conversation.objects.select_related("facilitator")
        .filter(scope)
        .filter(individual=pk, status__in=OPEN_STATUSES)
        .order_by("scheduled_at")[:1]
    )
