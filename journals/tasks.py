"""Background work for journals: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task


# Retired by the outbox (issue 17): the emails are written to `scopegrowth.outbox` with the
# change. A message queued before the upgrade runs the outbox's sweep instead of being refused.
@shared_task(name="journals.tasks.send_journal_ready", ignore_result=True)
def send_journal_ready(*args, **kwargs) -> int:
    from scopegrowth import outbox

    return outbox.send_ready()


@shared_task(name="journals.tasks.purge_pending_drafts")
def purge_pending_drafts() -> int:
    """Delete text kept from expired sessions after 24 hours."""
    from journals import services

    return services.pending_drafts_purge()
