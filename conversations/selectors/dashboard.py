"""The facilitator's dashboard: one row per person they line-manage or coach, in five queries
whatever the team size; and the conversations they facilitate, for "Your conversations"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone

from conversations.models import Conversation
from conversations.selectors.conversation import (
    PrepState,
    Tag,
    prep_state,
    status_tag,
)
from conversations.selectors.dashboard_queries import (
    conversations_rows,
    conversations_rows_query,
    instances,
    journals_rows_query,
    padded,
    people_from_rows,
    people_rows_query,
    questions_query,
    sections_rows_query,
)
from conversations.selectors.links import RowLinks
from conversations.selectors.sections import journal_of
from journals.models import Journal, JournalSection
from journals.policies import shared_with_q
from scopegrowth import access, precompiled
from scopegrowth.models import GrowthCategory, User

# =============================================================================
# The facilitator's dashboard
# =============================================================================

ACTIONS: dict[str, str] = {
    "overdue": "Overdue: complete or reschedule",
    "prepare": "Prepare for the conversation",
    "agree_plan": "Agree the plan",
    "review": "Review the plan",
    "schedule": "Schedule a conversation",
    "none": "Nothing needed now",
}
ACTION_ORDER = {key: n for n, key in enumerate(ACTIONS)}
OVERDUE_REVIEW_RANK = 0.5  # an overdue review ranks just after an overdue conversation
SORTS = ("name", "date", "action")


@dataclass
class DashboardRow:
    person: User
    relation: str
    answered: int
    total: int
    journal: Journal | None
    shared_titles: list[str]
    conversation: Conversation | None
    prep: PrepState | None
    status: Tag | None
    position: dict | None
    plan_id: int | None
    plan_status: str
    has_agreed_plan: bool
    next_review: date | None
    action: str  # the most urgent of `actions`
    actions: tuple[str, ...] = ()  # every action the row needs now, most urgent first
    today: date | None = None  # the request's date (read once for every row)
    urls: dict[str, str] = field(default_factory=dict)  # the row's links ("" when none)

    @property
    def action_label(self) -> str:
        return ACTIONS[self.action]

    @property
    def review_overdue(self) -> bool:
        """The agreed plan's next review date has passed and it was not recorded as held."""
        today = self.today or timezone.localdate()
        return self.next_review is not None and self.next_review < today

    @property
    def action_items(self) -> list[tuple[str, str]]:
        keys = self.actions or (self.action,)
        labels = ACTIONS
        if "review" in keys and self.review_overdue:
            labels = dict(ACTIONS)
            labels["review"] = (
                f"Review the plan: overdue since {self.next_review.day} {self.next_review:%b %Y}"
            )
        return [(key, labels[key]) for key in keys]

    @property
    def journal_state(self) -> str:
        """From what is shared only: private answers (or whether the journal was opened at
        all) must not show here."""
        if self.journal is not None and self.journal.ready_at:
            return "Ready"
        return "In progress" if self.answered else "Nothing shared yet"


@dataclass
class PositionCount:
    label: str
    now: int
    future: int


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    total: int
    teams: list[tuple[int, str]]
    action_counts: dict[str, int]
    positions: list[PositionCount]
    without_position: int
    sort: str
    filters: dict[str, str]

    @property
    def action_options(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.action_counts[key]) for key, label in ACTIONS.items()]

    @property
    def needing_action(self) -> int:
        return self.total - self.action_counts["none"]


def _dashboard_people(user: User) -> list[User]:
    """The people, each with `open_journals` (each with `shared_states`, the sections shared
    with the user) and `open_conversations`: four precompiled queries (fewer when there is
    nothing to read), the same as prefetching them."""
    scope = access.scope_q(user, "facilitate", User)
    if scope is access.NOTHING:
        return []
    shared = shared_with_q(user)
    # The driver's rows made into instances (`people`): no `Model.__init__` nor Django's
    # per-value conversion per row.
    people = people_from_rows(
        precompiled.raw_rows(("dashboard_people",), people_rows_query, user, scope)
    )
    if not people:
        return people
    by_pk = {person.id: person for person in people}
    owners = padded(list(by_pk))
    journals = instances(
        Journal, precompiled.fetch(("dashboard_journals",), journals_rows_query, owners)
    )
    by_journal = {}
    for journal in journals:
        owner = by_pk[journal.owner_id]
        # Each relation is put in the instance's cache, as setting it would (its id is
        # already the same): the descriptor's checks were a tenth of a row.
        journal._state.fields_cache["owner"] = owner
        journal.shared_states = []
        owner.open_journals.append(journal)
        by_journal[journal.pk] = journal
    if journals and shared is not access.NOTHING:
        for js in instances(
            JournalSection,
            precompiled.fetch(
                ("dashboard_sections",), sections_rows_query, shared, padded(list(by_journal))
            ),
        ):
            journal = by_journal[js.journal_id]
            js._state.fields_cache["journal"] = journal
            journal.shared_states.append(js)
    for conversation in conversations_rows(
        precompiled.fetch(("dashboard_conversations",), conversations_rows_query, owners)
    ):
        person = by_pk[conversation.individual_id]
        conversation._state.fields_cache["individual"] = person
        person.open_conversations.append(conversation)
    return people


def _actions(
    row: DashboardRow, has_completed: bool, today: date, viewer_pk: int
) -> tuple[str, ...]:
    """Every action the row needs now, most urgent first: an overdue conversation, then an
    overdue review, then the rest in `ACTIONS` order ("none" alone when nothing is needed).
    "Prepare" only for the one who holds the conversation (or who will take it over from
    someone who no longer supports the person): never for a conversation a co-facilitator
    holds, nor for one whose date has passed."""
    c = row.conversation
    found = []
    if c is not None and c.is_overdue:
        found.append("overdue")
    elif (
        c is not None
        and c.status == Conversation.Status.SCHEDULED
        and (c.facilitator_id == viewer_pk or not c.holder_supports)
        and not (row.prep and row.prep.facilitator_ready)
    ):
        found.append("prepare")
    if row.plan_status == "draft" or (c is None and has_completed and not row.has_agreed_plan):
        found.append("agree_plan")
    if row.next_review is not None and row.next_review <= today:
        found.append("review")
    if c is None and not row.has_agreed_plan and "agree_plan" not in found:
        found.append("schedule")
    if len(found) < 2:  # most rows: nothing to order
        return (found[0],) if found else ("none",)
    overdue_review = row.next_review is not None and row.next_review < today

    def rank(key: str) -> float:
        return OVERDUE_REVIEW_RANK if key == "review" and overdue_review else ACTION_ORDER[key]

    return tuple(sorted(found, key=rank))


def _rank(row: DashboardRow) -> float:
    if row.action == "review" and row.review_overdue:
        return OVERDUE_REVIEW_RANK
    return ACTION_ORDER[row.action]


ROW_LINKS = {
    "person": "devplans:person",
    "plan": "devplans:detail",
    "journal": "journals:overview",
    "conversation": "conversations:detail",
    "prepare": "conversations:prepare",
    "schedule": "conversations:schedule",
}


_LINK_PARTS: dict[tuple, dict[str, tuple[str, str] | None]] = {}


def _row_links() -> Callable[[str, int | None], str]:
    """`link(key, pk)`: the path of `ROW_LINKS[key]` for that pk ("" without one, or when the
    project does not route it): one `reverse` per URL name, URL configuration and script
    prefix (kept for the process, as the header's links are), then a prefix and a pk."""
    where = (get_urlconf(), get_script_prefix())
    parts = _LINK_PARTS.get(where)
    if parts is None:
        links = RowLinks()
        parts = {key: links.parts(name) for key, name in ROW_LINKS.items()}
        _LINK_PARTS[where] = parts

    def link(key: str, pk: int | None) -> str:
        found = parts[key]
        return f"{found[0]}{int(pk)}{found[1]}" if pk and found else ""

    return link


def dashboard_rows(
    user: User, *, sort: str = "name", filters: dict[str, str] | None = None
) -> Dashboard:
    """One row per person the user currently line-manages or coaches: journal progress and
    sharing, the next conversation and who has prepared, the plan and its next review, and what
    needs doing now. Five queries, whatever the team size."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    sort = sort if sort in SORTS else "name"
    today = timezone.localdate()
    # section id -> questions asked now
    questions_in = dict(precompiled.fetch(("dashboard_questions",), questions_query))
    rows: list[DashboardRow] = []
    link = _row_links()
    viewer_pk = user.pk  # read once (the request's user is a lazy object)
    growth = {value: str(label).split(":")[0] for value, label in GrowthCategory.choices}
    for person in _dashboard_people(user):
        journals = person.open_journals
        candidate = journals[0] if journals else None
        conversation = person.open_conversations[0] if person.open_conversations else None
        # The journal the next conversation reads (`journal_of`, the one link), from the
        # prefetched candidate: no query per row.
        journal = journal_of(conversation, open_journal=candidate) if conversation else candidate
        prep = status = None
        if conversation is not None:  # its individual is `person` (`_dashboard_people`)
            prep = prep_state(conversation, conversation.holder_prepared, journal, user)
            status = status_tag(conversation, prep.both)
        position = None
        latest = person.latest_completed  # its agreed position; None: nothing completed yet
        if latest and latest["now_growth"]:
            position = {
                "now": f"{growth.get(latest['now_growth'], '')}, {latest['now_impact']}",
                "future": (f"{growth.get(latest['future_growth'], '')}, {latest['future_impact']}"),
            }
        states = journal.shared_states if journal else ()
        plan_id = person.plan_id
        row = DashboardRow(
            person=person,
            relation="Line manager" if person.is_report else "Coach",
            answered=sum(js.answered for js in states) if states else 0,
            total=sum(questions_in.get(js.section_id, 0) for js in states) if states else 0,
            journal=journal,
            shared_titles=[js.section_title for js in states],
            conversation=conversation,
            prep=prep,
            status=status,
            position=position,
            plan_id=plan_id,
            plan_status=person.plan_status or "",
            has_agreed_plan=person.has_agreed_plan,
            next_review=person.next_review,
            action="none",
            today=today,
        )
        row.actions = actions = _actions(row, latest is not None, today, viewer_pk)
        row.action = actions[0]
        c_pk = conversation.id if conversation else None
        row.urls = {
            "person": link("person", person.id),
            "plan": link("plan", plan_id),
            "journal": link("journal", journal.id if journal else None),
            "conversation": link("conversation", c_pk),
            "prepare": link("prepare", c_pk),
            "schedule": link("schedule", person.id),
        }
        rows.append(row)

    teams = sorted(
        {(r.person.team_id, r.person.team_name) for r in rows if r.person.team_id},
        key=lambda t: t[1],
    )
    counts = {key: 0 for key in ACTIONS}
    for r in rows:
        for key in r.actions:
            counts[key] += 1
    positions: dict[str, PositionCount] = {}
    without = 0
    for r in rows:
        if r.position is None:
            without += 1
            continue
        positions.setdefault(r.position["now"], PositionCount(r.position["now"], 0, 0)).now += 1
        positions.setdefault(
            r.position["future"], PositionCount(r.position["future"], 0, 0)
        ).future += 1

    shown = rows
    if filters.get("action") in ACTIONS:
        shown = [r for r in shown if filters["action"] in r.actions]
    if filters.get("team", "").isdigit():
        shown = [r for r in shown if r.person.team_id == int(filters["team"])]
    if filters.get("q"):
        words = filters["q"].casefold().split()
        shown = [
            r
            for r in shown
            if all(w in f"{r.person.full_name} {r.person.job_title}".casefold() for w in words)
        ]
    if sort == "date":
        shown.sort(
            key=lambda r: (
                r.conversation is None,
                r.conversation.scheduled_at.timestamp() if r.conversation else 0,
                r.person.full_name.lower(),
            )
        )
    elif sort == "action":
        shown.sort(key=lambda r: (_rank(r), r.person.full_name.lower()))
    else:
        shown.sort(key=lambda r: r.person.full_name.lower())
    return Dashboard(
        rows=shown,
        total=len(rows),
        teams=teams,
        action_counts=counts,
        positions=sorted(positions.values(), key=lambda p: p.label),
        without_position=without,
        sort=sort,
        filters=filters,
    )


def facilitated_conversations(user: User) -> list[Conversation]:
    """The conversations the user facilitates for people they still manage or coach (upcoming
    and held), soonest first; never the preparation or the private notes."""
    return list(
        access.scope(user, "facilitate", Conversation.objects.select_related("individual"))
        .filter(facilitator=user)
        .only(
            "pk",
            "status",
            "scheduled_at",
            "duration_minutes",
            "location",
            "individual__id",
            "individual__full_name",
            "individual__job_title",
        )
        .order_by("scheduled_at")
    )
