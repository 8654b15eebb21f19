"""Telling a round's audience that it opened: the one place that writes those emails.

`tell_audience(round_id)` runs in a Celery task (`rounds.tasks.announce_round`), never in the
request. It writes one outbox row per person in the audience and per line manager of someone in
it, through the reminders engine's outbox (`reminders.Reminder`: one row per kind, subject,
recipient and date, sent exactly once by the reminder sweep with its retries and Message-ID). The
rows are spread over time (`ROUND_EMAILS_PER_MINUTE`): a round for 10,000 people is sent in
batches, not at once. When the core gains a unified outbox, only this function changes.

`Reminder.Kind` does not list the round kinds (adding them needs a `reminders` migration, which
issue 19 could not make); the column takes any string and the engine finds the rule by kind.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from reminders.models import Reminder
from rounds.audience import audience_q
from rounds.models import Round
from scopegrowth.models import ManagerLink, User

OPENED = "round_opened"
BATCH = 1000


def rate_per_minute() -> int:
    return max(1, int(getattr(settings, "ROUND_EMAILS_PER_MINUTE", 300)))


def recipients(round_: Round) -> list[int]:
    """Everyone in the audience and the current line manager of each (once each)."""
    people = User.objects.filter(audience_q(round_)).values("pk")
    managers = (
        ManagerLink.objects.active()
        .filter(report_id__in=people, manager__is_active=True)
        .values_list("manager_id", flat=True)
    )
    return sorted(set(people.values_list("pk", flat=True)) | set(managers))


def tell_audience(round_id: int) -> int:
    """Write the opening emails of an open round to the outbox; returns the rows written (a
    second call writes none)."""
    round_ = Round.objects.filter(pk=round_id, state=Round.State.OPEN).first()
    if round_ is None:
        return 0
    now = timezone.now()
    day = timezone.localtime(round_.opened_at).date()
    rate = rate_per_minute()
    rows = [
        Reminder(
            kind=OPENED,
            subject_type="round",
            subject_id=round_.pk,
            recipient_id=pk,
            due_on=day,
            next_attempt_at=now + timedelta(minutes=n // rate),
        )
        for n, pk in enumerate(recipients(round_))
    ]
    before = Reminder.objects.filter(kind=OPENED, subject_type="round", subject_id=round_.pk)
    had = before.count()
    Reminder.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    Round.objects.filter(pk=round_.pk, announced_at__isnull=True).update(announced_at=now)
    return before.count() - had
