"""The equality self-declaration: voluntary, one's own, changeable, removable, never shown."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from insight import selectors as insight
from insight import services as equality
from insight.models import EqualityDeclaration
from scopegrowth.models import AuditEvent
from tests.devplans.factories import agreed_plan
from tests.devplans.helpers import page_text, pdf_text
from tests.insight.conftest import held, take_snapshot

pytestmark = pytest.mark.django_db

URL = reverse("insight:equality")
WITHDRAW = reverse("insight:equality_withdraw")
ANSWERS = {"ethnicity": "mixed", "disability": "yes", "sex": "male", "age_band": "55_64"}
# What would give the answers away on a page, a PDF or a CSV.
TELLTALES = ("Mixed or multiple ethnic groups", "55 to 64", "55_64", "prefer_not_to_say")


def test_the_page_explains_why_we_ask_and_who_sees_the_answers(client_for):
    text = page_text(client_for("individual").get(URL))

    assert "Equality monitoring (optional)" in text
    assert "You do not have to answer these questions." in text
    assert "change or remove your answers at any time" in text
    assert "Nobody sees your answers." in text
    assert "only when at least 5 people are counted" in text
    assert "Why we ask" in text
    assert "Workforce Race Equality Standard" in text
    assert "You have not given any answers." in text


def test_a_person_saves_then_changes_their_answers(client_for, people):
    client = client_for("individual")

    response = client.post(URL, ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == URL
    saved = EqualityDeclaration.objects.get(person=people.individual)
    assert (saved.ethnicity, saved.disability, saved.sex, saved.age_band) == (
        "mixed",
        "yes",
        "male",
        "55_64",
    )

    response = client.post(URL, {"ethnicity": "prefer_not_to_say", "sex": "male"}, follow=True)
    text = page_text(response)
    assert "Your answers are saved. You can change or remove them at any time." in text
    assert "You last changed your answers on 2 March 2026." in text
    saved = EqualityDeclaration.objects.get(person=people.individual)
    assert (saved.ethnicity, saved.disability, saved.age_band) == ("prefer_not_to_say", "", "")
    html = response.content.decode()
    assert 'value="prefer_not_to_say" id="id_ethnicity_5" checked' in html


def test_an_empty_form_saves_nothing_and_says_why(client_for, people):
    response = client_for("individual").post(URL, {})

    assert response.status_code == 200
    assert "Answer at least one question, or leave this page" in page_text(response)
    assert not EqualityDeclaration.objects.exists()


def test_an_answer_that_is_not_on_the_list_is_refused(client_for, people):
    response = client_for("individual").post(URL, {**ANSWERS, "ethnicity": "martian"})

    assert response.status_code == 200
    assert "Choose one of the options listed" in page_text(response)
    assert not EqualityDeclaration.objects.exists()


def test_withdrawing_removes_the_answers_and_the_next_report_counts_them_as_not_declared(
    trust, settings
):
    settings.INSIGHT_SUPPRESSION_THRESHOLD = 1
    p1 = trust.staff["p1"]

    def white_and_not_declared(snapshot):
        filters = insight.Filters(insight.snapshot_periods(snapshot)[0])
        result = insight.snapshot_report(snapshot, filters)
        ethnicity = next(s for s in result.fields if s.key == "ethnicity")
        people = {r.label: r.people.count for r in ethnicity.rows}
        return people["White"], people["Not declared"]

    before = trust.snapshot()
    assert white_and_not_declared(before) == (5, 3)
    client = trust.client()
    client.force_login(p1, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(WITHDRAW, follow=True)

    assert "All your answers are removed." in page_text(response)
    assert "from the next snapshot of the figures" in page_text(response)
    assert not EqualityDeclaration.objects.filter(person=p1).exists()
    # The published snapshot does not move; the next one counts p1 as not declared.
    assert white_and_not_declared(before) == (5, 3)
    assert white_and_not_declared(trust.snapshot()) == (4, 4)


def test_withdrawing_with_nothing_saved_says_so(client_for):
    response = client_for("individual").post(WITHDRAW, follow=True)

    assert "You had no answers saved, so there was nothing to remove." in page_text(response)


def test_only_the_person_can_save_or_withdraw_their_answers(people):
    equality.equality_declaration_save(
        actor=people.individual, person=people.individual, ethnicity="white"
    )
    for actor in (people.manager, people.hr, people.admin):
        with pytest.raises(PermissionDenied):
            equality.equality_declaration_save(
                actor=actor, person=people.individual, ethnicity="black"
            )
        with pytest.raises(PermissionDenied):
            equality.equality_declaration_withdraw(actor=actor, person=people.individual)

    saved = EqualityDeclaration.objects.get(person=people.individual)
    saved.refresh_from_db()
    assert saved.ethnicity == "white"


def test_saving_and_withdrawing_leave_no_trace_in_the_audit_trail(client_for):
    client = client_for("individual")
    client.post(URL, ANSWERS)
    client.post(WITHDRAW)

    assert not AuditEvent.objects.exists()


def test_the_answers_appear_on_no_other_page_pdf_or_csv(people, client_for, trust):
    equality.equality_declaration_save(actor=people.individual, person=people.individual, **ANSWERS)
    plan = agreed_plan(people.individual, people.manager)
    held(people.individual, people.manager)
    reachable = {
        "individual": [
            reverse("home"),
            reverse("devplans:mine"),
            reverse("devplans:detail", args=[plan.pk]),
            reverse("devplans:pdf", args=[plan.pk]),
            reverse("conversations:mine"),
            reverse("my_data"),
        ],
        "manager": [
            reverse("home"),
            reverse("conversations:dashboard"),
            reverse("devplans:detail", args=[plan.pk]),
            reverse("devplans:pdf", args=[plan.pk]),
        ],
        "hr": [
            reverse("devplans:hr_list"),
            reverse("devplans:hr_csv"),
            reverse("devplans:detail", args=[plan.pk]),
            reverse("devplans:pdf", args=[plan.pk]),
        ],
        "admin": [reverse("admin:scopegrowth_user_change", args=[people.individual.pk])],
    }
    for persona, urls in reachable.items():
        client = client_for(persona)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (persona, url)
            if response["Content-Type"] == "application/pdf":
                body = pdf_text(response.content)
            elif response.streaming:
                body = b"".join(response.streaming_content).decode()
            else:
                body = response.content.decode()
            for telltale in TELLTALES:
                assert telltale not in body, f"{telltale!r} on {url} as {persona}"
    assert EqualityDeclaration not in admin.site._registry


def test_in_hr_insight_a_lone_answer_is_only_ever_a_hidden_count(people, client_for):
    equality.equality_declaration_save(actor=people.individual, person=people.individual, **ANSWERS)
    held(people.individual, people.manager)
    take_snapshot(people.hr)

    rows = client_for("hr").get(reverse("insight:hr_insight_csv")).content.decode().splitlines()

    mixed = [r for r in rows if r.startswith("Ethnicity,Mixed or multiple ethnic groups,")]
    assert mixed
    assert all(",[c]," in r for r in mixed)
