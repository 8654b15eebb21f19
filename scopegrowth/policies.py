"""The core's own plug-in policies (found at start-up like every app's `policies.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q

from scopegrowth import access


class UpdatePolicy(access.Policy):
    """Updates ("what changed since you last looked"): the recipient's alone."""

    actions = frozenset({"view", "mark_read"})
    who = {
        "view": (set(access.ALL_ROLES), "their own updates only"),
        "mark_read": (set(access.ALL_ROLES), "their own updates only"),
    }

    def q(self, user: Any, action: str) -> Q:
        return Q(recipient_id=user.pk)

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        return obj.recipient_id == user.pk


access.register("scopegrowth.update", UpdatePolicy())
