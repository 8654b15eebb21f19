"""The calendar invite (`invite.ics`) for a conversation, built with `icalendar`.

One VEVENT with a stable UID (`<ics_uid>@scopegrowth`) and the conversation's SEQUENCE, which
goes up on every reschedule, take-over and cancellation so calendars replace the old copy.
METHOD:REQUEST while it is on, METHOD:CANCEL with STATUS:CANCELLED once cancelled. Times are UTC.
The invite carries who, when, where and the agenda note (the form says it goes into the invite),
never the cancellation reason, preparation, notes or journal text.
"""

from __future__ import annotations

from datetime import UTC

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from conversations.models import Conversation
from scopegrowth import emails

PRODID = "-//ScopeGrowth//Scope for Growth conversations//EN"


def uid(conversation: Conversation) -> str:
    return f"{conversation.ics_uid}@scopegrowth"


def method(conversation: Conversation) -> str:
    return "CANCEL" if conversation.status == Conversation.Status.CANCELLED else "REQUEST"


def filename(conversation: Conversation) -> str:
    """Says what the file is: `scope-for-growth-conversation-2026-12-03.ics`, with
    `-cancelled` before `.ics` for a cancellation."""
    day = timezone.localtime(conversation.scheduled_at).date().isoformat()
    cancelled = "-cancelled" if method(conversation) == "CANCEL" else ""
    return f"scope-for-growth-conversation-{day}{cancelled}.ics"


def mimetype(conversation: Conversation) -> str:
    """RFC 6047 (iMIP): in an email the MIME type names the calendar object's METHOD."""
    return f"text/calendar; method={method(conversation)}"


def attachment(conversation: Conversation) -> tuple[str, bytes, str]:
    """The invite as an email attachment: (file name, content, MIME type)."""
    return filename(conversation), invite_ics(conversation), mimetype(conversation)


def _one_line(value: str) -> str:
    """Names go into parameters: no line breaks, ever."""
    return " ".join((value or "").replace("\r", " ").replace("\n", " ").split())


def _address(user, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(_one_line(user.full_name or user.email))
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address


def summary(conversation: Conversation) -> str:
    return f"Scope for Growth conversation: {_one_line(conversation.individual.full_name)}"


def invite_ics(conversation: Conversation) -> bytes:
    """The invite as bytes (UTF-8, CRLF line endings as RFC 5545 asks)."""
    link = emails.absolute(reverse("conversations:detail", args=[conversation.pk]))
    cancelled = conversation.status == Conversation.Status.CANCELLED

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method(conversation))

    event = Event()
    event.add("uid", uid(conversation))
    event.add("sequence", conversation.ics_sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("last-modified", conversation.updated_at.astimezone(UTC))
    event.add("dtstart", conversation.scheduled_at.astimezone(UTC))
    event.add("dtend", conversation.ends_at.astimezone(UTC))
    event.add("summary", summary(conversation))
    event.add("location", conversation.location)
    description = [
        "Your Scope for Growth career conversation.",
        f"Details and preparation: {link}",
    ]
    if conversation.agenda:
        description += ["", "Agenda:", conversation.agenda]
    if cancelled:
        # The reason stays in the app: calendars are often shared with delegates.
        description = ["This conversation has been cancelled.", f"Details: {link}"]
    event.add("description", "\n".join(description))
    event.add("url", link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "CONFIDENTIAL")
    event.add("organizer", _address(conversation.facilitator))
    event.add("attendee", _address(conversation.individual, role="REQ-PARTICIPANT"))
    cal.add_component(event)
    return cal.to_ical()
