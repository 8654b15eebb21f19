"""Bad input: limits with clear messages, nothing cut or lost, HTML shown as text, any Unicode,
forged addresses, someone else's journal, a closed cycle."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journals.models import Answer
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

ODD_UNICODE = (
    "Zoë Ní Bhriain — “quotes” ‘single’ «guillemets» 你好 مرحبا שלום "
    "👩🏽‍⚕️ e\u0301 \u200b zero-width \u202e right-to-left \u00a0 nbsp ∑ ∞ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
)


@pytest.fixture
def journal(people):
    return h.start(people.individual)


@pytest.fixture
def owner(client_for):
    return client_for("individual")


def post(client, journal, slug, texts, **extra):
    return client.post(h.section_url(journal, slug), h.form_data(journal, slug, texts, **extra))


def test_an_answer_over_10000_characters_is_refused_whole(journal, owner):
    q, other = h.text_questions("strengths")[:2]
    long_text = "a" * 9_990 + "0123456789X"  # 10,001 characters

    response = post(owner, journal, "strengths", {q: long_text, other: "Also typed."})

    page = response.content.decode()
    assert response.status_code == 200
    assert "This answer is 10,001 characters long." in page
    assert "Answers can be up to 10,000 characters" in page
    assert "Nothing has been saved." in page
    assert long_text in page  # shown back in full, not cut
    assert "Also typed." in page
    assert not Answer.objects.exists()
    assert h.version(journal, "strengths") == 0


def test_an_answer_of_exactly_10000_characters_is_saved(journal, owner):
    q = h.text_questions("strengths")[0]

    response = post(owner, journal, "strengths", {q: "b" * 10_000})

    assert response.status_code == 302
    assert len(Answer.objects.get(question=q).text) == 10_000


def test_line_breaks_count_as_one_character(journal, owner):
    q = h.text_questions("strengths")[0]
    text = "line\r\n" * 2_000  # 12,000 characters as sent, 10,000 as written

    response = post(owner, journal, "strengths", {q: text})

    assert response.status_code == 302
    assert Answer.objects.get(question=q).text == "line\n" * 2_000


def test_a_one_megabyte_answer_gets_a_clear_error_not_a_500(journal, owner):
    q = h.text_questions("strengths")[0]

    response = post(owner, journal, "strengths", {q: "x" * 1_000_000})

    assert response.status_code == 200
    assert "This answer is 1,000,000 characters long." in response.content.decode()
    assert not Answer.objects.exists()


def test_html_and_script_are_always_shown_as_text(journal, owner, client_for):
    q = h.text_questions("strengths")[0]
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>\nline two'
    post(owner, journal, "strengths", {q: payload})
    h.share(journal, "strengths")

    own_page = owner.get(h.section_url(journal, "strengths")).content.decode()
    read_page = client_for("manager").get(h.section_url(journal, "strengths")).content.decode()

    assert Answer.objects.get(question=q).text == payload
    for page in (own_page, read_page):
        assert '<script>alert("x")</script>' not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;<br>line two" in read_page


def test_any_unicode_round_trips(journal, owner):
    q = h.text_questions("strengths")[0]

    post(owner, journal, "strengths", {q: ODD_UNICODE})

    assert Answer.objects.get(question=q).text == ODD_UNICODE
    page = owner.get(h.section_url(journal, "strengths")).content.decode()
    assert ODD_UNICODE in page


def test_leading_spaces_and_blank_lines_are_kept(journal, owner):
    q = h.text_questions("strengths")[0]
    text = "\n  indented first line\n\n\nafter blank lines  "

    post(owner, journal, "strengths", {q: text})

    assert Answer.objects.get(question=q).text == text


def test_a_whitespace_only_answer_is_no_answer(journal, owner):
    q = h.text_questions("strengths")[0]

    response = post(owner, journal, "strengths", {q: "   \n\t  "})

    assert "There is nothing to save yet" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_null_character_is_refused_with_a_message(journal, owner):
    q = h.text_questions("strengths")[0]

    response = post(owner, journal, "strengths", {q: "before\x00after"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Answer.objects.exists()


def test_a_forged_version_is_refused_with_a_message(journal, owner):
    q = h.text_questions("strengths")[0]

    response = post(owner, journal, "strengths", {q: "text"}, version="not-a-number")

    assert response.status_code == 200
    assert "This page was incomplete. Reload the page and try again." in response.content.decode()
    assert "text" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_impact_level_that_is_not_offered_is_refused(journal, owner):
    response = post(owner, journal, "aspirations", {}, now_impact="999999", now_growth="upwards")

    page = response.content.decode()
    assert "Choose one of the impact levels listed." in page
    assert "Choose depth, breadth or stretch." in page
    journal.refresh_from_db()
    assert not journal.has_position


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_section_address_is_404(journal, owner, method):
    for slug in ("not-a-section", "WELLBEING", "wellbeing2", "ready2"):
        response = getattr(owner, method)(f"/journal/{journal.pk}/{slug}/")
        assert response.status_code == 404, slug
    assert not Answer.objects.exists()


def test_a_journal_that_does_not_exist_is_404(owner):
    assert owner.get("/journal/999999/").status_code == 404
    assert owner.get("/journal/999999/strengths/").status_code == 404


def test_someone_elses_journal_is_404_and_unchanged(journal, client_for, people):
    theirs = h.start(people.colleague)
    q = h.text_questions("strengths")[0]
    client = client_for("individual")

    get = client.get(h.section_url(theirs, "strengths"))
    posted = client.post(
        h.section_url(theirs, "strengths"), h.form_data(theirs, "strengths", {q: "not mine"})
    )

    assert get.status_code == 404
    assert posted.status_code == 404
    assert not Answer.objects.exists()
    assert h.version(theirs, "strengths") == 0


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=300))
def test_any_text_is_either_saved_exactly_or_refused_with_a_message(journal, owner, text):
    q = h.text_questions("planner")[0]

    response = post(owner, journal, "planner", {q: text})

    assert response.status_code in (200, 302)
    written = text.replace("\r\n", "\n").replace("\r", "\n")
    saved = Answer.objects.filter(question=q).values_list("text", flat=True).first()
    if response.status_code == 302:
        assert saved == (written if written.strip() else None)
    else:
        page = response.content.decode()
        assert "There is a problem" in page or "nothing to save" in page
