"""Being told (issue 16 part 4): the emails a person gets about their plan and conversation, and
the Updates list that records each of them: newest first, each linking to its page, read state
per person (changed only by a POST), the unread count in the header. Never what anyone wrote."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations import services as conversation_services
from conversations.models import Conversation
from devplans import services as plan_services
from devplans.models import Plan
from scopegrowth import outbox
from scopegrowth.models import OutboundEmail, Update
from tests.conversations.conftest import complete_stages
from tests.devplans.factories import ObjectiveFactory, impact

pytestmark = pytest.mark.django_db

WRITTEN = "CANARY what they wrote in stage one"


@pytest.fixture
def conversation(people):
    held = timezone.make_aware(datetime.combine(date(2026, 8, 31), time(10, 0)))
    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=held,
        location="Ward office",
        status=Conversation.Status.IN_PROGRESS,
        agreed_now_growth="depth",
        agreed_now_impact=impact("Established in role"),
        agreed_now_evidence=WRITTEN,
        agreed_future_growth="stretch",
        agreed_future_impact=impact("Exceeding in role"),
        agreed_future_why=WRITTEN,
    )
    complete_stages(conversation, 1, 2, 3)
    return conversation


def told(person) -> list[str]:
    """The kinds of email `person` received, in order."""
    return [m.subject for m in mail.outbox if m.to == [person.email]]


def test_each_step_of_a_plan_tells_the_other_person_and_lands_in_their_updates(
    people, conversation, client_for
):
    manager, individual = people.manager, people.individual
    plan = plan_services.plan_start_from_conversation(actor=manager, conversation=conversation)
    ObjectiveFactory(plan=plan)  # the individual adds an objective (no email: an edit)
    conversation_services.conversation_complete(actor=manager, conversation=conversation)
    plan_services.plan_sign(actor=individual, plan=plan)
    plan.refresh_from_db()
    plan_services.plan_sign(actor=manager, plan=plan)
    plan.refresh_from_db()
    reopened = plan_services.plan_reopen(
        actor=individual, plan=plan, reason="A new role came up"
    )  # to ask for changes
    assert outbox.send_ready() == 6

    assert told(individual) == [
        "[ScopeGrowth] Helen Carter has started your development plan",
        "[ScopeGrowth] Your career conversation with Helen Carter is complete",
        "[ScopeGrowth] Your development plan is agreed",
    ]
    assert told(manager) == [
        "[ScopeGrowth] Aisha Rahman has signed their development plan",
        "[ScopeGrowth] Aisha Rahman's development plan is agreed",
        "[ScopeGrowth] Aisha Rahman has reopened their development plan to ask for changes",
    ]
    for message in mail.outbox:
        assert WRITTEN not in message.body + message.alternatives[0][0]

    page = client_for("individual").get("/updates/").content.decode()
    texts = [u.text for u in Update.objects.filter(recipient=individual)]
    assert texts == [  # newest first
        "Your development plan is agreed (version 1)",
        "Helen Carter marked your career conversation of 31 August 2026 complete",
        "Helen Carter started a draft of your development plan",
    ]
    assert page.index(texts[0]) < page.index(texts[1]) < page.index(texts[2])
    assert f'href="{reverse("devplans:detail", args=[plan.pk])}"' in page
    assert f'href="{reverse("conversations:detail", args=[conversation.pk])}"' in page
    assert 'Updates <span class="sg-unread">(3 new)</span>' in page
    assert WRITTEN not in page
    manager_page = client_for("manager").get("/updates/").content.decode()
    assert (
        f'href="{reverse("devplans:detail", args=[reopened.pk])}">Aisha Rahman reopened their '
        "development plan to ask for changes (version 2)</a>"
    ) in manager_page
    assert "Helen Carter started" not in manager_page  # only the recipient's own


def test_looking_writes_nothing_and_mark_as_read_keeps_what_arrived_meanwhile(
    people, client_for, draft_plan
):
    client = client_for("individual")
    plan_services.plan_sign(actor=people.manager, plan=draft_plan)
    page = client.get("/updates/").content.decode()
    assert "(1 new)" in page
    assert client.get("/updates/").status_code == 200
    assert Update.objects.filter(read_at__isnull=False).count() == 0  # a GET writes nothing
    newest = Update.objects.get().pk

    other = Update.objects.create(  # arrives after the page was shown
        recipient=people.individual, kind="plan_agreed", text="later", link="/"
    )
    response = client.post("/updates/read/", {"newest": newest})

    assert response.status_code == 302
    assert set(Update.objects.filter(read_at__isnull=True)) == {other}
    assert "(1 new)" in client.get("/updates/").content.decode()


def test_nobody_marks_or_sees_someone_elses_updates(people, client_for, draft_plan):
    plan_services.plan_sign(actor=people.manager, plan=draft_plan)
    mine = Update.objects.get()

    client_for("manager").post("/updates/read/", {"newest": mine.pk + 1000})
    page = client_for("colleague").get("/updates/").content.decode()

    mine.refresh_from_db()
    assert mine.read_at is None
    assert mine.text not in page
    assert "Nothing has changed yet" in page


def test_an_update_is_not_kept_when_its_change_rolls_back(people, draft_plan):
    from django.db import transaction

    def sign_then_fail():
        with transaction.atomic():
            plan_services.plan_sign(actor=people.manager, plan=draft_plan)
            raise RuntimeError("a later step of the same change failed")

    with pytest.raises(RuntimeError):
        sign_then_fail()

    assert not Update.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_an_invite_replaced_before_it_was_sent_leaves_one_update(people, client_for):
    """Scheduled, then moved before any worker ran: one email each and one update each, the
    current one."""
    from datetime import timedelta

    conversation = conversation_services.conversation_schedule(
        actor=people.manager,
        individual=people.individual,
        scheduled_at=timezone.now() + timedelta(days=10),
        duration_minutes=60,
        location="Seminar room 2",
    )
    conversation_services.conversation_reschedule(
        actor=people.manager,
        conversation=conversation,
        scheduled_at=conversation.scheduled_at + timedelta(days=1),
        duration_minutes=60,
        location="Seminar room 2",
        agenda="",
        version=conversation.version,
    )

    assert outbox.send_ready() == 2
    mine = Update.objects.filter(recipient=people.individual)
    assert [u.kind for u in mine] == ["conversation_updated"]


@pytest.fixture
def draft_plan(people):
    from tests.devplans.factories import PlanFactory

    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    ObjectiveFactory(plan=plan)
    return plan


@pytest.mark.parametrize("n", [5, 10])
def test_the_list_costs_the_same_queries_for_n_and_2n_updates(
    n, people, client_for, django_assert_num_queries
):
    client = client_for("individual")
    client.get("/updates/")  # warm the session
    for i in range(n):
        Update.objects.create(
            recipient=people.individual, kind="plan_agreed", text=f"update {i}", link="/"
        )

    with django_assert_num_queries(UPDATES_QUERIES):
        response = client.get("/updates/")

    assert response.content.decode().count('class="sg-updates__item"') == n
    assert Plan.objects.count() == 0


#: What every signed-in page costs (session and user: a plain GET writes nothing), plus the list
#: (1) and the header's roles with its unread count (1, `access_memo.facts`): the same at N and 2N.
UPDATES_QUERIES = 4
