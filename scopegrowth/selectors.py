"""Read models for the people pages (home) and the framework page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from scopegrowth import access, precompiled, registry
from scopegrowth.models import CoachLink, ImpactLevel, ManagerLink, User


def impact_levels_for(user: User) -> list[ImpactLevel]:
    """The organisation's own impact levels when it named any, else the default levels."""
    levels = list(
        ImpactLevel.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id)
        )
    )
    own = [lvl for lvl in levels if lvl.organisation_id is not None]
    return own or levels


@dataclass(frozen=True)
class Supporters:
    """A person (their row, with their team) and who supports them now: their current line
    manager and their assigned coaches in the order they were assigned. Deactivated accounts
    are included (each has `is_active`): callers choose."""

    person: User | None
    line_manager: User | None
    coaches: tuple[User, ...]


def supporters_of(person_id: int) -> Supporters:
    """The person and who supports them now (`Supporters`), in one query: the line manager and
    coaches are found through an uncorrelated IN over the person's links (index reads), then
    flagged on the few rows found. Its SQL is built once per process (`precompiled`)."""
    rows = precompiled.objects(("supporters_of",), _supporters_query, person_id)
    return Supporters(
        person=next((u for u in rows if u.pk == person_id), None),
        line_manager=next((u for u in rows if u._manages), None),
        coaches=tuple(
            sorted((u for u in rows if u._coach_link is not None), key=lambda u: u._coach_link)
        ),
    )


def _supporters_query(person_id: int) -> QuerySet:
    managing = ManagerLink.objects.active().filter(report_id=person_id)
    coaching = CoachLink.objects.active().filter(coachee_id=person_id)
    # One IN over a UNION of the ids (the person's, their managers', their coaches'): an OR of
    # the three made PostgreSQL filter every user row (a hashed subplan cannot use the index).
    around = (
        User.objects.filter(pk=person_id)
        .order_by()
        .values("pk")
        .union(managing.values("manager_id"), coaching.values("coach_id"))
    )
    return (
        User.objects.filter(pk__in=around)
        .annotate(
            _manages=Exists(managing.filter(manager_id=OuterRef("pk"))),
            _coach_link=Subquery(coaching.filter(coach_id=OuterRef("pk")).values("pk")[:1]),
        )
        .select_related("team")
        .order_by("pk")
    )


def home_context(user: User, user_roles: frozenset[str]) -> dict:
    """What the home page shows for this person's roles, in a fixed number of queries: the
    core's people and links, then each app's card (`<app>/home.py`: the journal, the next
    conversation, the current plan)."""
    around = supporters_of(user.pk)
    reports = []
    if user_roles & {access.MANAGER, access.COACH}:
        reports = list(
            access.scope(user, "facilitate", User).select_related("team").order_by("full_name")
        )
    context = {
        "user_roles": user_roles,
        "line_manager": around.line_manager,
        "coaches": list(around.coaches),
        "team": around.person.team if around.person else None,
        "reports": reports,
        "is_manager": access.MANAGER in user_roles,
        "is_coach": access.COACH in user_roles,
        "is_hr": access.HR in user_roles,
        "is_admin": access.ADMIN in user_roles,
    }
    for card in sorted(registry.HOME_CARDS, key=lambda c: c.order):
        context.update(card.context(user, user_roles))
    return context
