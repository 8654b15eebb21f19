"""Read models for the round pages: completion by directorate and team, a team's statuses, the
home card and the manager's panel. Each is a fixed number of queries whatever the audience size
(the figures are counted by the database, grouped by team)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rounds import members
from rounds.audience import Window, audience_q, flags, rounds_for_person_q, window
from rounds.models import Round
from scopegrowth import access, precompiled
from scopegrowth.models import ManagerLink, User

#: The measures counted per person, in the order the pages show them.
MEASURES = ("journal", "conversation", "plan")
COUNTS = ("journal_done", "conversation_done", "plan_done", "review_due", "review_on_time",
          "review_overdue")  # fmt: skip


def share(part: int, whole: int) -> int | None:
    """A whole-number percentage (None when nobody is counted: no figure, not 0%)."""
    return round(100 * part / whole) if whole else None


@dataclass
class Figures:
    """The counts for a group of people (a team, a directorate, the audience)."""

    total: int = 0
    journal_done: int = 0
    conversation_done: int = 0
    plan_done: int = 0
    review_due: int = 0
    review_on_time: int = 0
    review_overdue: int = 0
    #: step -> overdue count, set from the round's deadlines (`overdue_for`).
    overdue: dict[str, int] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        self.total += other.total
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def overdue_for(self, round_: Round, win: Window) -> Figures:
        self.overdue = {
            step: (self.total - getattr(self, f"{step}_done"))
            if win.judged_on > round_.deadline(step)
            else 0
            for step in MEASURES
        }
        return self

    @property
    def shares(self) -> dict[str, int | None]:
        found = {step: share(getattr(self, f"{step}_done"), self.total) for step in MEASURES}
        found["review"] = share(self.review_on_time, self.review_due)
        return found

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values()) + self.review_overdue


@dataclass
class Group:
    pk: int | None
    name: str
    figures: Figures
    teams: list[Group] = field(default_factory=list)
    previous: Figures | None = None


@dataclass
class Completion:
    round: Round
    window: Window | None
    overall: Figures
    directorates: list[Group]
    previous_round: Round | None = None
    previous: Figures | None = None

    @property
    def teams(self) -> list[tuple[Group, Group]]:
        return [(d, t) for d in self.directorates for t in d.teams]


def _aggregates(win: Window) -> dict[str, Any]:
    exists = flags(win)
    return {"total": Count("pk"), **{n: Count("pk", filter=exists[n]) for n in COUNTS}}


def _grouped(round_: Round, win: Window) -> list[Group]:
    """Counts per team: live while the round is open, from its members once closed."""
    if round_.state == Round.State.CLOSED:
        rows = members.grouped_rows(round_)
    else:
        rows = (
            User.objects.filter(audience_q(round_))
            .values("team_id", "team__name", "team__directorate_id", "team__directorate__name")
            .annotate(**_aggregates(win))
            .order_by("team__directorate__name", "team__name", "team_id")
        )
    directorates: dict[Any, Group] = {}
    for row in rows:
        key = row["team__directorate_id"]
        figures = Figures(total=row["total"], **{n: row[n] for n in COUNTS})
        group = directorates.get(key)
        if group is None:
            name = row["team__directorate__name"] or "No team recorded"
            group = directorates[key] = Group(key, name, Figures())
        group.figures.add(figures)
        group.teams.append(
            Group(row["team_id"], row["team__name"] or "No team recorded", figures.overdue_for(
                round_, win))
        )  # fmt: skip
    for group in directorates.values():
        group.figures.overdue_for(round_, win)
    # People with no team recorded come last.
    return sorted(directorates.values(), key=lambda g: g.pk is None)


def previous_round(round_: Round) -> Round | None:
    """The round of the same organisation opened last before this one."""
    if round_.opened_at is None:
        return None
    return (
        Round.objects.filter(organisation_id=round_.organisation_id, opened_at__lt=round_.opened_at)
        .exclude(state=Round.State.DRAFT)
        .order_by("-opened_at")
        .first()
    )


def completion(round_: Round, compare: bool = True) -> Completion:
    """The round's figures by directorate and team, with the previous round's beside them."""
    win = window(round_)
    if win is None:
        return Completion(round_, None, Figures(), [])
    groups = _grouped(round_, win)
    overall = Figures()
    for group in groups:
        overall.add(group.figures)
    result = Completion(round_, win, overall.overdue_for(round_, win), groups)
    before = previous_round(round_) if compare else None
    if before is not None:
        earlier = completion(before, compare=False)
        result.previous_round, result.previous = before, earlier.overall
        by_pk = {d.pk: d.figures for d in earlier.directorates}
        for group in groups:
            group.previous = by_pk.get(group.pk)
    return result


def rounds_for_hr(user: Any) -> QuerySet[Round]:
    return access.scope(user, "view", Round).order_by("-created_at", "-pk")


def team_statuses(round_: Round, team_id: int | None) -> list[User]:
    """The people of one team in the round, each with their steps' status only (never what
    they wrote): `journal_done`, `conversation_done`, `plan_done`, `review_due`, ...; a closed
    round's as they were at the close, in the team they were in then."""
    win = window(round_)
    if win is None:
        return []
    if round_.state == Round.State.CLOSED:
        return members.team_people(round_, team_id)
    team_q = Q(team_id=team_id) if team_id else Q(team__isnull=True)
    return list(
        User.objects.filter(audience_q(round_) & team_q)
        .annotate(**flags(win))
        .select_related("team")
        .order_by("full_name", "pk")
    )


@dataclass
class Step:
    label: str
    deadline: Any
    done: bool
    overdue: bool


def _steps(round_: Round, row: dict, judged_on) -> list[Step]:
    return [
        Step(label, round_.deadline(key), bool(row[f"{key}_done"]),
             not row[f"{key}_done"] and judged_on > round_.deadline(key))
        for key, _, label in Round.STEPS
    ]  # fmt: skip


def my_rounds(user: Any) -> list[dict[str, Any]]:
    """The open rounds the person is in, with their deadlines and what is done or overdue (one
    query for the rounds, one per open round: there is rarely more than one). Both queries'
    SQL is built once per process (`precompiled`): the clock's dates and the ids are their
    arguments."""
    if not access.is_person(user):
        return []
    rounds = precompiled.fetch(
        ("my_rounds",), _my_rounds_query,
        access.scope_q(user, "follow", Round), rounds_for_person_q(user),
    )  # fmt: skip
    now = timezone.now()
    today = timezone.localdate(now)
    found = []
    for round_ in rounds:
        win = window(round_, now)
        row = precompiled.first(
            ("my_round_flags",), _my_round_flags_query,
            user.pk, round_.pk, round_.organisation_id, round_.whole_organisation, today,
            win.start, win.end, win.start_day, win.judged_on,
        )  # fmt: skip
        if row is not None:
            steps = _steps(round_, row, win.judged_on)
            found.append({"round": round_, "steps": steps,
                          "overdue": [s for s in steps if s.overdue]})  # fmt: skip
    return found


def _my_rounds_query(scope: Q, person: Q) -> QuerySet:
    """The rounds `my_rounds` lists: those the person may follow and is in the audience of."""
    return Round.objects.filter(scope).filter(person).distinct().order_by("journal_ready_by", "pk")


@dataclass(frozen=True)
class _GivenWindow(Window):
    """A `Window` whose first day is given (not read from the clock's time zone)."""

    first_day: Any = None

    @property
    def start_day(self) -> Any:
        return self.first_day


def _my_round_flags_query(
    pk: int, round_pk: int, organisation_id: int, whole: bool, today: Any,
    start: Any, end: Any, start_day: Any, judged_on: Any,
) -> QuerySet:  # fmt: skip
    """The person's flags in a round (a row if they are in its audience): `audience_q` and
    `flags`, for the round's ids and window given as arguments."""
    round_ = Round(pk=round_pk, organisation_id=organisation_id, whole_organisation=whole)
    win = _GivenWindow(start, end, judged_on, start_day)
    return (
        User.objects.filter(audience_q(round_, today=today), pk=pk)
        .annotate(**flags(win))
        .values(*(f"{k}_done" for k in MEASURES))
        .order_by("pk")[:1]
    )


def manager_rounds(user: Any) -> list[dict[str, Any]]:
    """For a line manager's dashboard: each open round of their organisation with the figures
    of their own current reports in it (never anyone else's). Precompiled: the round's ids and
    the window's dates are the queries' arguments."""
    if not access.is_person(user):
        return []
    rounds = precompiled.fetch(
        ("manager_rounds",), _followed_rounds, access.scope_q(user, "follow", Round)
    )
    found = []
    now, today = timezone.now(), timezone.localdate()
    for round_ in rounds:
        win = window(round_, now)
        if win is None:
            continue
        row = precompiled.first(
            ("manager_round_figures",),
            _reports_figures,
            user,
            round_.pk,
            round_.organisation_id,
            round_.whole_organisation,
            today,
            win.start,
            win.end,
            win.start_day,
            win.judged_on,
        )
        if row is not None and row["total"]:
            figures = Figures(total=row["total"], **{n: row[n] for n in PANEL_COUNTS})
            found.append({"template": "rounds/_dashboard_round.html", "round": round_,
                          "figures": figures.overdue_for(round_, win)})  # fmt: skip
    return found


#: What the panel shows of a round: the three steps (its `Figures` do not count the reviews,
#: which it does not show: three subqueries per person fewer).
PANEL_COUNTS = tuple(f"{step}_done" for step in MEASURES)


def _followed_rounds(scope: Q) -> QuerySet[Round]:
    return Round.objects.filter(scope).order_by("journal_ready_by", "pk")


def _reports_figures(
    user: Any, round_pk: int, organisation_id: int, whole: bool, today, start, end, day, judged
) -> QuerySet:
    """One row (or none): the round's figures the panel shows (`PANEL_COUNTS`) for the user's
    current reports in its audience."""
    round_ = Round(pk=round_pk, organisation_id=organisation_id, whole_organisation=whole)
    reports = ManagerLink.objects.active().filter(manager=user).values("report")
    done = flags(_GivenWindow(start, end, judged, day))
    return (
        User.objects.filter(audience_q(round_, today=today), pk__in=reports)
        .order_by()
        .values("organisation_id")
        .annotate(total=Count("pk"), **{n: Count("pk", filter=done[n]) for n in PANEL_COUNTS})[:1]
    )
