"""The demo rounds (contract: `seed_demo`). Idempotent.

- "Career conversations 2025/26": closed, opened fifteen months ago for the whole organisation
  (individual@'s earlier plan was agreed in it), so the current round has one to compare with;
- "Career conversations 2026/27": open for the whole organisation since three weeks ago, with
  deadlines ahead (HR: /hr/rounds/). Written directly: seeding sends no email (the opening rows
  are marked as announced).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rounds import figures, members
from rounds.audience import window
from rounds.models import Member, Round
from scopegrowth import registry


def seed(org) -> dict[str, Round]:
    now = timezone.now()
    today = timezone.localdate()
    hr = org.people.get("hr")
    earlier_open = now - timedelta(days=456)
    rows = {
        "earlier": (
            "Career conversations 2025/26",
            dict(
                journal_ready_by=(earlier_open + timedelta(days=30)).date(),
                conversation_held_by=(earlier_open + timedelta(days=60)).date(),
                plan_agreed_by=(earlier_open + timedelta(days=90)).date(),
                state=Round.State.CLOSED,
                opened_at=earlier_open,
                closed_at=earlier_open + timedelta(days=120),
            ),
        ),
        "current": (
            "Career conversations 2026/27",
            dict(
                journal_ready_by=today + timedelta(days=14),
                conversation_held_by=today + timedelta(days=45),
                plan_agreed_by=today + timedelta(days=75),
                state=Round.State.OPEN,
                opened_at=now - timedelta(days=21),
                closed_at=None,
            ),
        ),
    }
    found = {}
    for key, (name, values) in rows.items():
        round_, _ = Round.objects.update_or_create(
            organisation=org.organisation,
            name=name,
            defaults={
                **values,
                "whole_organisation": True,
                "created_by": hr,
                "opened_by": hr,
                "closed_by": hr if values["closed_at"] else None,
                "announced_at": values["opened_at"],
            },
        )
        if round_.state == Round.State.CLOSED and not Member.objects.filter(round=round_).exists():
            # Closed as the service closes: its audience kept, its figures counted for good.
            members.snapshot(round_, window(round_))
            figures.count(round_)
        found[key] = round_
    return found


registry.DEMO_SEEDERS.register("rounds", registry.DemoSeeder(seed=seed, order=60))
