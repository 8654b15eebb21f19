"""The individual's and the facilitator's plan pages: their plans, one plan, editing the
draft, signing, reopening, progress and reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from devplans import dates, selectors, services
from devplans.content import plan_content_hash
from devplans.forms import (
    PlanForm,
    ProgressForm,
    ReviewRecordForm,
    SignForm,
    objective_formset,
    review_formset,
)
from devplans.models import Plan
from devplans.plan_markup import objective_cards
from devplans.views.flow import plan_locked
from scopegrowth import access
from scopegrowth.exceptions import RuleError


@login_required
@require_http_methods(["GET"])
def plan_mine(request: HttpRequest) -> HttpResponse:
    return render(request, "devplans/plan_mine.html", selectors.my_plans(request.user))


#: The plan page's buttons: each `can_<action>` in its context (one query for all).
ACTIONS = ("edit", "sign", "reopen", "update_progress", "record_review", "check_in")


# The plan page's dates written once in Python (`devplans.dates`), not by a filter per cell.


def _objectives_shown(plan: Plan) -> list:
    objectives = list(plan.objectives.all())
    for objective in objectives:
        objective.target_text = dates.day(objective.target_date)
        for note in objective.note_list:
            note.when_text = dates.day(note.created_at)
    return objectives


def _reviews_shown(plan: Plan, today) -> list:
    reviews = list(plan.reviews.all())
    for review in reviews:
        review.due_text = dates.day(review.due_on)
        review.held_text = dates.day(review.held_on)
        review.late = bool(review.held_on) and review.held_on > review.due_on
        review.overdue = (
            not review.held_on and plan.status == Plan.Status.AGREED and review.due_on < today
        )
    return reviews


def _dates_shown(plan: Plan) -> dict[str, str]:
    return {
        "agreed": dates.day(plan.agreed_at),
        "horizon_end": dates.day(plan.horizon_end),
        "reopened": dates.day(plan.reopened_at),
        "conversation": dates.day(plan.conversation.scheduled_at) if plan.conversation else "",
        "individual_signed": dates.moment(plan.individual_signed_at),
        "facilitator_signed": dates.moment(plan.facilitator_signed_at),
    }


@login_required
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = access.get_or_404(user, "view", selectors.plan_queryset, pk=pk)
    services.plan_viewed(actor=user, plan=plan)
    selectors.plan_with_content(plan)
    is_individual = plan.individual_id == user.pk
    is_facilitator = not is_individual and access.facilitates(user, plan.individual)
    previous = selectors.previous_version(plan)
    current_hash = plan_content_hash(plan) if plan.is_draft else ""
    today = timezone.localdate()
    buttons = selectors.plan_actions(user, plan, ACTIONS)
    objectives = _objectives_shown(plan)
    context = {
        "plan": plan,
        "objectives": objectives,
        "objective_cards": objective_cards(objectives, show_notes=is_individual or is_facilitator),
        "reviews": _reviews_shown(plan, today),
        "shown": _dates_shown(plan),
        "is_individual": is_individual,
        "is_facilitator": is_facilitator,
        "show_notes": is_individual or is_facilitator,
        **{f"can_{action}": allowed for action, allowed in buttons.items()},
        "checkins": selectors.plan_checkins(plan) if is_individual or is_facilitator else [],
        "current_hash": current_hash,
        "individual_signed_current": bool(current_hash)
        and plan.individual_signed_hash == current_hash,
        "facilitator_signed_current": bool(current_hash)
        and plan.facilitator_signed_hash == current_hash,
        "i_signed": bool(current_hash)
        and (
            (is_individual and plan.individual_signed_hash == current_hash)
            or (
                not is_individual
                and plan.facilitator_signed_by_id == user.pk
                and plan.facilitator_signed_hash == current_hash
            )
        ),
        "previous": previous,
        "diff": selectors.plan_diff(previous, plan) if previous else None,
        "versions": selectors.plan_versions(user, plan),
        "sign_form": SignForm(initial={"version": plan.version}) if buttons["sign"] else None,
        **selectors.plan_conversation_links(user, plan),
    }
    return render(request, "devplans/plan_detail.html", context)


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = access.get_or_404(user, "view", selectors.plan_queryset(), pk=pk)
    if not plan.is_draft:  # agreed (or an earlier version): say so, and offer what may be done
        return plan_locked(request, plan, status=409 if request.method == "POST" else 200)
    plan = access.get_or_404(user, "edit", selectors.plan_queryset(), pk=pk)
    conflict = None
    if request.method == "POST":
        form = PlanForm(request.POST, instance=plan)
        objectives = objective_formset(plan, request.POST)
        reviews = review_formset(plan, request.POST)
        if form.is_valid() and objectives.is_valid() and reviews.is_valid():
            fields, objective_inputs = form.plan_fields(), objectives.inputs()
            try:
                services.plan_save(
                    actor=user,
                    plan=plan,
                    expected_version=form.cleaned_data["version"],
                    fields=fields,
                    objectives=objective_inputs,
                    reviews=reviews.inputs(),
                )
            except services.PlanConflict as exc:
                conflict = {
                    "current": exc.current,
                    "rows": selectors.save_conflict(exc.current, fields, objective_inputs),
                    "message": str(exc),
                }
                # Saving again now is a deliberate choice made with both versions in view.
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = PlanForm(data, instance=exc.current)
                form.is_valid()
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    "The plan has been saved. Any signatures were cleared: both of you sign "
                    "again once you agree.",
                )
                if request.POST.get("action") == "add":
                    return redirect(f"{reverse('devplans:edit', args=[plan.pk])}#new-objective")
                return redirect("devplans:detail", pk=plan.pk)
    else:
        form = PlanForm(instance=plan)
        objectives = objective_formset(plan)
        reviews = review_formset(plan)
    return render(
        request,
        "devplans/plan_edit.html",
        {
            "plan": plan,
            "form": form,
            "objectives": objectives,
            "reviews": reviews,
            "conflict": conflict,
            "was_signed": bool(plan.individual_signed_at or plan.facilitator_signed_at),
        },
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["POST"])
def plan_sign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_or_404(request.user, "sign", Plan, pk=pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "This page was incomplete, so nothing was signed. Try again.")
        return redirect("devplans:detail", pk=pk)
    version = form.cleaned_data["version"]
    try:
        plan = services.plan_sign(actor=request.user, plan=plan, expected_version=version)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        if plan.status == Plan.Status.AGREED:
            messages.success(request, "You have both signed: the plan is agreed and locked.")
        else:
            messages.success(
                request, "You have signed the plan. It is agreed once the other person signs."
            )
    return redirect("devplans:detail", pk=pk)


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_or_404(request.user, "update_progress", selectors.plan_queryset(), pk=pk)
    selectors.plan_with_content(plan)
    objectives = list(plan.objectives.all())
    bound_id, bound_form = None, None
    if request.method == "POST":
        raw_id = request.POST.get("objective", "")
        objective = next((o for o in objectives if str(o.pk) == raw_id), None)
        if objective is None:
            messages.error(request, "That objective is not part of this plan. Nothing was saved.")
            return redirect("devplans:progress", pk=pk)
        bound_id = objective.pk
        bound_form = ProgressForm(request.POST, prefix=f"o{objective.pk}")
        if bound_form.is_valid():
            try:
                services.objective_progress_record(
                    actor=request.user,
                    objective=objective,
                    status=bound_form.cleaned_data["status"],
                    note=bound_form.cleaned_data["note"],
                )
            except RuleError as exc:
                bound_form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"Progress saved for objective {objectives.index(objective) + 1}."
                )
                return redirect(
                    f"{reverse('devplans:progress', args=[pk])}#objective-{objective.pk}"
                )
    rows = []
    for number, objective in enumerate(objectives, start=1):
        if objective.pk == bound_id:
            form = bound_form
        else:
            form = ProgressForm(prefix=f"o{objective.pk}", initial={"status": objective.status})
        rows.append({"number": number, "objective": objective, "form": form})
    return render(
        request,
        "devplans/plan_progress.html",
        {"plan": plan, "rows": rows, "form": bound_form},
        status=200,
    )


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_or_404(request.user, "record_review", selectors.plan_queryset(), pk=pk)
    form = ReviewRecordForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_review_record(
                actor=request.user,
                plan=plan,
                review=form.cleaned_data["review"],
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The review has been recorded on the plan.")
            return redirect("devplans:detail", pk=pk)
    held = plan.reviews.filter(held_on__isnull=False).select_related("recorded_by")
    return render(request, "devplans/plan_review.html", {"plan": plan, "form": form, "held": held})
