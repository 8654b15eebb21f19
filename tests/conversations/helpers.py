"""Small helpers shared by the conversation tests (not fixtures)."""

from __future__ import annotations

from icalendar import Calendar


def ics_attachment(message) -> Calendar:
    """The invite.ics attached to an email, parsed."""
    found = [a for a in message.attachments if a[0] == "invite.ics"]
    assert len(found) == 1, f"expected one invite.ics, got {[a[0] for a in message.attachments]}"
    _, content, mimetype = found[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def event_of(cal: Calendar):
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return events[0]


def html_of(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")


def schedule_post(day: str, start: str, **extra) -> dict:
    data = {
        "date": day,
        "time": start,
        "duration_minutes": "120",
        "location": "Seminar room 2",
        "agenda": "Our first conversation",
    }
    data.update(extra)
    return data
