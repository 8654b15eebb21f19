"""Background work for conversations: thin tasks that take ids and call a service."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task


# Retired by the outbox (issue 17): invites are written to `scopegrowth.outbox` with the change.
# A message queued before the upgrade runs the outbox's sweep instead of being refused.
@shared_task(name="conversations.tasks.send_conversation_invite", ignore_result=True)
def send_conversation_invite(*args, **kwargs) -> int:
    from scopegrowth import outbox

    return outbox.send_ready()


@shared_task(
    name="conversations.tasks.send_handover_notice",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_handover_notice(conversation_ids: list[int], old_id: int, new_id: int) -> int:
    """Retired (the emails are written with the change); a message queued before the upgrade
    still writes them to the outbox."""
    from conversations import services

    return services.handover_notice_send(
        conversation_ids=conversation_ids, old_id=old_id, new_id=new_id
    )
