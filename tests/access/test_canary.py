"""The canary leak test (security C3): a unique token in every private field, then every page,
PDF, CSV, ZIP, email and log line checked as each persona. A token where it must not be fails.

Four kinds of token:
- PRIVATE: journal answers in sections the individual has not shared -> the individual only;
- SHARED: answers in the section shared with the line manager and the coach -> the individual
  and those two while they support her (a new line manager only once she shares with them);
- COACHONLY: answers in the section shared with her coach only -> the individual and the coach,
  never the line manager (sharing is with the person: issue 14);
- FACILITATOR: the line manager's preparation fields and stage notes -> that manager only
  (not the co-facilitating coach, not a later manager);
- PLAN: the agreed plan's objective texts -> the individual, their facilitators and HR of their
  organisation; never the admin (whose deletion pages once listed them: issue 14, item 5);
- CONVERSATION: what was agreed in a conversation (the agreed position's evidence) -> the
  individual and current facilitators;
- REFLECTION: the manager's stop / start / continue on a conversation they held -> that manager
  only, also in their own download once they no longer manage her (issue 16);
- CHECKIN: check-ins on the agreed plan (one by the individual, one by the line manager) -> the
  individual and current facilitators, never HR (issue 16);
- PLANTED: posted by someone signed out into the individual's journal, its draft cookie then
  planted in every persona's browser -> nobody (issue 14, item 8).
No token may appear in any email or log line at all. Every persona's "download my data" is
checked the same way, before and after a line manager change, a coach link ending and a reopened
plan (issue 14, item 1).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.access import matrix
from tests.access.test_url_matrix import objects  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(
    r"CANARY-(PRIVATE|SHARED|COACHONLY|FACILITATOR|PLAN|CONVERSATION|CHECKIN|REFLECTION|PLANTED)-[a-z0-9-]+"
)
ALLOWED = {
    "individual": {"PRIVATE", "SHARED", "COACHONLY", "PLAN", "CONVERSATION", "CHECKIN"},
    "manager": {"SHARED", "FACILITATOR", "PLAN", "CONVERSATION", "CHECKIN", "REFLECTION"},
    # The preparation and stage notes are the manager's own: the coach co-facilitates but reads
    # none of them (issue 14, item 3).
    "coach": {"SHARED", "COACHONLY", "PLAN", "CONVERSATION", "CHECKIN"},
    "hr": {"PLAN"},
}


@pytest.fixture
def world(objects, people):  # noqa: F811
    """The matrix objects, with a token in every private field."""
    from conversations.models import Preparation, StageNote, StageRecord
    from journals import services as journal_services
    from journals.models import Question, Section

    journal = objects["journal"]
    conversation = objects["conversation"]
    conversation.journal = journal
    conversation.agreed_now_evidence = "CANARY-CONVERSATION-agreed-evidence"
    conversation.save(update_fields=["journal", "agreed_now_evidence"])
    # An earlier conversation the coach held.
    from conversations.models import Conversation

    objects["coached_conversation"] = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.coach,
        scheduled_at=timezone.now() - timedelta(days=60),
        location="Coaching room",
        status=Conversation.Status.COMPLETED,
        completed_at=timezone.now() - timedelta(days=60),
        agreed_now_evidence="CANARY-CONVERSATION-coached",
    )
    _keep_an_earlier_journal(objects["coached_conversation"], journal)
    for section in Section.objects.all():
        kind = {"strengths": "SHARED", "career-history": "COACHONLY"}.get(section.slug, "PRIVATE")
        texts = {
            q.pk: f"CANARY-{kind}-{section.slug}-{q.pk}"
            for q in Question.objects.filter(section=section, kind=Question.Kind.TEXT)
        }
        js = journal.journal_sections.get(section=section)
        journal_services.journal_section_save(
            actor=people.individual,
            journal=journal,
            section=section,
            data=journal_services.SectionAnswers(texts=texts),
            version=js.version,
        )
    prep_fields = [
        f.name for f in Preparation._meta.concrete_fields if f.get_internal_type() == "TextField"
    ]
    Preparation.objects.create(
        conversation=conversation,
        author=people.manager,
        **{name: f"CANARY-FACILITATOR-prep-{name.replace('_', '-')}" for name in prep_fields},
    )
    for n, objective in enumerate(objects["agreed_plan"].objectives.order_by("pk")):
        objective.description = f"CANARY-PLAN-objective-{n}"
        objective.save(update_fields=["description"])
    from conversations.models import Reflection
    from devplans.models import PlanCheckIn

    Reflection.objects.create(
        conversation=objects["held_conversation"],
        author=people.manager,
        stop_doing="CANARY-REFLECTION-stop",
        start_doing="CANARY-REFLECTION-start",
        continue_doing="CANARY-REFLECTION-continue",
    )

    for author in (people.individual, people.manager):
        PlanCheckIn.objects.create(
            plan=objects["agreed_plan"],
            author=author,
            held_on=timezone.localdate(),
            progressed=f"CANARY-CHECKIN-progressed-by-{author.pk}",
            blocked=f"CANARY-CHECKIN-blocked-by-{author.pk}",
        )
    # A real bulk export of the individual's agreed plan (the matrix's job holds an empty ZIP).
    from devplans.export_build import plan_export_build
    from devplans.models import ExportJob

    export = ExportJob.objects.create(
        requested_by=people.hr, plan_ids=[objects["agreed_plan"].pk], total=1
    )
    plan_export_build(job_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportJob.Status.READY
    objects["export_job"] = export
    for stage in (1, 2, 3):
        StageRecord.objects.create(
            conversation=conversation,
            stage=stage,
            agreed_summary=f"Agreed summary of stage {stage}",
        )
        StageNote.objects.create(
            conversation=conversation,
            stage=stage,
            author=people.manager,
            text=f"CANARY-FACILITATOR-notes-{stage}",
        )
    objects["planted_cookies"] = _plant_drafts(journal)
    return objects


def _keep_an_earlier_journal(conversation, journal) -> None:
    """The completed conversation keeps last cycle's journal (now closed), whose record says
    strengths and health were shared then; health has been unshared since, so its answers are
    the individual's only again (issue 15, item 1; security.md G2)."""
    from journals.models import Answer, Journal, JournalSection, Question, Section, SectionShare

    then = timezone.now() - timedelta(days=70)
    type(journal).objects.filter(pk=journal.pk).update(cycle=2)
    earlier = Journal.objects.create(
        owner=journal.owner, cycle=1, opened_at=then, closed_at=then + timedelta(days=30)
    )
    for section in Section.objects.all():
        js = JournalSection.objects.create(journal=earlier, section=section)
        if section.slug == "strengths":
            SectionShare.objects.create(
                journal_section=js, reader=conversation.facilitator, shared_at=then
            )
        kind = "SHARED" if section.slug == "strengths" else "PRIVATE"
        question = Question.objects.filter(section=section, kind=Question.Kind.TEXT).first()
        if question is not None:
            Answer.objects.create(
                journal_section=js,
                question=question,
                question_text=question.text,
                text=f"CANARY-{kind}-earlier-{section.slug}",
            )
    conversation.journal = earlier
    conversation.shared_at_completion = [
        {"slug": slug, "title": Section.objects.get(slug=slug).title, "shared_at": then.isoformat()}
        for slug in ("wellbeing", "strengths")
    ]
    conversation.save(update_fields=["journal", "shared_at_completion"])


def _plant_drafts(journal) -> dict[str, str]:
    """Someone signed out posts a token into the wellbeing section; whatever cookies they get
    back are planted in every persona's browser by the crawl."""
    from journals.models import Question

    attacker = Client()
    q = Question.objects.filter(section__slug="wellbeing", kind=Question.Kind.TEXT).first()
    version = journal.journal_sections.get(section__slug="wellbeing").version
    attacker.post(
        f"/journal/{journal.pk}/wellbeing/",
        {f"q_{q.pk}": "CANARY-PLANTED-wellbeing", "version": str(version), "asked": str(q.pk)},
    )
    return {name: morsel.value for name, morsel in attacker.cookies.items() if morsel.value}


def texts_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK") or "zip" in kind:
        parts = []
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                data = archive.read(name)
                parts.append(
                    "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
                    if data.startswith(b"%PDF")
                    else data.decode("utf-8", "replace")
                )
        return "\n".join(parts)
    return content.decode("utf-8", "replace")


def urls_for(world, persona: str) -> list[str]:
    found = []
    for name, methods in sorted(matrix.MATRIX.items()):
        if methods.get("GET", {}).get(persona) == 200:
            found.append(reverse(name, kwargs=matrix.url_kwargs(name, world)))
    journal, conversation = world["journal"], world["conversation"]
    for slug in (
        "wellbeing",
        "strengths",
        "behaviours",
        "career-history",
        "current-role",
        "aspirations",
        "planner",
    ):
        found.append(f"/journal/{journal.pk}/{slug}/")
    for stage in (1, 2, 3):
        found.append(f"/conversations/{conversation.pk}/stage/{stage}/")
        found.append(f"/conversations/{conversation.pk}/stage/{stage}/?present=1")
    found.append(f"/conversations/{conversation.pk}/preparation/")
    # The completed record that kept an earlier journal (what was shared then, read now).
    coached = world["coached_conversation"]
    found.append(f"/conversations/{coached.pk}/")
    for stage in (1, 2, 3):
        found.append(f"/conversations/{coached.pk}/stage/{stage}/")
    # The admin's deletion confirmations for the individual and what she belongs to (single and
    # "delete selected" are the same summary: tests/scopegrowth/test_admin_deletion.py).
    people = world["people"]
    team = people.individual.team
    found.append(f"/admin/scopegrowth/user/{people.individual.pk}/delete/")
    found.append(f"/admin/scopegrowth/user/{people.manager.pk}/delete/")
    found.append(f"/admin/scopegrowth/team/{team.pk}/delete/")
    found.append(f"/admin/scopegrowth/organisation/{team.directorate.organisation_id}/delete/")
    return found


def leaks(text: str, persona: str) -> set[str]:
    allowed = ALLOWED.get(persona, set())
    return {m.group(0) for m in TOKEN.finditer(text) if m.group(1) not in allowed}


@pytest.mark.parametrize("persona", matrix.PERSONAS)
def test_no_page_or_file_shows_a_token_to_someone_who_may_not_see_it(
    world, people, persona, caplog
):
    caplog.set_level(logging.DEBUG)
    client = Client()
    user = people.get(persona)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for name, value in world["planted_cookies"].items():
        if name.startswith("sg_"):  # the draft cookies, not the attacker's CSRF or session
            client.cookies[name] = value
    found: dict[str, set[str]] = {}
    for url in urls_for(world, persona):
        response = client.get(url)
        if response.status_code == 200:
            hit = leaks(texts_of(response), persona)
            if hit:
                found[url] = hit
    assert not found, f"{persona} sees what they must not: {found}"
    assert not TOKEN.search(caplog.text), "a token reached the logs"


def test_the_individual_and_facilitators_do_see_what_they_should(world, people):
    """The canaries are real: without this, a test that finds nothing proves nothing."""
    journal, conversation = world["journal"], world["conversation"]
    own = Client()
    own.force_login(people.individual, backend="django.contrib.auth.backends.ModelBackend")
    assert "CANARY-PRIVATE-wellbeing" in own.get(f"/journal/{journal.pk}/wellbeing/").text
    assert "CANARY-PLAN-objective-0" in own.get(f"/plans/{world['agreed_plan'].pk}/").text
    assert "CANARY-CHECKIN-" in own.get(f"/plans/{world['agreed_plan'].pk}/").text
    reflection = f"/conversations/{world['held_conversation'].pk}/reflection/"
    manager = Client()
    manager.force_login(people.manager, backend="django.contrib.auth.backends.ModelBackend")
    assert "CANARY-REFLECTION-stop" in manager.get(reflection).text
    page = manager.get(f"/conversations/{conversation.pk}/").text
    assert "CANARY-SHARED-strengths" in page
    assert (
        "CANARY-FACILITATOR-" in manager.get(f"/conversations/{conversation.pk}/preparation/").text
    )
    coach = Client()
    coach.force_login(people.coach, backend="django.contrib.auth.backends.ModelBackend")
    record = coach.get(f"/conversations/{world['coached_conversation'].pk}/").text
    assert "CANARY-SHARED-earlier-strengths" in record
    assert "Health and well-being (shared from" in record
    assert "no longer shared" in record


def test_no_email_or_log_line_carries_a_token(
    world, people, caplog, django_capture_on_commit_callbacks
):
    """Ready email, invites, plan emails and every reminder kind that is due."""
    import time_machine

    from conversations import services as conversation_services
    from journals import services as journal_services
    from reminders import services as reminders
    from scopegrowth import outbox
    from scopegrowth.models import OutboundEmail

    caplog.set_level(logging.DEBUG)
    journal, conversation = world["journal"], world["conversation"]
    from rounds.announce import tell_audience

    assert tell_audience(world["round"].pk), "the round's opening emails (issue 19)"
    with django_capture_on_commit_callbacks(execute=True):
        journal_services.journal_mark_ready(actor=people.individual, journal=journal)
    conversation_services.conversation_invite_write(conversation)
    from devplans import services as plan_services

    for author in (people.individual, people.manager):  # each side's check-in tells the other
        plan_services.plan_check_in_record(
            actor=author,
            plan=world["agreed_plan"],
            held_on=timezone.localdate(),
            progressed="CANARY-CHECKIN-by-email",
            blocked="CANARY-CHECKIN-blocked-by-email",
        )
    assert OutboundEmail.objects.filter(kind="plan_checkin").count() == 2
    for row in OutboundEmail.objects.all():  # the outbox's rows, before they are sent
        stored = [row.subject, row.body_text, row.body_html, str(row.attachments)]
        assert not TOKEN.search("\n".join(stored)), f"outbox row {row.kind} carries a token"
    outbox.send_ready()
    from scopegrowth.models import Update

    updates = list(Update.objects.values_list("text", "link"))
    assert updates, "no update was recorded: the test would prove nothing"
    assert not TOKEN.search(repr(updates)), "an update carries a token"
    for days_before in (7, 3, 2, 1):
        with time_machine.travel(
            conversation.scheduled_at - timedelta(days=days_before), tick=False
        ):
            reminders.send_due()
    with time_machine.travel(conversation.scheduled_at + timedelta(days=2), tick=False):
        reminders.send_due()
    # A missed plan review is chased (issue 15), then the plan is reopened with a reason the
    # email must not carry.
    plan = world["agreed_plan"]
    review = plan.reviews.order_by("due_on").first()
    chased = len(mail.outbox)
    for late in (0, 7, 30):
        with time_machine.travel(
            datetime.combine(review.due_on + timedelta(days=late), time(9)), tick=False
        ):
            reminders.send_due()
    assert len(mail.outbox) == chased + 6, "each chase goes to both people once"
    from devplans import notifications

    new = plan_services.plan_reopen(
        actor=people.individual, plan=plan, reason="CANARY-PLAN-reopen-reason"
    )
    assert notifications.plan_email_send(
        plan_id=new.pk, kind="plan_reopened", actor_id=people.individual.pk
    )
    assert mail.outbox, "no email was produced: the test would prove nothing"
    assert any("has started" in m.subject for m in mail.outbox), "no round email was checked"
    for message in mail.outbox:
        parts = [message.subject, message.body] + [a[0] for a in message.alternatives]
        parts += [
            a[1].decode() if isinstance(a[1], bytes) else str(a[1]) for a in message.attachments
        ]
        assert not TOKEN.search("\n".join(parts)), f"email {message.subject!r} carries a token"
    assert not TOKEN.search(caplog.text)


GENERATED_AT = re.compile(r"Generated\s+\d+\s+\w+\s+\d{4}\s+at\s+\d{2}:\d{2}")


def _page_fingerprint(client, urls: list[str]) -> dict[str, str]:
    """Each page's text without what changes on every request (tokens, nonces, request ids)."""
    volatile = re.compile(
        r'(csrfmiddlewaretoken" value="|nonce="|request id[^<]*?|DTSTAMP:'
        r'|seconds-left="|"expires_in": )[\w+/=-]+'  # the idle timeout's seconds left
        r"|Generated \d+ \w+ \d{4} at \d\d:\d\d"  # the PDF's minute: a slow run crosses one
        r"|Counted at \d\d:\d\d:\d\d",  # a round's figures counted for the read, to the second
        re.I,
    )
    pages = {}
    for url in urls:
        response = client.get(url)
        text = texts_of(response) if response.status_code == 200 else ""
        text = GENERATED_AT.sub("", text)  # the plan PDF's minute: a slow crawl crosses one
        pages[url] = f"{response.status_code} {volatile.sub('', text)}"
    return pages


@pytest.mark.parametrize("persona", ["manager", "coach", "hr", "colleague"])
def test_private_activity_changes_nothing_anyone_else_sees(world, people, persona):
    """Issue 14, item 7: not only the text but also the amount of private writing is private.
    Emptying every private section changes no page, PDF or file another persona can open (the
    dashboard's "answered" count once did)."""
    from journals import services as journal_services
    from journals.models import Question

    client = Client()
    client.force_login(people.get(persona), backend="django.contrib.auth.backends.ModelBackend")
    urls = urls_for(world, persona)
    before = _page_fingerprint(client, urls)
    journal = world["journal"]
    for js in journal.journal_sections.filter(shares__isnull=True).select_related("section"):
        questions = Question.objects.filter(section=js.section, kind=Question.Kind.TEXT)
        journal_services.journal_section_save(
            actor=people.individual,
            journal=journal,
            section=js.section,
            data=journal_services.SectionAnswers(texts={q.pk: "" for q in questions}),
            version=js.version,
        )
    after = _page_fingerprint(client, urls)
    changed = sorted(url for url in urls if before[url] != after[url])
    assert not changed, f"{persona}: private answers show through on {changed}"


# ---------------------------------------------------------------------------------------------
# "Download my data", as every persona, while the people around the individual change
# ---------------------------------------------------------------------------------------------

NOBODY: set[str] = set()
# What each persona's own download may hold of the individual's records, step by step (a
# persona not named gets nothing). Preparation (FACILITATOR) belongs to its author.
DOWNLOAD_ALLOWED = {
    "before": {
        "individual": ALLOWED["individual"],
        "manager": {"PLAN", "CONVERSATION", "FACILITATOR", "CHECKIN", "REFLECTION"},
        "coach": {"PLAN", "CONVERSATION"},
    },
    "manager_changed": {
        "individual": ALLOWED["individual"],
        "manager": {"REFLECTION"},  # the former manager keeps their own reflection
        "other_manager": {"PLAN", "CONVERSATION"},
        "coach": {"PLAN", "CONVERSATION"},
    },
    "coach_ended": {
        "individual": ALLOWED["individual"],
        "manager": {"REFLECTION"},
        "other_manager": {"PLAN", "CONVERSATION"},
    },
    "plan_reopened": {
        "individual": ALLOWED["individual"],
        "manager": {"REFLECTION"},
        "other_manager": {"PLAN", "CONVERSATION"},
    },
}


def _downloads(people) -> dict[str, str]:
    texts = {}
    for persona in matrix.PERSONAS:
        client = Client()
        user = people.get(persona)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post("/my-data/download/")
        if persona in ("anonymous", "inactive"):
            assert response.status_code == 302, f"{persona} got a download"
            continue
        assert response.status_code == 200, persona
        texts[persona] = response.content.decode()
    return texts


def _change_manager(people) -> None:
    from scopegrowth import relationships

    relationships.manager_set(
        actor=people.hr, person=people.individual, manager=people.other_manager
    )


def _end_coach(people) -> None:
    from scopegrowth import relationships
    from scopegrowth.models import CoachLink

    link = CoachLink.objects.get(coachee=people.individual, coach=people.coach)
    relationships.coach_end(actor=people.hr, link=link)


def _reopen_and_write(world, people) -> None:
    from devplans import services as plan_services

    new = plan_services.plan_reopen(
        actor=people.individual, plan=world["agreed_plan"], reason="Objectives changed"
    )
    new.reflections = "CANARY-PLAN-written-after-reopening"
    new.save(update_fields=["reflections"])


def test_every_download_holds_only_what_access_allows_now(world, people):
    """Issue 14, item 1: a former line manager or coach downloads none of the individual's
    plans or conversations, and a plan reopened after the change never reaches them."""
    steps = {
        "before": lambda: None,
        "manager_changed": lambda: _change_manager(people),
        "coach_ended": lambda: _end_coach(people),
        "plan_reopened": lambda: _reopen_and_write(world, people),
    }
    found: dict[str, dict[str, set[str]]] = {}
    seen: dict[str, dict[str, set[str]]] = {}
    for step, change in steps.items():
        change()
        allowed = DOWNLOAD_ALLOWED[step]
        for persona, text in _downloads(people).items():
            tokens = {m.group(0) for m in TOKEN.finditer(text)}
            seen.setdefault(step, {})[persona] = tokens
            hit = {t for t in tokens if t.split("-")[1] not in allowed.get(persona, NOBODY)}
            if hit:
                found.setdefault(step, {})[persona] = hit
    assert not found, f"downloads hold what their owner may not see now: {found}"
    # The canaries are real: the people who may see them do find them.
    assert "CANARY-CONVERSATION-agreed-evidence" in seen["before"]["manager"]
    assert "CANARY-FACILITATOR-notes-1" in seen["before"]["manager"]
    assert "CANARY-CONVERSATION-coached" in seen["before"]["coach"]
    assert "CANARY-REFLECTION-stop" in seen["plan_reopened"]["manager"]
    assert f"CANARY-CHECKIN-blocked-by-{people.manager.pk}" in seen["before"]["manager"]
    assert f"CANARY-CHECKIN-blocked-by-{people.manager.pk}" in seen["before"]["individual"]
    assert "CANARY-PRIVATE-wellbeing" in "".join(seen["plan_reopened"]["individual"])
    assert "CANARY-PLAN-written-after-reopening" in seen["plan_reopened"]["other_manager"]


def _crawl(world, people, persona: str) -> dict[str, set[str]]:
    """Every page and file `persona` can open, with the tokens each shows them."""
    client = Client()
    client.force_login(people.get(persona), backend="django.contrib.auth.backends.ModelBackend")
    found: dict[str, set[str]] = {}
    for url in urls_for(world, persona):
        response = client.get(url)
        if response.status_code == 200:
            tokens = {m.group(1) for m in TOKEN.finditer(texts_of(response))}
            if tokens:
                found[url] = tokens
    return found


def _journal_tokens(crawl: dict[str, set[str]]) -> set[str]:
    return set().union(*crawl.values()) & {"PRIVATE", "SHARED", "COACHONLY"}


def test_a_new_manager_reads_only_what_is_shared_with_them_by_name(world, people):
    """Sharing is with the person (issue 14): the manager never sees the section shared with
    the coach only; a new line manager sees nothing of the journal until the individual shares
    with them; unsharing hides it again. Checked on every page and file, not only the journal."""
    from journals import services as journal_services
    from journals.models import Section
    from scopegrowth import relationships

    assert _journal_tokens(_crawl(world, people, "manager")) == {"SHARED"}
    assert _journal_tokens(_crawl(world, people, "coach")) == {"SHARED", "COACHONLY"}

    relationships.manager_set(
        actor=people.hr, person=people.individual, manager=people.other_manager
    )
    assert _journal_tokens(_crawl(world, people, "other_manager")) == set()
    assert _journal_tokens(_crawl(world, people, "manager")) == set()  # the former manager

    strengths = Section.objects.get(slug="strengths")
    journal = world["journal"]
    journal_services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=strengths,
        readers=[people.other_manager, people.coach],
    )
    shared = _crawl(world, people, "other_manager")
    assert _journal_tokens(shared) == {"SHARED"}
    assert f"/journal/{journal.pk}/strengths/" in shared

    journal_services.journal_section_share(
        actor=people.individual, journal=journal, section=strengths, readers=[people.coach]
    )
    assert _journal_tokens(_crawl(world, people, "other_manager")) == set()
