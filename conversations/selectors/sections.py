"""The journal beside a conversation: which journal is the conversation's (`journal_of`, the
one link pages, reminders and completion read), the shared answers a viewer may read beside
their own preparation, and what a completed conversation's record says was shared then.

Sharing is read only through `journals.policies.shared_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Min, Q, QuerySet

from conversations import guide
from conversations.models import Conversation, Preparation
from journals import policies as journal_policies
from journals.models import Answer, Journal, JournalSection, Question, Section
from scopegrowth import precompiled
from scopegrowth.models import User

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
    "planner_accomplishments": "Their accomplishments, as you see them",
    "planner_motivation": "What motivates them, as you see it",
    "planner_personal_style": "Their personal style, as you see it",
    "planner_learning_style": "Their learning style, as you see it",
    "planner_skills": "Their skills and behaviours, as you see them",
    "self_check": "Your self-check",
    "view_now_growth": "Your view: growth now",
    "view_now_impact": "Your view: impact now",
    "view_evidence": "Your evidence for that view",
}


def open_journals() -> QuerySet:
    """Open journals not kept by a completed conversation: at most one per individual, the one
    their next conversation reads. `open_journal_for` filters it to one person; a list page
    prefetches it for many and hands each to `journal_of` (no query per row)."""
    return Journal.objects.filter(closed_at__isnull=True).exclude(
        conversations__status=Conversation.Status.COMPLETED
    )


def open_journal_for(individual_id: int) -> Journal | None:
    """The individual's open journal, unless a completed conversation already kept it (then the
    next cycle needs a new journal: None)."""
    return precompiled.first(
        ("conversations.open_journal_for",), _open_journal_query, individual_id
    )


def _open_journal_query(individual_id: int) -> QuerySet:
    found = (
        open_journals()
        .filter(owner_id=individual_id)
        .select_related("position_now_impact", "position_future_impact")
    )
    return (found if found.ordered else found.order_by("pk"))[:1]


_READ = object()
_INDIVIDUAL = Conversation._meta.get_field("individual")
_OWNER = Journal._meta.get_field("owner")


def journal_of(conversation: Conversation, *, open_journal: Any = _READ) -> Journal | None:
    """The individual's journal for this conversation: the one link every page, reminder and
    the completion read.

    - Open (scheduled or in progress): the individual's open journal, whenever it was started
      (before or after the invitation). One open conversation per person, so it is theirs.
    - Completed: the journal it kept when it was completed (`Conversation.journal`).
    - Cancelled: none; the journal goes to the next conversation.

    `open_journal`: the individual's journal from `open_journals()` (or None) when the caller
    prefetched it for many people; otherwise it is read here (one query).
    """
    if conversation.status == Conversation.Status.COMPLETED:
        journal = conversation.journal if conversation.journal_id else None
    elif conversation.status == Conversation.Status.CANCELLED:
        return None
    elif open_journal is not _READ:
        journal = open_journal
    else:
        journal = open_journal_for(conversation.individual_id)
    # Its owner is the conversation's individual: when already loaded, no query to read again.
    if (
        journal is not None
        and journal.owner_id == conversation.individual_id
        and _INDIVIDUAL.is_cached(conversation)
        and not _OWNER.is_cached(journal)
    ):
        journal.owner = conversation.individual
    return journal


@dataclass(frozen=True)
class RecordedSection:
    """One section the completed conversation's record says was shared, and whether it still is
    (its answers show only while it is)."""

    slug: str
    title: str
    shared_at: datetime | None
    still_shared: bool


def shared_at_completion(
    conversation: Conversation, views: list[SectionView]
) -> list[RecordedSection]:
    """The sections shared when the conversation was completed (titles and times only), each
    marked with whether the viewer still sees it today (`views`: today's shared sections)."""
    if conversation.status != Conversation.Status.COMPLETED:
        return []
    now_shared = {view.section.slug for view in views}
    rows = []
    for item in conversation.shared_at_completion or []:
        when = item.get("shared_at")
        rows.append(
            RecordedSection(
                slug=item.get("slug", ""),
                title=item.get("title", ""),
                shared_at=datetime.fromisoformat(when) if when else None,
                still_shared=item.get("slug") in now_shared,
            )
        )
    return rows


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
    shared_at: datetime | None = None


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


def shared_sections(
    viewer: User, journal: Journal | None, holder: User | None = None
) -> list[SectionView]:
    """The journal sections the individual has shared with `viewer` by name, with their
    answers (two queries) and since when they were shared with that reader. The individual
    sees exactly what `holder` (the conversation's facilitator) may read; without a holder,
    what they shared with anyone (journals.policies)."""
    if journal is None:
        return []
    visible = journal_policies.shared_sections(viewer, journal)
    reader = viewer
    if journal.owner_id == viewer.pk:
        reader = holder
        visible &= (
            journal_policies.shared_sections(holder, journal)
            if holder is not None
            else journal_policies.shared_with_anyone(journal)
        )
    if not visible:
        return []
    reader_pk = reader.pk if reader is not None else None
    states = precompiled.fetch(
        ("conversations.shared_states",), _shared_states, journal.pk, sorted(visible), reader_pk
    )
    answers: dict[int, list[Answer]] = {}
    if states:
        found = precompiled.fetch(
            ("conversations.shared_answers",), _shared_answers, [js.pk for js in states]
        )
        for answer in found:
            answers.setdefault(answer.journal_section_id, []).append(answer)
    return [
        SectionView(section=js.section, answers=answers.get(js.pk, []), shared_at=js.shared_since)
        for js in states
    ]


def _shared_states(journal_pk: int, slugs: list[str], reader_pk: int | None) -> QuerySet:
    shares = Q(shares__reader_id=reader_pk) if reader_pk is not None else Q()
    return (
        JournalSection.objects.filter(journal=journal_pk, section__slug__in=slugs)
        .select_related("section")
        .annotate(shared_since=Min("shares__shared_at", filter=shares))
        .order_by("section__order", "section__pk")
    )


def _shared_answers(journal_section_ids: list[int]) -> QuerySet:
    return Answer.objects.filter(journal_section__in=journal_section_ids).order_by(
        "question_order", "pk"
    )


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


def unshared_preparation(
    preparation: Preparation | None,
    shared: list[SectionView],
    *,
    among: list[Section] | None = None,
) -> list[SectionView]:
    """The facilitator's own preparation for the sections the individual keeps private (for
    example the reasonable adjustments beside health and well-being): always shown to its
    author, with no answers. `among`: the sections to look in, already read (a stage's, which
    its page reads for the questions anyway: no second query); every section otherwise."""
    if preparation is None:
        return []
    shown = {view.section.slug for view in shared}
    if among is None:
        sections = precompiled.fetch(("conversations.unshared",), _unshared_sections, sorted(shown))
    else:
        sections = [
            s for s in among if s.slug in guide.PREPARATION_FOR_SECTION and s.slug not in shown
        ]
    views = []
    for section in sections:
        items = prep_items(preparation, guide.PREPARATION_FOR_SECTION[section.slug])
        if any(item.value for item in items):
            views.append(SectionView(section=section, preparation=items))
    return views


def _unshared_sections(shown: list[str]) -> QuerySet:
    return (
        Section.objects.filter(slug__in=list(guide.PREPARATION_FOR_SECTION))
        .exclude(slug__in=shown)
        .order_by("stage", "order", "pk")
    )


def _position_section_slugs() -> set[str]:
    return set(precompiled.fetch(("conversations.position_slugs",), _position_slugs_query))


def _position_slugs_query() -> QuerySet:
    return Question.objects.filter(kind=Question.Kind.POSITION).values_list(
        "section__slug", flat=True
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
