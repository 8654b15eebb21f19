"""Reopening an agreed plan makes a new version; earlier versions stay readable; diffs shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from devplans import services
from devplans.models import Plan
from scopegrowth.models import AuditEvent
from tests.devplans.factories import ProgressNoteFactory
from tests.devplans.helpers import edit_data, objective_row, page_text

pytestmark = pytest.mark.django_db


def reopen(client, plan: Plan):
    return client.post(
        reverse("devplans:reopen", args=[plan.pk]), {"reason": "A new role came up."}
    )


def test_reopening_makes_a_new_draft_version_and_keeps_the_old_one(client_for, agreed):
    ProgressNoteFactory(objective=agreed.objectives.first(), text="First session went well.")
    response = reopen(client_for("individual"), agreed)
    new = Plan.objects.get(lineage=agreed.lineage, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("devplans:edit", args=[new.pk])
    assert new.status == Plan.Status.DRAFT
    assert new.individual_signed_at is None
    assert new.facilitator_signed_at is None
    assert [o.description for o in new.objectives.all()] == [
        o.description for o in agreed.objectives.all()
    ]
    assert [sorted(i.name for i in o.initiatives.all()) for o in new.objectives.all()] == [
        sorted(i.name for i in o.initiatives.all()) for o in agreed.objectives.all()
    ]
    assert new.objectives.first().notes.get().text == "First session went well."
    assert new.reviews.count() == agreed.reviews.count()
    agreed.refresh_from_db()
    assert agreed.status == Plan.Status.SUPERSEDED
    assert agreed.agreed_at is not None
    assert AuditEvent.objects.filter(action="plan_reopen", object_id=new.pk).exists()


def test_the_earlier_version_stays_readable_and_says_so(client_for, agreed):
    reopen(client_for("manager"), agreed)
    new = Plan.objects.get(lineage=agreed.lineage, number=2)
    response = client_for("individual").get(reverse("devplans:detail", args=[agreed.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "This is an earlier version, kept so you can read it" in text
    assert "Open the newest version (version 2)" in text
    assert (
        client_for("individual").get(reverse("devplans:pdf", args=[agreed.pk])).status_code == 200
    )
    # Neither signing nor editing the old version is possible.
    old_edit = client_for("individual").get(reverse("devplans:edit", args=[agreed.pk]))
    assert old_edit.status_code == 200
    assert "This is an earlier version of the plan" in old_edit.content.decode()
    assert 'name="reflections"' not in old_edit.content.decode()
    assert client_for("individual").get(reverse("devplans:edit", args=[new.pk])).status_code == 200


def test_reopening_twice_is_refused(client_for, agreed):
    reopen(client_for("individual"), agreed)
    response = reopen(client_for("manager"), agreed)
    assert response.status_code == 403
    assert Plan.objects.filter(lineage=agreed.lineage).count() == 2


def test_a_draft_cannot_be_reopened(client_for, draft):
    assert reopen(client_for("individual"), draft).status_code == 403
    assert Plan.objects.filter(lineage=draft.lineage).count() == 1


def test_the_new_version_shows_what_changed(client_for, people, agreed):
    reopen(client_for("individual"), agreed)
    new = Plan.objects.get(lineage=agreed.lineage, number=2)
    first, second = new.objectives.order_by("order")
    data = edit_data(
        new,
        aspirations="Become a ward sister and mentor new starters.",
        future_growth="breadth",
        objectives=[
            objective_row(first, description="Lead the weekly teaching session for students"),
            objective_row(second, delete=True),
            objective_row(
                description="Join the practice council", target_date=first.target_date.isoformat()
            ),
        ],
    )
    assert (
        client_for("manager").post(reverse("devplans:edit", args=[new.pk]), data).status_code == 302
    )
    response = client_for("individual").get(reverse("devplans:detail", args=[new.pk]))
    text = page_text(response)
    html = response.content.decode()
    assert "What changed since version 1" in text
    assert "Position in two years" in text
    assert "<del>Stretch / complexity, exceeding in role</del>" in html
    assert "<ins>Breadth, exceeding in role</ins>" in html
    assert "Become a ward <del>sister.</del> <ins>sister and mentor new starters.</ins>" in html
    assert "Objectives added" in text
    assert "Join the practice council" in text
    assert "Objectives removed" in text
    assert second.description in text
    assert "Objective changed" in text
    assert "<ins>for students</ins>" in html


def test_an_unchanged_new_version_says_nothing_changed(client_for, agreed):
    reopen(client_for("individual"), agreed)
    new = Plan.objects.get(lineage=agreed.lineage, number=2)
    text = page_text(client_for("individual").get(reverse("devplans:detail", args=[new.pk])))
    assert "Nothing has changed yet: this version is the same as version 1." in text


def test_signing_the_new_version_agrees_it(people, agreed):
    new = services.plan_reopen(actor=people.individual, plan=agreed, reason="Objectives changed")
    services.plan_sign(actor=people.individual, plan=new)
    services.plan_sign(actor=people.manager, plan=new)
    new.refresh_from_db()
    assert new.status == Plan.Status.AGREED
    assert new.number == 2
    assert list(
        Plan.objects.filter(lineage=agreed.lineage)
        .order_by("number")
        .values_list("status", flat=True)
    ) == [Plan.Status.SUPERSEDED, Plan.Status.AGREED]


def test_hr_sees_the_agreed_version_while_the_new_one_is_a_draft(client_for, people, agreed):
    new = services.plan_reopen(actor=people.manager, plan=agreed, reason="Objectives changed")
    hr = client_for("hr")
    assert hr.get(reverse("devplans:detail", args=[agreed.pk])).status_code == 200
    assert hr.get(reverse("devplans:detail", args=[new.pk])).status_code == 404
    listing = page_text(hr.get(reverse("devplans:hr_list")))
    assert "1 plan" in listing
    assert "Aisha Rahman" in listing
