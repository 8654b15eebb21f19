"""Background work for journals: thin tasks that take ids and call a service."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    name="journals.tasks.send_journal_ready",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_journal_ready(journal_id: int) -> int:
    """Tell the facilitators a journal is ready for the conversation (never its answers)."""
    from journals import services
    from scopegrowth import access

    return services.journal_ready_notify(actor=access.SYSTEM, journal_id=journal_id)


@shared_task(name="journals.tasks.send_pending_journal_ready")
def send_pending_journal_ready() -> int:
    """Beat: send ready emails that were never queued (broker down at the time)."""
    from journals import services
    from scopegrowth import access

    return services.journal_ready_sweep(actor=access.SYSTEM)


@shared_task(name="journals.tasks.purge_pending_drafts")
def purge_pending_drafts() -> int:
    """Delete text kept from expired sessions after 24 hours."""
    from journals import services

    return services.pending_drafts_purge()
