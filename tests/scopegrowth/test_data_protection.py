"""Download my data (covers every model about a person) and the retention rule (dry run first)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from conversations.models import Conversation, Preparation, StageNote, StageRecord
from journals.models import Journal
from scopegrowth import dataprotection
from scopegrowth.models import AuditEvent, User

pytestmark = pytest.mark.django_db

# Every installed app but Django's own: a new app's models are covered without editing this.
PERSON_APPS = {cfg.label for cfg in apps.get_app_configs() if not cfg.name.startswith("django.")}


def points_at_a_person(model, seen=None) -> bool:
    seen = seen or set()
    if model in seen:
        return False
    seen.add(model)
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is not None:
            if f.related_model is User or points_at_a_person(f.related_model, seen):
                return True
    return False


def test_every_model_about_a_person_is_exported_or_excluded_with_a_reason():
    exported = {e.model for e in dataprotection.exports()}
    missing = [
        m._meta.label_lower
        for m in apps.get_models()
        if m._meta.app_label in PERSON_APPS
        and m is not User
        and points_at_a_person(m)
        and m._meta.label_lower not in exported
        and m._meta.label_lower not in dataprotection.not_exported()
    ]
    assert not missing, f"add these to an app's personal_data.py (exported or not): {missing}"


def test_download_holds_my_journal_and_conversations_but_not_private_notes(people, client_for):
    journal = Journal.objects.create(owner=people.individual, cycle=1)
    c = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        journal=journal,
        scheduled_at=timezone.now() + timedelta(days=3),
        location="Room 1",
    )
    StageRecord.objects.create(conversation=c, stage=1, agreed_summary="We agreed to try shadowing")
    StageNote.objects.create(
        conversation=c, stage=1, author=people.manager, text="PRIVATE-NOTE-canary"
    )
    Preparation.objects.create(
        conversation=c, author=people.manager, strengths="PRIVATE-PREP-canary"
    )
    response = client_for("individual").post("/my-data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"][0]["email"] == people.individual.email
    assert "password" not in data["profile"][0]
    assert [j["id"] for j in data["journals"]] == [journal.pk]
    assert data["conversation_stages"][0]["agreed_summary"] == "We agreed to try shadowing"
    text = response.content.decode()
    assert "PRIVATE-NOTE-canary" not in text
    assert "PRIVATE-PREP-canary" not in text
    assert AuditEvent.objects.filter(actor=people.individual, action="export_own_data").exists()


def test_the_download_is_only_ever_my_own(people, client_for):
    Journal.objects.create(owner=people.individual, cycle=1)
    data = json.loads(client_for("manager").post("/my-data/download/").content)
    assert data["journals"] == []
    assert data["profile"][0]["email"] == people.manager.email


def leaver(people, years_ago: int) -> User:
    person = people.colleague
    person.left_on = timezone.localdate() - timedelta(days=365 * years_ago + 10)
    person.save()
    Journal.objects.create(owner=person, cycle=1)
    return person


def test_retention_dry_run_changes_nothing(people):
    person = leaver(people, 7)
    out = StringIO()
    call_command("apply_retention", "--years", "6", stdout=out)
    assert "Would change 1 people" in out.getvalue()
    person.refresh_from_db()
    assert person.full_name == "Tom Hughes"
    assert Journal.objects.filter(owner=person).exists()


def test_retention_anonymises_once_and_keeps_tombstones(people):
    person = leaver(people, 7)
    recent = people.individual
    recent.left_on = timezone.localdate() - timedelta(days=300)
    recent.save()
    call_command("apply_retention", "--years", "6", "--apply", stdout=StringIO())
    person.refresh_from_db()
    assert person.full_name == dataprotection.ANONYMOUS_NAME
    assert not person.is_active
    assert not Journal.objects.filter(owner=person).exists()
    assert AuditEvent.objects.filter(action="retention_anonymise", subject=person).count() == 1
    recent.refresh_from_db()
    assert recent.full_name == "Aisha Rahman"
    out = StringIO()
    call_command("apply_retention", "--years", "6", "--apply", stdout=out)
    assert "Changed 0 people" in out.getvalue()


def test_retention_delete_removes_people_nothing_depends_on(people):
    person = leaver(people, 7)
    pk = person.pk
    call_command("apply_retention", "--years", "6", "--delete", "--apply", stdout=StringIO())
    assert not User.objects.filter(pk=pk).exists()
    assert not Journal.objects.filter(owner_id=pk).exists()


def test_hr_previews_then_applies_on_the_page(people, client_for):
    person = leaver(people, 7)
    client = client_for("hr")
    preview = client.get("/hr/retention/", {"years": 6, "mode": "anonymise"})
    assert "1 person left on or before" in preview.text
    person.refresh_from_db()
    assert person.full_name == "Tom Hughes"
    done = client.post("/hr/retention/", {"years": 6, "mode": "anonymise", "confirm": "on"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.full_name == dataprotection.ANONYMOUS_NAME


def test_hr_of_another_organisation_reaches_nobody_here(people, client_for):
    person = leaver(people, 7)
    client_for("hr_other_org").post(
        "/hr/retention/", {"years": 6, "mode": "anonymise", "confirm": "on"}
    )
    person.refresh_from_db()
    assert person.full_name == "Tom Hughes"


def test_a_retention_period_under_a_year_is_refused(client_for):
    response = client_for("hr").get("/hr/retention/", {"years": 0, "mode": "anonymise"})
    assert "greater than or equal to 1" in response.text
    assert 'value="0"' in response.text
