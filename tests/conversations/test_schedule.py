"""Scheduling, rescheduling and cancelling, with the calendar invites both people get."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import Conversation
from tests.conversations.conftest import at
from tests.conversations.helpers import (
    calendar_part,
    event_of,
    html_of,
    ics_attachment,
    schedule_post,
    write_stage,
)

pytestmark = pytest.mark.django_db


def _schedule(client, person, data, capture):
    url = reverse("conversations:schedule", args=[person.pk])
    with capture(execute=True):
        return client.post(url, data)


def test_manager_schedules_and_both_get_the_invite(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    response = _schedule(
        client_for("manager"),
        people.individual,
        schedule_post("2026-03-10", "10:00", agenda="Your reflections\nand your career"),
        django_capture_on_commit_callbacks,
    )

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:detail", args=[conversation.pk])
    assert conversation.facilitator == people.manager
    assert conversation.scheduled_at == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # GMT = UTC
    assert conversation.status == Conversation.Status.SCHEDULED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.individual.email, people.manager.email]
    )
    for message in mail.outbox:
        assert "Tuesday 10 March 2026 at 10:00" in message.subject
        assert "Seminar room 2" in message.body
        assert "Seminar room 2" in html_of(message)
        cal = ics_attachment(message)
        event = event_of(cal)
        assert str(cal["METHOD"]) == "REQUEST"
        part = calendar_part(message)
        assert part.get_param("method") == "REQUEST"
        assert part.get_filename() == "scope-for-growth-conversation-2026-03-10.ics"
        assert str(event["UID"]) == f"{conversation.ics_uid}@scopegrowth"
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
        assert event.decoded("DTEND") == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
        assert str(event["LOCATION"]) == "Seminar room 2"
        assert str(event["ORGANIZER"]) == f"mailto:{people.manager.email}"
        assert str(event["ATTENDEE"]) == f"mailto:{people.individual.email}"
        assert "Aisha Rahman" in str(event["SUMMARY"])
    follow = client_for("manager").get(response["Location"])
    assert "Tuesday 10 March 2026" in follow.content.decode()


def test_summer_time_is_entered_in_uk_time_and_stored_in_utc(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    _schedule(
        client_for("manager"),
        people.individual,
        schedule_post("2026-07-14", "10:00"),
        django_capture_on_commit_callbacks,
    )

    conversation = Conversation.objects.get()
    assert conversation.scheduled_at == datetime(2026, 7, 14, 9, 0, tzinfo=UTC)
    event = event_of(ics_attachment(mail.outbox[0]))
    assert event["DTSTART"].to_ical() == b"20260714T090000Z"
    assert "at 10:00" in mail.outbox[0].subject  # shown in UK time


def test_an_assigned_coach_can_schedule(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    response = _schedule(
        client_for("coach"),
        people.individual,
        schedule_post("2026-03-10", "10:00"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    assert Conversation.objects.get().facilitator == people.coach


def test_reschedule_keeps_the_uid_and_raises_the_sequence(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    client = client_for("manager")
    _schedule(
        client,
        people.individual,
        schedule_post("2026-03-10", "10:00"),
        django_capture_on_commit_callbacks,
    )
    conversation = Conversation.objects.get()
    uid = event_of(ics_attachment(mail.outbox[0]))["UID"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:reschedule", args=[conversation.pk]),
            schedule_post("2026-03-11", "14:30", location="Room 5", version="1"),
        )

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.scheduled_at == datetime(2026, 3, 11, 14, 30, tzinfo=UTC)
    assert conversation.ics_sequence == 1
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Changed" in message.subject
        cal = ics_attachment(message)
        event = event_of(cal)
        assert str(cal["METHOD"]) == "REQUEST"
        assert event["UID"] == uid
        assert int(event["SEQUENCE"]) == 1
        assert event["DTSTART"].to_ical() == b"20260311T143000Z"
        assert str(event["LOCATION"]) == "Room 5"


def test_saving_the_same_details_sends_nothing(
    clock, people, client_for, invites, conversation, django_capture_on_commit_callbacks
):
    when = conversation.scheduled_at.astimezone(at(1, 0).tzinfo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            reverse("conversations:reschedule", args=[conversation.pk]),
            schedule_post(f"{when:%Y-%m-%d}", f"{when:%H:%M}", agenda="", version="1"),
        )

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.ics_sequence == 0
    assert mail.outbox == []


def test_cancel_sends_a_calendar_cancellation_without_the_reason(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    client = client_for("manager")
    _schedule(
        client,
        people.individual,
        schedule_post("2026-03-10", "10:00"),
        django_capture_on_commit_callbacks,
    )
    conversation = Conversation.objects.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:cancel", args=[conversation.pk]),
            {"reason": "Aisha is on sick leave"},
        )

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CANCELLED
    assert conversation.cancel_reason == "Aisha is on sick leave"
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Cancelled" in message.subject
        assert "sick leave" not in message.body
        assert "sick leave" not in html_of(message)
        cal = ics_attachment(message)
        event = event_of(cal)
        assert str(cal["METHOD"]) == "CANCEL"
        part = calendar_part(message)
        assert part.get_param("method") == "CANCEL"
        assert part.get_filename() == "scope-for-growth-conversation-2026-03-10-cancelled.ics"
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == f"{conversation.ics_uid}@scopegrowth"
        assert int(event["SEQUENCE"]) == 1
        assert "sick leave" not in cal.to_ical().decode()
    page = client_for("individual").get(reverse("conversations:detail", args=[conversation.pk]))
    assert "Aisha is on sick leave" in page.content.decode()


def test_cancel_needs_a_reason(clock, client_for, conversation):
    response = client_for("manager").post(
        reverse("conversations:cancel", args=[conversation.pk]), {"reason": "  "}
    )

    assert response.status_code == 200
    assert "Give a reason for cancelling" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SCHEDULED


@pytest.mark.parametrize("persona", ["individual", "manager", "coach"])
def test_both_can_download_the_invite_at_any_time(clock, client_for, conversation, persona):
    response = client_for(persona).get(reverse("conversations:invite", args=[conversation.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    day = timezone.localtime(conversation.scheduled_at).date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="scope-for-growth-conversation-{day}.ics"'
    )
    assert "no-store" in response["Cache-Control"]
    from icalendar import Calendar

    event = event_of(Calendar.from_ical(response.content))
    assert str(event["UID"]) == f"{conversation.ics_uid}@scopegrowth"


def test_the_invite_carries_no_private_text(clock, client_for, conversation, people):
    from tests.conversations.conftest import mark_prepared

    mark_prepared(conversation, strengths="CANARY-PREP-1")
    write_stage(conversation, 1, notes="CANARY-NOTE-1")

    body = (
        client_for("individual")
        .get(reverse("conversations:invite", args=[conversation.pk]))
        .content.decode()
    )

    assert "CANARY" not in body


def test_it_refuses_a_date_in_the_past(
    clock, people, client_for, invites, django_capture_on_commit_callbacks
):
    response = _schedule(
        client_for("manager"),
        people.individual,
        schedule_post("2026-03-01", "10:00"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert "Choose a date and time in the future" in response.content.decode()
    assert "Seminar room 2" in response.content.decode()  # what they typed is kept
    assert not Conversation.objects.exists()
    assert mail.outbox == []


def test_it_refuses_earlier_today(clock, people, client_for):
    response = client_for("manager").post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-02", "08:30"),
    )

    assert "Choose a date and time in the future" in response.content.decode()
    assert not Conversation.objects.exists()


def test_it_refuses_an_overlap_for_the_facilitator_naming_and_linking_the_clash(
    clock, people, client_for, make_conversation
):
    """Issue 15 item 3: the manager could be booked into two conversations at once."""
    other = make_conversation(individual=people.colleague, scheduled_at=at(10, 10))

    response = client_for("manager").post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-10", "11:30"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "You already have a conversation with Tom Hughes on Tuesday 10 March 2026 at 10:00 "
        "until 12:00. Choose a time that does not overlap with it." in page
    )
    assert f'href="{reverse("conversations:detail", args=[other.pk])}"' in page
    assert Conversation.objects.count() == 1


def test_it_refuses_an_overlap_for_the_individual_without_naming_what_the_actor_cannot_see(
    clock, people, client_for, make_conversation
):
    """The individual facilitates someone else's conversation then: the manager is told the
    time is taken, not with whom, and gets no link to a conversation they cannot open."""
    theirs = make_conversation(
        individual=people.other_report, facilitator=people.individual, scheduled_at=at(10, 10)
    )

    page = (
        client_for("manager")
        .post(
            reverse("conversations:schedule", args=[people.individual.pk]),
            schedule_post("2026-03-10", "09:00"),
        )
        .content.decode()
    )

    assert "Aisha Rahman already has a conversation on Tuesday 10 March 2026 at 10:00" in page
    assert "Megan Lloyd" not in page
    assert reverse("conversations:detail", args=[theirs.pk]) not in page
    assert Conversation.objects.count() == 1


def test_one_open_conversation_per_person_offering_to_change_the_date(
    clock, people, client_for, make_conversation
):
    """Issue 15 item 3: an individual could hold two open conversations (invites for both)."""
    first = make_conversation(scheduled_at=at(20, 10))

    page = (
        client_for("coach")
        .post(
            reverse("conversations:schedule", args=[people.individual.pk]),
            schedule_post("2026-03-10", "10:00"),
        )
        .content.decode()
    )

    assert (
        "Aisha Rahman already has a conversation booked with Helen Carter for Friday 20 March "
        "2026 at 10:00. A person has one open conversation at a time: change the date of that "
        "one instead" in page
    )
    assert f'href="{reverse("conversations:reschedule", args=[first.pk])}"' in page
    assert "Change the date of the conversation on 20 March 2026" in page
    assert Conversation.objects.count() == 1


def test_the_service_refuses_a_second_open_conversation_too(clock, people, make_conversation):
    make_conversation(scheduled_at=at(20, 10))

    with pytest.raises(services.ScheduleRefused, match="one open conversation at a time"):
        services.conversation_schedule(
            actor=people.manager,
            individual=people.individual,
            scheduled_at=at(25, 10),
            duration_minutes=60,
            location="Room 1",
        )


def test_back_to_back_conversations_do_not_overlap(
    clock, people, client_for, make_conversation, invites, django_capture_on_commit_callbacks
):
    make_conversation(individual=people.colleague, scheduled_at=at(10, 10), duration_minutes=120)

    response = _schedule(
        client_for("manager"),
        people.individual,
        schedule_post("2026-03-10", "12:00"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    assert Conversation.objects.count() == 2


def test_a_cancelled_conversation_does_not_block_the_slot(
    clock, people, client_for, make_conversation, invites, django_capture_on_commit_callbacks
):
    make_conversation(
        scheduled_at=at(10, 10), status=Conversation.Status.CANCELLED, cancel_reason="Moved"
    )

    response = _schedule(
        client_for("manager"),
        people.individual,
        schedule_post("2026-03-10", "10:00"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302


def test_reschedule_refuses_an_overlap_with_another_conversation(
    clock, people, client_for, make_conversation
):
    make_conversation(individual=people.colleague, scheduled_at=at(10, 10))
    second = make_conversation(scheduled_at=at(12, 10))

    response = client_for("manager").post(
        reverse("conversations:reschedule", args=[second.pk]),
        schedule_post("2026-03-10", "09:00", version="1"),
    )

    assert "You already have a conversation with Tom Hughes on Tuesday 10 March 2026 at 10:00" in (
        response.content.decode()
    )
    second.refresh_from_db()
    assert second.scheduled_at == at(12, 10)
    assert second.ics_sequence == 0


def test_rescheduling_the_open_conversation_is_how_its_date_changes(
    clock, people, client_for, make_conversation, invites, django_capture_on_commit_callbacks
):
    first = make_conversation(scheduled_at=at(20, 10))

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            reverse("conversations:reschedule", args=[first.pk]),
            schedule_post("2026-03-20", "11:00", version="1"),  # overlaps only itself
        )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.scheduled_at == at(20, 11)


@pytest.mark.parametrize("persona", ["other_manager", "unassigned_coach", "colleague", "admin"])
def test_someone_who_is_not_their_manager_or_coach_cannot_schedule(
    clock, people, client_for, persona
):
    response = client_for(persona).post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-10", "10:00"),
    )

    assert response.status_code == 404
    assert not Conversation.objects.exists()


def test_hr_cannot_schedule(clock, people, client_for):
    response = client_for("hr").post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-10", "10:00"),
    )

    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_the_service_refuses_a_person_who_is_not_a_report(clock, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.conversation_schedule(
            actor=people.manager,
            individual=people.other_report,
            scheduled_at=at(10, 10),
            duration_minutes=60,
            location="Room",
        )
    assert not Conversation.objects.exists()


def test_a_time_that_does_not_exist_when_the_clocks_go_forward(clock, people, client_for):
    response = client_for("manager").post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-29", "01:30"),
    )

    assert "the clocks go forward" in response.content.decode()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("length", "message"),
    [("10", "at least 15 minutes"), ("481", "up to 480 minutes"), ("two", "number of minutes")],
)
def test_the_length_must_be_15_to_480_minutes(clock, people, client_for, length, message):
    response = client_for("manager").post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-10", "10:00", duration_minutes=length),
    )

    assert message in response.content.decode()
    assert not Conversation.objects.exists()


def test_a_place_or_link_is_required(clock, people, client_for):
    response = client_for("manager").post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-10", "10:00", location=""),
    )

    assert "Enter a place or a video-call link" in response.content.decode()
    assert not Conversation.objects.exists()


def test_a_broker_outage_does_not_fail_the_save(
    clock, people, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from scopegrowth import tasks

    def broker_down(*args):
        raise OSError("broker unreachable")

    monkeypatch.setattr(tasks.send_outbox, "delay", broker_down)

    response = _schedule(
        client_for("manager"),
        people.individual,
        schedule_post("2026-03-10", "10:00"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    assert Conversation.objects.count() == 1


def test_the_invite_is_sent_once_however_often_the_sender_runs(clock, conversation, people):
    from scopegrowth import outbox

    written = services.conversation_invite_write(conversation)
    first, again = outbox.send_ready(), outbox.send_ready()

    assert (written, first, again) == (2, 2, 0)
    assert len(mail.outbox) == 2


def test_a_reschedule_before_the_invite_went_out_replaces_it(
    clock, conversation, people, django_capture_on_commit_callbacks
):
    """The worker was down when the conversation was scheduled and when it was moved: once it
    is back each person gets one email, the update (SEQUENCE 1), not the outdated invite."""
    from scopegrowth import outbox

    services.conversation_invite_write(conversation)  # the first invite, never sent
    services.conversation_reschedule(
        actor=people.manager,
        conversation=conversation,
        scheduled_at=conversation.scheduled_at + timedelta(hours=2),
        duration_minutes=120,
        location="Seminar room 2",
        agenda="",
        version=1,
    )

    assert outbox.send_ready() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.individual.email, people.manager.email]
    )
    assert {str(ics_attachment(m).walk("VEVENT")[0]["SEQUENCE"]) for m in mail.outbox} == {"1"}


def test_a_name_with_line_breaks_cannot_add_headers(clock, people, make_conversation):
    from scopegrowth import outbox

    people.individual.full_name = "Aisha\r\nBcc: someone@evil.example"
    people.individual.save()
    conversation = make_conversation()

    services.conversation_invite_write(conversation)
    outbox.send_ready()

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "\n" not in message.subject
        assert "\r" not in message.subject
        assert message.bcc == []
        ics = ics_attachment(message).to_ical().decode()
        assert not any(line.startswith("Bcc") for line in ics.splitlines())


def test_scheduling_rejects_get_and_post_on_the_invite(clock, client_for, conversation):
    response = client_for("manager").post(reverse("conversations:invite", args=[conversation.pk]))

    assert response.status_code == 405


def test_a_person_whose_account_is_closed_cannot_be_invited(clock, people, client_for):
    people.individual.is_active = False
    people.individual.save()

    response = client_for("manager").post(
        reverse("conversations:schedule", args=[people.individual.pk]),
        schedule_post("2026-03-10", "10:00"),
    )

    assert "account is closed" in response.content.decode()
    assert not Conversation.objects.exists()
