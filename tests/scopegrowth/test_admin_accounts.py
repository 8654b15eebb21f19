"""The admin manages accounts without becoming anyone (issue 14 item 4)."""

from __future__ import annotations

import pytest
from django.core import mail

from scopegrowth import access, notices
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, User

pytestmark = pytest.mark.django_db


def change_url(person: User) -> str:
    return f"/admin/scopegrowth/user/{person.pk}/change/"


def form_data(person: User, **changes) -> dict:
    """The change form as the admin page would post it, with no link rows added."""
    managers = list(ManagerLink.objects.filter(report=person).order_by("pk"))
    coaches = list(CoachLink.objects.filter(coachee=person).order_by("pk"))
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "employee_number": person.employee_number,
        "job_title": person.job_title,
        "staff_group": person.staff_group,
        "organisation": person.organisation_id or "",
        "team": person.team_id or "",
        "started_on": "",
        "left_on": "",
        "is_active": "on" if person.is_active else "",
        "is_hr": "on" if person.is_hr else "",
        "is_staff": "on" if person.is_staff else "",
        "manager_links-TOTAL_FORMS": str(len(managers)),
        "manager_links-INITIAL_FORMS": str(len(managers)),
        "coach_links-TOTAL_FORMS": str(len(coaches)),
        "coach_links-INITIAL_FORMS": str(len(coaches)),
    }
    for i, link in enumerate(managers):
        data[f"manager_links-{i}-id"] = link.pk
        data[f"manager_links-{i}-report"] = person.pk
    for i, link in enumerate(coaches):
        data[f"coach_links-{i}-id"] = link.pk
        data[f"coach_links-{i}-coachee"] = person.pk
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def add_row(data: dict, prefix: str, field: str, value) -> dict:
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data[f"{prefix}-{n}-{field}"] = value
    return data


def test_the_change_page_has_no_password_and_the_password_page_is_refused(people, client_for):
    admin = client_for("admin")
    page = admin.get(change_url(people.individual))
    assert page.status_code == 200
    assert b'name="password' not in page.content
    assert b"is_superuser" not in page.content
    response = admin.post(
        f"/admin/scopegrowth/user/{people.individual.pk}/password/",
        {"password1": "Taken-over-123", "password2": "Taken-over-123"},
    )
    assert response.status_code == 403
    people.individual.refresh_from_db()
    assert not people.individual.check_password("Taken-over-123")


def test_the_admin_emails_a_reset_link_instead(people, client_for):
    response = client_for("admin").post(
        "/admin/scopegrowth/user/",
        {"action": "send_password_reset", "_selected_action": [people.individual.pk]},
    )
    assert response.status_code == 302
    notices.send_pending()
    (message,) = mail.outbox
    assert message.to == [people.individual.email]
    assert "/accounts/password/reset/key/" in message.body
    assert AuditEvent.objects.filter(
        action="password_reset_sent", actor=people.admin, subject=people.individual
    ).exists()


def test_ticking_hr_on_ones_own_account_is_refused(people, client_for):
    response = client_for("admin").post(
        change_url(people.admin), form_data(people.admin, is_hr="on")
    )
    assert response.status_code == 200
    assert "You cannot change your own roles" in response.content.decode()
    people.admin.refresh_from_db()
    assert not people.admin.is_hr


def test_ticking_hr_for_someone_else_goes_through_the_service(people, client_for):
    response = client_for("admin").post(
        change_url(people.colleague), form_data(people.colleague, is_hr="on")
    )
    assert response.status_code == 302
    assert access.HR in access.roles(people.colleague)
    assert AuditEvent.objects.filter(action="role_grant", subject=people.colleague).count() == 1
    notices.send_pending()
    assert "You have been given the HR role." in mail.outbox[0].body


def test_the_admin_cannot_make_themself_someones_coach(people, client_for):
    data = add_row(form_data(people.colleague), "coach_links", "coach", people.admin.pk)
    response = client_for("admin").post(change_url(people.colleague), data)
    assert response.status_code == 200
    assert "You cannot make yourself" in response.content.decode()
    assert not CoachLink.objects.filter(coach=people.admin).exists()


def test_a_new_manager_row_replaces_the_current_manager_through_the_service(people, client_for):
    data = add_row(form_data(people.colleague), "manager_links", "manager", people.other_manager.pk)
    response = client_for("admin").post(change_url(people.colleague), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert access.current_manager(people.colleague) == people.other_manager
    assert ManagerLink.objects.filter(report=people.colleague).count() == 2
    assert AuditEvent.objects.filter(
        action="manager_link_end", actor=people.admin, subject=people.colleague
    ).exists()


def test_ending_a_coach_link_keeps_it_as_history(people, client_for):
    data = form_data(people.individual, **{"coach_links-0-end_now": "on"})
    response = client_for("admin").post(change_url(people.individual), data)
    assert response.status_code == 302
    link = CoachLink.objects.get(coachee=people.individual)
    assert link.ended_at is not None
    assert not access.coaches(people.coach, people.individual)


def test_an_open_link_cannot_be_pointed_at_someone_else(people, client_for):
    data = form_data(people.individual, **{"manager_links-0-manager": people.admin.pk})
    client_for("admin").post(change_url(people.individual), data)
    assert access.current_manager(people.individual) == people.manager


def test_a_new_account_has_no_password_and_is_invited(people, client_for):
    response = client_for("admin").post(
        "/admin/scopegrowth/user/add/",
        {"email": "new.starter@example.org", "full_name": "Nia Ward"},
    )
    assert response.status_code == 302
    person = User.objects.get(email="new.starter@example.org")
    assert not person.has_usable_password()
    notices.send_pending()
    (message,) = mail.outbox
    assert message.to == ["new.starter@example.org"]
    assert "/accounts/password/reset/key/" in message.body
