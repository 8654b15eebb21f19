"""File formats for plans leaving the service: CSV rows, the ZIP of PDFs, download headers.

CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, TAB, CR
or NUL) get a leading apostrophe; the file is UTF-8 with a byte-order mark so Excel reads
accented names correctly, and quoted per RFC 4180 by the `csv` module.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO
from urllib.parse import quote

from django.utils import timezone

from devplans.content import position_label
from devplans.models import Plan

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
BOM = "\ufeff"

CSV_HEADER = [
    "Name",
    "Job title",
    "Directorate",
    "Team",
    "Facilitator",
    "Conversation date",
    "Agreed on",
    "Version",
    "Current position",
    "Position in two years",
    "Objectives",
    "Next review",
]


def neutralise(value: object) -> str:
    """A cell as text that no spreadsheet will execute."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def plan_csv_row(plan: Plan) -> list[str]:
    """One HR list row (plan fields only: never journal text or facilitator notes).

    Expects the annotations of `selectors.agreed_plans_for_hr` (objective count, next review).
    """
    person = plan.individual
    team = person.team
    conversation = plan.conversation
    return [
        person.full_name,
        person.job_title,
        team.directorate.name if team else "",
        team.name if team else "",
        plan.facilitator.full_name,
        _date(conversation.scheduled_at) if conversation else "",
        _date(plan.agreed_at),
        str(plan.number),
        position_label(plan.current_growth, plan.current_impact),
        position_label(plan.future_growth, plan.future_impact),
        str(getattr(plan, "objective_count", "")),
        _date(getattr(plan, "next_review", None)),
    ]


def csv_lines(rows: Iterable[list[object]], header: list[str] | None = None) -> Iterator[str]:
    """The CSV as text chunks (BOM first), every cell neutralised; for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield BOM
    if header:
        rows = itertools.chain([header], rows)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def csv_bytes(rows: Iterable[list[object]], header: list[str] | None = None) -> bytes:
    return "".join(csv_lines(rows, header)).encode("utf-8")


# =============================================================================
# File names and download headers
# =============================================================================

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def ascii_slug(text: str) -> str:
    """'Siân Ní Bhriain' -> 'sian-ni-bhriain' (ASCII only, safe in any header or file system)."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", flat).strip("-").lower()
    return slug[:60] or "plan"


def safe_display_name(text: str) -> str:
    """A readable file name part: no control characters, quotes, slashes or separators."""
    cleaned = _UNSAFE.sub(" ", unicodedata.normalize("NFC", text))
    return " ".join(cleaned.split())[:80].strip(" .") or "plan"


def plan_pdf_name(plan: Plan, index: int | None = None) -> str:
    stem = f"plan-{ascii_slug(plan.individual.full_name)}-v{plan.number}"
    return f"{index:04d}-{stem}.pdf" if index is not None else f"{stem}.pdf"


def attachment_header(display_name: str, ascii_name: str) -> str:
    """`Content-Disposition: attachment` per RFC 6266: an ASCII fallback and a UTF-8 name."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", ascii_name) or "download"
    encoded = quote(safe_display_name(display_name), safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def plan_pdf_disposition(plan: Plan) -> str:
    """One file name, the same as in HR's ZIP export, in both parameters."""
    name = plan_pdf_name(plan)
    return attachment_header(name, name)


# =============================================================================
# ZIP of PDFs
# =============================================================================


def write_zip(
    file: BinaryIO,
    entries: Iterable[tuple[str, Callable[[], bytes]]],
    *,
    progress: Callable[[int], None] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> int:
    """Write `entries` (name, make_bytes) as a ZIP into `file`, calling `progress(done)` after
    each entry. Returns how many entries were written. (Where the file lives and how it is
    stored whole: `export_storage.write_to_storage`.)"""
    done = 0
    with zipfile.ZipFile(file, "w", compression=compression) as archive:
        for name, make in entries:
            archive.writestr(name, make())
            done += 1
            if progress is not None:
                progress(done)
    return done


def join_zips(file: BinaryIO, parts: Iterable[BinaryIO]) -> int:
    """Write one ZIP into `file` holding every entry of the ZIPs `parts`, in order."""
    count = 0
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            with zipfile.ZipFile(part) as source:
                for info in source.infolist():
                    archive.writestr(info.filename, source.read(info))
                    count += 1
    return count
