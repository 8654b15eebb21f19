"""Who is in a round, and what each person has done in it: computed live, never stored.

The rule (also in the package docstring): the round's organisation's active people who have not
left and, unless the round is for the whole organisation, whose current team is a chosen team or
in a chosen directorate. Their records count when they fall in the round's window (opened ->
closed, or now while open). Every read of a round's figures builds on these expressions, so the
completion page, the team list, the home card, the dashboard and the reminders agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from conversations.models import Conversation
from devplans.models import Plan, Review
from journals.models import Journal
from rounds.models import Round


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    #: The day overdue is judged on: today while open, the closing day once closed.
    judged_on: date

    @property
    def start_day(self) -> date:
        return timezone.localtime(self.start).date()


def window(round_: Round, now: datetime | None = None) -> Window | None:
    """The round's window, or None for a draft (nothing counts before it opens)."""
    if round_.opened_at is None:
        return None
    now = now or timezone.now()
    end = round_.closed_at or now
    return Window(round_.opened_at, end, timezone.localtime(end).date())


def audience_q(round_: Round, prefix: str = "", today: date | None = None) -> Q:
    """Q on people (at `prefix`, e.g. "individual__") in the round's audience now (`today`, read
    from the clock unless given: a precompiled query passes it in)."""
    today = today or timezone.localdate()
    q = Q(
        **{
            f"{prefix}organisation_id": round_.organisation_id,
            f"{prefix}is_active": True,
        }
    ) & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today}))
    if round_.whole_organisation:
        return q
    teams = Round.teams.through.objects.filter(round_id=round_.pk).values("team_id")
    directorates = Round.directorates.through.objects.filter(round_id=round_.pk).values(
        "directorate_id"
    )
    return q & (
        Q(**{f"{prefix}team_id__in": teams})
        | Q(**{f"{prefix}team__directorate_id__in": directorates})
    )


def rounds_for_person_q(person) -> Q:
    """Q on rounds whose audience includes `person` (their organisation, and their current
    team or its directorate unless the round is for everyone)."""
    if person.organisation_id is None or not person.is_active:
        return Q(pk__in=[])
    if person.left_on and person.left_on <= timezone.localdate():
        return Q(pk__in=[])
    q = Q(whole_organisation=True)
    if person.team_id:
        q |= Q(teams=person.team_id) | Q(directorates__teams=person.team_id)
    return Q(organisation_id=person.organisation_id) & q


def flags(win: Window, outer: str = "pk") -> dict[str, Exists]:
    """Exists() per step for the person at `outer`: journal ready, conversation held, plan
    agreed in the window; a review due in the window (up to the judging day), held on time,
    and overdue (due before the judging day, not held)."""
    person = OuterRef(outer)
    reviews = Review.objects.filter(
        plan__individual=person,
        plan__status=Plan.Status.AGREED,
        due_on__gte=win.start_day,
        due_on__lte=win.judged_on,
    )
    return {
        "journal_done": Exists(
            Journal.objects.filter(owner=person, ready_at__gte=win.start, ready_at__lte=win.end)
        ),
        "conversation_done": Exists(
            Conversation.objects.filter(
                individual=person,
                status=Conversation.Status.COMPLETED,
                completed_at__gte=win.start,
                completed_at__lte=win.end,
            )
        ),
        "plan_done": Exists(
            Plan.objects.filter(individual=person, agreed_at__gte=win.start, agreed_at__lte=win.end)
        ),
        "review_due": Exists(reviews),
        "review_on_time": Exists(reviews.filter(held_on__isnull=False, held_on__lte=F("due_on"))),
        "review_overdue": Exists(reviews.filter(held_on__isnull=True, due_on__lt=win.judged_on)),
    }
