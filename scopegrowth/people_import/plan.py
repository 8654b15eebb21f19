"""What a people file would change, and every reason it cannot: a few queries for the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from scopegrowth.models import ManagerLink, Organisation, User
from scopegrowth.people_import.reader import Sheet

KINDS = ("created", "changed", "moved", "leaving", "unchanged")
#: Person fields a column sets (column -> field); names and teams are handled apart.
SIMPLE = {"job_title": "job_title", "staff_group": "staff_group"}


@dataclass
class Change:
    line: int | None  # None: someone missing from the file
    kind: str
    employee_number: str
    name: str
    details: list[str] = field(default_factory=list)


@dataclass
class Wanted:
    """One valid row, resolved: the person (None: new), their fields and manager number."""

    line: int
    person: User | None
    fields: dict[str, Any]
    team: tuple[str, str] | None | bool  # False: the file has no team columns
    manager_number: str | None  # None: the file has no manager column
    leaving: bool


@dataclass
class Plan:
    errors: list[tuple[int, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    wanted: list[Wanted] = field(default_factory=list)
    missing: list[User] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            found[change.kind] += 1
        return found

    def summary(self, limit: int = 5000) -> dict[str, Any]:
        """JSON for the page (changes beyond `limit` are counted, not listed)."""
        shown = [c for c in self.changes if c.kind != "unchanged"]
        return {
            "counts": self.counts,
            "errors": [{"line": line, "message": m} for line, m in self.errors],
            "changes": [
                {
                    "line": c.line,
                    "kind": c.kind,
                    "number": c.employee_number,
                    "name": c.name,
                    "details": c.details,
                }
                for c in shown[:limit]
            ],
            "more_changes": max(0, len(shown) - limit),
        }


def parse_date(value: str) -> dt.date | None:
    """ISO `2026-12-01` or UK `01/12/2026`; empty is None; anything else raises ValueError."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(value)


def _name(values: dict[str, str]) -> str:
    return " ".join(p for p in (values.get("first_name", ""), values.get("last_name", "")) if p)


def build(
    sheet: Sheet,
    *,
    organisation: Organisation,
    actor: Any,
    deactivate_missing: bool = False,
    today: dt.date,
) -> Plan:
    plan = Plan()
    cols = sheet.columns
    people = list(
        User.objects.filter(organisation=organisation).select_related("team__directorate")
    )
    by_number = {p.employee_number: p for p in people if p.employee_number}
    by_email = {
        e.lower(): (pk, org)
        for pk, e, org in User.objects.values_list("pk", "email", "organisation_id")
    }
    by_pk = {p.pk: p for p in people}
    links = dict(
        ManagerLink.objects.active()
        .filter(report__organisation=organisation)
        .values_list("report_id", "manager_id")
    )
    actor_pk = getattr(actor, "pk", None)
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}

    for row in sheet.rows:
        v, line = row.values, row.line
        errors: list[str] = []
        number, email = v["employee_number"], v["email"].lower()
        if not number:
            errors.append("the employee number is missing")
        elif number in seen_numbers:
            errors.append(f"employee number {number} is also on line {seen_numbers[number]}")
        if not email:
            errors.append("the email address is missing")
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(f"{v['email']!r} is not an email address")
            if email in seen_emails:
                errors.append(f"{email} is also on line {seen_emails[email]}")
        seen_numbers.setdefault(number, line)
        seen_emails.setdefault(email, line)
        dates = {}
        for col in ("start_date", "leaving_date"):
            try:
                dates[col] = parse_date(v.get(col, ""))
            except ValueError:
                errors.append(f"{col.replace('_', ' ')} {v[col]!r} is not a date (use 2026-12-01)")
        person = by_number.get(number)
        owner = by_email.get(email)
        if person is not None and owner is not None and owner[0] != person.pk:
            errors.append(f"{email} belongs to someone else already")
        if person is None and owner is not None:
            other = by_pk.get(owner[0])
            if other is None:
                errors.append(f"{email} belongs to someone in another organisation")
            elif other.employee_number and other.employee_number != number:
                errors.append(f"{email} belongs to employee number {other.employee_number}")
            else:
                person = other
        team: tuple[str, str] | None | bool = False
        if "team" in cols or "directorate" in cols:
            d, t = v.get("directorate", ""), v.get("team", "")
            if t and not d:
                errors.append("a team needs its directorate")
            team = (d, t) if t else None
        if errors:
            plan.errors.append((line, "; ".join(errors)))
            continue
        fields: dict[str, Any] = {"employee_number": number, "email": email}
        if {"first_name", "last_name"} & cols:
            fields["full_name"] = _name(v) or email
        for col, name in SIMPLE.items():
            if col in cols:
                fields[name] = v[col]
        if "start_date" in cols:
            fields["started_on"] = dates["start_date"]
        if "leaving_date" in cols:
            fields["left_on"] = dates["leaving_date"]
        leaving = bool(dates.get("leaving_date") and dates["leaving_date"] <= today)
        manager = v.get("manager_employee_number") if "manager_employee_number" in cols else None
        plan.wanted.append(Wanted(line, person, fields, team, manager, leaving))

    in_file = {w.fields["employee_number"]: w for w in plan.wanted}
    all_numbers = set(seen_numbers)
    if deactivate_missing:
        plan.missing = [
            p
            for p in people
            if p.is_active
            and p.employee_number
            and p.employee_number not in all_numbers
            and p.pk != actor_pk
        ]
    missing_pks = {p.pk for p in plan.missing}
    number_of = {p.pk: p.employee_number for p in people}

    # The hierarchy as the file would leave it: employee number -> manager's number.
    graph: dict[str, str] = {}
    for p in people:
        if p.employee_number and p.employee_number not in in_file and p.pk in links:
            boss = number_of.get(links[p.pk])
            if boss:
                graph[p.employee_number] = boss
    for w in plan.wanted:
        number = w.fields["employee_number"]
        if w.manager_number is None:
            current = links.get(w.person.pk) if w.person else None
            if current and number_of.get(current):
                graph[number] = number_of[current]
        elif w.manager_number:
            graph[number] = w.manager_number

    valid: list[Wanted] = []
    for w in plan.wanted:
        number, m = w.fields["employee_number"], w.manager_number
        problem = None
        if m:
            boss_row = in_file.get(m)
            boss = by_number.get(m)
            if m == number:
                problem = "this person cannot be their own line manager"
            elif boss_row is None and m in seen_numbers:
                problem = f"their line manager {m} has an error on line {seen_numbers[m]}"
            elif boss_row is None and (
                boss is None or not boss.is_active or boss.pk in missing_pks
            ):
                problem = f"their line manager {m} is not in the file or in ScopeGrowth"
            elif (boss_row.leaving if boss_row else False) and not w.leaving:
                problem = f"their line manager {m} has left"
            elif _loops(graph, number):
                problem = "the line managers form a loop (someone ends up managing themself)"
            elif (
                actor_pk is not None
                and (
                    (boss_row and boss_row.person and boss_row.person.pk == actor_pk)
                    or (boss is not None and boss.pk == actor_pk)
                )
                and not (w.person and links.get(w.person.pk) == actor_pk)
            ):
                problem = "this row would make you, who uploads the file, their line manager"
        if problem is None and w.person is not None and w.person.pk == actor_pk:
            if _manager_changes(w, links, by_number):
                problem = "this row changes your own line manager; ask someone else to upload it"
        if problem:
            plan.errors.append((w.line, problem))
        else:
            valid.append(w)
    plan.wanted = valid
    if plan.errors:
        plan.errors.sort()
        return plan

    for w in plan.wanted:
        plan.changes.append(_describe(w, links, number_of))
    for p in plan.missing:
        plan.changes.append(
            Change(
                None,
                "leaving",
                p.employee_number,
                p.full_name,
                ["not in the file: will be deactivated"],
            )
        )
    return plan


def _loops(graph: dict[str, str], start: str) -> bool:
    seen = {start}
    current = graph.get(start)
    while current is not None:
        if current == start:
            return True
        if current in seen:
            return False
        seen.add(current)
        current = graph.get(current)
    return False


def _manager_changes(w: Wanted, links: dict, by_number: dict) -> bool:
    """The row gives its (existing) person a different line manager."""
    if w.manager_number is None or w.person is None:
        return False
    if w.manager_number and w.manager_number not in by_number:
        return True  # a manager new to ScopeGrowth
    new = by_number[w.manager_number].pk if w.manager_number else None
    return links.get(w.person.pk) != new


def _describe(w: Wanted, links: dict, number_of: dict) -> Change:
    number = w.fields["employee_number"]
    name = w.fields.get("full_name") or (w.person.full_name if w.person else w.fields["email"])
    if w.person is None:
        details = []
        if w.team:
            details.append(f"team {w.team[1]} ({w.team[0]})")
        if w.manager_number:
            details.append(f"line manager {w.manager_number}")
        return Change(w.line, "leaving" if w.leaving else "created", number, name, details)
    p = w.person
    details = [
        f"{f.replace('_', ' ')}: {getattr(p, f) or '–'} → {value or '–'}"
        for f, value in w.fields.items()
        if (getattr(p, f) or None) != (value or None)
    ]
    if w.team is not False:
        current = (p.team.directorate.name, p.team.name) if p.team_id else None
        if current != (w.team or None):
            details.append(
                f"team: {current[1] if current else '–'} → {w.team[1] if w.team else '–'}"
            )
    if w.leaving and p.is_active:
        return Change(w.line, "leaving", number, name, details)
    if not w.leaving and not p.is_active:
        details.append("returns (was deactivated)")
    old = number_of.get(links.get(p.pk)) if p.pk in links else None
    if w.manager_number is not None and (old or "") != w.manager_number:
        details.insert(0, f"line manager: {old or '–'} → {w.manager_number or '–'}")
        return Change(w.line, "moved", number, name, details)
    return Change(w.line, "changed" if details else "unchanged", number, name, details)
