"""A crash inside a conversation view never copies the notes that were typed into an error
report (the views are wrapped with `sensitive_post_parameters`)."""

from __future__ import annotations

import sys

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from conversations import services
from tests.conversations.helpers import date_fields

pytestmark = pytest.mark.django_db

CANARY = "CANARY-private-note-51c2"


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


@pytest.mark.parametrize(
    ("service", "url_name", "data"),
    [
        ("preparation_save", "prepare", {"self_check": CANARY, "version": "0"}),
        (
            "conversation_stage_save",
            "stage",
            {"facilitator_notes": CANARY, "agreed_summary": "", "version": "0"},
        ),
        ("conversation_cancel", "cancel", {"reason": CANARY}),
        (
            "conversation_reschedule",
            "reschedule",
            {
                **date_fields("2026-03-09"),
                "time": "10:00",
                "duration_minutes": "60",
                "location": "Room",
                "agenda": CANARY,
                "version": "1",
            },
        ),
    ],
)
def test_a_crash_while_saving_leaves_the_text_out_of_the_report(
    clock, people, conversation, reports, monkeypatch, service, url_name, data
):
    def crash(**kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(services, service, crash)
    client = Client(raise_request_exception=False)
    client.force_login(people.manager, backend="django.contrib.auth.backends.ModelBackend")
    args = [conversation.pk, 1] if url_name == "stage" else [conversation.pk]

    response = client.post(reverse(f"conversations:{url_name}", args=args), data)

    assert response.status_code == 500
    assert CANARY not in response.content.decode()
    assert len(reports) == 1
    assert "database fell over" in reports[0]
    assert CANARY not in reports[0]
