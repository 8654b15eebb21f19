"""Every change to a conversation: actor first, access checked again, one transaction, audited.

Views, tasks and commands call these; none of them writes conversation rows itself. Failures a
person should read are `RuleError`s (nothing is saved when one is raised); invitation emails go
through Celery after the commit, and a broker outage never fails a save (`robust=True`).

A facilitator who is no longer the individual's line manager or coach loses access on their next
request (the policy reads the links every time). The first change made by a current facilitator
to a conversation recorded against a former one moves it to them (`common.take_over_if_needed`).
"""

from __future__ import annotations

from conversations.services.common import (
    CONFLICT_MESSAGE,
    MAX_DURATION,
    MIN_DURATION,
    OPEN_STATUSES,
    POSITION_FIELDS,
    PREPARATION_FIELDS,
    SCHEDULE_FIELDS,
    ConversationClosed,
    ScheduleRefused,
    StaleVersion,
    local,
    when_text,
)
from conversations.services.handover import (
    conversations_pass_to_new_manager,
    handover_notice_send,
)
from conversations.services.invites import (
    conversation_invite_write,
    conversation_viewed,
)
from conversations.services.preparation import preparation_save
from conversations.services.reflection import conversation_reflection_save
from conversations.services.schedule import (
    conversation_cancel,
    conversation_reschedule,
    conversation_schedule,
    conversation_take_over,
)
from conversations.services.stages import (
    StageInput,
    conversation_complete,
    conversation_plan_start,
    conversation_ready_for_plan,
    conversation_stage_save,
)

__all__ = [
    "conversation_reflection_save",
    "CONFLICT_MESSAGE",
    "MAX_DURATION",
    "MIN_DURATION",
    "OPEN_STATUSES",
    "POSITION_FIELDS",
    "PREPARATION_FIELDS",
    "SCHEDULE_FIELDS",
    "ConversationClosed",
    "ScheduleRefused",
    "StageInput",
    "StaleVersion",
    "conversation_cancel",
    "conversation_complete",
    "conversation_invite_write",
    "conversation_plan_start",
    "conversation_ready_for_plan",
    "conversation_reschedule",
    "conversation_schedule",
    "conversation_stage_save",
    "conversation_take_over",
    "conversation_viewed",
    "conversations_pass_to_new_manager",
    "handover_notice_send",
    "local",
    "preparation_save",
    "when_text",
]
