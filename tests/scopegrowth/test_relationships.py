"""The one service for line managers, coaches, HR and admin (issue 14 item 4, issue 18)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from scopegrowth import access, outbox, registry, relationships
from scopegrowth.exceptions import RuleError
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, Notice
from scopegrowth.registry import RelationshipChange
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks():
    seen: list[RelationshipChange] = []
    registry.RELATIONSHIP_CHANGED.register("test-recorder", seen.append)
    yield seen
    registry.RELATIONSHIP_CHANGED.unregister("test-recorder")


def current_manager(person):
    return access.current_manager(person)


def test_a_new_manager_ends_the_old_link_with_the_time_and_starts_the_new(
    people, hooks, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-12-01 09:00 +00:00", tick=False):
        with django_capture_on_commit_callbacks() as callbacks:
            changed = relationships.manager_set(
                actor=people.hr, person=people.individual, manager=people.other_manager
            )
    assert changed
    old = ManagerLink.objects.get(report=people.individual, manager=people.manager)
    assert old.ended_at.isoformat() == "2026-12-01T09:00:00+00:00"
    new = ManagerLink.objects.active().get(report=people.individual)
    assert new.manager == people.other_manager
    assert new.started_at == old.ended_at
    assert len(callbacks) == 1  # one enqueue for the whole change
    assert [(c.kind, c.person, c.old, c.new, c.actor) for c in hooks] == [
        ("manager", people.individual, people.manager, people.other_manager, people.hr)
    ]
    actions = set(
        AuditEvent.objects.filter(subject=people.individual).values_list("action", "actor")
    )
    assert actions == {("manager_link_end", people.hr.pk), ("manager_link_start", people.hr.pk)}


def test_the_three_people_affected_are_told_in_one_email_each(people):
    relationships.manager_set(
        actor=people.hr, person=people.individual, manager=people.other_manager
    )
    assert outbox.send_ready() == 3
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {
        people.individual.email,
        people.manager.email,
        people.other_manager.email,
    }
    body = by_recipient[people.individual.email].body
    assert "David Mensah is now your line manager." in body
    html = by_recipient[people.manager.email].alternatives[0][0]
    assert "You are no longer the line manager of Aisha Rahman." in html
    assert outbox.send_ready() == 0  # sent once


def test_a_batch_sends_a_manager_one_email_for_many_reports(people):
    reports = factories.UserFactory.create_batch(5, organisation=people.hr.organisation)
    relationships.managers_set(
        actor=people.hr, changes=[(r, people.other_manager) for r in reports]
    )
    outbox.send_ready()
    to_manager = [m for m in mail.outbox if m.to == [people.other_manager.email]]
    assert len(to_manager) == 1
    assert to_manager[0].body.count("You are now the line manager of") == 5


def test_the_same_manager_again_changes_nothing(people, hooks):
    assert not relationships.manager_set(
        actor=people.hr, person=people.individual, manager=people.manager
    )
    assert hooks == []
    assert not Notice.objects.exists()
    assert ManagerLink.objects.filter(report=people.individual).count() == 1


def test_no_manager_ends_the_link(people):
    relationships.manager_set(actor=people.admin, person=people.individual, manager=None)
    assert current_manager(people.individual) is None
    assert Notice.objects.filter(
        recipient=people.individual, kind=Notice.Kind.MANAGER_ENDED
    ).exists()


@pytest.mark.parametrize("actor", ["hr", "admin"])
def test_nobody_makes_themself_someones_manager_or_coach(people, actor):
    me = getattr(people, actor)
    with pytest.raises(RuleError, match="yourself"):
        relationships.manager_set(actor=me, person=people.individual, manager=me)
    with pytest.raises(RuleError, match="yourself"):
        relationships.coach_add(actor=me, person=people.individual, coach=me)
    assert current_manager(people.individual) == people.manager
    assert not CoachLink.objects.filter(coach=me).exists()


def test_nobody_picks_their_own_manager_or_grants_themself_a_role(people):
    with pytest.raises(RuleError, match="your own"):
        relationships.manager_set(actor=people.hr, person=people.hr, manager=people.manager)
    with pytest.raises(RuleError, match="your own"):
        relationships.role_set(actor=people.admin, person=people.admin, role="hr", value=True)
    people.admin.refresh_from_db()
    assert not people.admin.is_hr


def test_a_manager_loop_is_refused(people):
    # manager manages individual; individual managing manager would close a loop.
    with pytest.raises(RuleError, match="managing themself"):
        relationships.manager_set(actor=people.hr, person=people.manager, manager=people.individual)
    assert current_manager(people.manager) is None


def test_a_person_who_left_cannot_become_a_manager(people):
    with pytest.raises(RuleError, match="has left"):
        relationships.manager_set(
            actor=people.hr, person=people.individual, manager=people.inactive
        )


@pytest.mark.parametrize("persona", ["individual", "manager", "coach", "hr_other_org"])
def test_people_without_the_right_cannot_change_links(people, persona):
    with pytest.raises((RuleError, PermissionDenied)):
        relationships.manager_set(
            actor=getattr(people, persona), person=people.colleague, manager=people.other_manager
        )
    assert current_manager(people.colleague) == people.manager


def test_hr_cannot_grant_roles_only_admins_can(people):
    with pytest.raises(PermissionDenied):
        relationships.role_set(actor=people.hr, person=people.individual, role="hr", value=True)
    assert relationships.role_set(
        actor=people.admin, person=people.individual, role="hr", value=True
    )
    people.individual.refresh_from_db()
    assert people.individual.is_hr
    assert access.HR in access.roles(people.individual)
    event = AuditEvent.objects.get(action="role_grant")
    assert (event.actor, event.subject, event.detail) == (people.admin, people.individual, "hr")
    outbox.send_ready()
    assert "You have been given the HR role, by Sam Okafor." in mail.outbox[0].body


def test_admin_role_is_granted_and_revoked_with_the_superuser_flag(people):
    relationships.role_set(actor=people.admin, person=people.hr, role="admin", value=True)
    people.hr.refresh_from_db()
    assert people.hr.is_staff
    assert people.hr.is_superuser
    relationships.role_set(actor=people.admin, person=people.hr, role="admin", value=False)
    people.hr.refresh_from_db()
    assert not people.hr.is_staff
    assert not people.hr.is_superuser
    assert AuditEvent.objects.filter(action="role_revoke", subject=people.hr).count() == 1


def test_coach_add_and_end_are_audited_told_and_hooked(people, hooks):
    link = relationships.coach_add(
        actor=people.hr, person=people.colleague, coach=people.unassigned_coach
    )
    assert access.coaches(people.unassigned_coach, people.colleague)
    assert relationships.coach_end(actor=people.hr, link=link)
    assert not access.coaches(people.unassigned_coach, people.colleague)
    assert not relationships.coach_end(actor=people.hr, link=link)  # already ended
    assert [(c.kind, c.old, c.new) for c in hooks] == [
        ("coach", None, people.unassigned_coach),
        ("coach", people.unassigned_coach, None),
    ]
    assert list(
        AuditEvent.objects.filter(subject=people.colleague)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["coach_link_start", "coach_link_end"]
    outbox.send_ready()
    coach_mail = [m for m in mail.outbox if m.to == [people.unassigned_coach.email]]
    assert len(coach_mail) == 1
    assert "You are now the assigned coach of Tom Hughes." in coach_mail[0].body
    assert "You are no longer the assigned coach of Tom Hughes." in coach_mail[0].body


def test_a_hook_that_fails_rolls_the_change_back(people):
    def broken(change):
        raise RuntimeError("hook failed")

    registry.RELATIONSHIP_CHANGED.register("test-broken", broken)
    try:
        with pytest.raises(RuntimeError):
            relationships.manager_set(
                actor=people.hr, person=people.individual, manager=people.other_manager
            )
    finally:
        registry.RELATIONSHIP_CHANGED.unregister("test-broken")
    assert current_manager(people.individual) == people.manager
    assert not Notice.objects.exists()


def test_a_password_reset_link_is_emailed_and_works(people, client):
    relationships.password_reset_send(actor=people.admin, person=people.individual)
    outbox.send_ready()
    (message,) = mail.outbox
    assert message.to == [people.individual.email]
    link = next(line for line in message.body.splitlines() if "/password/reset/key/" in line)
    response = client.get(urlsplit(link.strip()).path, follow=True)
    assert response.status_code == 200
    assert b"password1" in response.content
    assert AuditEvent.objects.filter(action="password_reset_sent").count() == 1


def test_a_failed_send_is_sent_later_once(people, monkeypatch):
    relationships.role_set(actor=people.admin, person=people.individual, role="hr", value=True)
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda *a, **k: (_ for _ in ()).throw(OSError("smtp down")),
    )
    assert outbox.send_ready() == 0
    monkeypatch.undo()
    with time_machine.travel("2099-01-01 09:00 +00:00"):
        assert outbox.send_ready() == 1
        assert outbox.send_ready() == 0
    assert len(mail.outbox) == 1


def test_the_system_actor_may_relate_anyone(people):
    assert relationships.manager_set(
        actor=access.SYSTEM, person=people.individual, manager=people.other_manager
    )
    event = AuditEvent.objects.get(action="manager_link_start")
    assert event.actor is None
