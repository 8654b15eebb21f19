"""Reading a people file: CSV (UTF-8, with or without BOM) or the first sheet of an XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

COLUMNS = (
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "staff_group",
    "directorate",
    "team",
    "manager_employee_number",
    "start_date",
    "leaving_date",
)
REQUIRED = ("employee_number", "email")


class FileError(Exception):
    """The file as a whole cannot be read as a people file (nothing is changed)."""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    columns: frozenset[str]
    rows: list[Row]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_lines(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError("This is not a CSV or XLSX file.") from exc
    try:
        sheet = book.worksheets[0]
        return [
            (n, [_cell(v) for v in values])
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _csv_lines(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            "This is not a CSV (UTF-8) or XLSX file. Save it as 'CSV UTF-8' and try again."
        ) from exc
    if "\x00" in text:
        raise FileError("This is not a CSV or XLSX file.")
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = []
    start = 1
    try:
        for values in reader:
            lines.append((start, [v.strip() for v in values]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileError(f"Line {start}: the CSV cannot be read ({exc}).") from exc
    return lines


def read(content: bytes) -> Sheet:
    """The header's columns and every non-blank row, with its line number in the file."""
    if not content.strip():
        raise FileError("The file is empty.")
    lines = _xlsx_lines(content) if content[:4] == b"PK\x03\x04" else _csv_lines(content)
    lines = [(n, values) for n, values in lines if any(values)]
    if not lines:
        raise FileError("The file is empty.")
    _, header = lines[0]
    names = [h.strip().lower() for h in header]
    while names and not names[-1]:
        names.pop()
    unknown = [h or "(blank)" for h in names if h not in COLUMNS and not h.startswith("x_")]
    if unknown:
        raise FileError(
            "Unknown columns: " + ", ".join(unknown) + ". Columns of your own must start with x_."
        )
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FileError("Missing columns: " + ", ".join(missing) + ".")
    repeated = sorted({h for h in names if names.count(h) > 1})
    if repeated:
        raise FileError("Columns given twice: " + ", ".join(repeated) + ".")
    rows = [
        Row(n, {name: (values[i] if i < len(values) else "") for i, name in enumerate(names)})
        for n, values in lines[1:]
    ]
    if not rows:
        raise FileError("The file has a header but nobody in it.")
    return Sheet(frozenset(n for n in names if n in COLUMNS), rows)
