"""Check-ins on a plan between reviews: the page that records one (either side)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from devplans import selectors, services
from devplans.forms import CheckInForm
from scopegrowth import access
from scopegrowth.exceptions import RuleError


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def plan_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = access.get_or_404(user, "check_in", selectors.plan_queryset(), pk=pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_check_in_record(
                actor=user,
                plan=plan,
                held_on=form.cleaned_data["held_on"],
                progressed=form.cleaned_data["progressed"],
                blocked=form.cleaned_data["blocked"],
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your check-in has been recorded on the plan.")
            return redirect(f"{reverse('devplans:detail', args=[plan.pk])}#check-ins")
    other = (
        "your line manager or coach"
        if user.pk == plan.individual_id
        else plan.individual.get_short_name()
    )
    return render(
        request,
        "devplans/plan_check_in.html",
        {"plan": plan, "form": form, "other": other, "checkins": selectors.plan_checkins(plan)},
    )
