"""Who may see and run a conversation round (registered with `scopegrowth.access` at start-up).

HR of the round's organisation run it: create, open, extend, close, read its completion by
directorate and team (statuses only, never what anyone wrote) and download the CSV. Everyone in
the organisation may follow an open round (its name and deadlines on their home page); a
manager's dashboard shows the round's completion of their own reports only, computed from their
manager links, not from this policy. Admins who are not HR: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from scopegrowth import access
from scopegrowth.access import COACH, HR, INDIVIDUAL, MANAGER, NOTHING, Policy


def can_run_rounds(user: Any, user_roles: frozenset[str] | None = None) -> bool:
    """The round pages at all (the list, a new round): HR of an organisation."""
    try:
        found = access.roles(user) if user_roles is None else user_roles
        return HR in found and user.organisation_id is not None
    except Exception as exc:  # noqa: BLE001 - fail closed
        access.fail_closed("rounds.run", exc)
        return False


class RoundPolicy(Policy):
    """A round: HR of its organisation run it and read its completion; people of the
    organisation follow an open round (its name and deadlines)."""

    actions = frozenset({"view", "manage", "export", "follow", "announce"})
    system_actions = frozenset({"announce"})
    who = {
        "view": ({HR}, "HR of the round's organisation: the round and its completion"),
        "manage": ({HR}, "HR of the round's organisation: open, extend a deadline, close"),
        "export": ({HR}, "HR of the round's organisation: the completion CSV"),
        "follow": (
            {INDIVIDUAL, MANAGER, COACH, HR},
            "people of the organisation: an open round's name and deadlines",
        ),
        "announce": (frozenset(), "system only: the opening emails and deadline reminders"),
    }

    def q(self, user: Any, action: str) -> Q:
        if action in ("view", "manage", "export"):
            if HR in access.roles(user):
                return access.same_organisation_q(user)
            return NOTHING
        if action == "follow":
            return access.same_organisation_q(user) & Q(state="open")
        return NOTHING


access.register("rounds.round", RoundPolicy())
