"""The round's background work: telling its audience that it opened."""

from celery import shared_task

#: Seconds between a round's batches of opening emails (the rate is per minute).
BATCH_EVERY = 60


@shared_task(name="rounds.tasks.announce_round", ignore_result=True, acks_late=True)
def announce_round(round_id: int) -> int:
    """Write the next batch of opening emails to the outbox, and come back a minute later
    while anyone is left (the beat's `rounds-announce` sweep carries on if this is lost)."""
    from rounds.announce import still_announcing, tell_audience

    written = tell_audience(round_id)
    # (Run eagerly, in a test, a countdown is not honoured: the next batch waits for the beat.)
    if still_announcing(round_id) and not announce_round.request.is_eager:
        announce_round.apply_async((round_id,), countdown=BATCH_EVERY)
    return written


@shared_task(name="rounds.tasks.announce_open_rounds", ignore_result=True)
def announce_open_rounds() -> int:
    """The beat's sweep, once a minute."""
    from rounds import announce

    return announce.announce_open_rounds()


@shared_task(name="rounds.tasks.count_round", ignore_result=True)
def count_round(round_id: int) -> bool:
    """Count one round's completion figures and store them (after opening or a moved deadline)."""
    from rounds import figures
    from rounds.models import Round

    round_ = Round.objects.filter(pk=round_id).exclude(state=Round.State.DRAFT).first()
    if round_ is None or round_.state == Round.State.CLOSED:
        return False  # a closed round was counted at its close, for good
    figures.count(round_)
    return True


@shared_task(name="rounds.tasks.count_open_rounds", ignore_result=True)
def count_open_rounds() -> int:
    """The beat's sweep: every open round's figures counted again."""
    from rounds import figures

    return figures.count_open_rounds()
