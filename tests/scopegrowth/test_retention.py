"""The retention rule removes every word (issue 22): the personal-data registry classifies every
field of every model about a person, and anonymising follows it field by field."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from importlib import import_module
from io import StringIO

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from conversations.models import Conversation, Preparation, StageNote, StageRecord
from devplans.models import Objective, Plan, ProgressNote, Review
from insight.models import EqualityDeclaration
from journals.models import Answer, Journal, JournalSection, PendingDraft, Section
from reminders.models import Reminder
from scopegrowth import access, dataprotection
from scopegrowth.models import CoachLink, ManagerLink, User
from tests.scopegrowth.test_data_protection import PERSON_APPS, points_at_a_person

pytestmark = pytest.mark.django_db

CANARY = "CANARY-words-9f3e"
TODAY = dt.date(2032, 6, 10)


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields} | {
        f.name for f in model._meta.many_to_many
    }


def test_every_field_of_every_model_about_a_person_is_classified():
    by_model: dict[str, list] = {}
    for holding in dataprotection.holdings():
        by_model.setdefault(holding.model, []).append(holding)
    problems = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in PERSON_APPS:
            continue
        if model is not User and not points_at_a_person(model):
            continue
        found = by_model.get(label)
        if not found:
            problems.append(f"{label}: no Holding in any personal_data.py")
            continue
        if any(h.delete_rows for h in found):
            continue
        classified = set().union(*(h.classified() for h in found))
        missing = _field_names(model) - classified
        unknown = classified - _field_names(model)
        if missing:
            problems.append(f"{label}: fields not classified {sorted(missing)}")
        if unknown:
            problems.append(f"{label}: no such fields {sorted(unknown)}")
    assert not problems, "\n".join(problems)


def test_a_new_field_without_a_classification_fails_the_check():
    """The check above can fail: drop one classified field and it is reported."""
    holding = next(h for h in dataprotection.holdings() if h.model == "conversations.conversation")
    model = apps.get_model(holding.model)
    classified = holding.classified() - {"location"}
    assert _field_names(model) - classified == {"location"}


def _leaver(people) -> User:
    """Tom Hughes left on 1 June 2025 with something in every kind of record."""
    person = people.colleague
    person.left_on = dt.date(2025, 6, 1)
    person.last_login = timezone.now()
    person.save()
    journal = Journal.objects.create(owner=person, cycle=1)
    section = Section.objects.first()
    js = JournalSection.objects.create(journal=journal, section=section)
    Answer.objects.create(journal_section=js, question_text="Q", text=CANARY)
    PendingDraft.objects.create(
        token_hash="x" * 64, journal_id=journal.pk, section_slug="wellbeing", data={"t": CANARY}
    )
    c = Conversation.objects.create(
        individual=person,
        facilitator=people.manager,
        journal=journal,
        scheduled_at=timezone.now(),
        location=f"https://video.example/{CANARY}",
        agenda=CANARY,
        cancel_reason=CANARY,
        agreed_now_evidence=CANARY,
        agreed_future_why=CANARY,
    )
    StageRecord.objects.create(conversation=c, stage=1, agreed_summary=CANARY)
    StageNote.objects.create(conversation=c, stage=1, author=people.manager, text=CANARY)
    Preparation.objects.create(
        conversation=c, author=people.manager, strengths=CANARY, self_check=CANARY
    )
    plan = Plan.objects.create(
        individual=person,
        facilitator=people.manager,
        conversation=c,
        current_growth="stretch",
        current_evidence=CANARY,
        future_why=CANARY,
        reflections=CANARY,
        aspirations=CANARY,
        individual_signed_hash="a" * 64,
        horizon_end=dt.date(2026, 1, 1),
    )
    objective = Objective.objects.create(
        plan=plan, description=CANARY, aspiration=CANARY, success_measure=CANARY
    )
    ProgressNote.objects.create(objective=objective, author=person, text=CANARY)
    Review.objects.create(plan=plan, due_on=dt.date(2025, 3, 1), notes=CANARY)
    Reminder.objects.create(
        kind=Reminder.Kind.DAY_BEFORE,
        subject_type="conversation",
        subject_id=c.pk,
        recipient=person,
        due_on=dt.date(2025, 3, 1),
    )
    EqualityDeclaration.objects.create(person=person, ethnicity="black")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["canary"] = CANARY
    store.create()
    UserSession.objects.create(
        user=person, ip="203.0.113.9", session_key=store.session_key, user_agent=CANARY
    )
    people.coach.coachee_links.create(coachee=person)
    LogEntry.objects.create(
        user=people.admin,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=person.full_name,
        action_flag=CHANGE,
        change_message=CANARY,
    )
    return person


def _anonymise(people):
    person = _leaver(people)
    with time_machine.travel(dt.datetime(2032, 6, 10, 12, tzinfo=dt.UTC)):
        result = dataprotection.apply_retention(access.SYSTEM, years=6, dry_run=False)
    assert result.anonymised == [person.pk]
    person.refresh_from_db()
    return person


def test_anonymising_leaves_no_word_in_any_table(people):
    """Walks every row of every model of the project: the canary is nowhere."""
    person = _anonymise(people)
    found = []
    for model in apps.get_models():
        for row in model._default_manager.all():
            for f in model._meta.concrete_fields:
                if CANARY in str(getattr(row, f.attname)):
                    found.append(f"{model._meta.label_lower}.{f.name}")
    assert not found, found
    assert "Tom Hughes" not in str(list(LogEntry.objects.values_list("object_repr", flat=True)))
    assert person.full_name == dataprotection.ANONYMOUS_NAME


def test_anonymising_applies_every_classified_field(people):
    """Each field the registry says goes, went; each row it says is deleted, is gone."""
    person = _anonymise(people)
    for holding in dataprotection.holdings():
        model = apps.get_model(holding.model)
        if holding.delete_rows:
            assert not holding.rows(person).exists(), holding.model
            continue
        for row in model._default_manager.filter(
            pk__in=[r.pk for r in _all_rows_about(model, person)]
        ):
            for name in holding.remove:
                f = model._meta.get_field(name)
                value = getattr(row, name)
                if f.many_to_many:
                    assert not value.exists(), f"{holding.model}.{name}"
                else:
                    assert value in (None, "", dataprotection.REMOVED), f"{holding.model}.{name}"


def _all_rows_about(model, person):
    """The person's rows, found again without the holding (whose filter may now exclude them,
    e.g. open links once ended)."""
    relations = [
        f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is User
    ]
    if model is User:
        return [person]
    rows = []
    for name in relations:
        rows += list(model._default_manager.filter(**{name: person}))
    return rows or list(
        next(h for h in dataprotection.holdings() if h.model == model._meta.label_lower).rows(
            person
        )
    )


def test_anonymising_ends_sessions_links_and_removes_team_join_date_and_last_sign_in(people):
    session_key = None
    person = _leaver(people)
    session_key = UserSession.objects.get(user=person).session_key
    with time_machine.travel(dt.datetime(2032, 6, 10, 12, tzinfo=dt.UTC)):
        dataprotection.apply_retention(access.SYSTEM, years=6, dry_run=False)
    person.refresh_from_db()
    assert person.team is None
    assert person.last_login is None
    assert person.date_joined.date() == person.left_on
    assert person.job_title == ""
    assert not person.has_usable_password()
    assert not UserSession.objects.filter(user=person).exists()
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(session_key)
    assert not ManagerLink.objects.filter(report=person, ended_at__isnull=True).exists()
    assert not CoachLink.objects.filter(coachee=person, ended_at__isnull=True).exists()
    assert ManagerLink.objects.filter(report=person).count() == 1  # ended, not erased
    # Positions stay for the anonymous figures.
    assert Plan.objects.get(individual=person).current_growth == "stretch"


@pytest.mark.parametrize(
    ("left_on", "included"),
    [
        (dt.date(2026, 6, 10), False),  # exactly six years ago today
        (dt.date(2026, 6, 9), True),  # six years and a day
        (dt.date(2026, 6, 11), False),
    ],
)
def test_exactly_six_years_ago_today_is_not_more_than_six_years(people, left_on, included):
    person = people.colleague
    person.left_on = left_on
    person.save()
    result = dataprotection.apply_retention(access.SYSTEM, years=6, today=TODAY)
    assert (person.pk in result.anonymised) is included


@pytest.mark.parametrize(
    ("today", "left_on", "included"),
    [
        (dt.date(2032, 2, 29), dt.date(2026, 2, 28), True),
        (dt.date(2030, 3, 1), dt.date(2024, 2, 29), False),  # anniversary: 1 March
        (dt.date(2030, 3, 2), dt.date(2024, 2, 29), True),
        (dt.date(2030, 2, 28), dt.date(2024, 2, 28), False),
    ],
)
def test_the_boundary_holds_around_29_february(people, today, left_on, included):
    person = people.colleague
    person.left_on = left_on
    person.save()
    result = dataprotection.apply_retention(access.SYSTEM, years=6, today=today)
    assert (person.pk in result.anonymised) is included


def _two_leavers(people):
    """One who facilitated someone else's plan (cannot be deleted), one who did not."""
    tom = _leaver(people)
    helen = people.manager
    helen.left_on = dt.date(2024, 1, 5)
    helen.save()
    return tom, helen


@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_the_dry_run_lists_exactly_what_the_real_run_does(people, mode):
    tom, helen = _two_leavers(people)
    kwargs = {"years": 6, "today": TODAY, "delete": mode == "delete"}
    dry = dataprotection.apply_retention(access.SYSTEM, dry_run=True, **kwargs)
    assert [(e.name, e.left_on) for e in dry.entries] == [
        ("Helen Carter", dt.date(2024, 1, 5)),
        ("Tom Hughes", dt.date(2025, 6, 1)),
    ]
    real = dataprotection.apply_retention(access.SYSTEM, dry_run=False, **kwargs)
    assert real.entries == dry.entries
    if mode == "delete":
        # Helen facilitated Tom's plan and conversation: anonymised; Tom is deleted.
        assert [e.action for e in dry.entries] == ["anonymise", "delete"]
        assert not User.objects.filter(pk=tom.pk).exists()
    else:
        assert {e.action for e in dry.entries} == {"anonymise"}


@pytest.mark.parametrize("flag", [[], ["--delete"]])
def test_the_command_lists_each_person_and_its_dry_run_matches(people, flag):
    _two_leavers(people)
    with time_machine.travel(dt.datetime(2032, 6, 10, 12, tzinfo=dt.UTC)):
        dry, real = StringIO(), StringIO()
        call_command("apply_retention", "--years", "6", *flag, stdout=dry)
        call_command("apply_retention", "--years", "6", "--apply", *flag, stdout=real)
    assert "Helen Carter" in dry.getvalue()
    assert "05/01/2024" in dry.getvalue()
    dry_lines = [line for line in dry.getvalue().splitlines() if line.startswith("- ")]
    real_lines = [line for line in real.getvalue().splitlines() if line.startswith("- ")]
    assert dry_lines == real_lines
    assert len(dry_lines) == 2
    summary = dry.getvalue().splitlines()[0].replace("Would change", "Changed")
    assert summary == real.getvalue().splitlines()[0]


def test_the_page_lists_the_people_before_hr_confirms(people, client_for):
    _leaver(people)
    with time_machine.travel(dt.datetime(2032, 6, 10, 12, tzinfo=dt.UTC)):
        page = client_for("hr").get("/hr/retention/", {"years": 6, "mode": "delete"})
    assert "Tom Hughes" in page.text
    assert "1 June 2025" in page.text
    assert "Deleted" in page.text
    assert User.objects.get(pk=people.colleague.pk).full_name == "Tom Hughes"


def test_a_second_run_changes_nothing(people):
    _anonymise(people)
    again = dataprotection.apply_retention(
        access.SYSTEM, years=6, today=TODAY + timedelta(days=1), dry_run=False
    )
    assert again.entries == []
