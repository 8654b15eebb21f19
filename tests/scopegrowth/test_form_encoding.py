"""A form post that is not valid UTF-8 is refused with a clear message, never stored garbled
(issue 14, item 9). Django decodes such bytes as U+FFFD replacement characters."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from journals.models import Answer
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
MESSAGE = "Some of the text sent could not be read (it is not valid UTF-8), so nothing was saved."


@pytest.fixture
def journal(people):
    return h.start(people.individual)


def section_body(journal, text_bytes: bytes) -> bytes:
    q = h.text_questions("wellbeing")[0]
    data = h.form_data(journal, "wellbeing", {})
    data.pop(f"q_{q.pk}")
    return urlencode(data).encode() + f"&q_{q.pk}=".encode() + text_bytes


def test_a_form_post_with_invalid_utf8_is_refused_and_nothing_is_saved(journal, client_for):
    client = client_for("individual")

    response = client.generic(
        "POST", h.section_url(journal, "wellbeing"), section_body(journal, b"caf%E9"), FORM
    )

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert "<h1>The text could not be read</h1>" in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("text", [b"caf%C3%A9", "café".encode(), b"plain+words"])
def test_valid_utf8_is_saved_as_typed(journal, client_for, text):
    client = client_for("individual")

    response = client.generic(
        "POST", h.section_url(journal, "wellbeing"), section_body(journal, text), FORM
    )

    assert response.status_code == 302
    assert Answer.objects.get().text in ("café", "plain words")


def test_the_autosave_gets_the_message_as_json(journal, client_for):
    q = h.text_questions("wellbeing")[0]
    body = encode_multipart(BOUNDARY, h.form_data(journal, "wellbeing", {q: "MARK"}))
    body = body.replace(b"MARK", b"caf\xe9")

    response = client_for("individual").generic(
        "POST",
        h.section_url(journal, "wellbeing", "autosave"),
        body,
        MULTIPART_CONTENT,
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"error": "encoding", "message": response.json()["message"]}
    assert MESSAGE in response.json()["message"]
    assert not Answer.objects.exists()


def test_an_uploaded_file_may_hold_any_bytes(journal, client_for):
    """Only text fields are checked: a binary file part is not "invalid text"."""
    import io

    q = h.text_questions("wellbeing")[0]
    upload = io.BytesIO(b"\x00\xff\xfe binary")
    upload.name = "photo.bin"
    data = {**h.form_data(journal, "wellbeing", {q: "words"}), "attachment": upload}

    response = client_for("individual").post(
        h.section_url(journal, "wellbeing", "autosave"), data, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert Answer.objects.get().text == "words"
