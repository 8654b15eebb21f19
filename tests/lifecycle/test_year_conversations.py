"""A year of Scope for Growth conversations, lived in the order people live them (issue 15,
items 1, 2, 3 and 7): through the services and the pages, with the clock moved by time-machine.

The natural order (journal, invitation, preparation, reminders, the three stages, completion)
and the awkward ones: the journal started after the invitation, an invitation cancelled and
sent again, the manager changed mid-cycle, and a second cycle a year later with the first
cycle's record unchanged. Each defect the issue lists has a test here that fails on the code
before it was fixed.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations import selectors, services
from conversations.models import Conversation
from journals import services as journal_services
from journals.models import Journal, Question, Section
from reminders import services as reminders
from reminders.models import Reminder
from scopegrowth import access
from scopegrowth.exceptions import RuleError
from scopegrowth.models import GrowthCategory, ManagerLink
from tests import factories
from tests.conversations.conftest import levels
from tests.conversations.helpers import schedule_post

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 4 January 2027, 09:00 in London: the year starts here.
START = datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)
STRENGTHS = "I am calm with anxious patients"
HEALTH = "PRIVATE-HEALTH-DETAIL"
ADJUSTMENT = "CANARY-adjustment: a later start after clinic days"


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def go(clock, moment: datetime) -> None:
    clock.move_to(moment)


# -----------------------------------------------------------------------------
# What the people do (services), and what they read (pages)
# -----------------------------------------------------------------------------


def write_journal(person, *, share=("strengths",), ready=True, new_cycle=False) -> Journal:
    """The individual writes their journal: strengths and health answered, `share` shared,
    and (with `ready`) marked ready. `new_cycle` starts the next cycle's journal."""
    if new_cycle:
        journal = journal_services.journal_start_new(actor=person, copy_previous=False)
    else:
        journal = journal_services.journal_current_for(actor=person)
    for slug, text in (("strengths", STRENGTHS), ("wellbeing", HEALTH)):
        section = Section.objects.get(slug=slug)
        question = section.questions.filter(kind=Question.Kind.TEXT, is_active=True).first()
        version = journal.journal_sections.get(section=section).version
        journal_services.journal_section_save(
            actor=person,
            journal=journal,
            section=section,
            data=journal_services.SectionAnswers(texts={question.pk: text}),
            version=version,
        )
    for slug in share:
        journal_services.journal_section_share(
            actor=person, journal=journal, section=Section.objects.get(slug=slug), shared=True
        )
    if ready:
        journal_services.journal_mark_ready(actor=person, journal=journal)
    journal.refresh_from_db()
    return journal


def invite(client, person, when: datetime, capture, length: int = 120):
    """The facilitator books the conversation on the schedule page."""
    with capture(execute=True):
        return client.post(
            reverse("conversations:schedule", args=[person.pk]),
            schedule_post(f"{when:%Y-%m-%d}", f"{when:%H:%M}", duration_minutes=str(length)),
        )


def booked(person) -> Conversation:
    return Conversation.objects.filter(individual=person).order_by("-created_at").first()


def hold(actor, conversation: Conversation) -> Conversation:
    """The three stages, the plan started in stage 3, then completion (all services)."""
    lv = levels()
    for stage in (1, 2, 3):
        conversation.refresh_from_db()
        record = conversation.stage_records.filter(stage=stage).first()
        position = None
        if stage == 2:
            position = {
                "agreed_now_growth": GrowthCategory.DEPTH,
                "agreed_now_impact": lv[1],
                "agreed_now_evidence": "",
                "agreed_future_growth": GrowthCategory.STRETCH,
                "agreed_future_impact": lv[2],
                "agreed_future_why": "",
            }
        if stage == 3:
            services.conversation_plan_start(actor=actor, conversation=conversation)
        services.conversation_stage_save(
            actor=actor,
            conversation=conversation,
            stage=stage,
            data=services.StageInput(
                agreed_summary=f"Agreed in stage {stage}",
                version=record.version if record else 0,
                position=position,
                conversation_version=conversation.version,
            ),
            complete=True,
        )
    return services.conversation_complete(actor=actor, conversation=conversation)


def page(client, name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def reminders_on(clock, moment: datetime) -> list[Reminder]:
    go(clock, moment)
    return reminders.send_due()


def subjects_to(email: str) -> list[str]:
    """The subjects of the emails sent to `email`, without the "[ScopeGrowth] " prefix."""
    return [m.subject.removeprefix("[ScopeGrowth] ") for m in mail.outbox if email in m.to]


# =============================================================================
# The natural order
# =============================================================================


def test_the_cycle_in_the_natural_order(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        journal = write_journal(people.individual, share=("strengths", "wellbeing"))
    ready_email = next(m for m in mail.outbox if "journal is ready" in m.subject)
    # Nothing booked yet: the email does not put the date it was marked ready where a
    # conversation date is read.
    assert "marked their reflection journal ready on 4 January 2027" in ready_email.body
    assert "for their next Scope for Growth conversation" in ready_email.body

    go(clock, at(2027, 1, 5, 9))
    assert invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 18),
        django_capture_on_commit_callbacks,
    )
    conversation = booked(people.individual)
    assert selectors.journal_of(conversation) == journal

    # A week before: the journal is ready, so no "not marked ready" reminder.
    reminders_on(clock, at(2027, 1, 11, 8))
    assert not [s for s in subjects_to(people.individual.email) if "your journal" in s]
    # The working day before: both get "tomorrow" (not a relative day that is wrong).
    reminders_on(clock, at(2027, 1, 15, 8))  # Friday before a Monday
    assert "Your career conversation with Helen Carter is on Monday" in subjects_to(
        people.individual.email
    )

    go(clock, at(2027, 1, 18, 10, 5))
    with django_capture_on_commit_callbacks(execute=True):
        hold(people.manager, conversation)
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.COMPLETED
    assert conversation.journal == journal
    assert [row["slug"] for row in conversation.shared_at_completion] == [
        "wellbeing",
        "strengths",
    ]

    record = page(client_for("manager"), "conversations:detail", conversation.pk)
    assert STRENGTHS in record
    assert HEALTH in record
    assert "Shared when the conversation was completed" in record
    assert "Personal strengths and development challenges (shared from 4 January 2027)" in record
    mine = page(client_for("individual"), "conversations:detail", conversation.pk)
    assert STRENGTHS in mine
    assert "You have not shared any journal sections" not in mine

    # Later the individual stops sharing health: the record still says it was shared at the
    # conversation, and its answers are hidden from then on (security.md G2).
    go(clock, at(2027, 2, 1, 9))
    journal_services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=Section.objects.get(slug="wellbeing"),
        shared=False,
    )
    record = page(client_for("manager"), "conversations:detail", conversation.pk)
    assert HEALTH not in record
    assert STRENGTHS in record
    assert "Health and well-being (shared from 4 January 2027): no longer shared" in record
    stage_one = page(client_for("manager"), "conversations:stage", conversation.pk, 1)
    assert HEALTH not in stage_one
    assert "shared this section for the conversation" in stage_one
    assert "has not shared this section" not in stage_one.split("Health and well-being")[1][:400]


# =============================================================================
# Defect 1: a journal started after the invitation belongs to the conversation
# =============================================================================


def test_a_journal_started_after_the_invitation_belongs_to_the_conversation(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 13),
        django_capture_on_commit_callbacks,
    )
    conversation = booked(people.individual)
    assert selectors.journal_of(conversation) is None

    # The individual starts their journal a few days later and marks it ready.
    go(clock, at(2027, 1, 8, 9))
    with django_capture_on_commit_callbacks(execute=True):
        journal = write_journal(people.individual)
    assert selectors.journal_of(conversation) == journal
    assert STRENGTHS in page(client_for("manager"), "conversations:detail", conversation.pk)

    # Seconds later the reminders run: nothing says the journal is not ready.
    mail.outbox.clear()
    reminders_on(clock, at(2027, 1, 11, 9))  # two days before
    assert not [s for s in subjects_to(people.individual.email) if "your journal" in s]
    assert not Reminder.objects.filter(
        kind=Reminder.Kind.JOURNAL_SOON, status=Reminder.Status.SENT
    ).exists()

    go(clock, at(2027, 1, 13, 10, 30))
    with django_capture_on_commit_callbacks(execute=True):
        hold(people.manager, conversation)
    conversation.refresh_from_db()
    assert conversation.journal == journal
    assert [row["slug"] for row in conversation.shared_at_completion] == ["strengths"]

    record = page(client_for("manager"), "conversations:detail", conversation.pk)
    assert STRENGTHS in record
    assert "has not shared any journal sections" not in record
    mine = page(client_for("individual"), "conversations:detail", conversation.pk)
    assert STRENGTHS in mine
    assert "You have not shared any journal sections" not in mine
    stage_one = page(client_for("manager"), "conversations:stage", conversation.pk, 1)
    strengths_part = stage_one.split("Personal strengths and development challenges")[1][:600]
    assert STRENGTHS in strengths_part
    assert "has not shared this section" not in strengths_part


def test_the_record_shows_what_was_shared_from_a_journal_started_after_the_invitation(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 13),
        django_capture_on_commit_callbacks,
    )
    conversation = booked(people.individual)
    go(clock, at(2027, 1, 8, 9))
    write_journal(people.individual, share=("strengths",))
    go(clock, at(2027, 1, 13, 10, 30))
    hold(people.manager, conversation)

    record = page(client_for("manager"), "conversations:detail", conversation.pk)
    mine = page(client_for("individual"), "conversations:detail", conversation.pk)
    stage_one = page(client_for("manager"), "conversations:stage", conversation.pk, 1)

    assert "has not shared any journal sections" not in record
    assert STRENGTHS in record
    assert "You have not shared any journal sections" not in mine
    assert STRENGTHS in mine
    strengths_part = stage_one.split("Personal strengths and development challenges")[1][:600]
    assert "has not shared this section" not in strengths_part
    assert STRENGTHS in strengths_part


def test_the_journal_soon_reminder_still_goes_when_the_journal_is_not_ready(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    """The same link the other way round: started after the invitation, but not ready."""
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 13),
        django_capture_on_commit_callbacks,
    )
    go(clock, at(2027, 1, 8, 9))
    write_journal(people.individual, ready=False)

    reminders_on(clock, at(2027, 1, 11, 9))

    assert "Your career conversation is on Wednesday: your journal" in subjects_to(
        people.individual.email
    )


# =============================================================================
# An invitation cancelled and sent again
# =============================================================================


def test_a_cancelled_invitation_gives_the_journal_to_the_next_one(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    journal = write_journal(people.individual)
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 20),
        django_capture_on_commit_callbacks,
    )
    first = booked(people.individual)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_cancel(actor=people.manager, conversation=first, reason="Clinic")
    first.refresh_from_db()
    assert first.journal is None
    assert selectors.journal_of(first) is None
    assert STRENGTHS not in page(client_for("manager"), "conversations:detail", first.pk)

    # A cancelled conversation whose date has not come is not an "earlier" conversation.
    mine = page(client_for("individual"), "conversations:mine")
    assert "Cancelled conversations" in mine
    earlier = mine.split("Earlier conversations")[1] if "Earlier conversations" in mine else ""
    assert "20 January 2027" not in earlier

    # Sent again for another day: the same journal is this one's.
    go(clock, at(2027, 1, 6, 9))
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 27),
        django_capture_on_commit_callbacks,
    )
    second = booked(people.individual)
    assert second != first
    assert selectors.journal_of(second) == journal
    assert STRENGTHS in page(client_for("manager"), "conversations:detail", second.pk)

    go(clock, at(2027, 1, 27, 12))
    hold(people.manager, second)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.journal == journal
    assert first.journal is None


# =============================================================================
# The manager changes mid-cycle
# =============================================================================


def _change_manager(people, new_manager) -> None:
    ManagerLink.objects.filter(report=people.individual, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    factories.ManagerLinkFactory(manager=new_manager, report=people.individual)


def test_the_manager_changes_mid_cycle(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    journal = write_journal(people.individual)
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 20),
        django_capture_on_commit_callbacks,
    )
    conversation = booked(people.individual)

    go(clock, at(2027, 1, 11, 9))
    _change_manager(people, people.other_manager)
    # The conversation passes to the new manager, but sharing is with the person (issue 14):
    # they read nothing until the individual shares with them too.
    assert STRENGTHS not in page(
        client_for("other_manager"), "conversations:detail", conversation.pk
    )
    journal_services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=Section.objects.get(slug="strengths"),
        readers=[people.other_manager],
    )
    assert STRENGTHS in page(client_for("other_manager"), "conversations:detail", conversation.pk)
    assert (
        client_for("manager")
        .get(reverse("conversations:detail", args=[conversation.pk]))
        .status_code
        == 404
    )

    # The new manager's own diary counts when they move it: they already see Megan then.
    theirs = Conversation.objects.create(
        individual=people.other_report,
        facilitator=people.other_manager,
        scheduled_at=at(2027, 1, 21, 9),
        location="Room 4",
    )
    response = client_for("other_manager").post(
        reverse("conversations:reschedule", args=[conversation.pk]),
        schedule_post("2027-01-21", "10:00", version=str(conversation.version)),
    )
    text = response.content.decode()
    assert "You already have a conversation with Megan Lloyd on Thursday 21 January 2027" in text
    assert reverse("conversations:detail", args=[theirs.pk]) in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("other_manager").post(
            reverse("conversations:reschedule", args=[conversation.pk]),
            schedule_post("2027-01-22", "10:00", version=str(conversation.version)),
        )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.facilitator == people.other_manager

    go(clock, at(2027, 1, 22, 12))
    hold(people.other_manager, conversation)
    conversation.refresh_from_db()
    assert conversation.journal == journal
    assert [row["slug"] for row in conversation.shared_at_completion] == ["strengths"]
    assert STRENGTHS in page(client_for("other_manager"), "conversations:detail", conversation.pk)


# =============================================================================
# A second cycle a year later
# =============================================================================


def test_a_second_cycle_a_year_later_leaves_the_first_record_as_it_was(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    write_journal(people.individual)
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 20),
        django_capture_on_commit_callbacks,
    )
    first = booked(people.individual)
    go(clock, at(2027, 1, 20, 12))
    hold(people.manager, first)
    first.refresh_from_db()
    kept = (first.journal_id, first.shared_at_completion, first.completed_at)
    first_page = page(client_for("manager"), "conversations:detail", first.pk)

    # A year later the manager books the next conversation before the new journal exists:
    # last year's journal is not this one's.
    go(clock, at(2028, 1, 10, 9))
    invite(
        client_for("manager"),
        people.individual,
        at(2028, 1, 26),
        django_capture_on_commit_callbacks,
    )
    second = booked(people.individual)
    assert selectors.journal_of(second) is None
    assert STRENGTHS not in page(client_for("manager"), "conversations:detail", second.pk)

    go(clock, at(2028, 1, 12, 9))
    second_journal = write_journal(people.individual, new_cycle=True, share=("wellbeing",))
    assert second_journal.cycle == 2
    assert selectors.journal_of(second) == second_journal
    go(clock, at(2028, 1, 26, 12))
    hold(people.manager, second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.journal_id, first.shared_at_completion, first.completed_at) == kept
    assert second.journal == second_journal
    assert [row["slug"] for row in second.shared_at_completion] == ["wellbeing"]
    again = page(client_for("manager"), "conversations:detail", first.pk)
    assert STRENGTHS in again
    assert STRENGTHS in first_page
    assert "Personal strengths and development challenges (shared from 4 January 2027)" in again


# =============================================================================
# Defect 2: the facilitator's adjustments preparation when health stays private
# =============================================================================


def test_the_adjustments_preparation_shows_in_stage_one_when_health_is_private(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    write_journal(people.individual, share=("strengths",))
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 20),
        django_capture_on_commit_callbacks,
    )
    conversation = booked(people.individual)
    services.preparation_save(
        actor=people.manager,
        conversation=conversation,
        values={"adjustments": "review", "adjustments_notes": ADJUSTMENT},
        version=0,
    )

    stage_one = page(client_for("manager"), "conversations:stage", conversation.pk, 1)
    assert ADJUSTMENT in stage_one
    assert HEALTH not in stage_one
    assert ADJUSTMENT in page(client_for("manager"), "conversations:detail", conversation.pk)
    # Only to its author: not in the presentation view, not to the individual or the coach.
    presenting = page(client_for("manager"), "conversations:stage", conversation.pk, 1, present=1)
    assert ADJUSTMENT not in presenting
    assert ADJUSTMENT not in page(
        client_for("individual"), "conversations:stage", conversation.pk, 1
    )
    assert ADJUSTMENT not in page(client_for("coach"), "conversations:stage", conversation.pk, 1)


# =============================================================================
# Defect 3: clashes
# =============================================================================


def test_a_second_invitation_for_the_same_person_is_refused_with_change_the_date(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 20),
        django_capture_on_commit_callbacks,
    )
    first = booked(people.individual)
    mail.outbox.clear()

    response = invite(
        client_for("coach"), people.individual, at(2027, 1, 25), django_capture_on_commit_callbacks
    )

    text = response.content.decode()
    assert "Aisha Rahman already has a conversation booked with Helen Carter" in text
    assert reverse("conversations:reschedule", args=[first.pk]) in text
    assert Conversation.objects.filter(individual=people.individual).count() == 1
    assert mail.outbox == []  # no second invite went out
    # The dashboard and home show the one conversation.
    assert selectors.next_conversation_for(people.individual) == first


def test_clash_checks_are_in_the_service_whoever_calls_it(clock, people):
    services.conversation_schedule(
        actor=people.manager,
        individual=people.colleague,
        scheduled_at=at(2027, 1, 20, 10),
        duration_minutes=60,
        location="Room 1",
    )
    with pytest.raises(services.ScheduleRefused, match="You already have a conversation"):
        services.conversation_schedule(
            actor=people.manager,
            individual=people.individual,
            scheduled_at=at(2027, 1, 20, 10, 30),
            duration_minutes=60,
            location="Room 2",
        )
    assert access.can(people.manager, "facilitate", people.individual)


# =============================================================================
# Defect 7: wording and time
# =============================================================================


def test_the_journal_reminder_sent_the_day_before_says_tomorrow(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    """Booked the day before: the "two days before" reminder goes now, and must not say
    "in two days"."""
    go(clock, at(2027, 1, 12, 9))
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 13),
        django_capture_on_commit_callbacks,
    )

    reminders_on(clock, at(2027, 1, 12, 9, 30))

    subjects = subjects_to(people.individual.email)
    assert "Your career conversation is tomorrow: your journal" in subjects
    assert "Your career conversation with Helen Carter is tomorrow" in subjects
    assert not [s for s in subjects if "two days" in s]


def test_the_journal_ready_email_labels_its_dates(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    """The date it was marked ready was shown where people read a conversation date."""
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 13),
        django_capture_on_commit_callbacks,
    )
    go(clock, at(2027, 1, 8, 9))
    with django_capture_on_commit_callbacks(execute=True):
        write_journal(people.individual)

    ready_email = next(m for m in mail.outbox if "journal is ready" in m.subject)
    expected = (
        "marked their reflection journal ready on 8 January 2027, for their Scope for Growth "
        "conversation on Wednesday 13 January 2027 at 10:00"
    )
    assert expected in ready_email.body
    assert expected in ready_email.alternatives[0].content


def test_a_conversation_cannot_be_completed_before_it_starts(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    invite(
        client_for("manager"),
        people.individual,
        at(2027, 1, 20),
        django_capture_on_commit_callbacks,
    )
    conversation = booked(people.individual)
    go(clock, at(2027, 1, 19, 16))

    with pytest.raises(RuleError, match="cannot be marked complete before then"):
        hold(people.manager, conversation)
    conversation.refresh_from_db()
    assert conversation.status != Conversation.Status.COMPLETED
    assert conversation.completed_at is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("25:00", "25:00 is not a time of day: the hour must be from 00 to 23"),
        ("10:75", "10:75 is not a time of day: the minutes must be from 00 to 59"),
        ("ten", "Enter the start time as hours and minutes with a colon"),
        ("", "Enter the start time"),
    ],
)
def test_a_wrong_time_gets_a_message_that_says_what_is_wrong(
    clock, people, client_for, typed, message
):
    text = (
        client_for("manager")
        .post(
            reverse("conversations:schedule", args=[people.individual.pk]),
            schedule_post("2027-01-20", typed),
        )
        .content.decode()
    )
    assert message in text
    assert Conversation.objects.count() == 0


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2027", "The date of the conversation must be a real date, for example"),
        ("20", "", "2027", "The date of the conversation must include a month"),
        ("20", "1", "27", "The year must have 4 numbers"),
        ("20", "13", "2027", "The month must be a number from 1 to 12"),
    ],
)
def test_the_date_is_typed_in_day_month_and_year_fields(
    clock, people, client_for, day, month, year, message
):
    data = schedule_post("2027-01-20", "10:00")
    data.update(date_day=day, date_month=month, date_year=year)
    text = (
        client_for("manager")
        .post(reverse("conversations:schedule", args=[people.individual.pk]), data)
        .content.decode()
    )
    assert message in text
    assert 'class="nhsuk-date-input"' in text
    assert "For example, 27 3 2026" in text
    assert Conversation.objects.count() == 0
