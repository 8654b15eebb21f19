"""The conversations part of the demo organisation (`seed_demo`). Idempotent: each demo
conversation has a fixed calendar UID, so running it again updates the same rows (and moves the
dates so "in 3 days" stays true).

- individual@ with manager@, 3 days from now, scheduled (manager has started preparing);
- colleague@ with manager@, 1 day from now, scheduled;
- individual2@ with manager2@, about two months ago, completed: all three stages, summaries and
  an agreed position (the devplans demo attaches the agreed plan).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation, Preparation, StageRecord
from scopegrowth import registry
from scopegrowth.models import GrowthCategory, ImpactLevel, ManagerLink, User

NAMESPACE = uuid.UUID("6f1c5a9e-2b7d-4c1e-9a53-0d4b8e2f7c11")


def demo_uid(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"scopegrowth-demo-conversation:{key}")


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_default_timezone())


def _journal(person):
    from journals.models import Journal

    return Journal.objects.filter(owner=person, closed_at__isnull=True).first()


def _conversation(key: str, **values) -> Conversation:
    conversation, _ = Conversation.objects.update_or_create(ics_uid=demo_uid(key), defaults=values)
    return conversation


@transaction.atomic
def seed(org) -> dict[str, Conversation]:
    people = org.people
    levels = list(ImpactLevel.objects.filter(organisation__isnull=True).order_by("order"))
    established = levels[1] if len(levels) > 1 else (levels[0] if levels else None)
    exceeding = levels[-1] if levels else None
    now = timezone.now()

    upcoming = _conversation(
        "individual",
        individual=people["individual"],
        facilitator=people["manager"],
        journal=None,  # open: it reads the individual's open journal (selectors.journal_of)
        scheduled_at=_at(3, 10),
        duration_minutes=120,
        location="Acute Medical Unit seminar room (ward 7)",
        agenda="Our first Scope for Growth conversation: your reflections, your career so far, "
        "and where you want to grow.",
        status=Conversation.Status.SCHEDULED,
        cancel_reason="",
        cancelled_at=None,
        completed_at=None,
        updated_at=now,
    )
    Preparation.objects.update_or_create(
        conversation=upcoming,
        author=upcoming.facilitator,
        defaults={
            "strengths": "Calm under pressure; the team goes to Aisha when the ward is busy.",
            "evidence_feedback": "360° feedback (spring): praised for mentoring new starters.",
            "prepared_at": None,
            "updated_at": now,
        },
    )

    tomorrow = _conversation(
        "colleague",
        individual=people["colleague"],
        facilitator=people["manager"],
        journal=None,
        scheduled_at=_at(1, 14),
        duration_minutes=90,
        location="Video call: https://teams.example.com/l/meetup-join/demo",
        agenda="",
        status=Conversation.Status.SCHEDULED,
        cancel_reason="",
        cancelled_at=None,
        completed_at=None,
        updated_at=now,
    )

    held = _at(-60, 10)
    completed = _conversation(
        "individual2",
        individual=people["individual2"],
        facilitator=people["manager2"],
        journal=_journal(people["individual2"]),
        scheduled_at=held,
        duration_minutes=120,
        location="Finance meeting room 2",
        agenda="",
        status=Conversation.Status.COMPLETED,
        completed_at=held + timedelta(hours=2),
        cancel_reason="",
        cancelled_at=None,
        agreed_now_growth=GrowthCategory.DEPTH,
        agreed_now_impact=established,
        agreed_now_evidence="Leads the monthly close for two directorates; the audit found no "
        "issues in her areas.",
        agreed_future_growth=GrowthCategory.BREADTH,
        agreed_future_impact=exceeding,
        agreed_future_why="Wants to move towards business partnering with clinical teams.",
        updated_at=held + timedelta(hours=2),
    )
    Preparation.objects.update_or_create(
        conversation=completed,
        author=completed.facilitator,
        defaults={
            "strengths": "Accurate, trusted by budget holders.",
            "development_areas": "Presenting to clinical audiences.",
            "prepared_at": held - timedelta(days=2),
            "updated_at": held - timedelta(days=2),
        },
    )
    # What its record keeps: the sections shared with the facilitator when it was completed.
    from conversations.selectors import shared_sections

    Conversation.objects.filter(pk=completed.pk).update(
        shared_at_completion=[
            {
                "slug": view.section.slug,
                "title": view.section.title,
                "shared_at": min(view.shared_at or held, held).isoformat(),
            }
            for view in shared_sections(completed.facilitator, completed.journal)
        ]
    )
    summaries = {
        1: "Megan is well and energised by her work; she would like more contact with clinical "
        "teams. No adjustments needed.",
        2: "We agreed depth, established in role now; breadth, exceeding in role in two years.",
        3: "Plan started: business partnering shadowing and a presentation skills course.",
    }
    for stage, summary in summaries.items():
        StageRecord.objects.update_or_create(
            conversation=completed,
            stage=stage,
            defaults={
                "agreed_summary": summary,
                "completed_at": held + timedelta(minutes=40 * stage),
                "updated_at": held + timedelta(minutes=40 * stage),
            },
        )
    return {"individual": upcoming, "colleague": tomorrow, "individual2": completed}


def scale(person_ids: list[int], offset: int) -> int:
    """`seed_demo --scale`: a conversation for each generated person who has none, with their
    line manager. Seven in ten are completed with an agreed position; the rest are coming up."""
    from journals.models import Journal

    people = list(
        User.objects.filter(pk__in=person_ids)
        .exclude(conversations__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not people:
        return 0
    managers = dict(
        ManagerLink.objects.active()
        .filter(report_id__in=people)
        .values_list("report_id", "manager_id")
    )
    journals = {j.owner_id: j for j in Journal.objects.filter(owner_id__in=people, cycle=1)}
    now = timezone.now()
    levels = list(ImpactLevel.objects.filter(organisation__isnull=True).order_by("order"))
    growths = [g.value for g in GrowthCategory]
    conversations = []
    for i, p in enumerate(people):
        n = offset + i
        done = n % 10 < 7
        conversations.append(
            Conversation(
                individual_id=p,
                facilitator_id=managers[p],
                journal=journals.get(p),
                scheduled_at=now - timedelta(days=30 + i % 60)
                if done
                else now + timedelta(days=1 + i % 20, hours=1),
                location="Seminar room 2",
                status=Conversation.Status.COMPLETED if done else Conversation.Status.SCHEDULED,
                completed_at=now - timedelta(days=29) if done else None,
                agreed_now_growth=growths[n % 3] if done else "",
                agreed_now_impact=levels[n % len(levels)] if done else None,
                agreed_future_growth=growths[(n + 1) % 3] if done else "",
                agreed_future_impact=levels[-1] if done else None,
            )
        )
    Conversation.objects.bulk_create(conversations)
    return len(people)


registry.DEMO_SEEDERS.register(
    "conversations", registry.DemoSeeder(seed=seed, order=20, scale=scale)
)
