"""Who may declare equality answers and read the HR insight.

A person's equality answers are theirs alone: only they may save, change or withdraw them, and
nobody (HR, admins, managers, coaches) reads them one by one. HR sees counts for their own
organisation only, through the insight page; a person with no organisation sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from scopegrowth import access


def can_declare_equality(user: Any, person: Any) -> bool:
    """May `user` save, change or withdraw `person`'s equality answers? Only their own."""
    return access.is_person(user) and access.is_person(person) and user.pk == person.pk


def can_view_insight(user: Any, user_roles: frozenset[str] | None = None) -> bool:
    """The HR insight page and its CSV: HR of an organisation. `user_roles`: the request's
    roles when already read (`request_roles`), to save a query."""
    try:
        found = access.roles(user) if user_roles is None else user_roles
        return access.HR in found and user.organisation_id is not None
    except Exception as exc:  # noqa: BLE001 - fail closed
        access.fail_closed("insight.view", exc)
        return False


class SnapshotPolicy(access.Policy):
    """An insight snapshot (aggregate figures only) and its figures: HR of the organisation."""

    actions = frozenset({"view"})
    who = {"view": ({access.HR}, "HR of the organisation: aggregate figures only")}

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    def q(self, user: Any, action: str) -> Q:
        if action == "view" and can_view_insight(user):
            return access.same_organisation_q(user, prefix=self.prefix)
        return access.NOTHING


access.register("insight.snapshot", SnapshotPolicy())
access.register("insight.snapshotfigures", SnapshotPolicy(prefix="snapshot__"))
