"""Who may do what to a conversation (registered with `scopegrowth.access` at start-up).

The facilitated conversation (issue 4). The individual sees their own conversations (time,
place, invite, agreed summaries, agreed position); the *current* line manager or an assigned
coach facilitates (a manager who changed mid-cycle loses access on the next request, and the
new one takes over). Preparation and facilitator-only notes belong to their author: a current
facilitator reads and changes only their own (`own_preparation`); a preparation its author
chose to hand over is also read, never changed, by whoever holds the conversation after them
(`handed_over_preparations`). HR and admins: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet

from conversations.models import Conversation, Preparation, Reflection, StageNote
from scopegrowth import access, precompiled
from scopegrowth.access import COACH, INDIVIDUAL, MANAGER, NOTHING, Policy
from scopegrowth.models import User


class ConversationPolicy(Policy):
    """Actions on a `conversations.Conversation`: the individual and their current
    facilitators; the private preparation and notes are the facilitators' alone."""

    actions = frozenset({"view", "download_invite", "facilitate", "prepare", "reflect", "remind"})
    system_actions = frozenset({"remind"})

    who = {
        "view": ({INDIVIDUAL, MANAGER, COACH}, "the individual and current facilitators"),
        "download_invite": (
            {INDIVIDUAL, MANAGER, COACH},
            "the individual and current facilitators",
        ),
        "facilitate": (
            {MANAGER, COACH},
            "current facilitators (reschedule, cancel, stages, complete)",
        ),
        "prepare": (
            {MANAGER, COACH},
            "current facilitators, each their own preparation and notes (a handed-over "
            "preparation is also read by whoever holds the conversation next)",
        ),
        "reflect": (
            {MANAGER, COACH},
            "its facilitator, once it is completed and while they still facilitate: their own "
            "private stop / start / continue reflection (nobody else reads it)",
        ),
        "remind": (frozenset(), "system only: reminders and invitations"),
    }

    def q(self, user: Any, action: str) -> Q:
        facilitators = access.facilitated_people_q(user, prefix="individual__") & ~Q(
            individual=user.pk
        )
        if action in ("view", "download_invite"):
            return Q(individual=user.pk) | facilitators
        if action in ("facilitate", "prepare"):
            return facilitators
        if action == "reflect":
            return facilitators & Q(facilitator=user.pk, status=Conversation.Status.COMPLETED)
        return NOTHING

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        if obj.individual_id == user.pk:
            return action in ("view", "download_invite")
        if action in ("view", "download_invite", "facilitate", "prepare"):
            # `q` in memory: a conversation's individual never changes, and whether the user
            # manages or coaches them now is read like `facilitated_people_q` reads it.
            return access.facilitates(user, User(pk=obj.individual_id))
        return None


def can_use_dashboard(user: Any, user_roles: frozenset[str] | None = None) -> bool:
    """The facilitator's dashboard (`/dashboard/`): people who currently line-manage or coach
    someone. Everyone else gets 404, like any page that is not theirs. `user_roles`: the
    request's roles when already read (`request_roles`), to save a query."""
    try:
        found = access.roles(user) if user_roles is None else user_roles
        return bool(found & {MANAGER, COACH})
    except Exception as exc:  # noqa: BLE001 - fail closed
        access.fail_closed("conversations.dashboard", exc)
        return False


def conversation_may_see_private(user: Any, conversation: Conversation) -> bool:
    """May `user` read the conversation's private parts (the preparation, facilitator-only
    notes, the facilitator's view of the position)? The same people who may prepare."""
    return access.can(user, "prepare", conversation)


def own_preparation(user: Any, conversation: Conversation) -> Preparation | None:
    """`user`'s own preparation for the conversation, while they may prepare for it; nobody
    else's (another facilitator's preparation is theirs alone)."""
    if not conversation_may_see_private(user, conversation):
        return None
    return precompiled.first(
        ("conversations.own_preparation",), _own_preparation_query, conversation.pk, user.pk
    )


def _own_preparation_query(conversation_pk: int, author_pk: int) -> QuerySet:
    return (
        Preparation.objects.filter(conversation=conversation_pk, author=author_pk)
        .select_related("view_now_impact")
        .order_by("pk")[:1]
    )


def handed_over_preparations(user: Any, conversation: Conversation) -> list[Preparation]:
    """Preparations earlier facilitators chose to hand over, for the one who holds the
    conversation now (read-only). A co-facilitator who does not hold it gets none."""
    if conversation.facilitator_id != getattr(user, "pk", None):
        return []
    if not conversation_may_see_private(user, conversation):
        return []
    return list(
        Preparation.objects.filter(conversation=conversation, handed_over_at__isnull=False)
        .exclude(author=user.pk)
        .select_related("author", "view_now_impact")
        .order_by("handed_over_at")
    )


def own_stage_notes(user: Any, conversation: Conversation) -> dict[int, str]:
    """stage -> `user`'s own private notes on it, while they may prepare (nobody else's)."""
    if not conversation_may_see_private(user, conversation):
        return {}
    return dict(
        precompiled.fetch(
            ("conversations.own_stage_notes",), _own_stage_notes_query, conversation.pk, user.pk
        )
    )


def _own_stage_notes_query(conversation_pk: int, author_pk: int) -> QuerySet:
    return StageNote.objects.filter(conversation=conversation_pk, author=author_pk).values_list(
        "stage", "text"
    )


def own_reflection(user: Any, conversation: Conversation) -> Reflection | None:
    """`user`'s own stop / start / continue reflection on the conversation, while they may
    reflect on it; never anyone else's."""
    if not access.can(user, "reflect", conversation):
        return None
    return Reflection.objects.filter(conversation=conversation, author=user.pk).first()


access.register("conversations.conversation", ConversationPolicy())
