"""The people import (issue 18 part 1): preview, whole-file apply, every validation rule."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from openpyxl import Workbook

from scopegrowth import access, outbox
from scopegrowth.models import AuditEvent, ManagerLink, Organisation, PeopleImport, User
from scopegrowth.people_import import apply as importing

pytestmark = pytest.mark.django_db

HEADER = (
    "employee_number,first_name,last_name,email,job_title,staff_group,directorate,team,"
    "manager_employee_number,start_date,leaving_date"
)
TRUST = [
    "E1,Helen,Carter,helen@example.org,Matron,Nursing,Medicine,Ward 1,,2020-01-06,",
    "E2,Aisha,Rahman,aisha@example.org,Staff Nurse,Nursing,Medicine,Ward 1,E1,01/02/2021,",
    "E3,Tom,Hughes,tom@example.org,HCA,Nursing,Medicine,Ward 1,E1,,",
]


def csv_file(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="Trust Z")


@pytest.fixture
def hr(org):
    return User.objects.create_user(
        "hr.z@example.org",
        "x",
        full_name="Hana Ross",
        is_hr=True,
        organisation=org,
        employee_number="H1",
    )


def preview(content: bytes, org, actor=access.SYSTEM, **kw):
    return importing.preview(content, organisation=org, actor=actor, **kw)


def apply(content: bytes, org, actor=access.SYSTEM, **kw):
    return importing.apply_file(content, organisation=org, actor=actor, **kw)


def errors(plan) -> list[tuple[int, str]]:
    return plan.errors


def test_a_first_load_creates_people_teams_and_line_managers(org):
    plan = preview(csv_file(*TRUST), org)
    assert plan.errors == []
    assert plan.counts == {"created": 3, "changed": 0, "moved": 0, "leaving": 0, "unchanged": 0}
    assert User.objects.filter(organisation=org).count() == 0  # the preview changes nothing
    apply(csv_file(*TRUST), org)
    aisha = User.objects.get(employee_number="E2")
    assert (aisha.full_name, aisha.team.name, aisha.team.directorate.name) == (
        "Aisha Rahman",
        "Ward 1",
        "Medicine",
    )
    assert str(aisha.started_on) == "2021-02-01"
    assert not aisha.has_usable_password()
    assert access.current_manager(aisha).employee_number == "E1"
    assert mail.outbox == []  # no email unless asked
    outbox.send_ready()
    assert mail.outbox == []


def test_applying_the_same_file_twice_changes_nothing(org):
    apply(csv_file(*TRUST), org)
    events = AuditEvent.objects.count()
    links = ManagerLink.objects.count()
    plan = preview(csv_file(*TRUST), org)
    assert plan.counts["unchanged"] == 3
    apply(csv_file(*TRUST), org)
    assert (AuditEvent.objects.count(), ManagerLink.objects.count()) == (events, links)


def test_a_bom_csv_and_an_xlsx_give_the_same_preview(org):
    book = Workbook()
    sheet = book.active
    for line in [HEADER, *TRUST]:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    plain = preview(csv_file(*TRUST), org).summary()
    assert preview(csv_file(*TRUST, bom=True), org).summary() == plain
    assert preview(buffer.getvalue(), org).summary() == plain


def test_a_move_ends_the_old_link_with_the_date_and_tells_the_three_people(org):
    apply(csv_file(*TRUST), org)
    moved = TRUST + ["E4,Ben,Walsh,ben@example.org,Sister,Nursing,Medicine,Ward 2,,,"]
    moved[2] = "E3,Tom,Hughes,tom@example.org,HCA,Nursing,Medicine,Ward 2,E4,,"
    apply(csv_file(*moved), org)  # E4 is new (not invited), so gets no email
    outbox.send_ready()
    plan = preview(csv_file(*moved), org)
    assert plan.counts["unchanged"] == 4
    moved[2] = "E3,Tom,Hughes,tom@example.org,HCA,Nursing,Medicine,Ward 2,E2,,"
    plan = preview(csv_file(*moved), org)
    assert plan.counts["moved"] == 1
    assert "line manager: E4 → E2" in plan.changes[2].details
    with time_machine.travel("2026-12-02 10:00 +00:00", tick=False):
        apply(csv_file(*moved), org)
    tom = User.objects.get(employee_number="E3")
    old = ManagerLink.objects.get(report=tom, manager__employee_number="E4")
    assert old.ended_at.isoformat() == "2026-12-02T10:00:00+00:00"
    mail.outbox.clear()
    outbox.send_ready()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "aisha@example.org",
        "ben@example.org",
        "tom@example.org",
    ]


def test_a_leaver_is_deactivated_never_deleted(org):
    apply(csv_file(*TRUST), org)
    with time_machine.travel("2026-12-02 10:00 +00:00"):
        rows = TRUST[:2] + [
            "E3,Tom,Hughes,tom@example.org,HCA,Nursing,Medicine,Ward 1,E1,,2026-11-30"
        ]
        assert preview(csv_file(*rows), org).counts["leaving"] == 1
        apply(csv_file(*rows), org)
    tom = User.objects.get(employee_number="E3")
    assert not tom.is_active
    assert str(tom.left_on) == "2026-11-30"


def test_deactivate_missing_deactivates_who_is_not_in_the_file(org):
    apply(csv_file(*TRUST), org)
    plan = preview(csv_file(*TRUST[:2]), org, deactivate_missing=True)
    assert plan.counts["leaving"] == 1
    assert preview(csv_file(*TRUST[:2]), org).counts["leaving"] == 0
    apply(csv_file(*TRUST[:2]), org, deactivate_missing=True)
    assert not User.objects.get(employee_number="E3").is_active
    assert User.objects.filter(employee_number="E3").exists()


def test_rows_are_matched_by_employee_number_then_email(org):
    existing = User.objects.create_user(
        "aisha@example.org", None, full_name="A R", organisation=org
    )
    plan = preview(csv_file(*TRUST), org)
    assert plan.counts["created"] == 2
    assert plan.counts["moved"] == 1  # the existing person gains E1 as line manager
    assert "full name: A R → Aisha Rahman" in plan.changes[1].details
    apply(csv_file(*TRUST), org)
    existing.refresh_from_db()
    assert (existing.employee_number, existing.full_name) == ("E2", "Aisha Rahman")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", (1, "The file is empty.")),
        (b"\xff\xfe\x00garbage", (1, "This is not a CSV (UTF-8) or XLSX file")),
        (b"PK\x03\x04not really a zip", (1, "This is not a CSV or XLSX file.")),
        (csv_file(header=HEADER), (1, "The file has a header but nobody in it.")),
        (
            csv_file("E1,a@example.org,x", header="employee_number,email,grade"),
            (1, "Unknown columns: grade"),
        ),
        (csv_file("E1,Helen", header="employee_number,first_name"), (1, "Missing columns: email")),
    ],
)
def test_a_file_that_is_not_a_people_file_gets_one_clear_answer(org, content, expected):
    plan = preview(content, org)
    assert len(plan.errors) == 1
    line, message = plan.errors[0]
    assert line == expected[0]
    assert message.startswith(expected[1])


def test_extra_columns_starting_with_x_are_allowed(org):
    content = csv_file("E1,a@example.org,blue", header="employee_number,email,x_colour")
    assert preview(content, org).errors == []


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        (
            TRUST + ["E2,Dup,Number,dup@example.org,,,,,,,"],
            5,
            "employee number E2 is also on line 3",
        ),
        (TRUST + ["E9,Dup,Email,TOM@example.org,,,,,,,"], 5, "tom@example.org is also on line 4"),
        (TRUST + ["E9,No,Boss,nb@example.org,,,,,E77,,"], 5, "E77 is not in the file"),
        (TRUST + ["E9,Self,Managed,self@example.org,,,,,E9,,"], 5, "their own line manager"),
        (TRUST + ["E9,Bad,Date,bd@example.org,,,,,,31/02/2026,"], 5, "start date '31/02/2026'"),
        (TRUST + ["E9,Bad,Mail,not-an-email,,,,,,,"], 5, "is not an email address"),
        (TRUST + [",No,Number,nn@example.org,,,,,,,"], 5, "the employee number is missing"),
        (TRUST + ["E9,No,Dir,nd@example.org,,,,Ward 9,,,"], 5, "a team needs its directorate"),
    ],
)
def test_each_row_error_has_its_line_number_and_a_plain_reason(org, rows, line, message):
    plan = preview(csv_file(*rows), org)
    assert any(n == line and message in m for n, m in plan.errors), plan.errors
    with pytest.raises(importing.ImportRefused):
        apply(csv_file(*rows), org)
    assert not User.objects.filter(organisation=org).exists()  # whole file or nothing


def test_a_loop_in_the_hierarchy_is_refused(org):
    rows = [
        "E1,A,A,a@example.org,,,,,E3,,",
        "E2,B,B,b@example.org,,,,,E1,,",
        "E3,C,C,c@example.org,,,,,E2,,",
    ]
    plan = preview(csv_file(*rows), org)
    assert [n for n, m in plan.errors if "loop" in m] == [2, 3, 4]


def test_a_row_that_makes_the_uploader_a_line_manager_is_a_row_error(org, hr):
    rows = TRUST + ["E9,New,Report,nr@example.org,,,,,H1,,"]
    plan = preview(csv_file(*rows), org, actor=hr)
    assert plan.errors == [(5, "this row would make you, who uploads the file, their line manager")]
    plan = preview(csv_file(*TRUST, "H1,Hana,Ross,hr.z@example.org,,,,,E1,,"), org, actor=hr)
    assert "your own line manager" in plan.errors[0][1]


def test_invitations_are_sent_only_when_asked_one_email_each(org):
    apply(csv_file(*TRUST), org, invite=True)
    outbox.send_ready()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "aisha@example.org",
        "helen@example.org",
        "tom@example.org",
    ]
    helen = next(m for m in mail.outbox if m.to == ["helen@example.org"])
    assert "/accounts/password/reset/key/" in helen.body
    assert "You are now the line manager of Aisha Rahman." in helen.body
    assert "You are now the line manager of Tom Hughes." in helen.body


def test_the_command_previews_without_apply_and_exits_1_on_errors(org, tmp_path, capsys):
    good = tmp_path / "people.csv"
    good.write_bytes(csv_file(*TRUST))
    call_command("import_people", str(good))
    assert "3 created" in capsys.readouterr().out
    assert not User.objects.filter(organisation=org).exists()
    call_command("import_people", str(good), "--apply")
    assert User.objects.filter(organisation=org).count() == 3
    assert PeopleImport.objects.get().status == PeopleImport.Status.DONE
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(*TRUST, "E9,X,Y,x@example.org,,,,,E404,,"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_people", str(bad), "--apply")
    assert exit_info.value.code == 1
    assert "Line 5: their line manager E404 is not in the file" in capsys.readouterr().out
    assert User.objects.filter(organisation=org).count() == 3


def test_two_imports_at_once_are_refused(org, tmp_path):
    PeopleImport.objects.create(organisation=org, filename="a.csv", status="running")
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file(*TRUST))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Another import"):
        call_command("import_people", str(path), "--apply")
    assert not User.objects.filter(organisation=org).exists()


def test_preview_query_count_does_not_grow_with_the_file(org, django_assert_num_queries):
    def rows(n):
        return [f"E{i},P,{i},p{i}@example.org,,,Dir,Team,{'E0' if i else ''},," for i in range(n)]

    with django_assert_num_queries(3):
        preview(csv_file(*rows(20)), org)
    with django_assert_num_queries(3):
        preview(csv_file(*rows(40)), org)
