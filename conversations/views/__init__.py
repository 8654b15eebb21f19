"""Conversation pages: fetch through `access`, bind a form, call one service, redirect or render.

Outsiders get 404 (`access.get_or_404`); the individual gets 403 on the facilitator's actions.
Views that receive notes mark the POST body sensitive (`sensitive_post_parameters`); the project's
error-report filter (scopegrowth/errorreports.py) hides every local variable and POST value.
"""

from conversations.views.facilitation import (
    conversation_complete,
    conversation_detail,
    preparation_edit,
    stage_edit,
)
from conversations.views.reflection import reflection_edit
from conversations.views.schedule import (
    conversation_cancel,
    conversation_list,
    conversation_reschedule,
    conversation_schedule,
    dashboard,
    invite_download,
)

__all__ = [
    "conversation_cancel",
    "conversation_complete",
    "conversation_detail",
    "conversation_list",
    "conversation_reschedule",
    "conversation_schedule",
    "dashboard",
    "invite_download",
    "preparation_edit",
    "reflection_edit",
    "stage_edit",
]
