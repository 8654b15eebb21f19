"""One section: the owner's form (with its conflict view), the read-only page, autosave, sharing."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from journals import selectors, services
from journals.forms import POSITION_FIELDS, SectionForm, ShareForm, field_name
from journals.markup import hidden_html, textarea_html
from journals.models import ANSWER_MAX_LENGTH, Journal, Question, Section
from journals.policies import journal_facilitators, section_readers, shared_sections
from journals.views.common import (
    DRAFT_COOKIE,
    DRAFT_KEY,
    journal_to_view_or_404,
    journals_qs,
    remember_author,
    section_or_404,
    stash_when_signed_out,
    take_draft,
)
from journals.views.fields import field_view
from scopegrowth import access, stepup
from scopegrowth.exceptions import RuleError

SAVE_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
HEALTH_SECTION = "wellbeing"  # sharing it asks for the password again (scopegrowth.stepup)


@sensitive_post_parameters()
@stash_when_signed_out
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """GET: the owner's form (or a read-only page: an earlier cycle, or a facilitator reading
    a shared section). POST: the owner saves; a stale version shows both texts."""
    draft = take_draft(request, pk, section) if request.method == "GET" else None
    journal = journal_to_view_or_404(request.user, pk)
    visible = shared_sections(request.user, journal)
    if section not in visible:
        raise Http404("No such section")
    sections = selectors.sections_named(visible)  # one query: this and the index
    section_obj = next((s for s in sections if s.slug == section), None)
    if section_obj is None:
        raise Http404("No such section")
    is_owner = access.can(request.user, "own", journal)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied("not allowed: edit")
        return _section_post(request, journal, section_obj)

    page = selectors.section_page(journal=journal, section=section_obj)
    form = None
    questions = None
    restored = is_owner and draft is not None
    if is_owner and (journal.is_open or restored):
        # An earlier cycle gets a form only to give back text kept from an expired session
        # (read-only page, no Save button): the cycle closed while its owner was signed out.
        questions = page.questions if journal.is_open else _asked(section_obj)
        initial = _initial(journal, page)
        if restored:
            initial.update({k: v for k, v in draft.data.items() if DRAFT_KEY.match(k)})
        levels = page.impact_levels or selectors.impact_levels_for(journal.owner)
        form = SectionForm(initial=initial, questions=questions, impact_levels=levels)
    if not is_owner:
        services.journal_viewed(actor=request.user, journal=journal, section=section_obj)
    response = _render_section(
        request, journal, page, form, questions=questions, restored=restored, sections=sections
    )
    if draft is not None:
        response.delete_cookie(DRAFT_COOKIE, path="/journal/")
    if form is not None:
        remember_author(request, response)  # text typed here is kept for them if signed out
    return response


def _initial(journal: Journal, page: selectors.SectionPage) -> dict:
    initial: dict = {"version": page.version}
    for question in page.questions:
        answer = page.answers.get(question.pk)
        initial[field_name(question)] = answer.text if answer else ""
        if question.kind == Question.Kind.POSITION:
            for key, value in journal.position_values().items():
                initial[key] = "" if value is None else str(value)
    return initial


def _asked(section: Section) -> list[Question]:
    return selectors.asked_questions(section)


def save_key(request: HttpRequest) -> str:
    """The page's random key sent by the autosave script (see `journal_section_save`)."""
    key = request.POST.get("save_key", "")
    return key if SAVE_KEY.fullmatch(key) else ""


def _section_post(request: HttpRequest, journal: Journal, section: Section) -> HttpResponse:
    page = selectors.section_page(journal=journal, section=section)
    questions = selectors.with_answer_wording(_asked(section), page.answers)
    levels = page.impact_levels or selectors.impact_levels_for(journal.owner)
    form = SectionForm(request.POST, questions=questions, impact_levels=levels)
    if not form.is_valid():
        return _render_section(request, journal, page, form, questions=questions)
    try:
        services.journal_section_save(
            actor=request.user,
            journal=journal,
            section=section,
            data=form.answers(),
            version=form.cleaned_data["version"],
            save_key=save_key(request),
        )
    except services.StaleVersion as exc:
        data = request.POST.copy()
        data["version"] = str(exc.version)
        form = SectionForm(data, questions=questions, impact_levels=levels)
        form.is_valid()
        form.add_error(None, str(exc))
        conflicts = _conflicts(form, questions, exc)
        return _render_section(
            request, journal, page, form, questions=questions, conflicts=conflicts, status=409
        )
    except RuleError as exc:
        form.add_error(None, str(exc))
        return _render_section(request, journal, page, form, questions=questions)
    messages.success(request, f"Your answers to \u201c{section.title}\u201d are saved.")
    return redirect("journals:section", pk=journal.pk, section=section.slug)


def _conflicts(form: SectionForm, questions: list[Question], exc: services.StaleVersion) -> dict:
    """Field name -> the saved text, for each question where the saved text and this tab's text
    differ; "position" -> the saved position when the self-assessment differs."""
    mine = form.answers()
    found: dict = {}
    for question in questions:
        if question.pk not in mine.texts:
            continue
        saved = exc.saved.get(question.pk, "")
        if services.normalise(mine.texts[question.pk]) != saved:
            found[field_name(question)] = saved
        if question.kind == Question.Kind.POSITION and mine.position is not None:
            if services.position_key(mine.position) != services.position_key(exc.saved_position):
                found["position"] = exc.saved_position
    return found


def _render_section(
    request: HttpRequest,
    journal: Journal,
    page: selectors.SectionPage,
    form: SectionForm | None,
    *,
    questions: list[Question] | None = None,
    conflicts: dict | None = None,
    restored: bool = False,
    status: int = 200,
    sections: list[Section] | None = None,
) -> HttpResponse:
    is_owner = access.can(request.user, "own", journal)
    can_edit = access.can(request.user, "edit", journal)
    facilitators = journal_facilitators(journal) if is_owner else []
    if is_owner:
        page.readers = section_readers(journal, facilitators).get(page.section.pk, [])
    questions = page.questions if questions is None else questions
    conflicts = conflicts or {}
    items = []
    hidden = ""
    max_length, max_length_text = str(ANSWER_MAX_LENGTH), intcomma(ANSWER_MAX_LENGTH)
    if form is not None:
        hidden = hidden_html(form["version"], form["asked"])
        for question in questions:
            name = field_name(question)
            field = field_view(form[name])
            item = {
                "question": question,
                "field": field,
                "saved_text": conflicts.get(name),
                "in_conflict": name in conflicts,
            }
            if question.kind != Question.Kind.SCALE_0_10:  # the free text (also under a position)
                item["textarea"] = textarea_html(
                    field,
                    max_length=max_length,
                    max_length_text=max_length_text,
                    in_conflict=item["in_conflict"],
                    saved_text=item["saved_text"],
                )
            if question.kind == Question.Kind.POSITION:
                item["position_fields"] = [field_view(form[key]) for key in POSITION_FIELDS]
                item["saved_position"] = _position_labels(conflicts.get("position"), page)
                item["position_in_conflict"] = "position" in conflicts
            items.append(item)
    if sections is None:
        sections = selectors.sections_named(shared_sections(request.user, journal))
    index = next((i for i, s in enumerate(sections) if s.pk == page.section.pk), 0)
    return render(
        request,
        "journals/section_edit.html",
        {
            "journal": journal,
            "page": page,
            "section": page.section,
            "form": form,
            "items": items,
            "is_owner": is_owner,
            "can_edit": can_edit,
            "can_save": can_edit and form is not None,
            "restored": restored,
            "conflicts": conflicts,
            "hidden_fields": hidden,  # the form's version and questions (journals/markup.py)
            "facilitators": facilitators,
            "previous_section": sections[index - 1] if index > 0 else None,
            "next_section": sections[index + 1] if index + 1 < len(sections) else None,
            "position": _journal_position(journal),
        },
        status=status,
    )


def _journal_position(journal: Journal) -> dict:
    return {
        "now_growth": journal.get_position_now_growth_display(),
        "now_impact": journal.position_now_impact.name if journal.position_now_impact else "",
        "future_growth": journal.get_position_future_growth_display(),
        "future_impact": (
            journal.position_future_impact.name if journal.position_future_impact else ""
        ),
    }


def _position_labels(values: dict | None, page: selectors.SectionPage) -> dict | None:
    if values is None:
        return None
    from scopegrowth.models import GrowthCategory

    growth = dict(GrowthCategory.choices)
    levels = {lvl.pk: lvl.name for lvl in page.impact_levels}
    return {
        "now_growth": growth.get(values.get("now_growth") or "", ""),
        "now_impact": levels.get(values.get("now_impact"), ""),
        "future_growth": growth.get(values.get("future_growth") or "", ""),
        "future_impact": levels.get(values.get("future_impact"), ""),
    }


@sensitive_post_parameters()
@login_required
@require_http_methods(["POST"])
def section_autosave(request: HttpRequest, pk: int, section: str) -> JsonResponse:
    """The autosave script's endpoint: JSON in, JSON out; never overwrites newer text (409)."""
    journal = access.get_or_404(request.user, "own", journals_qs(), pk=pk)
    section_obj = section_or_404(section)
    questions = _asked(section_obj)
    levels = selectors.impact_levels_for(journal.owner)
    form = SectionForm(request.POST, questions=questions, impact_levels=levels)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"error": "invalid", "errors": errors}, status=400)
    try:
        version = services.journal_section_save(
            actor=request.user,
            journal=journal,
            section=section_obj,
            data=form.answers(),
            version=form.cleaned_data["version"],
            save_key=save_key(request),
        )
    except services.StaleVersion as exc:
        saved = {field_name(q): exc.saved.get(q.pk, "") for q in questions}
        return JsonResponse(
            {"error": "conflict", "message": str(exc), "version": exc.version, "saved": saved},
            status=409,
        )
    except services.NothingToSave:
        return JsonResponse({"version": form.cleaned_data["version"], "saved_at": None})
    except RuleError as exc:
        return JsonResponse({"error": "refused", "message": str(exc)}, status=400)
    response = JsonResponse({"version": version, "saved_at": timezone.localtime().isoformat()})
    return remember_author(request, response)  # the session may have a new key since the GET


@login_required
@require_http_methods(["POST"])
def section_share(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    journal = access.get_or_404(request.user, "share", journals_qs(), pk=pk)
    section_obj = section_or_404(section)
    supporters = journal_facilitators(journal)
    form = ShareForm(request.POST, supporters=supporters)
    back = (
        reverse("journals:section", kwargs={"pk": journal.pk, "section": section_obj.slug})
        if request.POST.get("return_to") == "section"
        else reverse("journals:overview", kwargs={"pk": journal.pk})
    )
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, errors[0] if errors else "Choose whether to share this section.")
        return redirect(back)
    by_pk = {user.pk: user for user, _ in supporters}
    if form.cleaned_data["choose"]:
        readers = [by_pk[pk] for pk in form.cleaned_data["readers"]]
    else:
        readers = list(by_pk.values()) if form.cleaned_data["shared"] else []
    before = {
        user.pk for user, _, _ in section_readers(journal, supporters).get(section_obj.pk, [])
    }
    adds = {user.pk for user in readers} - before
    if adds and journal.is_open and section_obj.slug == HEALTH_SECTION:
        stepup.require_recent_password(request)  # health notes: special category data
    try:
        services.journal_section_share(
            actor=request.user, journal=journal, section=section_obj, readers=readers
        )
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    relation = {user.pk: rel for user, rel in supporters}
    if readers:
        names = [f"{u.full_name} (your {relation[u.pk]})" for u in readers]
        who = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        messages.success(request, f"\u201c{section_obj.title}\u201d is now shared with {who}.")
    elif form.cleaned_data["shared"] and not form.cleaned_data["choose"]:
        messages.success(
            request,
            f"\u201c{section_obj.title}\u201d is still private: you have no line manager or "
            "coach recorded yet. Once one is, choose whether to share it with them.",
        )
    else:
        messages.success(
            request, f"\u201c{section_obj.title}\u201d is private again: only you can see it."
        )
    return redirect(back)
