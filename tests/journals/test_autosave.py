"""Server-side autosave: the script's JSON endpoint, its conflict answer, and its refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from journals.models import Answer, PendingDraft
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(people):
    return h.start(people.individual)


def test_autosave_keeps_the_text_and_returns_the_new_version(journal, client_for):
    q = h.text_questions("strengths")[0]
    client = client_for("individual")

    response = client.post(
        h.section_url(journal, "strengths", "autosave"),
        h.form_data(journal, "strengths", {q: "Half a thought"}),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["saved_at"]
    assert Answer.objects.get(question=q).text == "Half a thought"


def test_autosaves_in_a_row_use_the_version_each_one_returns(journal, client_for):
    q = h.text_questions("strengths")[0]
    client = client_for("individual")
    url = h.section_url(journal, "strengths", "autosave")
    data = h.form_data(journal, "strengths", {q: "Half"})

    first = client.post(url, data).json()
    data.update({"version": str(first["version"]), f"q_{q.pk}": "Half a thought, finished."})
    second = client.post(url, data).json()

    assert (first["version"], second["version"]) == (1, 2)
    assert Answer.objects.get(question=q).text == "Half a thought, finished."


def test_a_stale_autosave_is_refused_with_the_saved_text(journal, client_for):
    q = h.text_questions("strengths")[0]
    stale = h.form_data(journal, "strengths", {q: "old tab"})
    h.answer(journal, "strengths", {q: "newer text from another tab"})

    response = client_for("individual").post(h.section_url(journal, "strengths", "autosave"), stale)

    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict"
    assert body["version"] == 1
    assert body["saved"][f"q_{q.pk}"] == "newer text from another tab"
    assert Answer.objects.get(question=q).text == "newer text from another tab"
    assert h.version(journal, "strengths") == 1


def test_an_over_long_autosave_is_refused_with_a_message(journal, client_for):
    q = h.text_questions("strengths")[0]

    response = client_for("individual").post(
        h.section_url(journal, "strengths", "autosave"),
        h.form_data(journal, "strengths", {q: "x" * 10_001}),
    )

    assert response.status_code == 400
    assert "10,001 characters" in response.json()["errors"][f"q_{q.pk}"][0]
    assert not Answer.objects.exists()


def test_an_empty_autosave_changes_nothing(journal, client_for):
    response = client_for("individual").post(
        h.section_url(journal, "strengths", "autosave"), h.form_data(journal, "strengths", {})
    )

    assert response.status_code == 200
    assert response.json() == {"version": 0, "saved_at": None}
    assert h.version(journal, "strengths") == 0


def test_autosave_into_a_closed_journal_is_refused(journal, client_for, people):
    q = h.text_questions("strengths")[0]
    data = h.form_data(journal, "strengths", {q: "too late"})
    h.start(people.individual)

    response = client_for("individual").post(h.section_url(journal, "strengths", "autosave"), data)

    assert response.status_code == 400
    assert "earlier conversation cycle" in response.json()["message"]
    assert not Answer.objects.exists()


def test_it_rejects_get(journal, client_for):
    response = client_for("individual").get(h.section_url(journal, "strengths", "autosave"))

    assert response.status_code == 405


def test_a_facilitator_cannot_autosave_a_shared_section(journal, client_for):
    q = h.text_questions("strengths")[0]
    h.answer(journal, "strengths", {q: "mine"})
    h.share(journal, "strengths")

    response = client_for("coach").post(
        h.section_url(journal, "strengths", "autosave"),
        h.form_data(journal, "strengths", {q: "coach was here"}),
    )

    assert response.status_code == 403
    assert Answer.objects.get(question=q).text == "mine"


@pytest.mark.parametrize("persona", ["colleague", "hr", "admin", "unassigned_coach"])
def test_outsiders_get_404_and_nothing_is_saved(journal, client_for, persona):
    q = h.text_questions("strengths")[0]

    response = client_for(persona).post(
        h.section_url(journal, "strengths", "autosave"),
        h.form_data(journal, "strengths", {q: "x"}),
    )

    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_a_signed_out_autosave_is_sent_to_sign_in_and_saves_nothing(journal, client_for):
    q = h.text_questions("strengths")[0]

    response = client_for("anonymous").post(
        h.section_url(journal, "strengths", "autosave"),
        h.form_data(journal, "strengths", {q: "typed after expiry"}),
    )

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Answer.objects.exists()
    assert not PendingDraft.objects.exists()


def test_the_section_page_loads_the_autosave_script_with_the_csp_nonce(journal, client_for):
    page = client_for("individual").get(h.section_url(journal, "strengths")).content.decode()

    assert 'src="/static/build/journals/autosave.js" defer nonce="' in page
    assert f'data-autosave-url="{h.section_url(journal, "strengths", "autosave")}"' in page
    assert 'id="autosave-status" role="status" aria-live="polite"' in page
    assert "<script>" not in page  # no inline script under the strict CSP


def test_the_autosave_script_keeps_nothing_in_browser_storage():
    script = (Path(settings.BASE_DIR) / "static" / "journals" / "autosave.js").read_text()

    assert "localStorage" not in script.replace("nothing is written to localStorage", "")
    assert "sessionStorage" not in script.replace("or sessionStorage", "")
    assert "indexedDB" not in script
    assert "document.cookie" not in script
