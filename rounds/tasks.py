"""The round's background work: telling its audience that it opened."""

from celery import shared_task


@shared_task(name="rounds.tasks.announce_round", ignore_result=True, acks_late=True)
def announce_round(round_id: int) -> int:
    """Write the opening emails to the outbox (the reminder sweep sends them, rate-limited)."""
    from rounds.announce import tell_audience

    return tell_audience(round_id)
