"""The overview (side by side), the preparation, the three stage screens and completion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from conversations import craft, guide, markup, nav_markup, selectors, services
from conversations.forms import PreparationForm, StageForm
from conversations.forms.stage_notes import unbound_notes_context
from conversations.models import Conversation, Preparation
from conversations.policies import conversation_may_see_private
from conversations.views.common import fetch_conversation, path, with_version
from scopegrowth import access
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

# =============================================================================
# Overview, preparation, stages, completion
# =============================================================================


def _former_facilitator(user: User, conversation: Conversation, private: bool) -> bool:
    """Recorded against someone who no longer manages or coaches the individual?"""
    return (
        private
        and conversation.facilitator_id != user.pk
        and not access.facilitates(conversation.facilitator, conversation.individual)
    )


@login_required
@require_http_methods(["GET"])
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = fetch_conversation(request, "view", pk)
    user = request.user
    private = conversation_may_see_private(user, conversation)
    journal = selectors.journal_of(conversation)
    preparation = selectors.preparation_of(conversation, user) if private else None
    if private and conversation.facilitator_id == user.pk:
        # The viewer holds the conversation: their own preparation (or none) says.
        ready = preparation is not None and preparation.prepared_at is not None
    else:
        ready = selectors.facilitator_prepared(conversation)
    prep = selectors.prep_state(conversation, ready, journal, user)
    sections = selectors.side_by_side(
        user, journal, preparation, show_private=private, holder=conversation.facilitator
    )
    records = selectors.stage_records(conversation, private=False)
    recorded = selectors.shared_at_completion(conversation, sections)
    services.conversation_viewed(
        actor=user,
        conversation=conversation,
        journal=journal,
        sections=[view.section for view in sections],
    )
    is_individual = conversation.individual_id == user.pk
    can_facilitate = access.can(user, "facilitate", conversation)
    markup.with_answers_html(sections, own_wording=is_individual)
    unshared = selectors.unshared_preparation(preparation, sections) if private else []
    general = selectors.prep_items(preparation, guide.PREPARATION_GENERAL) if private else []
    if private:  # the viewer's own preparation is shown beside each section
        markup.with_preparation_html([*sections, *unshared])
    stages = selectors.stage_nav(records, url=_stage_url(conversation.pk, present=False))
    plan = selectors.plan_for(conversation)
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            "conversation": conversation,
            "links": _detail_links(conversation, journal, plan, can_facilitate, is_individual),
            "status": selectors.status_tag(conversation, prep.both),
            "prep": prep,
            "private": private,
            "is_individual": is_individual,
            "can_facilitate": can_facilitate,
            # The policy's "reflect", from what is already known (no extra query).
            "can_reflect": private
            and conversation.status == Conversation.Status.COMPLETED
            and conversation.facilitator_id == user.pk,
            "former_facilitator": _former_facilitator(user, conversation, private),
            "journal": journal,
            "sections": sections,
            "recorded": recorded,
            "unshared_preparation": unshared,
            "general_preparation": general,
            "general_preparation_html": markup.preparation_html(general) if general else "",
            "self_assessment": selectors.self_assessment(user, journal, sections),
            "stages": stages,
            "stage_nav": nav_markup.stage_nav_html(stages),
            "plan": plan,
        },
    )


def _detail_links(
    conversation: Conversation, journal: Any, plan: Any, can_facilitate: bool, is_individual: bool
) -> dict[str, str]:
    """The conversation page's links (each pattern reversed once per process: `path`)."""
    pk = conversation.pk
    links = {
        "invite": path("conversations:invite", pk),
        "complete": path("conversations:complete", pk),
        "prepare": path("conversations:prepare", pk),
        "reschedule": path("conversations:reschedule", pk),
        "cancel": path("conversations:cancel", pk),
        "reflection": path("conversations:reflection", pk),
        "plan": path("devplans:detail", plan.pk) if plan else "",
        "journal": path("journals:overview", journal.pk) if journal else "",
        "person": path("devplans:person", conversation.individual_id) if can_facilitate else "",
    }
    if is_individual:
        links["mine"] = path("conversations:mine")
    else:
        links["dashboard"] = path("conversations:dashboard")
    return links


def _stage_url(pk: int, *, present: bool) -> Callable[[int], str]:
    suffix = "?present=1" if present else ""
    return lambda number: path("conversations:stage", pk, number) + suffix


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def preparation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = fetch_conversation(request, "prepare", pk)
    preparation = selectors.preparation_of(conversation, request.user)
    levels = selectors.impact_levels_for(conversation.individual)
    form = PreparationForm(
        request.POST or None,
        instance=preparation
        or Preparation(conversation=conversation, author=request.user, version=0),
        initial={
            "version": preparation.version if preparation else 0,
            "hand_over": bool(preparation and preparation.handed_over_at),
        },
        impact_levels=levels,
    )
    conflict = None
    empty_of = 0  # marking an empty preparation "prepared" asks once (issue 15)
    if request.method == "POST" and form.is_valid():
        marking = "prepared" in request.POST
        answered = sum(1 for value in form.values().values() if value)
        if marking and not answered and request.POST.get("prepared") != "anyway":
            empty_of = len(form.values())
    if request.method == "POST" and form.is_valid() and not empty_of:
        try:
            services.preparation_save(
                actor=request.user,
                conversation=conversation,
                values=form.values(),
                version=form.cleaned_data["version"],
                mark_prepared=marking,
                hand_over=form.cleaned_data["hand_over"],
            )
        except services.StaleVersion as exc:
            saved = selectors.prep_items_from(exc.saved)
            conflict = markup.preparation_html(saved) if saved else None
            form.add_error(None, str(exc))
            with_version(form, "version", exc.version)
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            if marking:
                messages.success(
                    request,
                    f"Preparation saved and marked as done. {conversation.individual.full_name} "
                    "will see that you have prepared, never what you wrote.",
                )
            else:
                messages.success(request, "Preparation saved. Only you can see it.")
            return redirect("conversations:detail", pk=conversation.pk)
    journal = selectors.journal_of(conversation)
    sections = selectors.shared_sections(request.user, journal, conversation.facilitator)
    markup.with_answers_html(sections, own_wording=False)
    handed_over = selectors.handed_over(conversation, request.user)
    for handover in handed_over:
        handover.items_html = markup.preparation_html(handover.items)
    services.conversation_viewed(
        actor=request.user,
        conversation=conversation,
        journal=journal,
        sections=[view.section for view in sections],
    )
    return render(
        request,
        "conversations/preparation_edit.html",
        {
            "form": form,
            "conversation": conversation,
            "preparation": preparation,
            "sections": sections,
            "conflict": conflict,
            "self_check_prompts": guide.SELF_CHECK_PROMPTS,
            "craft_introduction": craft.INTRODUCTION,
            "craft_guidance": craft.GUIDANCE,
            "former_facilitator": _former_facilitator(request.user, conversation, True),
            "handed_over": handed_over,
            "empty_of": empty_of,
        },
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, pk: int, stage: int) -> HttpResponse:
    stage_guide = guide.stage(stage)
    if stage_guide is None:
        raise Http404("No such stage")
    conversation = fetch_conversation(request, "view", pk)
    user = request.user
    can_facilitate = access.can(user, "facilitate", conversation)
    if request.method == "POST" and not can_facilitate:
        raise PermissionDenied("not allowed: facilitate")
    present = can_facilitate and "1" in (request.GET.get("present"), request.POST.get("present"))
    private = can_facilitate and not present
    here = path("conversations:stage", conversation.pk, stage)
    here_present = f"{here}?present=1" if present else here

    start_plan = request.method == "POST" and "start_plan" in request.POST
    if start_plan and "version" not in request.POST:  # the button alone: no notes to save
        return _start_plan(request, conversation, stage, here_present)

    records = selectors.stage_records(conversation, private=private, viewer=user)
    record = records.get(stage)
    is_position = stage == 2
    levels = selectors.impact_levels_for(conversation.individual) if is_position else []
    form = None
    conflict = None
    if can_facilitate:
        form = StageForm(
            request.POST or None,
            private=private,
            position=is_position,
            impact_levels=levels,
            initial=StageForm.initial_for(
                record, conversation, private=private, position=is_position
            ),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            completing = "complete" in request.POST
            try:
                services.conversation_stage_save(
                    actor=user,
                    conversation=conversation,
                    stage=stage,
                    data=services.StageInput(
                        agreed_summary=data.get("agreed_summary", ""),
                        version=data["version"],
                        facilitator_notes=data.get("facilitator_notes") if private else None,
                        position=form.position_values(),
                        conversation_version=data.get("conversation_version"),
                    ),
                    complete=completing,
                )
            except services.StaleVersion as exc:
                conflict = selectors.stage_conflict_items(exc.saved, private=private)
                form.add_error(None, str(exc))
                with_version(form, exc.field, exc.version)
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                if start_plan:  # the stage's summary is saved: the plan is pre-filled from it
                    return _start_plan(request, conversation, stage, here_present)
                if completing:
                    messages.success(request, f"Stage {stage} is complete.")
                    if stage < 3:
                        target = reverse("conversations:stage", args=[conversation.pk, stage + 1])
                        return redirect(f"{target}?present=1" if present else target)
                    return redirect("conversations:detail", pk=conversation.pk)
                messages.success(request, f"Stage {stage} saved.")
                return redirect(here_present)

    journal = selectors.journal_of(conversation)
    preparation = selectors.preparation_of(conversation, user) if private else None
    all_sections = selectors.side_by_side(
        user, journal, preparation, show_private=private, holder=conversation.facilitator
    )
    sections = [v for v in all_sections if v.section.stage == stage_guide.section_stage]
    stage_sections = selectors.stage_sections(stage)  # read once: the questions' and the rest
    # The facilitator's own preparation for a section kept private (the reasonable adjustments
    # beside health and well-being) is still theirs to see.
    unshared = (
        selectors.unshared_preparation(preparation, all_sections, among=stage_sections)
        if private
        else []
    )
    if is_position:  # the facilitator's view sits beside the self-assessment instead
        for view in [*sections, *unshared]:
            view.preparation = [i for i in view.preparation if not i.name.startswith("view_")]
    recorded = selectors.shared_at_completion(conversation, all_sections)
    questions = selectors.stage_questions(
        stage_sections, {v.section.slug for v in sections}, recorded
    )
    own = {view.section.slug: view.preparation for view in unshared}
    for group in questions:
        group.preparation = own.get(group.section.slug, [])
    plan = selectors.plan_for(conversation) if stage == 3 else None
    markup.with_answers_html(sections, own_wording=not can_facilitate, columns=True)
    if private:  # the viewer's own preparation beside each section and unshared section
        markup.with_preparation_html(sections, columns=True)
        markup.with_preparation_html([g for g in questions if g.preparation and not g.shared])
    if can_facilitate:
        services.conversation_viewed(
            actor=user,
            conversation=conversation,
            journal=journal,
            sections=[view.section for view in sections],
        )
    return render(
        request,
        "conversations/stage_edit.html",
        {
            "conversation": conversation,
            "stage": stage_guide,
            "record": record,
            "form": form,
            "conflict": conflict,
            "present": present,
            "private": private,
            "can_facilitate": can_facilitate,
            "is_open": conversation.is_open,
            "sections": sections,
            "questions": questions,
            "recorded": recorded,
            "self_assessment": (
                selectors.self_assessment(user, journal, all_sections) if is_position else None
            ),
            "facilitator_view": (
                markup.preparation_html(
                    selectors.prep_items(
                        preparation, ("view_now_growth", "view_now_impact", "view_evidence")
                    ),
                    columns=True,
                )
                if is_position and private
                else ""
            ),
            **unbound_notes_context(form),
            "stage_nav": nav_markup.stage_nav_html(
                selectors.stage_nav(
                    records, current=stage, url=_stage_url(conversation.pk, present=present)
                )
            ),
            "plan": plan,
            "links": {
                "detail": path("conversations:detail", conversation.pk),
                "plan": path("devplans:detail", plan.pk) if plan else "",
            },
            "here": here,
        },
    )


def _start_plan(
    request: HttpRequest, conversation: Conversation, stage: int, back: str
) -> HttpResponse:
    """Stage 3 hands over to the development plan, pre-filled from the three stages."""
    if stage != 3:
        raise Http404("The plan starts from stage 3")
    try:
        plan = services.conversation_plan_start(actor=request.user, conversation=conversation)
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        "The development plan is ready to fill in together, pre-filled from the conversation.",
    )
    return redirect(reverse("devplans:detail", args=[plan.pk]))


@login_required
@require_http_methods(["POST"])
def conversation_complete(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = fetch_conversation(request, "facilitate", pk)
    try:
        services.conversation_complete(actor=request.user, conversation=conversation)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Conversation completed. {conversation.individual.full_name} can see the agreed "
            "summaries and position.",
        )
    return redirect("conversations:detail", pk=conversation.pk)
