"""A year of plans, lived in order (issue 15, items 4, 5, 6 and 8), through services and pages
with the clock moved by time-machine: the journal written, a question reworded mid-cycle, the
conversation's three stages, the plan started from stage 3 and the conversation completed from
the plan, both signatures, a review missed and chased then held late, the plan reopened with a
reason and signed again, and a second cycle a year later that leaves the first one's records as
they were."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from conversations import services as conversation_services
from conversations.models import Conversation, StageRecord
from devplans import services as plan_services
from devplans.models import Plan
from journals.models import Answer, Question
from reminders import services as reminders
from reminders.models import Reminder
from scopegrowth import outbox
from tests.devplans.factories import impact, initiative
from tests.devplans.helpers import page_text
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEW_WORDING = "Which three words would your colleagues use for you?"


def london(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


class Year:
    """The people's clients and what they made, as the year goes on."""

    def __init__(self, people, client_for, clock):
        self.people = people
        self.client_for = client_for
        self.clock = clock

    # Signed in afresh whenever asked: months pass between visits (sessions end meanwhile).
    @property
    def me(self):
        return self.client_for("individual")

    @property
    def manager(self):
        return self.client_for("manager")

    def at(self, moment: datetime) -> None:
        self.clock.move_to(moment)

    def write_journal(self) -> tuple:
        journal = h.start(self.people.individual)
        question = h.text_questions("strengths")[0]
        url = h.section_url(journal, "strengths", "autosave")
        data = h.form_data(journal, "strengths", {question: "Calm"}, save_key="k" * 32)
        me = self.me
        assert me.post(url, data).status_code == 200  # the reply is lost on the way back
        data[f"q_{question.pk}"] = "Calm in a crisis."
        assert me.post(url, data).status_code == 200  # the next autosave is still saved
        h.share(journal, "strengths")
        return journal, question

    def hold_conversation(self, journal) -> Conversation:
        conversation = conversation_services.conversation_schedule(
            actor=self.people.manager,
            individual=self.people.individual,
            scheduled_at=self.clock_now() + timedelta(days=14),
            duration_minutes=90,
            location="Ward office",
        )
        Conversation.objects.filter(pk=conversation.pk).update(journal=journal)
        self.at(conversation.scheduled_at + timedelta(minutes=5))
        conversation.refresh_from_db()
        for stage, summary in ((1, "Energised by teaching."), (2, "Wants to be a ward sister.")):
            self.save_stage(conversation, stage, summary, complete=True)
        return conversation

    def save_stage(self, conversation, stage: int, summary: str, *, complete: bool) -> None:
        record = StageRecord.objects.filter(conversation=conversation, stage=stage).first()
        position = None
        fresh = Conversation.objects.get(pk=conversation.pk)
        if stage == 2:
            position = {
                "agreed_now_growth": "depth",
                "agreed_now_impact": impact("Established in role"),
                "agreed_now_evidence": "Leads the huddle.",
                "agreed_future_growth": "stretch",
                "agreed_future_impact": impact("Exceeding in role"),
                "agreed_future_why": "Ready to lead.",
            }
        conversation_services.conversation_stage_save(
            actor=self.people.manager,
            conversation=fresh,
            stage=stage,
            data=conversation_services.StageInput(
                agreed_summary=summary,
                version=record.version if record else 0,
                position=position,
                conversation_version=fresh.version,
            ),
            complete=complete,
        )

    def start_plan_from_stage_three(self, conversation, summary: str) -> Plan:
        response = self.manager.post(
            reverse("conversations:stage", args=[conversation.pk, 3]),
            {"agreed_summary": summary, "facilitator_notes": "", "version": "0", "start_plan": "1"},
        )
        assert response.status_code == 302, page_text(response)
        assert "/plans/" in response["Location"], [str(m) for m in response.wsgi_request._messages]
        return Plan.objects.get(conversation=conversation, status=Plan.Status.DRAFT)

    def add_objective_and_sign(self, plan: Plan) -> Plan:
        plan_services.plan_save(
            actor=self.people.individual,
            plan=plan,
            expected_version=plan.version,
            fields={},
            objectives=[
                *[
                    plan_services.ObjectiveInput(id=o.pk, description=o.description)
                    for o in plan.objectives.all()
                ],
                plan_services.ObjectiveInput(
                    description="Lead the weekly teaching session",
                    initiatives=[initiative("Coaching")],
                ),
            ],
        )
        for client in (self.me, self.manager):
            plan.refresh_from_db()  # each signs the version they read
            sign = client.post(reverse("devplans:sign", args=[plan.pk]), {"version": plan.version})
            assert sign.status_code == 302
        plan.refresh_from_db()
        assert plan.status == Plan.Status.AGREED
        return plan

    def clock_now(self) -> datetime:
        from django.utils import timezone

        return timezone.now()


@pytest.fixture
def year(people, client_for):
    with time_machine.travel(london(2027, 1, 4), tick=False) as clock:
        yield Year(people, client_for, clock)


def _dashboard_row(client, name: str) -> str:
    from tests.conversations.test_dashboard import DASHBOARD, Rows

    page = client.get(DASHBOARD).content.decode()
    return " | ".join(next(r for r in Rows(page).rows if r and name in r[0]))


def test_a_year_in_the_natural_order(year, people):
    journal, question = year.write_journal()
    conversation = year.hold_conversation(journal)
    plan = year.start_plan_from_stage_three(conversation, "Shadow the matron.")
    assert "Shadow the matron." in plan.aspirations

    page = page_text(year.manager.get(reverse("devplans:detail", args=[plan.pk])))
    assert "Next step: complete the conversation" in page
    year.manager.post(reverse("devplans:complete_conversation", args=[plan.pk]))
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.COMPLETED

    plan = year.add_objective_and_sign(plan)
    first_review = plan.reviews.order_by("due_on").first()

    # Six months on, the review is held on its day: no chase after it.
    year.at(london(first_review.due_on.year, first_review.due_on.month, first_review.due_on.day))
    reminders.send_due()
    plan_services.plan_review_record(
        actor=people.manager,
        plan=plan,
        review=first_review,
        held_on=first_review.due_on,
        notes="Going well.",
    )
    later = first_review.due_on + timedelta(days=40)
    year.at(london(later.year, later.month, later.day))
    reminders.send_due()
    chases = Reminder.objects.filter(subject_id=first_review.pk, kind=Reminder.Kind.REVIEW_DUE)
    assert sorted(r.subject_type for r in chases) == ["review", "review"]  # one each, on the day
    assert "Overdue" not in _dashboard_row(year.manager, "Aisha Rahman")
    assert Answer.objects.get(question=question).text == "Calm in a crisis."


def test_review_missed_then_held_late(year, people):
    journal, _question = year.write_journal()
    conversation = year.hold_conversation(journal)
    plan = year.start_plan_from_stage_three(conversation, "Shadow the matron.")
    year.manager.post(reverse("devplans:complete_conversation", args=[plan.pk]))
    plan = year.add_objective_and_sign(plan)
    review = plan.reviews.order_by("due_on").first()

    for late in range(0, 45):  # the beat runs every day; nobody holds the review for a month
        day = review.due_on + timedelta(days=late)
        year.at(london(day.year, day.month, day.day))
        reminders.send_due()
    row = _dashboard_row(year.manager, "Aisha Rahman")
    filtered = year.manager.get("/dashboard/?action=review").content.decode()
    plan_page = page_text(year.me.get(reverse("devplans:detail", args=[plan.pk])))

    sent = Reminder.objects.filter(
        subject_id=review.pk, kind=Reminder.Kind.REVIEW_DUE, status=Reminder.Status.SENT
    )
    assert sorted((r.subject_type, r.recipient.email) for r in sent) == sorted(
        (step, who)
        for step in ("review", "review_late_week", "review_late_month")
        for who in ("individual@example.org", "manager@example.org")
    )
    assert "Overdue" in row
    assert "Review the plan: overdue since" in row
    assert "Aisha Rahman" in filtered.split("<tbody")[1]
    assert "Overdue" in plan_page

    plan_services.plan_review_record(
        actor=people.manager, plan=plan, review=review, held_on=day, notes="Held late."
    )
    assert "Overdue" not in _dashboard_row(year.manager, "Aisha Rahman")
    assert "(late)" in page_text(year.me.get(reverse("devplans:detail", args=[plan.pk])))


def test_reworded_mid_cycle_reopened_after_agreement_and_a_second_cycle(year, people):
    journal, question = year.write_journal()
    old_wording = question.text
    year.at(london(2027, 1, 10))
    Question.objects.filter(pk=question.pk).update(text=NEW_WORDING)  # reworded in the admin
    conversation = year.hold_conversation(journal)
    stage = year.manager.get(reverse("conversations:stage", args=[conversation.pk, 1]))
    # The facilitator reads the facilitator wording the answer was given under (issue 16).
    as_given = Answer.objects.get(question=question).facilitator_wording
    assert as_given.replace("'", "&#x27;") in stage.content.decode()
    assert NEW_WORDING not in stage.content.decode()
    read = year.manager.get(h.section_url(journal, "strengths")).content.decode()
    assert old_wording.replace("'", "&#x27;") in read

    plan = year.start_plan_from_stage_three(conversation, "Shadow the matron.")
    year.manager.post(reverse("devplans:complete_conversation", args=[plan.pk]))
    plan = year.add_objective_and_sign(plan)

    # Five months on, the individual reopens it with a reason; the manager is emailed a link.
    year.at(london(2027, 6, 14))
    locked = year.me.get(reverse("devplans:edit", args=[plan.pk]))
    assert "This plan is agreed" in page_text(locked)
    year.me.post(reverse("devplans:reopen", args=[plan.pk]), {"reason": "A secondment came up."})
    new = Plan.objects.get(lineage=plan.lineage, number=2)
    outbox.send_ready()  # the worker
    reopened = [m for m in mail.outbox if "reopened" in m.subject]
    assert [m.to for m in reopened] == [["manager@example.org"]]
    assert "secondment" not in reopened[0].body
    assert "A secondment came up." in page_text(
        year.manager.get(reverse("devplans:detail", args=[new.pk]))
    )
    new = year.add_objective_and_sign(new)

    # A year later: a second cycle. The first cycle's journal and plans read as they were.
    year.at(london(2028, 1, 10))
    second = h.start(people.individual)
    h.answer(second, "strengths", {Question.objects.get(pk=question.pk): "Calm and kind."})
    first_page = year.me.get(h.section_url(journal, "strengths")).content.decode()
    second_page = year.me.get(h.section_url(second, "strengths")).content.decode()
    assert old_wording.replace("'", "&#x27;") in first_page
    assert "Calm in a crisis." in first_page
    assert NEW_WORDING in second_page
    plan.refresh_from_db()
    new.refresh_from_db()
    assert (plan.status, new.status) == (Plan.Status.SUPERSEDED, Plan.Status.AGREED)
    assert new.reopened_reason == "A secondment came up."
