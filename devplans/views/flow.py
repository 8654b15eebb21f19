"""The plan's turns: an agreed plan asked to be edited, reopening it (with its reason), and
completing the conversation the plan was started from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from devplans import selectors, services
from devplans.forms import ReopenForm
from devplans.models import Plan
from scopegrowth import access
from scopegrowth.exceptions import RuleError


def newest_version(user, plan: Plan) -> Plan | None:
    """The newest version of the plan the user may read, when it is not `plan`."""
    versions = selectors.plan_versions(user, plan)
    newest = versions[-1] if versions else None
    return newest if newest is not None and newest.pk != plan.pk else None


def plan_locked(request: HttpRequest, plan: Plan, *, status: int = 200) -> HttpResponse:
    """An agreed (or earlier) version asked to be edited: say it is agreed, and offer to reopen
    it to those who may (never a "you do not have permission" page)."""
    return render(
        request,
        "devplans/plan_locked.html",
        {
            "plan": plan,
            "can_reopen": access.can(request.user, "reopen", plan),
            "newest": newest_version(request.user, plan),
            "posted": request.method == "POST",
        },
        status=status,
    )


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask for confirmation and a reason. POST: reopen, record the reason, tell the other
    person (an email with a link to the plan)."""
    plan = access.get_or_404(request.user, "reopen", selectors.plan_queryset(), pk=pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.plan_reopen(
                actor=request.user, plan=plan, reason=form.cleaned_data["reason"]
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            other = (
                "your facilitator"
                if request.user.pk == plan.individual_id
                else (plan.individual.full_name)
            )
            messages.success(
                request,
                f"Version {new.number} is a new draft to edit together. Version {plan.number} "
                f"stays readable. We have emailed {other} a link to the plan, where your reason "
                "is shown; sign the new version when you both agree.",
            )
            return redirect("devplans:edit", pk=new.pk)
    return render(request, "devplans/plan_reopen.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["POST"])
def plan_conversation_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page's next step for the facilitator: complete the conversation it came from."""
    plan = access.get_or_404(request.user, "view", Plan, pk=pk)
    try:
        conversation = services.plan_conversation_complete(actor=request.user, plan=plan)
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect("devplans:detail", pk=plan.pk)
    messages.success(
        request,
        f"Conversation completed. {conversation.individual.full_name} can see the agreed "
        "summaries and position. Keep working on the plan together until you both sign it.",
    )
    return redirect("devplans:detail", pk=plan.pk)
