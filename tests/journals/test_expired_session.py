"""Text posted after the session expired is kept server-side and given back to its owner only.

A draft is kept only for the person who was signed in on that browser (a cookie we signed with
their id and session), only in their own journal, within size and count limits; a planted
draft cookie pre-fills nobody's form (issue 14, item 8).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.utils import timezone

from journals.models import ANSWER_MAX_LENGTH, Answer, PendingDraft
from journals.services import drafts
from tests import factories
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

TEXT = ("I have been thinking about what energises me. " * 45)[:2000]


@pytest.fixture
def journal(people):
    return h.start(people.individual)


def writing_browser(person, journal, slug="wellbeing") -> Client:
    """A browser where `person` opened a section form, then their session expired while they
    typed (the browser still sends the session cookie; the server no longer accepts it)."""
    browser = Client()
    browser.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get(h.section_url(journal, slug)).status_code == 200
    Session.objects.filter(session_key=browser.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    return browser


def expired_post(journal, slug="wellbeing", text=TEXT, browser=None):
    """The form is posted from a browser whose owner's session has gone."""
    browser = browser or writing_browser(journal.owner, journal, slug)
    q = h.text_questions(slug)[0]
    response = browser.post(h.section_url(journal, slug), h.form_data(journal, slug, {q: text}))
    return browser, response, q


def kept_nothing(response) -> bool:
    return (
        response.status_code == 302
        and "/accounts/login/" in response["Location"]
        and "sg_journal_draft" not in response.cookies
        and not PendingDraft.objects.exists()
    )


def sign_in(browser, email, next_url):
    return browser.post(
        "/accounts/login/",
        {"login": email, "password": factories.PASSWORD, "next": next_url},
        follow=True,
    )


def test_the_text_is_kept_and_the_person_is_asked_to_sign_in(journal):
    browser, response, q = expired_post(journal)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert h.section_url(journal, "wellbeing") in response["Location"]
    cookie = response.cookies["sg_journal_draft"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/journal/"
    assert TEXT not in cookie.value
    draft = PendingDraft.objects.get()
    assert draft.data[f"q_{q.pk}"] == TEXT
    assert "csrfmiddlewaretoken" not in draft.data
    assert not Answer.objects.exists()


def test_after_signing_in_again_the_owner_gets_every_character_back(journal, people):
    browser, _, q = expired_post(journal)

    response = sign_in(browser, people.individual.email, h.section_url(journal, "wellbeing"))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == h.section_url(journal, "wellbeing")
    assert "We kept what you typed before you were signed out. Check it and save." in page
    assert TEXT in page
    assert not PendingDraft.objects.exists()
    assert not Answer.objects.exists()  # restored into the form, not saved until Save


def test_the_restored_text_saves_with_one_press(journal, people):
    browser, _, q = expired_post(journal)
    sign_in(browser, people.individual.email, h.section_url(journal, "wellbeing"))

    response = browser.post(
        h.section_url(journal, "wellbeing"), h.form_data(journal, "wellbeing", {q: TEXT})
    )

    assert response.status_code == 302
    assert Answer.objects.get(question=q).text == TEXT


def test_someone_else_signing_in_sees_nothing_and_the_text_stays_its_owners(journal, people):
    browser, _, _ = expired_post(journal)

    response = sign_in(browser, people.colleague.email, h.section_url(journal, "wellbeing"))

    assert response.status_code == 404
    assert TEXT not in response.content.decode()
    assert PendingDraft.objects.count() == 1  # still the owner's, until they sign in or 24 h
    assert not Answer.objects.exists()


def test_the_facilitator_signing_in_on_that_browser_sees_nothing(journal, people):
    h.answer(journal, "wellbeing", {h.text_questions("wellbeing")[1]: "shared words"})
    h.share(journal, "wellbeing")
    browser, _, _ = expired_post(journal)

    response = sign_in(browser, people.manager.email, h.section_url(journal, "wellbeing"))

    page = response.content.decode()
    assert response.status_code == 200  # she may read the shared section...
    assert TEXT not in page  # ...but never what someone typed on this browser
    assert "We kept what you typed" not in page
    assert PendingDraft.objects.count() == 1


def test_a_draft_is_only_given_back_on_its_own_page(journal, client_for):
    browser, _, _ = expired_post(journal)
    token = browser.cookies["sg_journal_draft"].value
    owner = client_for("individual")
    owner.cookies["sg_journal_draft"] = token

    other_page = owner.get(h.section_url(journal, "strengths")).content.decode()
    own_page = owner.get(h.section_url(journal, "wellbeing")).content.decode()

    assert TEXT not in other_page
    assert TEXT in own_page


def test_an_empty_post_keeps_nothing(journal):
    browser = Client()

    response = browser.post(h.section_url(journal, "wellbeing"), {"version": "0"})

    assert response.status_code == 302
    assert "sg_journal_draft" not in response.cookies
    assert not PendingDraft.objects.exists()


def test_kept_text_is_gone_after_24_hours(journal, client_for):
    browser, _, _ = expired_post(journal)
    owner = client_for("individual")
    owner.cookies["sg_journal_draft"] = browser.cookies["sg_journal_draft"].value

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        page = owner.get(h.section_url(journal, "wellbeing")).content.decode()
        expired_post(journal, "strengths")  # keeping a new draft purges the old ones

    assert TEXT not in page
    assert PendingDraft.objects.count() == 1


def test_an_inactive_account_is_treated_as_signed_out(journal, client_for):
    q = h.text_questions("wellbeing")[0]

    response = client_for("inactive").post(
        h.section_url(journal, "wellbeing"), h.form_data(journal, "wellbeing", {q: "x"})
    )

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Answer.objects.exists()


def test_a_browser_keeps_one_draft_at_a_time(journal):
    browser, _, q = expired_post(journal)
    browser.post(
        h.section_url(journal, "wellbeing"), h.form_data(journal, "wellbeing", {q: "second try"})
    )

    assert list(PendingDraft.objects.values_list(f"data__q_{q.pk}", flat=True)) == ["second try"]


def test_nothing_is_kept_for_a_section_that_does_not_exist(journal):
    browser = Client()

    response = browser.post(f"/journal/{journal.pk}/no-such-section/", {"q_1": "text"})

    assert response.status_code == 302
    assert not PendingDraft.objects.exists()


def test_text_kept_for_a_cycle_that_closed_meanwhile_is_still_given_back(journal, people):
    browser, _, q = expired_post(journal)
    h.start(people.individual)  # a new cycle starts (another device) while she is signed out

    response = sign_in(browser, people.individual.email, h.section_url(journal, "wellbeing"))

    page = response.content.decode()
    assert TEXT in page
    assert "We kept what you typed" in page
    assert "This journal is from an earlier conversation cycle. It is read-only." in page
    assert ">Save</button>" not in page
    assert not Answer.objects.exists()


def test_a_browser_nobody_was_signed_in_on_keeps_nothing(journal):
    """Anyone could once store unlimited drafts for any journal id while signed out."""
    browser = Client()
    q = h.text_questions("wellbeing")[0]

    response = browser.post(
        h.section_url(journal, "wellbeing"), h.form_data(journal, "wellbeing", {q: TEXT})
    )

    assert kept_nothing(response)
    page = browser.get(response["Location"]).content.decode()
    assert "your answers have not been saved" in page
    assert "we will put back what you typed" not in page


@pytest.mark.parametrize("where", ["victims-journal", "own-journal"])
def test_a_planted_draft_cookie_pre_fills_nothing(journal, people, client_for, where):
    """The attacker keeps a draft (signed out, in the victim's journal; or signed in earlier,
    in their own), then plants the cookie they got in the victim's browser: the victim's form
    shows none of it."""
    q = h.text_questions("wellbeing")[0]
    if where == "victims-journal":
        attacker = Client()
        target = journal
    else:
        target = h.start(people.colleague)
        attacker = writing_browser(people.colleague, target)
    attacker.post(
        h.section_url(target, "wellbeing"),
        h.form_data(target, "wellbeing", {q: "PLANTED words for the victim"}),
    )
    victim = client_for("individual")
    for name in ("sg_journal_draft", "sg_journal_author"):
        if name in attacker.cookies:
            victim.cookies[name] = attacker.cookies[name].value

    page = victim.get(h.section_url(journal, "wellbeing")).content.decode()

    assert "PLANTED" not in page
    assert "We kept what you typed" not in page


def test_a_draft_for_someone_elses_journal_is_not_kept(journal, people):
    attacker = writing_browser(people.colleague, h.start(people.colleague))

    _, response, _ = expired_post(journal, text="PLANTED", browser=attacker)

    assert kept_nothing(response)


def test_a_forged_author_cookie_keeps_nothing(journal, people):
    browser = writing_browser(people.colleague, h.start(people.colleague))
    forged = signing.dumps(
        {"u": people.individual.pk, "s": "0" * 64}, salt="journals.draft-author", key="guess"
    )
    browser.cookies["sg_journal_author"] = forged

    _, response, _ = expired_post(journal, text="PLANTED", browser=browser)

    assert kept_nothing(response)


def test_after_signing_out_nothing_is_kept_for_the_person_who_left(journal, people):
    """A shared ward computer: she signs out; whoever posts next is not her."""
    browser = Client()
    browser.force_login(people.individual, backend="django.contrib.auth.backends.ModelBackend")
    browser.get(h.section_url(journal, "wellbeing"))
    browser.post("/accounts/logout/")

    _, response, _ = expired_post(journal, text="PLANTED", browser=browser)

    assert kept_nothing(response)


def test_an_answer_longer_than_allowed_is_not_kept(journal):
    _, response, _ = expired_post(journal, text="x" * (ANSWER_MAX_LENGTH + 1))

    assert kept_nothing(response)


def test_fields_of_another_section_are_not_kept(journal):
    browser = writing_browser(journal.owner, journal)
    other = h.text_questions("strengths")[0]
    data = {**h.form_data(journal, "wellbeing", {}), f"q_{other.pk}": "smuggled"}

    response = browser.post(h.section_url(journal, "wellbeing"), data)

    assert kept_nothing(response)


def test_a_person_has_a_limited_number_of_drafts(journal, monkeypatch):
    monkeypatch.setattr(drafts, "DRAFTS_PER_PERSON", 2)
    for slug in ("wellbeing", "strengths", "behaviours"):  # three browsers, three pages
        expired_post(journal, slug, text=f"text for {slug}")

    assert sorted(PendingDraft.objects.values_list("section_slug", flat=True)) == [
        "behaviours",
        "strengths",
    ]


def test_text_is_kept_after_an_autosave_found_the_session_gone(journal):
    """The autosave (or the keep-alive) meets the expired session first; the Save after it
    still keeps the text for her."""
    browser = writing_browser(journal.owner, journal)
    q = h.text_questions("wellbeing")[0]
    browser.post(
        h.section_url(journal, "wellbeing", "autosave"),
        h.form_data(journal, "wellbeing", {q: "partial"}),
    )

    _, response, _ = expired_post(journal, browser=browser)

    assert response.status_code == 302
    assert PendingDraft.objects.count() == 1


def test_after_someone_else_signs_in_and_out_nothing_is_kept_for_the_first_person(journal, people):
    """A shared ward computer: her session ran out; a colleague signs in (never opening a
    journal) and out; whoever posts next is not her."""
    browser = writing_browser(journal.owner, journal)
    sign_in(browser, people.colleague.email, "/")
    browser.post("/accounts/logout/")

    _, response, _ = expired_post(journal, text="PLANTED", browser=browser)

    assert kept_nothing(response)


def test_signing_in_forgets_who_was_writing(journal, people):
    browser = writing_browser(journal.owner, journal)
    assert browser.cookies["sg_journal_author"].value

    response = browser.post(
        "/accounts/login/", {"login": people.colleague.email, "password": factories.PASSWORD}
    )

    assert response.cookies["sg_journal_author"].value == ""
    assert response.cookies["sg_journal_author"]["path"] == "/journal/"
