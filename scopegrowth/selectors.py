"""Read models for the people pages (home)."""

from __future__ import annotations

from conversations.selectors import next_conversation_for
from devplans.selectors import current_plan_for
from journals.selectors import home_journal_card
from scopegrowth import access
from scopegrowth.models import CoachLink, ManagerLink, User


def home_context(user: User, user_roles: frozenset[str]) -> dict:
    """What the home page shows for this person's roles, in a fixed number of queries."""
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
    return {
        "user_roles": user_roles,
        "journal_card": home_journal_card(user),
        "next_conversation": next_conversation_for(user),
        "current_plan": current_plan_for(user),
        "line_manager": manager_link.manager if manager_link else None,
        "coaches": coaches,
        "reports": reports,
        "is_manager": access.MANAGER in user_roles,
        "is_coach": access.COACH in user_roles,
        "is_hr": access.HR in user_roles,
        "is_admin": access.ADMIN in user_roles,
    }
