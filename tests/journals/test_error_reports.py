"""A crash inside a journal view never copies what was typed into an error report."""

from __future__ import annotations

import sys

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.views.debug import ExceptionReporter

from journals import services
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

CANARY = "CANARY-health-note-7f3a"


@pytest.fixture
def reports():
    """Error reports Django would email to the admins, rendered like AdminEmailHandler does."""
    captured: list[str] = []

    def capture(sender, request, **kwargs):
        reporter = ExceptionReporter(request, *sys.exc_info())
        captured.append(reporter.get_traceback_text() + reporter.get_traceback_html())

    got_request_exception.connect(capture)
    yield captured
    got_request_exception.disconnect(capture)


@pytest.mark.parametrize("view", ["section", "autosave"])
def test_a_crash_while_saving_leaves_the_answer_out_of_the_report(
    people, reports, monkeypatch, view
):
    journal = h.start(people.individual)
    q = h.text_questions("wellbeing")[0]

    def crash(**kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(services, "journal_section_save", crash)
    client = Client(raise_request_exception=False)
    client.force_login(people.individual, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(
        h.section_url(journal, "wellbeing", view), h.form_data(journal, "wellbeing", {q: CANARY})
    )

    assert response.status_code == 500
    assert CANARY not in response.content.decode()
    assert len(reports) == 1
    assert "database fell over" in reports[0]
    assert CANARY not in reports[0]
