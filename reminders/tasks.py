"""The reminder sweep as a Celery task."""

from celery import shared_task


# The name is the one the task had in the core app, so messages already queued still find it.
@shared_task(
    name="scopegrowth.tasks.send_due_reminders",
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def send_due_reminders() -> int:
    """The periodic sweep (beat, every 5 minutes): scan the rules and send what is due."""
    from reminders import services

    return len(services.send_due())
