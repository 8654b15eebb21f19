"""Small helpers shared by the conversation tests (not fixtures)."""

from __future__ import annotations

import email
import email.policy

from icalendar import Calendar


def calendar_part(message) -> email.message.EmailMessage:
    """The one text/calendar part of an email, parsed from the bytes that are sent."""
    sent = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    parts = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, f"expected one calendar part, got {len(parts)}"
    return parts[0]


def ics_attachment(message) -> Calendar:
    """The calendar invite attached to an email, parsed. Its MIME type names the METHOD the
    invite carries (RFC 6047) and it is an attachment with a .ics file name."""
    part = calendar_part(message)
    cal = Calendar.from_ical(part.get_content())
    assert part.get_param("method") == str(cal["METHOD"]), part["Content-Type"]
    assert part.get_content_disposition() == "attachment"
    assert part.get_filename().endswith(".ics")
    return cal


def event_of(cal: Calendar):
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return events[0]


def html_of(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")


def date_fields(day: str, name: str = "date") -> dict:
    """A "YYYY-MM-DD" date as the NHS.UK date input posts it: `<name>_day`, `_month`, `_year`."""
    year, month, date_day = (day.split("-") + ["", "", ""])[:3]
    return {f"{name}_day": date_day, f"{name}_month": month, f"{name}_year": year}


def schedule_post(day: str, start: str, **extra) -> dict:
    """The schedule form's fields: `day` as "YYYY-MM-DD", posted in the NHS.UK date input's
    three parts (day, month, year)."""
    data = {
        **date_fields(day),
        "time": start,
        "duration_minutes": "120",
        "location": "Seminar room 2",
        "agenda": "Our first conversation",
    }
    data.update(extra)
    return data


def write_stage(conversation, stage: int, *, notes: str = "", author=None, **fields):
    """A stage record and, with `notes`, its author's private notes (the conversation's
    facilitator unless `author` says otherwise)."""
    from conversations.models import StageNote, StageRecord

    record, _ = StageRecord.objects.update_or_create(
        conversation=conversation, stage=stage, defaults=fields
    )
    if notes:
        StageNote.objects.update_or_create(
            conversation=conversation,
            stage=stage,
            author=author or conversation.facilitator,
            defaults={"text": notes},
        )
    return record


def own_notes(conversation, stage: int, author=None) -> str:
    from conversations.models import StageNote

    note = StageNote.objects.filter(
        conversation=conversation, stage=stage, author=author or conversation.facilitator
    ).first()
    return note.text if note else ""
