"""Check-ins on the plan between reviews (issue 16, part 3): what progressed, what is blocked,
recorded by either side; the other person is told with a link only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from devplans import services
from devplans.models import Plan, PlanCheckIn
from devplans.pdf import HR_COPY_OMITS, render_plan_pdf
from scopegrowth import access, outbox, relationships
from scopegrowth.exceptions import RuleError
from scopegrowth.models import Update
from tests.dates import date_fields
from tests.devplans.factories import agreed_plan
from tests.devplans.helpers import page_text, pdf_text, squash

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(hour))), tick=False)


def check_in_url(plan: Plan) -> str:
    return reverse("devplans:check_in", args=[plan.pk])


def detail_url(plan: Plan) -> str:
    return reverse("devplans:detail", args=[plan.pk])


def post(held_on: date, progressed: str = "", blocked: str = "") -> dict:
    return {**date_fields(held_on, "held_on"), "progressed": progressed, "blocked": blocked}


AGREED_ON = date(2026, 1, 12)


def test_a_plan_lived_over_months_check_ins_then_the_review(client_for, people):
    """Agreed in January; the individual checks in a month later, the manager a month after
    that; then the six-monthly review. Each sees the other's check-in, newest first, and each
    check-in tells the other person with a link only."""
    with at(AGREED_ON):
        plan = agreed_plan(people.individual, people.manager)

    with at(AGREED_ON + timedelta(days=30)):
        individual = client_for("individual")
        response = individual.post(
            check_in_url(plan),
            post(
                AGREED_ON + timedelta(days=29),
                progressed="Shadowed the ward manager twice.",
                blocked="Rota leaves no time for the course.",
            ),
            follow=True,
        )
        assert "Your check-in has been recorded on the plan." in page_text(response)
        assert outbox.send_ready() == 1
        told = mail.outbox[-1]
        assert told.to == ["manager@example.org"]
        assert "recorded a check-in" in told.subject
        for part in (told.body, told.alternatives[0][0]):
            assert f"/plans/{plan.pk}/" in part
            assert "Shadowed" not in part
            assert "Rota" not in part
        update = Update.objects.get(recipient=people.manager, kind="plan_checkin")
        assert update.link == f"/plans/{plan.pk}/"
        assert "Shadowed" not in update.text

    with at(AGREED_ON + timedelta(days=61)):
        manager = client_for("manager")
        manager.post(
            check_in_url(plan),
            post(AGREED_ON + timedelta(days=60), progressed="Course booked for May."),
        )
        assert outbox.send_ready() == 1
        assert mail.outbox[-1].to == ["individual@example.org"]
        assert Update.objects.filter(recipient=people.individual, kind="plan_checkin").exists()

    with at(AGREED_ON + timedelta(days=182)):
        services.plan_review_record(
            actor=people.manager,
            plan=plan,
            held_on=AGREED_ON + timedelta(days=182),
            notes="On track.",
        )
        text = page_text(client_for("individual").get(detail_url(plan)))
        manager_text = page_text(client_for("manager").get(detail_url(plan)))

    for seen in (text, manager_text):
        assert "Check-ins between reviews" in seen
        newest = seen.index("Check-in on 13 March 2026, recorded by")
        oldest = seen.index("Check-in on 10 February 2026, recorded by")
        assert newest < oldest  # newest first
        assert "Course booked for May." in seen
        assert "Rota leaves no time for the course." in seen
        assert "On track." in seen
    # The person page's timeline has both, under who recorded them.
    timeline = page_text(
        client_for("manager").get(reverse("devplans:person", args=[people.individual.pk]))
    )
    assert timeline.count("Check-in recorded by") == 2
    # And the whole-plan PDF of both people; HR's copy leaves them out and says so.
    mine = pdf_text(render_plan_pdf(plan, with_notes=True))
    assert "Check-in on 13 March 2026" in mine
    assert squash("Course booked for May.") in squash(mine)
    hr_copy = squash(pdf_text(render_plan_pdf(plan, with_notes=False)))
    assert squash("Course booked") not in hr_copy
    assert squash("Check-in on") not in hr_copy
    assert squash(HR_COPY_OMITS) in hr_copy
    assert "check-ins" in HR_COPY_OMITS


def test_hr_reads_the_plan_but_never_its_check_ins(client_for, people, agreed):
    services.plan_check_in_record(
        actor=people.individual, plan=agreed, held_on=timezone.localdate(), blocked="Secret-ish"
    )
    hr = client_for("hr")
    page = hr.get(detail_url(agreed))
    assert page.status_code == 200
    assert "Secret-ish" not in page_text(page)
    assert "Check-ins between reviews" not in page_text(page)
    assert hr.get(check_in_url(agreed)).status_code == 403
    pdf = hr.get(reverse("devplans:pdf", args=[agreed.pk]))
    assert "Secret-ish" not in pdf_text(
        b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    )


def test_a_check_in_dated_in_the_future_is_refused_and_the_text_kept(client_for, agreed):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for("individual").post(
        check_in_url(agreed),
        post(tomorrow, progressed="Typed with care.", blocked="Still waiting for funding."),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "The date of the check-in cannot be in the future" in text
    assert "Typed with care." in response.content.decode()
    assert "Still waiting for funding." in response.content.decode()
    assert not PlanCheckIn.objects.exists()
    assert mail.outbox == []
    assert not Update.objects.filter(kind="plan_checkin").exists()


def test_an_empty_check_in_says_what_to_write(client_for, agreed):
    response = client_for("manager").post(check_in_url(agreed), post(timezone.localdate()))
    assert response.status_code == 200
    assert "Write what progressed, what is blocked, or both." in page_text(response)
    assert not PlanCheckIn.objects.exists()


def test_a_draft_never_agreed_takes_no_check_ins(client_for, people, draft):
    response = client_for("individual").post(
        check_in_url(draft), post(timezone.localdate(), progressed="Too early")
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.plan_check_in_record(
            actor=people.individual, plan=draft, held_on=timezone.localdate(), progressed="x"
        )
    assert not PlanCheckIn.objects.exists()


def test_the_page_rejects_put(client_for, agreed):
    assert client_for("individual").put(check_in_url(agreed)).status_code == 405


def test_on_a_reopened_plan_after_a_change_of_manager_only_the_new_manager_checks_in(
    client_for, people
):
    """Awkward order: check-ins on the agreed plan; the line manager changes; the individual
    reopens the plan; the check-in goes on the reopened draft, which shows the earlier ones.
    The old manager can neither add nor read; the new one can do both."""
    with at(AGREED_ON):
        plan = agreed_plan(people.individual, people.manager)
    with at(AGREED_ON + timedelta(days=20)):
        services.plan_check_in_record(
            actor=people.manager,
            plan=plan,
            held_on=AGREED_ON + timedelta(days=20),
            progressed="Before the change of manager.",
        )
    with at(AGREED_ON + timedelta(days=40)):
        relationships.manager_set(
            actor=people.hr, person=people.individual, manager=people.other_manager
        )
        new = services.plan_reopen(
            actor=people.individual, plan=plan, reason="New manager, new objectives"
        )
    assert new.facilitator == people.other_manager

    with at(AGREED_ON + timedelta(days=50)):
        old = client_for("manager")
        assert old.get(check_in_url(new)).status_code == 404
        refused = old.post(
            check_in_url(new), post(AGREED_ON + timedelta(days=50), progressed="Sneaky")
        )
        assert refused.status_code == 404
        assert old.get(detail_url(new)).status_code == 404
        assert old.get(detail_url(plan)).status_code == 404
        with pytest.raises(PermissionDenied):
            services.plan_check_in_record(
                actor=people.manager,
                plan=new,
                held_on=AGREED_ON + timedelta(days=50),
                progressed="Sneaky",
            )
        assert not PlanCheckIn.objects.filter(progressed="Sneaky").exists()

        outbox.send_ready()
        mail.outbox.clear()
        newcomer = client_for("other_manager")
        before = page_text(newcomer.get(detail_url(new)))
        assert "Before the change of manager." in before  # carried to the reopened version
        response = newcomer.post(
            check_in_url(new),
            post(AGREED_ON + timedelta(days=49), blocked="Waiting for the new objectives."),
            follow=True,
        )
        assert "Your check-in has been recorded on the plan." in page_text(response)
        assert outbox.send_ready() == 1
        assert [m.to for m in mail.outbox] == [["individual@example.org"]]

    checkin = PlanCheckIn.objects.get(blocked="Waiting for the new objectives.")
    assert checkin.plan == new
    assert checkin.author == people.other_manager
    assert access.can(people.other_manager, "check_in", new)
    assert not access.can(people.manager, "check_in", new)
    assert not access.can(people.other_manager, "check_in", plan)  # the superseded version
    # The old manager's own download holds none of it; the individual's holds both.
    old_data = client_for("manager").post("/my-data/download/").content.decode()
    assert "Before the change of manager." not in old_data
    own_data = client_for("individual").post("/my-data/download/").content.decode()
    assert "Before the change of manager." in own_data
    assert "Waiting for the new objectives." in own_data


def test_the_service_refuses_a_future_date_directly(people, agreed):
    with pytest.raises(RuleError, match="cannot be in the future"):
        services.plan_check_in_record(
            actor=people.manager,
            plan=agreed,
            held_on=timezone.localdate() + timedelta(days=3),
            progressed="x",
        )


def test_a_check_in_before_the_plan_was_agreed_is_refused(client_for, people):
    with at(AGREED_ON):
        plan = agreed_plan(people.individual, people.manager)
    with at(AGREED_ON + timedelta(days=10)):
        response = client_for("manager").post(
            check_in_url(plan), post(AGREED_ON - timedelta(days=1), progressed="Kept text.")
        )
    assert response.status_code == 200
    assert (
        "The date of the check-in must be on or after the day the plan was agreed "
        "(12 January 2026)." in page_text(response)
    )
    assert "Kept text." in response.content.decode()
    assert not PlanCheckIn.objects.exists()
