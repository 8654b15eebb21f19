"""seed_demo: the contract's demo organisation, idempotent, and --scale in bulk."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from scopegrowth import access
from scopegrowth.models import ManagerLink, User

pytestmark = pytest.mark.django_db

CONTRACT_EMAILS = {
    "admin@example.com",
    "hr@example.com",
    "manager@example.com",
    "manager2@example.com",
    "individual@example.com",
    "colleague@example.com",
    "individual2@example.com",
}


def row_counts() -> dict[str, int]:
    skip = {"sessions.session"}
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in skip
    }


def test_running_it_twice_gives_the_same_rows(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first
    assert CONTRACT_EMAILS <= set(User.objects.values_list("email", flat=True))


def test_demo_people_have_their_contract_roles():
    out = StringIO()
    call_command("seed_demo", "--password", "another-demo-password", stdout=out)
    by = {u.email: u for u in User.objects.all()}
    assert by["admin@example.com"].is_superuser
    assert access.HR in access.roles(by["hr@example.com"])
    manager = by["manager@example.com"]
    assert set(access.scope(manager, "facilitate", User)) == {
        by["individual@example.com"],
        by["colleague@example.com"],
    }
    assert access.manages(by["manager2@example.com"], by["individual2@example.com"])
    assert by["individual@example.com"].check_password("another-demo-password")
    assert "another-demo-password" in out.getvalue()


def test_scale_adds_individuals_with_managers_once():
    call_command("seed_demo", "--scale", "120", stdout=StringIO())
    generated = User.objects.filter(
        email__startswith="person", email__endswith="@scale.example.com"
    )
    assert generated.count() == 120
    assert ManagerLink.objects.active().filter(report__in=generated).count() == 120
    call_command("seed_demo", "--scale", "120", stdout=StringIO())
    assert generated.count() == 120
    call_command("seed_demo", "--scale", "130", stdout=StringIO())
    assert generated.count() == 130


def test_a_scaled_person_can_sign_in(client):
    call_command("seed_demo", "--scale", "3", stdout=StringIO())
    response = client.post(
        "/accounts/login/",
        {"login": "person00001@scale.example.com", "password": "ScopeGrowth-demo-1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
