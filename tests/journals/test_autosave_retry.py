"""A lost autosave reply (issue 15, item 6): the server saved, the page never heard, so the
page's next save still carries the older version. The page's key makes that the same page
going on, never "saved in another tab"; a real other tab still conflicts."""

from __future__ import annotations

import pytest

from journals.models import Answer
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

PAGE_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
OTHER_TAB_KEY = "ffffeeeeddddccccbbbbaaaa99998888"


@pytest.fixture
def journal(people):
    return h.start(people.individual)


def test_the_retry_of_a_save_whose_reply_was_lost_is_saved(journal, client_for):
    q = h.text_questions("strengths")[0]
    client = client_for("individual")
    url = h.section_url(journal, "strengths", "autosave")
    opened = h.form_data(journal, "strengths", {q: "Calm"}, save_key=PAGE_KEY)

    first = client.post(url, opened)  # saved; the reply is lost on the way back
    assert first.status_code == 200
    retry = client.post(url, opened)  # the page sends the same save again
    typed_on = dict(opened, **{f"q_{q.pk}": "Calm in a crisis, and kind."})
    next_save = client.post(url, typed_on)  # still from the version the page opened with

    assert retry.status_code == 200
    assert next_save.status_code == 200, next_save.content
    assert next_save.json()["version"] == 2
    assert Answer.objects.get(question=q).text == "Calm in a crisis, and kind."


def test_several_lost_replies_in_a_row_are_still_the_same_page(journal, client_for):
    q = h.text_questions("strengths")[0]
    client = client_for("individual")
    url = h.section_url(journal, "strengths", "autosave")
    opened = h.form_data(journal, "strengths", {}, save_key=PAGE_KEY)

    for text in ("C", "Ca", "Cal", "Calm"):
        response = client.post(url, dict(opened, **{f"q_{q.pk}": text}))
        assert response.status_code == 200, text

    assert h.version(journal, "strengths") == 4
    assert Answer.objects.get(question=q).text == "Calm"


def test_the_save_button_after_a_lost_reply_is_saved_too(journal, client_for):
    q = h.text_questions("strengths")[0]
    client = client_for("individual")
    opened = h.form_data(journal, "strengths", {q: "Calm"}, save_key=PAGE_KEY)
    client.post(h.section_url(journal, "strengths", "autosave"), opened)  # reply lost

    response = client.post(
        h.section_url(journal, "strengths"), dict(opened, **{f"q_{q.pk}": "Calm, kind."})
    )

    assert response.status_code == 302
    assert Answer.objects.get(question=q).text == "Calm, kind."


def test_another_tab_that_saved_in_between_still_conflicts(journal, client_for):
    q = h.text_questions("strengths")[0]
    client = client_for("individual")
    url = h.section_url(journal, "strengths", "autosave")
    this_tab = h.form_data(journal, "strengths", {q: "Calm"}, save_key=PAGE_KEY)
    client.post(url, this_tab)  # version 1, reply lost
    other_tab = h.form_data(journal, "strengths", {q: "Other tab"}, save_key=OTHER_TAB_KEY)
    assert client.post(url, other_tab).status_code == 200  # version 2, from another page

    response = client.post(url, dict(this_tab, **{f"q_{q.pk}": "Calm, kind."}))

    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert Answer.objects.get(question=q).text == "Other tab"


def test_an_old_tab_without_a_key_still_conflicts(journal, client_for):
    q = h.text_questions("strengths")[0]
    stale = h.form_data(journal, "strengths", {q: "old tab"})
    h.answer(journal, "strengths", {q: "newer"})

    response = client_for("individual").post(h.section_url(journal, "strengths", "autosave"), stale)

    assert response.status_code == 409


def test_someone_elses_key_does_not_pass_for_the_page(journal, client_for):
    """The key proves nothing by itself: a different key from the old version conflicts."""
    q = h.text_questions("strengths")[0]
    client = client_for("individual")
    url = h.section_url(journal, "strengths", "autosave")
    opened = h.form_data(journal, "strengths", {q: "Calm"}, save_key=PAGE_KEY)
    client.post(url, opened)

    guess = dict(opened, save_key=OTHER_TAB_KEY, **{f"q_{q.pk}": "Overwrite"})
    assert client.post(url, guess).status_code == 409
    assert Answer.objects.get(question=q).text == "Calm"
