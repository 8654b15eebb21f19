"""Every main page, as the demo persona who uses it (tests of what any page does)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from scopegrowth.models import User


@pytest.fixture
def demo(db) -> dict[str, list[str]]:
    """{demo persona: the main pages they read}, after `seed_demo`."""
    call_command("seed_demo", verbosity=0)
    from conversations.models import Conversation
    from devplans.models import Plan
    from journals.models import Journal

    def user(key):
        return User.objects.get(email=f"{key}@example.com")

    journal = Journal.objects.get(owner=user("individual"), closed_at__isnull=True)
    upcoming = Conversation.objects.filter(individual=user("individual")).latest("pk")
    completed = Conversation.objects.filter(individual=user("individual2")).latest("pk")
    plan = Plan.objects.filter(individual=user("individual2")).latest("pk")
    return {
        "individual": [
            "/",
            "/journal/",
            f"/journal/{journal.pk}/",
            f"/journal/{journal.pk}/strengths/",
            f"/journal/{journal.pk}/readers/",
            "/journal/history/",
            "/conversations/",
            f"/conversations/{upcoming.pk}/",
            "/plans/",
            "/preferences/",
            "/my-data/",
            "/framework/",
            "/me/equality/",
            "/session/keepalive/",
        ],
        "individual2": ["/", f"/plans/{plan.pk}/", f"/conversations/{completed.pk}/"],
        "manager": [
            "/",
            "/dashboard/",
            f"/conversations/{upcoming.pk}/",
            f"/conversations/{upcoming.pk}/stage/1/",
            f"/conversations/{upcoming.pk}/preparation/",
            f"/people/{user('individual').pk}/",
        ],
        "manager2": [f"/plans/{plan.pk}/", f"/conversations/{completed.pk}/stage/2/"],
        "coach": ["/", "/dashboard/"],
        "hr": ["/", "/hr/plans/", f"/plans/{plan.pk}/", "/hr/insight/", "/hr/retention/"],
        "admin": ["/", "/hr/people/import/"],
    }


def signed_in(key: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=f"{key}@example.com"))
    return client
