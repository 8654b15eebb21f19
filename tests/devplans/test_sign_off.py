"""Sign-off: each person signs only for themself; both on the same content agree and lock it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from devplans import services
from devplans.content import plan_content_hash
from devplans.models import Plan
from scopegrowth import outbox
from scopegrowth.models import AuditEvent, OutboundEmail
from tests.devplans.factories import PlanFactory
from tests.devplans.helpers import edit_data, page_text, pdf_text, squash

pytestmark = pytest.mark.django_db


def sign_url(plan: Plan) -> str:
    return reverse("devplans:sign", args=[plan.pk])


def sign(client, plan: Plan):
    plan.refresh_from_db()
    return client.post(sign_url(plan), {"version": plan.version}, follow=True)


def test_the_individual_signs_only_their_own_part(client_for, draft):
    response = sign(client_for("individual"), draft)
    assert "You have signed the plan. It is agreed once the other person signs." in page_text(
        response
    )
    draft.refresh_from_db()
    assert draft.individual_signed_at is not None
    assert draft.individual_signed_hash == plan_content_hash(draft)
    assert draft.facilitator_signed_at is None
    assert draft.facilitator_signed_hash == ""
    assert draft.status == Plan.Status.DRAFT


def test_the_manager_cannot_sign_for_the_individual(client_for, draft):
    sign(client_for("manager"), draft)
    draft.refresh_from_db()
    assert draft.facilitator_signed_by.email == "manager@example.org"
    assert draft.individual_signed_at is None
    assert draft.individual_signed_hash == ""
    # Signing again as manager does not count twice or fill the other part.
    response = sign(client_for("manager"), draft)
    assert "has already signed this version of the plan as facilitator" in page_text(response)
    draft.refresh_from_db()
    assert draft.individual_signed_at is None
    assert draft.status == Plan.Status.DRAFT


def test_both_signatures_agree_and_lock_the_plan(client_for, draft):
    sign(client_for("individual"), draft)
    response = sign(client_for("coach"), draft)  # an assigned coach facilitates too
    assert "You have both signed: the plan is agreed and locked." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Plan.Status.AGREED
    assert draft.agreed_at is not None
    assert draft.facilitator_signed_by.email == "coach@example.org"
    assert draft.individual_signed_hash == draft.facilitator_signed_hash == plan_content_hash(draft)
    # Locked: nobody can edit or sign it any more.
    data = edit_data(draft, reflections="After agreement")
    assert (
        client_for("individual").post(reverse("devplans:edit", args=[draft.pk]), data).status_code
        == 409  # the "this plan is agreed, nothing saved" page (issue 15)
    )
    assert (
        client_for("manager").post(sign_url(draft), {"version": draft.version}).status_code == 403
    )
    draft.refresh_from_db()
    assert draft.reflections != "After agreement"


def test_a_plan_with_no_objectives_cannot_be_signed(client_for, people):
    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    response = sign(client_for("individual"), plan)
    assert "A plan needs at least one development objective before it can be signed" in (
        page_text(response)
    )
    plan.refresh_from_db()
    assert plan.individual_signed_at is None
    assert plan.individual_signed_hash == ""


def test_a_plan_without_positions_cannot_be_signed(client_for, draft):
    Plan.objects.filter(pk=draft.pk).update(future_growth="", future_impact=None)
    response = sign(client_for("manager"), draft)
    assert "Record the current position and the position in two years" in page_text(response)
    draft.refresh_from_db()
    assert draft.facilitator_signed_at is None


def test_any_edit_clears_both_signatures(client_for, draft):
    sign(client_for("individual"), draft)
    data = edit_data(draft, reflections="Changed after she signed")
    assert (
        client_for("manager").post(reverse("devplans:edit", args=[draft.pk]), data).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.individual_signed_at is None
    assert draft.individual_signed_hash == ""
    assert draft.status == Plan.Status.DRAFT
    # The manager's signature now covers content the individual has not signed: not agreed.
    sign(client_for("manager"), draft)
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT


def test_signing_a_version_that_changed_after_opening_is_refused(client_for, draft):
    opened = draft.version
    client_for("manager").post(
        reverse("devplans:edit", args=[draft.pk]), edit_data(draft, aspirations="Changed")
    )
    response = client_for("individual").post(sign_url(draft), {"version": opened}, follow=True)
    assert "The plan was changed after you opened it, so it has not been signed" in page_text(
        response
    )
    draft.refresh_from_db()
    assert draft.individual_signed_at is None


@pytest.mark.parametrize("persona", ["colleague", "other_manager", "unassigned_coach", "admin"])
def test_outsiders_cannot_sign(client_for, draft, persona):
    assert client_for(persona).post(sign_url(draft), {"version": 1}).status_code == 404
    draft.refresh_from_db()
    assert draft.individual_signed_at is None
    assert draft.facilitator_signed_at is None


def test_hr_cannot_sign_an_agreed_plan(client_for, agreed):
    before = (agreed.facilitator_signed_by_id, agreed.facilitator_signed_at)
    assert client_for("hr").post(sign_url(agreed), {"version": 1}).status_code == 403
    agreed.refresh_from_db()
    assert (agreed.facilitator_signed_by_id, agreed.facilitator_signed_at) == before


def test_it_rejects_get(client_for, draft):
    assert client_for("individual").get(sign_url(draft)).status_code == 405


def test_signing_is_audited(people, draft):
    services.plan_sign(actor=people.individual, plan=draft)
    event = AuditEvent.objects.get(action="plan_sign")
    assert (event.actor, event.subject, event.detail) == (
        people.individual,
        people.individual,
        "individual",
    )


def test_the_hash_on_the_pdf_matches_the_signatures(client_for, people, draft):
    services.plan_sign(actor=people.individual, plan=draft)
    services.plan_sign(actor=people.manager, plan=draft)
    draft.refresh_from_db()
    response = client_for("individual").get(reverse("devplans:pdf", args=[draft.pk]))
    text = squash(pdf_text(response.getvalue()))
    assert squash(draft.individual_signed_hash) in text
    assert draft.individual_signed_hash == draft.facilitator_signed_hash
    assert plan_content_hash(draft) == draft.individual_signed_hash


# =============================================================================
# Emails
# =============================================================================


def test_signing_tells_the_other_person_after_commit(
    people, draft, outbox_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_sign(actor=people.individual, plan=draft)
        assert mail.outbox == []  # written with the signature, sent after the commit

    assert [m.to for m in mail.outbox] == [["manager@example.org"]]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_the_signature_email_goes_to_the_facilitator_without_plan_text(people, draft):
    services.plan_sign(actor=people.individual, plan=draft)

    assert outbox.send_ready() == 1
    message = mail.outbox[0]
    assert message.to == ["manager@example.org"]
    assert "Aisha Rahman has signed their development plan" in message.subject
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert f"/plans/{draft.pk}/" in part
        assert draft.reflections not in part
        assert draft.objectives.get().description not in part


def test_agreement_emails_both(people, draft):
    services.plan_sign(actor=people.individual, plan=draft)
    outbox.send_ready()
    mail.outbox.clear()
    services.plan_sign(actor=people.manager, plan=draft)
    outbox.send_ready()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "individual@example.org",
        "manager@example.org",
    ]
    assert {m.subject for m in mail.outbox} == {
        "[ScopeGrowth] Your development plan is agreed",
        "[ScopeGrowth] Aisha Rahman's development plan is agreed",
    }


def test_a_signature_without_the_version_read_is_refused(client_for, draft):
    response = client_for("individual").post(sign_url(draft), {}, follow=True)
    assert "This page was incomplete, so nothing was signed." in page_text(response)
    draft.refresh_from_db()
    assert draft.individual_signed_at is None
