"""The conversations part of the demo organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations import demo
from conversations.models import Conversation
from scopegrowth import demo as people_demo

pytestmark = pytest.mark.django_db


def test_the_demo_conversations_are_seeded_once(clock):
    org = people_demo.seed_people()

    demo.seed(org)
    made = demo.seed(org)

    assert Conversation.objects.count() == 3
    now = timezone.now()
    upcoming, tomorrow, held = made["individual"], made["colleague"], made["individual2"]
    assert upcoming.facilitator.email == "manager@example.com"
    assert timedelta(days=2) < upcoming.scheduled_at - now < timedelta(days=4)
    assert timedelta(hours=12) < tomorrow.scheduled_at - now < timedelta(days=2)
    assert held.status == Conversation.Status.COMPLETED
    assert held.has_agreed_position
    assert held.stage_records.filter(completed_at__isnull=False).count() == 3
    assert timedelta(days=50) < now - held.scheduled_at < timedelta(days=70)


def test_seeding_again_later_keeps_the_dates_ahead(clock):
    org = people_demo.seed_people()
    demo.seed(org)
    clock.shift(timedelta(days=10))

    made = demo.seed(org)

    assert Conversation.objects.count() == 3
    assert made["individual"].scheduled_at > timezone.now() + timedelta(days=2)
