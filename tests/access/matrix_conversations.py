"""Permission-matrix rows for the conversations URLs (merged into matrix.py).

The conversation is `individual`'s with `manager`; `coach` is individual's assigned coach, so a
facilitator too. HR (same organisation) can see that the person exists, so the scheduling page
answers 403 rather than 404; everything about a conversation is 404 to anyone who is not the
individual or a current facilitator. The individual reads (overview, stages, invite) and gets
403 on the facilitator's pages.

The rows are written out literally (not with matrix.py's helpers): matrix.py imports this module
while it is still being loaded.
"""

from __future__ import annotations

from datetime import timedelta

ANON_REDIRECT = 302
SIGNED_IN = (
    "individual",
    "colleague",
    "manager",
    "other_manager",
    "coach",
    "unassigned_coach",
    "hr",
    "hr_other_org",
    "admin",
)


def _row(default: int, **overrides: int) -> dict[str, int]:
    row = {p: default for p in SIGNED_IN}
    row.update(anonymous=ANON_REDIRECT, inactive=ANON_REDIRECT)
    row.update(overrides)
    return row


FACILITATORS = {"manager": 200, "coach": 200}
READERS = {"individual": 200, "manager": 200, "coach": 200}
FACILITATOR_PAGE = _row(404, individual=403, **FACILITATORS)

MATRIX: dict = {
    "conversations:dashboard": {
        "GET": _row(404, manager=200, other_manager=200, coach=200, unassigned_coach=200),
        "POST": _row(405),
    },
    "conversations:mine": {"GET": _row(200), "POST": _row(405)},
    "conversations:schedule": {
        "GET": _row(404, individual=403, hr=403, **FACILITATORS),
        "POST": _row(404, individual=403, hr=403, **FACILITATORS),  # empty form: errors shown
    },
    "conversations:detail": {"GET": _row(404, **READERS), "POST": _row(405)},
    "conversations:reschedule": {"GET": FACILITATOR_PAGE, "POST": FACILITATOR_PAGE},
    "conversations:cancel": {"GET": FACILITATOR_PAGE, "POST": FACILITATOR_PAGE},
    "conversations:prepare": {"GET": FACILITATOR_PAGE, "POST": FACILITATOR_PAGE},
    "conversations:stage": {
        "GET": _row(404, **READERS),
        "POST": FACILITATOR_PAGE,  # empty form: errors shown
    },
    "conversations:complete": {
        "GET": _row(405),
        # Not ready to complete: back to the conversation with the reason (nothing changes).
        "POST": _row(404, individual=403, manager=302, coach=302),
    },
    "conversations:invite": {"GET": _row(404, **READERS), "POST": _row(405)},
    # The facilitator's own reflection on a completed conversation (issue 16): the manager who
    # held it only (an empty POST shows the form's message: 200); the co-facilitating coach and
    # the individual may open the conversation, not this (403).
    "conversations:reflection": {
        "GET": _row(404, individual=403, manager=200, coach=403),
        "POST": _row(404, individual=403, manager=200, coach=403),
    },
}


def _conversation_kwargs(objects: dict) -> dict:
    return {"pk": objects["conversation"].pk}


KWARGS: dict = {
    "conversations:schedule": lambda o: {"person_pk": o["people"].individual.pk},
    "conversations:detail": _conversation_kwargs,
    "conversations:reschedule": _conversation_kwargs,
    "conversations:cancel": _conversation_kwargs,
    "conversations:prepare": _conversation_kwargs,
    "conversations:stage": lambda o: {"pk": o["conversation"].pk, "stage": 1},
    "conversations:complete": _conversation_kwargs,
    "conversations:invite": _conversation_kwargs,
    "conversations:reflection": lambda o: {"pk": o["held_conversation"].pk},
}


def _build_conversation(people) -> dict:
    from django.utils import timezone

    from conversations.models import Conversation

    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() + timedelta(days=3),
        duration_minutes=120,
        location="Seminar room 2",
    )
    held = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() - timedelta(days=200),
        duration_minutes=120,
        location="Seminar room 2",
        status=Conversation.Status.COMPLETED,
        completed_at=timezone.now() - timedelta(days=200),
    )
    return {"conversation": conversation, "held_conversation": held}


OBJECT_BUILDERS: list = [_build_conversation]
