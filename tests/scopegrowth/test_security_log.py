"""Security log (checklist H1, D7): sign-ins, failures and refused access are recorded as one
JSON record each, and a value with a line break cannot forge a second record."""

from __future__ import annotations

import json
import logging

import pytest

from scopegrowth.logging import JsonFormatter
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def records(caplog, event: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == event]


def test_a_sign_in_and_a_failure_are_logged_without_the_password(client, people, caplog):
    caplog.set_level(logging.INFO, logger="scopegrowth.security")
    client.post("/accounts/login/", {"login": people.individual.email, "password": "wrong-guess-1"})
    client.post("/accounts/login/", {"login": people.individual.email, "password": PASSWORD})
    assert len(records(caplog, "sign_in_failed")) == 1
    assert records(caplog, "sign_in")[0].user == people.individual.pk
    assert "wrong-guess-1" not in caplog.text
    assert PASSWORD not in caplog.text


def test_a_refused_object_is_logged(client_for, people, caplog):
    from journals.models import Journal

    journal = Journal.objects.create(owner=people.individual, cycle=1)
    caplog.set_level(logging.INFO, logger="scopegrowth.security")
    assert client_for("hr").get(f"/journal/{journal.pk}/").status_code == 404
    refused = records(caplog, "access_refused")
    assert [(r.user, r.object_type, r.status) for r in refused] == [
        (people.hr.pk, "journals.journal", 404)
    ]


def test_a_line_break_in_a_logged_value_cannot_forge_a_record(client, db, caplog):
    caplog.set_level(logging.INFO)
    client.post("/accounts/login/", {"login": 'x@example.org\n{"fake": 1}', "password": "nope"})
    assert all(getattr(r, "fake", None) is None for r in caplog.records)
    record = logging.makeLogRecord(
        {"msg": "sign-in failed", "levelname": "WARNING", "login": 'x@example.org\n{"fake": 1}'}
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line)["login"] == 'x@example.org\n{"fake": 1}'
