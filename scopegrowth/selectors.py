"""Read models for the people pages (home) and the framework page."""

from __future__ import annotations

from django.db.models import Q

from scopegrowth import access, registry
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


def home_context(user: User, user_roles: frozenset[str]) -> dict:
    """What the home page shows for this person's roles, in a fixed number of queries: the
    core's people and links, then each app's card (`<app>/home.py`: the journal, the next
    conversation, the current plan)."""
    manager_link = (
        ManagerLink.objects.active().filter(report=user).select_related("manager").first()
    )
    coaches = [
        link.coach
        for link in CoachLink.objects.active().filter(coachee=user).select_related("coach")
    ]
    reports = []
    if user_roles & {access.MANAGER, access.COACH}:
        reports = list(
            access.scope(user, "facilitate", User).select_related("team").order_by("full_name")
        )
    context = {
        "user_roles": user_roles,
        "line_manager": manager_link.manager if manager_link else None,
        "coaches": coaches,
        "reports": reports,
        "is_manager": access.MANAGER in user_roles,
        "is_coach": access.COACH in user_roles,
        "is_hr": access.HR in user_roles,
        "is_admin": access.ADMIN in user_roles,
    }
    for card in sorted(registry.HOME_CARDS, key=lambda c: c.order):
        context.update(card.context(user, user_roles))
    return context
