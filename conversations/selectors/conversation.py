"""Read models for one conversation's pages (overview, preparation, stages) and the
individual's own list, each in a fixed number of queries.

Pages the individual reaches never load the facilitator-only notes nor the preparation; a
facilitator's pages load only their own (`conversations.policies`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import (
    Prefetch,
    QuerySet,
)

from conversations import guide
from conversations import policies as conversation_policies
from conversations.models import Conversation, Preparation, StageRecord
from journals import policies as journal_policies
from journals.models import Answer, Journal, JournalSection, Question, Section
from journals.selectors import impact_levels_for as journal_levels
from scopegrowth import access, registry
from scopegrowth.models import GrowthCategory, ImpactLevel, User

OPEN_STATUSES = (Conversation.Status.SCHEDULED, Conversation.Status.IN_PROGRESS)

PREPARATION_LABELS = {
    "evidence_feedback": "360° feedback",
    "evidence_one_to_ones": "Earlier one-to-ones",
    "evidence_performance": "Performance and work outputs",
    "strengths": "Strengths as you see them",
    "development_areas": "Development areas as you see them",
    "national_indicators": "National indicators (Staff Survey, WRES, MWRES, WDES)",
    "adjustments": "Reasonable adjustments",
    "adjustments_notes": "Notes on adjustments",
    "planner_notes": "Your planner questions",
    "self_check": "Your self-check",
    "view_now_growth": "Your view: growth now",
    "view_now_impact": "Your view: impact now",
    "view_evidence": "Your evidence for that view",
}


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


def journal_of(conversation: Conversation) -> Journal | None:
    """The individual's journal for this conversation: the one recorded when it was scheduled,
    or (for an open conversation scheduled before they started one) their open journal."""
    if conversation.journal_id:
        return conversation.journal
    if conversation.is_open:
        return (
            Journal.objects.filter(owner_id=conversation.individual_id, closed_at__isnull=True)
            .select_related("position_now_impact", "position_future_impact")
            .first()
        )
    return None


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
    return Preparation.objects.filter(
        conversation=conversation,
        author=conversation.facilitator_id,
        prepared_at__isnull=False,
    ).exists()


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


@dataclass
class PrepItem:
    name: str
    label: str
    value: str


@dataclass
class SectionView:
    section: Section
    answers: list[Answer] = field(default_factory=list)
    preparation: list[PrepItem] = field(default_factory=list)


def _prep_value(preparation: Preparation | None, name: str) -> str:
    if preparation is None:
        return ""
    if name == "view_now_impact":
        return preparation.view_now_impact.name if preparation.view_now_impact_id else ""
    if name in ("view_now_growth", "adjustments"):
        return getattr(preparation, f"get_{name}_display")() if getattr(preparation, name) else ""
    return getattr(preparation, name)


def prep_items(preparation: Preparation | None, names: tuple[str, ...]) -> list[PrepItem]:
    return [PrepItem(n, PREPARATION_LABELS[n], _prep_value(preparation, n)) for n in names]


def prep_items_from(values: dict[str, Any]) -> list[PrepItem]:
    """Readable items from saved preparation values (a conflict's saved version); empty ones
    left out."""
    from conversations.services import PREPARATION_FIELDS

    preparation = Preparation(**{k: v for k, v in values.items() if k in PREPARATION_FIELDS})
    return [item for item in prep_items(preparation, PREPARATION_FIELDS) if item.value]


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


def shared_sections(
    viewer: User, journal: Journal | None, holder: User | None = None
) -> list[SectionView]:
    """The journal sections the individual has shared with `viewer` by name, with their
    answers. The individual sees exactly what `holder` (the conversation's facilitator) may
    read; without a holder, what they shared with anyone (journals.policies)."""
    if journal is None:
        return []
    visible = journal_policies.shared_sections(viewer, journal)
    if journal.owner_id == viewer.pk:
        visible &= (
            journal_policies.shared_sections(holder, journal)
            if holder is not None
            else journal_policies.shared_with_anyone(journal)
        )
    if not visible:
        return []
    states = list(
        JournalSection.objects.filter(journal=journal, section__slug__in=visible)
        .select_related("section")
        .order_by("section__order", "section__pk")
    )
    answers: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(journal_section__in=[js.pk for js in states]).order_by(
        "question_order", "pk"
    ):
        answers.setdefault(answer.journal_section_id, []).append(answer)
    return [SectionView(section=js.section, answers=answers.get(js.pk, [])) for js in states]


def side_by_side(
    viewer: User,
    journal: Journal | None,
    preparation: Preparation | None,
    *,
    show_private: bool,
    holder: User | None = None,
) -> list[SectionView]:
    views = shared_sections(viewer, journal, holder)
    if show_private:
        for view in views:
            view.preparation = prep_items(
                preparation, guide.PREPARATION_FOR_SECTION.get(view.section.slug, ())
            )
    return views


def _position_section_slugs() -> set[str]:
    return set(
        Question.objects.filter(kind=Question.Kind.POSITION).values_list("section__slug", flat=True)
    )


def self_assessment(
    viewer: User, journal: Journal | None, sections: list[SectionView]
) -> dict | None:
    """The individual's own view of their position, when `viewer` may read it (the owner, or a
    facilitator once the section holding it is shared)."""
    if journal is None or not journal.has_position:
        return None
    shared = {view.section.slug for view in sections}
    if journal.owner_id != viewer.pk and not (shared & _position_section_slugs()):
        return None
    return {
        "now_growth": journal.get_position_now_growth_display() or "Not given",
        "now_impact": journal.position_now_impact.name if journal.position_now_impact else "",
        "future_growth": journal.get_position_future_growth_display() or "Not given",
        "future_impact": (
            journal.position_future_impact.name if journal.position_future_impact else ""
        ),
    }


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


def stage_records(
    conversation: Conversation, *, private: bool, viewer: User | None = None
) -> dict[int, StageRecord]:
    """The stage rows by number. With `private`, each carries the viewer's own notes on it as
    `facilitator_notes` (nobody else's); without, no notes are loaded."""
    rows = {r.stage: r for r in StageRecord.objects.filter(conversation=conversation)}
    notes = conversation_policies.own_stage_notes(viewer, conversation) if private else {}
    for number, record in rows.items():
        record.facilitator_notes = notes.get(number, "")
    return rows


def stage_nav(records: dict[int, StageRecord], current: int | None = None) -> list[StageNav]:
    return [
        StageNav(
            number=n,
            title=g.title,
            completed_at=records[n].completed_at if n in records else None,
            agreed_summary=records[n].agreed_summary if n in records else "",
            current=n == current,
        )
        for n, g in guide.STAGES.items()
    ]


@dataclass
class StageQuestions:
    section: Section
    questions: list[Question]
    shared: bool


def stage_questions(stage: int, shared_slugs: set[str]) -> list[StageQuestions]:
    """The journal's questions for the stage's sections (the bank holds no answers)."""
    g = guide.STAGES[stage]
    sections = Section.objects.filter(stage=g.section_stage).prefetch_related(
        Prefetch("questions", queryset=Question.objects.filter(is_active=True))
    )
    return [
        StageQuestions(section=s, questions=list(s.questions.all()), shared=s.slug in shared_slugs)
        for s in sections
    ]


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
    home page."""
    return (
        access.scope(user, "view", Conversation.objects.select_related("facilitator"))
        .filter(individual=user, status__in=OPEN_STATUSES)
        .order_by("scheduled_at")
        .first()
    )
