"""Background work for conversations: thin tasks that take ids and call a service."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    name="conversations.tasks.send_conversation_invite",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_conversation_invite(conversation_id: int, sequence: int) -> int:
    """Email both people the calendar invite, update or cancellation for `sequence`."""
    from conversations import services
    from scopegrowth import access

    return services.conversation_invite_send(
        actor=access.SYSTEM, conversation_id=conversation_id, sequence=sequence
    )


@shared_task(name="conversations.tasks.send_pending_invites")
def send_pending_invites() -> int:
    """Beat: send invites that were never queued (broker down when the conversation was saved)."""
    from conversations import services
    from scopegrowth import access

    return services.conversation_invites_sweep(actor=access.SYSTEM)


@shared_task(
    name="conversations.tasks.send_handover_notice",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_handover_notice(conversation_ids: list[int], old_id: int, new_id: int) -> int:
    """Tell the old line manager, the new one and the individual which conversations passed."""
    from conversations import services

    return services.handover_notice_send(
        conversation_ids=conversation_ids, old_id=old_id, new_id=new_id
    )
