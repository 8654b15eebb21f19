"""Personas (healthchecks' alice/bob/charlie, grown to our roles) and test-wide settings.

One organisation ("Trust A") with a team; `manager` line-manages `individual` and `colleague`;
`other_manager` manages `other_report`; `coach` is assigned to `individual`; `unassigned_coach`
coaches `other_report` only; `hr` is HR in Trust A and `hr_other_org` in Trust B; `admin` is a
superuser; `inactive` was deactivated. Every persona's password is `factories.PASSWORD`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from scopegrowth.models import User
from tests import factories

# The browser fixtures (Playwright + Chromium, one browser per run) for every test folder.
pytest_plugins = ["tests.browser.fixtures", "tests.services"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MFA_REQUIRED = False  # tests/scopegrowth/test_mfa.py turns it on
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()  # rate limits start fresh in every test (allauth's advice), still enforced
    yield
    cache.clear()


@pytest.fixture
def outbox_worker(monkeypatch):
    """A worker for the outbox in this process: the nudge after a commit sends the rows at once.
    (A test's transaction commits only inside `django_capture_on_commit_callbacks(execute=True)`;
    elsewhere call `scopegrowth.outbox.send_ready()`, as the beat sweep would.) The list records
    each nudge's row ids."""
    from scopegrowth import tasks

    calls: list = []

    def delay(ids=None):
        calls.append(ids)
        return tasks.send_outbox(ids)

    monkeypatch.setattr(tasks.send_outbox, "delay", delay)
    return calls


PERSONAS = (
    "individual",
    "colleague",
    "manager",
    "other_manager",
    "coach",
    "unassigned_coach",
    "hr",
    "hr_other_org",
    "admin",
    "inactive",
    "anonymous",
)


@dataclass
class People:
    individual: User
    colleague: User
    manager: User
    other_manager: User
    other_report: User
    coach: User
    unassigned_coach: User
    hr: User
    hr_other_org: User
    admin: User
    inactive: User

    def get(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self, persona)


@pytest.fixture
def people(db) -> People:
    team = factories.TeamFactory(
        name="Acute Medical Unit", directorate__organisation__name="Trust A"
    )
    org = team.directorate.organisation
    other_team = factories.TeamFactory(name="Finance", directorate__organisation=org)
    other_org_team = factories.TeamFactory(directorate__organisation__name="Trust B")

    def person(email: str, name: str, **kw) -> User:
        kw.setdefault("team", team)
        return factories.UserFactory(email=email, full_name=name, **kw)

    p = People(
        individual=person("individual@example.org", "Aisha Rahman", job_title="Staff Nurse"),
        colleague=person("colleague@example.org", "Tom Hughes", job_title="Healthcare Assistant"),
        manager=person("manager@example.org", "Helen Carter", job_title="Ward Manager"),
        other_manager=person("other.manager@example.org", "David Mensah", team=other_team),
        other_report=person("other.report@example.org", "Megan Lloyd", team=other_team),
        coach=person("coach@example.org", "Grace Adeyemi", team=None, organisation=org),
        unassigned_coach=person("coach2@example.org", "Ben Walsh", team=None, organisation=org),
        hr=person("hr@example.org", "Priya Shah", team=None, organisation=org, is_hr=True),
        hr_other_org=person(
            "hr@other.example.org", "Ola Nordmann", team=other_org_team, is_hr=True
        ),
        admin=person(
            "admin@example.org",
            "Sam Okafor",
            team=None,
            organisation=org,
            is_staff=True,
            is_superuser=True,
        ),
        inactive=person("left@example.org", "Former Colleague", is_active=False),
    )
    factories.ManagerLinkFactory(manager=p.manager, report=p.individual)
    factories.ManagerLinkFactory(manager=p.manager, report=p.colleague)
    factories.ManagerLinkFactory(manager=p.other_manager, report=p.other_report)
    factories.CoachLinkFactory(coach=p.coach, coachee=p.individual)
    factories.CoachLinkFactory(coach=p.unassigned_coach, coachee=p.other_report)
    return p


@pytest.fixture
def client_for(client, people):
    """`client_for("manager")`: the test client signed in as that persona (or anonymous)."""
    from django.test import Client

    def make(persona: str) -> Client:
        c = Client()
        user = people.get(persona)
        if user is not None:
            c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return make
