"""Between the conversation and its plan: finishing the conversation from the plan page.

After "Start the development plan" the facilitator is on the plan. Completing the conversation
from there marks stage 3 complete (its one condition, a started plan, is met) and then the
conversation, in one step and one transaction, so nobody has to go back through stage 3.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from conversations import services as conversation_services
from conversations.models import Conversation, StageRecord
from devplans.models import Plan
from scopegrowth import access
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

NO_CONVERSATION_MESSAGE = (
    "This plan was not started from a conversation: there is none to complete."
)


def plan_conversation_complete(*, actor: User, plan: Plan) -> Conversation:
    """Complete the conversation the plan was started from (stage 3 first, if it is not yet).
    The conversation's own rules apply (`conversation_stage_save`, `conversation_complete`):
    a refusal there completes nothing."""
    conversation = (
        Conversation.objects.filter(pk=plan.conversation_id).first()
        if plan.conversation_id
        else None
    )
    if conversation is None:
        raise RuleError(NO_CONVERSATION_MESSAGE)
    if not access.can(actor, "facilitate", conversation):
        raise PermissionDenied("not allowed: facilitate")
    with transaction.atomic():
        record = StageRecord.objects.filter(conversation=conversation, stage=3).first()
        if record is None or record.completed_at is None:
            conversation_services.conversation_stage_save(
                actor=actor,
                conversation=conversation,
                stage=3,
                data=conversation_services.StageInput(
                    agreed_summary=record.agreed_summary if record else "",
                    version=record.version if record else 0,
                ),
                complete=True,
            )
        return conversation_services.conversation_complete(actor=actor, conversation=conversation)
