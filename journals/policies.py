"""Who may do what to a journal (registered with `scopegrowth.access` at start-up).

Reflection journals (issue 3). Private by default: the owner sees and does everything allowed
on their own journal; the current line manager or an assigned coach may *view* a journal only
once at least one section is shared, and then only the shared sections (`shared_sections`).
HR, admins, other managers, colleagues and unassigned coaches reach nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Model, OuterRef, Q

from journals.models import Journal, JournalSection, Section
from scopegrowth import access
from scopegrowth.access import COACH, INDIVIDUAL, MANAGER, NOTHING, Policy
from scopegrowth.models import CoachLink, ManagerLink, User


class JournalPolicy(Policy):
    """Actions on a `journals.Journal`: private by default; a facilitator reads only what is
    shared (`shared_sections`)."""

    actions = frozenset({"view", "own", "edit", "share", "mark_ready", "view_access_log", "notify"})
    system_actions = frozenset({"notify"})

    who = {
        "view": (
            {INDIVIDUAL, MANAGER, COACH},
            "the owner; a current facilitator once a section is shared",
        ),
        "own": ({INDIVIDUAL}, "the owner, any cycle (a post to a closed one is told it is closed)"),
        "edit": ({INDIVIDUAL}, "the owner, while the cycle is open"),
        "mark_ready": ({INDIVIDUAL}, "the owner, while the cycle is open"),
        "share": ({INDIVIDUAL}, "the owner, any cycle (unsharing is always possible)"),
        "view_access_log": ({INDIVIDUAL}, 'the owner ("who has read my journal")'),
        "notify": (frozenset(), "system only: the ready-for-conversation email"),
    }

    def q(self, user: Any, action: str) -> Q:
        own = Q(owner_id=user.pk)
        if action == "view":
            shared = Exists(
                JournalSection.objects.filter(journal=OuterRef("pk"), shared_at__isnull=False)
            )
            return own | (access.facilitated_people_q(user, prefix="owner__") & Q(shared))
        if action in ("own", "share", "view_access_log"):
            return own
        if action in ("edit", "mark_ready"):
            return own & Q(closed_at__isnull=True)
        return NOTHING

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        if obj.owner_id == user.pk:
            if action in ("view", "own", "share", "view_access_log"):
                return True
            if action in ("edit", "mark_ready"):
                return obj.closed_at is None
            return False
        if action != "view":
            return False
        return None


def shared_sections(user: Any, journal: Journal) -> set[str]:
    """Slugs of the journal's sections `user` may read: the owner all of them, a current
    facilitator the shared ones, anyone else none (fail closed)."""
    try:
        if not access.is_person(user) or journal is None or journal.pk is None:
            return set()
        if journal.owner_id == user.pk:
            return set(Section.objects.values_list("slug", flat=True))
        if not access.facilitates(user, journal.owner):
            return set()
        return set(
            JournalSection.objects.filter(journal=journal, shared_at__isnull=False).values_list(
                "section__slug", flat=True
            )
        )
    except Exception as exc:  # noqa: BLE001 - fail closed
        access.fail_closed("journals.shared_sections", exc)
        return set()


def journal_facilitators(journal: Journal) -> list[tuple[User, str]]:
    """Who would see the journal's shared sections, with how they relate to the owner:
    [(user, "line manager"), (user, "coach"), ...]. The audience for notifications and for
    the "who will see what" text."""
    owner_id = journal.owner_id
    found: list[tuple[User, str]] = []
    manager = (
        ManagerLink.objects.active()
        .filter(report_id=owner_id, manager__is_active=True)
        .select_related("manager")
        .first()
    )
    if manager is not None:
        found.append((manager.manager, "line manager"))
    for link in (
        CoachLink.objects.active()
        .filter(coachee_id=owner_id, coach__is_active=True)
        .select_related("coach")
        .order_by("coach__full_name")
    ):
        found.append((link.coach, "coach"))
    return found


access.register("journals.journal", JournalPolicy())
