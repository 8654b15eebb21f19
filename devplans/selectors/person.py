"""The person page (`/people/<id>/`): everything a supporter may see of one person, as a
timeline. It lives here, in the highest app it reads (conversations, plans, journals).

Every part starts from an `access` scope, so a part the viewer may not see is simply absent:
conversations (`view`), plan versions (`view`), journal cycles (`view`, which a facilitator has
only once a section is shared; only the shared sections' titles are listed, never an answer).
A fixed number of queries, however long the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from conversations.selectors import conversations_qs, status_tag
from devplans.content import position_label
from devplans.models import Objective, Plan, PlanCheckIn, ProgressNote, Review
from devplans.selectors.plans import plan_queryset
from journals.models import Journal, JournalSection
from journals.policies import shared_with_q
from scopegrowth import access
from scopegrowth.models import User


@dataclass
class Event:
    """One dated thing on the timeline."""

    when: datetime | date
    kind: str  # conversation, plan, review, progress, checkin, journal
    title: str
    url: str = ""
    detail: str = ""
    tag: Any = None

    @property
    def sort_key(self) -> float:
        moment = self.when
        if not isinstance(moment, datetime):
            moment = timezone.make_aware(datetime.combine(moment, time(12)))
        return moment.timestamp()

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


@dataclass
class PlanLineage:
    """Every version of one plan the viewer may see, newest first."""

    versions: list[Plan]
    live: Plan | None = None
    reviews: list[Review] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    checkins: list[PlanCheckIn] = field(default_factory=list)

    @property
    def current(self) -> Plan:
        return self.versions[0]

    @property
    def achieved(self) -> int:
        return sum(1 for o in self.objectives if o.status == Objective.Status.ACHIEVED)

    @property
    def held_reviews(self) -> list[Review]:
        return [r for r in self.reviews if r.held_on]

    @property
    def next_review(self) -> Review | None:
        waiting = [r for r in self.reviews if not r.held_on]
        return waiting[0] if waiting else None


@dataclass
class PersonPage:
    person: User
    relation: str
    conversations: list[Conversation]
    plans: list[PlanLineage]
    journals: list[Journal]
    upcoming: list[Event]
    history: list[Event]


def _conversation_events(conversations: list[Conversation]) -> list[Event]:
    events = []
    for c in conversations:
        c.tag = status_tag(c)
        c.position = (
            {
                "now": position_label(c.agreed_now_growth, c.agreed_now_impact),
                "future": position_label(c.agreed_future_growth, c.agreed_future_impact),
            }
            if c.has_agreed_position
            else None
        )
        detail = f"Facilitated by {c.facilitator.full_name}"
        if c.position:
            detail += f". Agreed position: {c.position['now']}; in two years: "
            detail += c.position["future"]
        events.append(
            Event(
                when=c.scheduled_at,
                kind="conversation",
                title="Conversation",
                url=reverse("conversations:detail", args=[c.pk]),
                detail=detail,
                tag=c.tag,
            )
        )
    return events


def _plan_events(lineages: list[PlanLineage]) -> list[Event]:
    events = []
    for lineage in lineages:
        for plan in lineage.versions:
            url = reverse("devplans:detail", args=[plan.pk])
            events.append(
                Event(
                    plan.created_at,
                    "plan",
                    f"Plan version {plan.number} started",
                    url,
                    f"With {plan.facilitator.full_name}",
                )
            )
            if plan.agreed_at:
                events.append(
                    Event(
                        plan.agreed_at,
                        "plan",
                        f"Plan version {plan.number} agreed",
                        url,
                        f"Now: {position_label(plan.current_growth, plan.current_impact)}; "
                        f"in two years: {position_label(plan.future_growth, plan.future_impact)}",
                    )
                )
        url = reverse("devplans:detail", args=[lineage.live.pk])
        for review in lineage.reviews:
            by = f" by {review.recorded_by.full_name}" if review.recorded_by else ""
            events.append(
                Event(
                    review.held_on or review.due_on,
                    "review",
                    f"Review held{by}" if review.held_on else "Review due",
                    url,
                    review.notes if review.held_on else "",
                )
            )
        for checkin in lineage.checkins:
            by = f" by {checkin.author.full_name}" if checkin.author else ""
            said = [
                f"{label}: {text}"
                for label, text in (
                    ("Progressed", checkin.progressed),
                    ("Blocked", checkin.blocked),
                )
                if text
            ]
            events.append(
                Event(
                    checkin.held_on,
                    "checkin",
                    f"Check-in recorded{by}",
                    reverse("devplans:detail", args=[checkin.plan_id]),
                    ". ".join(said),
                )
            )
        for objective in lineage.objectives:
            for note in objective.notes.all():
                by = f" by {note.author.full_name}" if note.author else ""
                events.append(
                    Event(
                        note.created_at,
                        "progress",
                        f"Progress recorded{by}",
                        url,
                        f"{objective.description}: {note.text}",
                    )
                )
    return events


def _journal_events(journals: list[Journal]) -> list[Event]:
    events = []
    for journal in journals:
        url = reverse("journals:overview", args=[journal.pk])
        shared = ", ".join(js.section.title for js in journal.shared_states)
        events.append(
            Event(
                journal.opened_at,
                "journal",
                f"Journal cycle {journal.cycle} opened",
                url,
                f"Shared with you: {shared}",
            )
        )
        if journal.ready_at:
            events.append(
                Event(journal.ready_at, "journal", f"Journal cycle {journal.cycle} ready", url)
            )
    return events


def _lineages(plans: list[Plan]) -> list[PlanLineage]:
    by_lineage: dict[Any, PlanLineage] = {}
    for plan in plans:  # newest first
        lineage = by_lineage.setdefault(plan.lineage, PlanLineage(versions=[]))
        lineage.versions.append(plan)
    for lineage in by_lineage.values():
        # Progress and reviews are recorded on the agreed version (a reopened draft holds a
        # copy of them as they were), so they are read from it, or from the newest version.
        lineage.live = next(
            (p for p in lineage.versions if p.status == Plan.Status.AGREED), lineage.current
        )
        lineage.reviews = list(lineage.live.reviews.all())
        lineage.objectives = list(lineage.live.objectives.all())
        # Check-ins belong to the version they were recorded on (never copied): all of them.
        lineage.checkins = [c for plan in lineage.versions for c in plan.checkins.all()]
    return list(by_lineage.values())


def person_page(user: User, person: User) -> PersonPage:
    """What `user` (a current supporter, checked by the view) may see of `person`."""
    conversations = list(
        access.scope(user, "view", conversations_qs())
        .filter(individual=person)
        .defer("agenda")
        .order_by("-scheduled_at")
    )
    plans = list(
        access.scope(user, "view", plan_queryset())
        .filter(individual=person)
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("recorded_by")),
            Prefetch("checkins", queryset=PlanCheckIn.objects.select_related("author")),
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("notes", queryset=ProgressNote.objects.select_related("author"))
                ),
            ),
        )
        .order_by("-created_at", "-number")
    )
    journals = list(
        access.scope(user, "view", Journal)
        .filter(owner=person)
        .prefetch_related(
            Prefetch(
                "journal_sections",
                queryset=JournalSection.objects.filter(shared_with_q(user))
                .select_related("section")
                .order_by("section__order", "section__pk"),
                to_attr="shared_states",
            )
        )
        .order_by("-cycle")
    )
    lineages = _lineages(plans)
    events = (
        _conversation_events(conversations) + _plan_events(lineages) + _journal_events(journals)
    )
    today = timezone.localdate()
    upcoming = [
        e
        for e in events
        if (e.kind == "conversation" and e.tag.key in ("scheduled", "in_progress", "prepared"))
        or (e.kind == "review" and e.title == "Review due" and e.when >= today)
    ]
    soon = {id(e) for e in upcoming}
    history = [e for e in events if id(e) not in soon]
    relation = "line manager" if access.manages(user, person) else "coach"
    return PersonPage(
        person=person,
        relation=relation,
        conversations=conversations,
        plans=lineages,
        journals=journals,
        upcoming=sorted(upcoming, key=lambda e: e.sort_key),
        history=sorted(history, key=lambda e: e.sort_key, reverse=True),
    )
