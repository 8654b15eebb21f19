"""Clash detection for scheduling: nobody is booked into two conversations at once, and an
individual holds one open conversation at a time.

Checked inside the scheduling transaction after locking both people's user rows (in id order),
so two saves racing for the same person or facilitator run one after the other and the second
sees the first (PostgreSQL; SQLite writes one transaction at a time anyway).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse

from conversations.models import Conversation
from conversations.services.common import (
    MAX_DURATION,
    OPEN_STATUSES,
    ScheduleRefused,
    local,
    when_text,
)
from scopegrowth import access
from scopegrowth.models import User


class Clash(ScheduleRefused):
    """Refused because of another conversation: `clash` is it; `links` are (text, url) pairs
    the page offers (only to conversations the actor may open)."""

    def __init__(
        self,
        message: str,
        *,
        clash: Conversation,
        links: list[tuple[str, str]],
        field: str | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.clash = clash
        self.links = links


def lock_people(*people_ids: int) -> None:
    """Lock the people's user rows, in id order (no deadlock between two schedulers)."""
    list(
        User.objects.select_for_update()
        .filter(pk__in=sorted(set(people_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _span(c: Conversation) -> str:
    return f"{when_text(c.scheduled_at)} until {local(c.ends_at):%H:%M}"


def _links(actor: User, other: Conversation, *, change: bool) -> list[tuple[str, str]]:
    links = []
    if access.can(actor, "view", other):
        day = f"{local(other.scheduled_at).day} {local(other.scheduled_at):%B %Y}"
        links.append(
            (
                f"Open the conversation on {day}",
                reverse("conversations:detail", args=[other.pk]),
            )
        )
        if change and other.is_open and access.can(actor, "facilitate", other):
            links.append(
                (
                    f"Change the date of the conversation on {day}",
                    reverse("conversations:reschedule", args=[other.pk]),
                )
            )
    return links


def check_one_open(actor: User, individual: User) -> None:
    """Refuse a second open conversation for the individual: offer to change the date of the
    one they have."""
    existing = (
        Conversation.objects.filter(individual=individual, status__in=OPEN_STATUSES)
        .select_related("facilitator")
        .order_by("scheduled_at")
        .first()
    )
    if existing is None:
        return
    seen = access.can(actor, "view", existing)
    with_whom = f" with {existing.facilitator.full_name}" if seen else ""
    raise Clash(
        f"{individual.full_name} already has a conversation booked{with_whom} for "
        f"{when_text(existing.scheduled_at)}. A person has one open conversation at a time: "
        "change the date of that one instead (or complete or cancel it first). Nothing has been "
        "booked.",
        clash=existing,
        links=_links(actor, existing, change=True),
        field=None,
    )


def check_overlaps(
    actor: User,
    *,
    individual: User,
    facilitator: User,
    start: datetime,
    duration_minutes: int,
    exclude_pk: int | None = None,
) -> None:
    """Refuse a time that overlaps another open conversation of either person, whichever part
    they play in it (facilitator or individual)."""
    end = start + timedelta(minutes=int(duration_minutes))
    people = {individual.pk, facilitator.pk}
    candidates = (
        Conversation.objects.filter(
            Q(individual_id__in=people) | Q(facilitator_id__in=people),
            status__in=OPEN_STATUSES,
            scheduled_at__lt=end,
            scheduled_at__gt=start - timedelta(minutes=MAX_DURATION),
        )
        .select_related("individual", "facilitator")
        .order_by("scheduled_at")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    for other in candidates:
        if other.ends_at <= start:
            continue
        seen = access.can(actor, "view", other)
        if facilitator.pk in (other.facilitator_id, other.individual_id):
            who = (
                "You already have"
                if facilitator.pk == actor.pk
                else (f"{facilitator.full_name} already has")
            )
            partner = (
                other.individual if other.facilitator_id == facilitator.pk else (other.facilitator)
            )
        else:
            who = f"{individual.full_name} already has"
            partner = (
                other.facilitator if other.individual_id == individual.pk else (other.individual)
            )
        with_whom = f" with {partner.full_name}" if seen else ""
        raise Clash(
            f"{who} a conversation{with_whom} on {_span(other)}. Choose a time that does not "
            "overlap with it. Nothing has been booked.",
            clash=other,
            links=_links(actor, other, change=False),
            field="time",
        )
