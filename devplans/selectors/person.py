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

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from conversations.models import Conversation
from conversations.selectors import status_tag
from devplans import dates
from devplans.content import position_label
from devplans.models import Objective, Plan, PlanCheckIn, ProgressNote, Review
from journals.models import Journal, JournalSection
from journals.policies import shared_with_q
from scopegrowth import access, precompiled
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
    when_text: str = ""  # these three: `written()`
    when_iso: str = ""
    summary: str = ""

    @property
    def sort_key(self) -> float:
        moment = self.when
        if not isinstance(moment, datetime):
            moment = timezone.make_aware(datetime.combine(moment, time(12)))
        return moment.timestamp()

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)

    def written(self) -> Event:
        """Its date and summary as the timeline shows them (`when_text`, `when_iso`,
        `summary`): what the `date` and `truncatewords:40` filters gave, worked out here rather
        than by a template lookup per filter (issue 20)."""
        self.when_text = dates.moment(self.when) if self.has_time else dates.day(self.when)
        self.when_iso = dates.machine(self.when)
        self.summary = Truncator(self.detail).words(40, truncate=" …") if self.detail else ""
        return self


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

    def written(self) -> PlanLineage:
        """The card's dates as text (`devplans.dates`), for the template to print as they are."""
        self.started_text = dates.day(self.versions[-1].created_at)
        self.held_count = len(self.held_reviews)
        waiting = self.next_review
        self.next_review_text = dates.day(waiting.due_on) if waiting else ""
        for plan in self.versions:
            plan.agreed_text = dates.day(plan.agreed_at)
        return self


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
            for note in objective.progress_notes:
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


def _lineages(plans: list[Plan], related: dict[str, dict[int, list]]) -> list[PlanLineage]:
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
        lineage.reviews = related["reviews"].get(lineage.live.pk, [])
        lineage.objectives = related["objectives"].get(lineage.live.pk, [])
        # Check-ins belong to the version they were recorded on (never copied): all of them.
        lineage.checkins = [
            c for plan in lineage.versions for c in related["checkins"].get(plan.pk, [])
        ]
    return list(by_lineage.values())


def _grouped(rows: list, attr: str) -> dict[int, list]:
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(getattr(row, attr), []).append(row)
    return found


# Each read is built once per process (`precompiled`), from the viewer's `access` scope.


# The conversations and plans with only the people and levels the timeline names (the person
# is known): a row of eight joined tables costs its columns' converters on every read.


def _conversations(q: Q, person_pk: int) -> QuerySet:
    found = Conversation.objects.select_related(
        "facilitator", "agreed_now_impact", "agreed_future_impact"
    )
    found = found.filter(q).filter(individual=person_pk)
    return found.defer("agenda").order_by("-scheduled_at")


def _plans(q: Q, person_pk: int) -> QuerySet:
    found = Plan.objects.select_related("facilitator", "current_impact", "future_impact")
    found = found.filter(q).filter(individual=person_pk)
    return found.order_by("-created_at", "-number")


def _reviews(plan_ids: list[int]) -> QuerySet:
    return Review.objects.select_related("recorded_by").filter(plan__in=plan_ids)


def _checkins(plan_ids: list[int]) -> QuerySet:
    return PlanCheckIn.objects.select_related("author").filter(plan__in=plan_ids)


def _objectives(plan_ids: list[int]) -> QuerySet:
    return Objective.objects.order_by("order", "pk").filter(plan__in=plan_ids)


def _notes(objective_ids: list[int]) -> QuerySet:
    return ProgressNote.objects.select_related("author").filter(objective__in=objective_ids)


def _journals(q: Q, person_pk: int) -> QuerySet:
    return Journal.objects.filter(q).filter(owner=person_pk).order_by("-cycle")


def _shared_states(q: Q, journal_ids: list[int]) -> QuerySet:
    found = JournalSection.objects.filter(q).select_related("section")
    return found.order_by("section__order", "section__pk").filter(journal__in=journal_ids)


def _scoped(user: User, model: type, key: str, build: Any, person: User) -> list:
    q = access.scope_q(user, "view", model)
    return [] if q is access.NOTHING else precompiled.fetch(("person", key), build, q, person.pk)


def _by(key: str, build: Any, ids: list[int], attr: str) -> dict[int, list]:
    return _grouped(precompiled.fetch(("person", key), build, ids), attr) if ids else {}


def person_page(user: User, person: User) -> PersonPage:
    """What `user` (a current supporter, checked by the view) may see of `person`."""
    conversations = _scoped(user, Conversation, "conversations", _conversations, person)
    plans = _scoped(user, Plan, "plans", _plans, person)
    for row in (*conversations, *plans):  # their individual is the person
        row._state.fields_cache["individual"] = person
    plan_ids = [plan.pk for plan in plans]
    objectives = precompiled.fetch(("person", "objectives"), _objectives, plan_ids) if plans else []
    notes = _by("notes", _notes, [o.pk for o in objectives], "objective_id")
    for objective in objectives:
        objective.progress_notes = notes.get(objective.pk, [])
    related = {
        "reviews": _by("reviews", _reviews, plan_ids, "plan_id"),
        "checkins": _by("checkins", _checkins, plan_ids, "plan_id"),
        "objectives": _grouped(objectives, "plan_id"),
    }
    journals = _scoped(user, Journal, "journals", _journals, person)
    if journals:
        found = precompiled.fetch(
            ("person", "shared_states"),
            _shared_states,
            shared_with_q(user),
            [journal.pk for journal in journals],
        )
        states = _grouped(found, "journal_id")
        for journal in journals:
            journal.shared_states = states.get(journal.pk, [])
            journal.opened_text = dates.day(journal.opened_at)
            journal.closed_text = dates.day(journal.closed_at)
    lineages = _lineages(plans, related)
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
        plans=[lineage.written() for lineage in lineages],
        journals=journals,
        upcoming=[e.written() for e in sorted(upcoming, key=lambda e: e.sort_key)],
        history=[e.written() for e in sorted(history, key=lambda e: e.sort_key, reverse=True)],
    )
