"""The equality self-declaration page (anyone, their own only) and HR's insight page and CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devplans import exports
from insight import markup, policies, snapshots
from insight import services as equality
from insight.export import CSV_HEADER, csv_rows
from insight.forms import FILTER_KEYS, EqualityForm, InsightFilterForm
from insight.report import (
    COVERAGE_COLUMNS,
    HIDDEN_MARK,
    MISSING_VIEW_MESSAGE,
    NO_ACTIVITY_MESSAGE,
    too_few_message,
    withheld_message,
)
from insight.selectors import (
    latest_snapshot,
    pending_snapshot,
    rounding_base,
    snapshot_periods,
    snapshot_report,
    team_minimum,
    threshold,
)
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError

# =============================================================================
# Equality self-declaration: no id in the URL, so only ever the signed-in person's own
# =============================================================================


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters(*equality.FIELDS)
def equality_edit(request: HttpRequest) -> HttpResponse:
    person = request.user
    declaration = equality.declaration_for(person)
    if request.method == "POST":
        form = EqualityForm(request.POST)
        if form.is_valid():
            try:
                equality.equality_declaration_save(actor=person, person=person, **form.cleaned_data)
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "Your answers are saved. You can change or remove them at any time."
                )
                return redirect("insight:equality")
    else:
        initial = (
            {name: getattr(declaration, name) for name in equality.FIELDS} if declaration else None
        )
        form = EqualityForm(initial=initial)
    return render(
        request,
        "insight/equality_edit.html",
        {"form": form, "declaration": declaration, "limit": threshold()},
    )


@login_required
@require_POST
def equality_withdraw(request: HttpRequest) -> HttpResponse:
    removed = equality.equality_declaration_withdraw(actor=request.user, person=request.user)
    if removed:
        messages.success(
            request,
            "All your answers are removed. They will not be counted from the next snapshot of "
            "the figures (taken monthly).",
        )
    else:
        messages.info(request, "You had no answers saved, so there was nothing to remove.")
    return redirect("insight:equality")


# =============================================================================
# HR insight: aggregate figures only, for HR of the organisation; every view audited
# =============================================================================


def _require_insight(request: HttpRequest) -> frozenset[str]:
    user_roles = access.request_roles(request)
    if not policies.can_view_insight(request.user, user_roles):
        raise Http404("No such page")
    return user_roles


def _filter_form(request: HttpRequest, snapshot) -> InsightFilterForm:
    bound = any(key in request.GET for key in FILTER_KEYS)
    return InsightFilterForm(
        request.GET if bound else None, user=request.user, periods=snapshot_periods(snapshot)
    )


def _describe(snapshot, filters) -> str:
    """The audit detail: which snapshot and filters (ids only)."""
    return f"snapshot={snapshot.pk} {filters.describe()}"


@login_required
@require_GET
def hr_insight(request: HttpRequest) -> HttpResponse:
    """The latest snapshot's figures (never computed here: `insight.snapshots`)."""
    _require_insight(request)
    snapshot = latest_snapshot(request.user)
    form = _filter_form(request, snapshot)
    result = filters = None
    if snapshot is None:
        audit.record(request.user, "view_insight", None, detail="no snapshot yet")
    elif not form.is_bound or form.is_valid():
        filters = form.filters()
        result = snapshot_report(snapshot, filters)
        audit.record(request.user, "view_insight", None, detail=_describe(snapshot, filters))
    else:
        audit.record(request.user, "view_insight", None, detail="filters not valid")
    query = request.GET.urlencode() if form.is_bound else ""
    return render(
        request,
        "insight/insight.html",
        {
            "form": form,
            "form_fields": markup.filter_fields_html(form) if snapshot else {},
            "snapshot": snapshot,
            "pending": pending_snapshot(request.user),
            "filters": filters,
            "result": result,
            "query": query,
            "hidden_mark": HIDDEN_MARK,
            "rounding_base": rounding_base(),
            "team_minimum": team_minimum(),
            "coverage_columns": COVERAGE_COLUMNS,
            "too_few_message": too_few_message(threshold()),
            "no_activity_message": NO_ACTIVITY_MESSAGE,
            "withheld_message": withheld_message(team_minimum()),
            "missing_view_message": MISSING_VIEW_MESSAGE,
        },
    )


@login_required
@require_POST
def hr_insight_snapshot(request: HttpRequest) -> HttpResponse:
    """HR asks for a snapshot now; a Celery task takes it (this request computes nothing)."""
    _require_insight(request)
    try:
        snapshot = snapshots.snapshot_request(actor=request.user)
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect("insight:hr_insight")
    audit.record(request.user, "request_insight_snapshot", None, detail=f"snapshot={snapshot.pk}")
    messages.success(
        request,
        "A new snapshot is being taken. It usually takes a minute or two: refresh this page to "
        "see it. Until then the page shows the last one.",
    )
    return redirect("insight:hr_insight")


@login_required
@require_GET
def hr_insight_csv(request: HttpRequest) -> HttpResponse:
    _require_insight(request)
    snapshot = latest_snapshot(request.user)
    form = _filter_form(request, snapshot)
    if snapshot is None or (form.is_bound and not form.is_valid()):
        messages.error(
            request,
            "Fix the filters below, then download the CSV again."
            if snapshot
            else "There are no figures to download yet: no snapshot has been taken.",
        )
        query = request.GET.urlencode()
        return redirect(f"{reverse('insight:hr_insight')}{'?' + query if query else ''}")
    filters = form.filters()
    result = snapshot_report(snapshot, filters)
    if result is None:
        messages.error(request, MISSING_VIEW_MESSAGE)
        return redirect(f"{reverse('insight:hr_insight')}?{request.GET.urlencode()}")
    audit.record(request.user, "export_insight", None, detail=_describe(snapshot, filters))
    response = HttpResponse(
        exports.csv_bytes(csv_rows(result), CSV_HEADER),
        content_type="text/csv; charset=utf-8",
    )
    name = f"hr-insight-{snapshot.as_at:%Y-%m-%d}.csv"
    response["Content-Disposition"] = exports.attachment_header(name, name)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response
