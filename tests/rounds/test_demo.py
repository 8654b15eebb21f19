"""The demo rounds (seed_demo): idempotent, no email, and HR's page compares the open round with
the closed one."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from reminders import services as reminders
from rounds.models import Round
from scopegrowth.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_an_open_round_with_a_closed_one_before_it_once():
    call_command("seed_demo")
    call_command("seed_demo")
    assert sorted(Round.objects.values_list("name", "state")) == [
        ("Career conversations 2025/26", "closed"),
        ("Career conversations 2026/27", "open"),
    ]
    reminders.send_due()
    assert not [m for m in mail.outbox if "has started" in m.subject]  # seeding tells nobody
    hr = Client()
    hr.force_login(User.objects.get(email="hr@example.com"))
    current = Round.objects.get(state="open")
    page = hr.get(f"/hr/rounds/{current.pk}/").text
    assert "compared with Career conversations 2025/26" in page
    home = Client()
    home.force_login(User.objects.get(email="individual@example.com"))
    assert "Career conversations 2026/27" in home.get("/").text
