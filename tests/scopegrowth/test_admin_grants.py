"""The admin manages accounts without becoming anyone (issue 14, item 4).

Before: the admin could set any user's password in the Django admin and sign in as them (the
user was not told), add themselves as someone's coach, or tick HR on their own account. Now: no
password is set in the admin (a link is emailed), nobody grants themselves a role or a link,
and every grant of HR, admin, coach or line-manager links goes through
`scopegrowth.relationships` (the same service as the people import), which audits it and tells
the people affected through the outbox (`scopegrowth.notices`).
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from scopegrowth import access, outbox, relationships
from scopegrowth.exceptions import RuleError
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, Notice, User

pytestmark = pytest.mark.django_db


class FormData(HTMLParser):
    """What a browser would post for the page's main form, as a dict (last value wins)."""

    def __init__(self, html: str):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def change_url(user: User) -> str:
    return f"/admin/scopegrowth/user/{user.pk}/change/"


def page_form(client, user: User) -> dict[str, str]:
    response = client.get(change_url(user))
    assert response.status_code == 200
    data = FormData(response.content.decode()).data
    data.pop("action", None)
    data["_save"] = "Save"
    return data


@pytest.fixture
def admin_client(client_for):
    return client_for("admin")


# --- Passwords -------------------------------------------------------------------------------


def test_there_is_no_page_to_set_someones_password(admin_client, people):
    old_page = admin_client.get(
        f"/admin/scopegrowth/user/{people.individual.pk}/password/", follow=True
    )
    assert 'name="password1"' not in old_page.content.decode()
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_user_password_change", args=[people.individual.pk])
    page = admin_client.get(change_url(people.individual)).content.decode()
    assert 'name="password' not in page
    assert "/password/" not in page


def test_posting_a_password_to_the_change_page_changes_nothing(admin_client, people):
    data = page_form(admin_client, people.individual)
    data.update(
        {"password": "pbkdf2_sha256$1$x$y", "password1": "new one!", "password2": "new one!"}
    )
    before = User.objects.get(pk=people.individual.pk).password

    admin_client.post(change_url(people.individual), data)

    assert User.objects.get(pk=people.individual.pk).password == before


def test_a_new_account_gets_an_emailed_link_never_a_password(admin_client, people):
    add = admin_client.get("/admin/scopegrowth/user/add/").content.decode()
    assert 'name="password1"' not in add
    assert 'name="usable_password"' not in add

    data = FormData(add).data
    data.update({"email": "new.starter@example.org", "full_name": "New Starter", "_save": "Save"})
    response = admin_client.post("/admin/scopegrowth/user/add/", data)

    assert response.status_code == 302
    user = User.objects.get(email="new.starter@example.org")
    assert not user.has_usable_password()
    outbox.send_ready()  # the worker
    assert [m.to for m in mail.outbox] == [["new.starter@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="password_link_sent", subject=user).exists()


def test_the_admin_can_email_a_link_and_the_password_stays_the_persons(admin_client, people):
    before = User.objects.get(pk=people.individual.pk).password

    response = admin_client.post(
        "/admin/scopegrowth/user/",
        {"action": "send_password_links", "_selected_action": [people.individual.pk]},
    )

    assert response.status_code == 302
    outbox.send_ready()  # the worker
    assert [m.to for m in mail.outbox] == [[people.individual.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert User.objects.get(pk=people.individual.pk).password == before


# --- Nothing granted to oneself --------------------------------------------------------------


def test_nobody_changes_their_own_roles(admin_client, people):
    people.admin.is_hr = False
    people.admin.save(update_fields=["is_hr"])
    data = page_form(admin_client, people.admin)
    assert "is_hr" not in data  # shown, not editable
    data["is_hr"] = "on"

    admin_client.post(change_url(people.admin), data)

    assert User.objects.get(pk=people.admin.pk).is_hr is False
    with pytest.raises(RuleError):
        relationships.role_set(actor=people.admin, person=people.admin, role="hr", value=True)


@pytest.mark.parametrize("holder", ["coach", "manager"])
def test_the_admin_cannot_make_themselves_someones_coach_or_manager(admin_client, people, holder):
    person = people.coach  # no line manager and no coach yet
    data = page_form(admin_client, person)
    prefix = "coach_links" if holder == "coach" else "manager_links"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data[f"{prefix}-{total}-{holder}"] = str(people.admin.pk)
    data[f"{prefix}-{total}-started_at_0"] = "01/12/2026"
    data[f"{prefix}-{total}-started_at_1"] = "09:00:00"

    response = admin_client.post(change_url(person), data)

    assert response.status_code == 200
    assert "You cannot make yourself the line manager or coach of" in response.content.decode()
    assert not CoachLink.objects.filter(coach=people.admin).exists()
    assert not ManagerLink.objects.filter(manager=people.admin).exists()


# --- Every grant audited and told ------------------------------------------------------------


def test_granting_hr_is_audited_and_the_person_is_told(
    admin_client, people, django_capture_on_commit_callbacks
):
    data = page_form(admin_client, people.colleague)
    data["is_hr"] = "on"
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(change_url(people.colleague), data)

    assert response.status_code == 302
    assert User.objects.get(pk=people.colleague.pk).is_hr
    event = AuditEvent.objects.get(action="role_grant", subject=people.colleague)
    assert (event.actor, event.detail) == (people.admin, "hr")
    assert len(callbacks) == 1  # the outbox asks a worker to send after the commit

    assert outbox.send_ready() == 1
    message = mail.outbox[-1]
    assert message.to == [people.colleague.email]
    assert f"You have been given the HR role, by {people.admin.full_name}." in message.body


def test_a_new_coach_link_from_the_admin_is_audited_and_both_people_told(admin_client, people):
    data = page_form(admin_client, people.colleague)
    total = int(data["coach_links-TOTAL_FORMS"])
    data["coach_links-TOTAL_FORMS"] = str(total + 1)
    data[f"coach_links-{total}-coach"] = str(people.unassigned_coach.pk)
    data[f"coach_links-{total}-started_at_0"] = "01/12/2026"
    data[f"coach_links-{total}-started_at_1"] = "09:00:00"
    response = admin_client.post(change_url(people.colleague), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    link = CoachLink.objects.get(coach=people.unassigned_coach, coachee=people.colleague)
    event = AuditEvent.objects.get(action="coach_link_start", object_id=link.pk)
    assert (event.actor, event.subject) == (people.admin, people.colleague)
    assert access.coaches(people.unassigned_coach, people.colleague)
    outbox.send_ready()
    told = {m.to[0]: m.body for m in mail.outbox}
    assert (
        f"{people.unassigned_coach.full_name} is now your assigned coach."
        in told[people.colleague.email]
    )
    assert "You are now the assigned coach of Tom Hughes." in told[people.unassigned_coach.email]


def test_ending_a_manager_link_in_the_admin_takes_access_away_and_tells_both(admin_client, people):
    link = ManagerLink.objects.get(report=people.colleague, ended_at__isnull=True)
    data = page_form(admin_client, people.colleague)
    index = next(
        k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == str(link.pk)
    )
    data[f"manager_links-{index}-ended_at_0"] = "01/12/2020"
    data[f"manager_links-{index}-ended_at_1"] = "09:00:00"
    response = admin_client.post(change_url(people.colleague), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert access.current_manager(people.colleague) is None
    assert AuditEvent.objects.filter(action="manager_link_change", object_id=link.pk).exists()
    outbox.send_ready()
    told = {m.to[0]: m.body for m in mail.outbox}
    assert "Helen Carter is no longer your line manager." in told[people.colleague.email]
    assert "You are no longer the line manager of Tom Hughes." in told[people.manager.email]

    # Editing the ended link again (a typo in its start) tells nobody a second time.
    mail.outbox.clear()
    data = page_form(admin_client, people.colleague)
    data[f"manager_links-{index}-started_at_0"] = "02/01/2020"
    admin_client.post(change_url(people.colleague), data)
    outbox.send_ready()
    assert mail.outbox == []


def test_many_changes_before_the_outbox_sends_make_one_email_per_person(people):
    """What an import does: every change through the service, one email per person."""
    relationships.coach_add(
        actor=access.SYSTEM, person=people.colleague, coach=people.unassigned_coach
    )
    relationships.role_set(actor=access.SYSTEM, person=people.colleague, role="hr", value=True)
    relationships.coach_add(
        actor=access.SYSTEM, person=people.individual, coach=people.unassigned_coach
    )
    assert Notice.objects.filter(recipient=people.colleague).count() == 2

    outbox.send_ready()
    colleague = [m for m in mail.outbox if m.to == [people.colleague.email]]
    assert len(colleague) == 1
    assert "is now your assigned coach" in colleague[0].body
    assert "You have been given the HR role." in colleague[0].body  # the system names nobody
    coach = [m for m in mail.outbox if m.to == [people.unassigned_coach.email]]
    assert len(coach) == 1  # both new coachees in one email
    assert "Tom Hughes" in coach[0].body
    assert "Aisha Rahman" in coach[0].body


def test_one_may_end_but_never_reopen_a_link_one_holds(people):
    link = relationships.coach_link_start(
        actor=people.hr, coach=people.admin, coachee=people.colleague
    )
    link.ended_at = timezone.now() - dt.timedelta(minutes=1)
    relationships.link_save(actor=people.admin, link=link)
    assert not access.coaches(people.admin, people.colleague)

    link.ended_at = None
    with pytest.raises(RuleError):
        relationships.link_save(actor=people.admin, link=link)
    link.refresh_from_db()
    assert link.ended_at is not None
    assert not access.coaches(people.admin, people.colleague)


def test_only_an_administrator_gives_roles_and_hr_may_assign_links(people):
    with pytest.raises(PermissionDenied):
        relationships.role_set(actor=people.hr, person=people.colleague, role="hr", value=True)
    with pytest.raises(PermissionDenied):
        relationships.coach_link_start(
            actor=people.manager, coach=people.coach, coachee=people.colleague
        )
    link = relationships.coach_link_start(
        actor=people.hr, coach=people.coach, coachee=people.colleague
    )
    assert AuditEvent.objects.filter(action="coach_link_start", object_id=link.pk).exists()


def test_grants_are_made_only_through_the_relationships_service():
    """No other app code creates a line-manager or coach link or switches a role on (the demo
    seed builds its fictional organisation directly; migrations hold no grants)."""
    root = Path(__file__).resolve().parents[2]
    grant = re.compile(
        r"\b(ManagerLink|CoachLink)(\.objects\.(create|bulk_create|get_or_create)\b|\()"
        r"|\bis_(hr|staff|superuser)\s*=\s*True"
    )
    # relationships.py: the one service (the admin, the people import); demo.py: the seed.
    allowed = {"scopegrowth/relationships.py", "scopegrowth/demo.py"}
    found = []
    for app in ("scopegrowth", "reminders", "journals", "conversations", "devplans", "insight"):
        for path in (root / app).rglob("*.py"):
            name = path.relative_to(root).as_posix()
            if name in allowed or "/migrations/" in name:
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if grant.search(line) and not line.lstrip().startswith(("class ", "#")):
                    found.append(f"{name}:{n}: {line.strip()}")
    assert not found, found
