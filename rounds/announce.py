"""Telling a round's audience that it opened: the one place that writes those emails.

`tell_audience(round_id)` runs in a Celery task (`rounds.tasks.announce_round`), never in the
request. Each run writes the next batch of opening emails to the core's outbox
(`scopegrowth.outbox.email`, kind `round_opened`): one per person in the audience and per line
manager of someone in it, each once. The outbox sends them (a nudge after the commit, and the
beat's `send-outbox` sweep for anything left), with its retries and stable Message-ID.

- **Rate limit** (`ROUND_EMAILS_PER_MINUTE`, default 300): a run writes one batch of at most
  that many, and only when the round's last batch began at least a minute ago
  (`Round.announce_batch_at`, under the round's row lock), so however many runs there are (the
  task again a minute later, the beat's `rounds-announce` sweep) batches are a minute apart.
  The outbox has no "not before" time for a new row (a row never tried is sent at once), so
  the writing is the rate limit: the rows are written when they may be sent.
- **Exactly once**: each email has the outbox group `round-opened:<round>:<person>`; a run
  under the round's row lock writes only to people with no such row. When nobody is left the
  round is marked `announced_at` and later runs write nothing.
- **Leavers**: each run reads the audience again, so someone who left (or whose team left the
  round) before their batch is not written; a row already written is skipped by the outbox if
  they were deactivated before it was sent.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from rounds.audience import audience_q
from rounds.models import Round
from scopegrowth import outbox
from scopegrowth.models import ManagerLink, User
from scopegrowth.outbox.models import OutboundEmail

OPENED = "round_opened"


def rate_per_minute() -> int:
    return max(1, int(getattr(settings, "ROUND_EMAILS_PER_MINUTE", 300)))


def _prefix(round_id: int) -> str:
    return f"round-opened:{round_id}:"


def recipients(round_: Round) -> tuple[list[int], set[int]]:
    """(everyone to tell, in order: the audience and the current line manager of each, once
    each; the audience's ids)."""
    people = User.objects.filter(audience_q(round_)).values("pk")
    managers = (
        ManagerLink.objects.active()
        .filter(report_id__in=people, manager__is_active=True)
        .values_list("manager_id", flat=True)
    )
    audience = set(people.values_list("pk", flat=True))
    return sorted(audience | set(managers)), audience


def still_announcing(round_id: int) -> bool:
    return Round.objects.filter(
        pk=round_id, state=Round.State.OPEN, announced_at__isnull=True
    ).exists()


def tell_audience(round_id: int) -> int:
    """Write the next batch of an open round's opening emails; returns how many were written
    (0 once everyone is told, for a closed round, or when this minute's share is written)."""
    with transaction.atomic():
        round_ = (
            Round.objects.select_for_update()
            .filter(pk=round_id, state=Round.State.OPEN, announced_at__isnull=True)
            .first()
        )
        if round_ is None:
            return 0
        now = timezone.now()
        last = round_.announce_batch_at
        if last is not None and now - last < timedelta(minutes=1):
            return 0
        budget = rate_per_minute()
        written = OutboundEmail.objects.filter(kind=OPENED, group__startswith=_prefix(round_.pk))
        told = {int(g.rsplit(":", 1)[1]) for g in written.values_list("group", flat=True)}
        everyone, audience = recipients(round_)
        waiting = [pk for pk in everyone if pk not in told]
        batch = waiting[:budget]
        reports = dict(
            ManagerLink.objects.active()
            .filter(manager_id__in=batch, report__in=User.objects.filter(audience_q(round_)))
            .values("manager_id")
            .annotate(n=Count("report_id", distinct=True))
            .values_list("manager_id", "n")
        )
        steps = [(label, round_.deadline(key)) for key, _, label in Round.STEPS]
        for person in User.objects.filter(pk__in=batch).order_by("pk"):
            outbox.email(
                OPENED,
                to=person,
                group=f"{_prefix(round_.pk)}{person.pk}",
                context={
                    "recipient": person,
                    "round": round_,
                    "steps": steps,
                    "in_audience": person.pk in audience,
                    "reports": reports.get(person.pk, 0),
                    "site_url": settings.SITE_URL,
                },
            )
        done = {"announced_at": now} if len(waiting) <= budget else {}
        Round.objects.filter(pk=round_.pk).update(announce_batch_at=now, **done)
    return len(batch)


def announce_open_rounds() -> int:
    """The beat's sweep: the next batch of every open round still being announced (the task
    that opened it goes on by itself; this carries on if that chain was lost)."""
    ids = Round.objects.filter(state=Round.State.OPEN, announced_at__isnull=True).values_list(
        "pk", flat=True
    )
    return sum(tell_audience(pk) for pk in list(ids))
