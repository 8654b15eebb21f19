"""Home (by role), the health check and error handlers."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from scopegrowth import access, dataprotection, framework, registry, selectors
from scopegrowth.celery import app as celery_app
from scopegrowth.forms import PeopleImportForm, PreferencesForm, RetentionForm

logger = logging.getLogger(__name__)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = selectors.home_context(request.user, access.request_roles(request))
    return render(request, "scopegrowth/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_edit(request: HttpRequest) -> HttpResponse:
    """A person's own settings (only their own: there is no id in the URL)."""
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your preferences are saved.")
        return redirect("preferences")
    return render(request, "scopegrowth/preferences.html", {"form": form})


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scopegrowth/my_data.html",
        {"not_exported": dataprotection.NOT_EXPORTED.values()},
    )


@login_required
@require_http_methods(["POST"])
def my_data_download(request: HttpRequest) -> HttpResponse:
    """Everything held about me, as JSON (POST: it writes an audit row)."""
    import json

    body = json.dumps(dataprotection.my_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scopegrowth-my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    """HR: preview, then apply, the retention rule for people who left."""
    if access.HR not in access.request_roles(request):
        from django.http import Http404

        raise Http404("No such page")
    form = RetentionForm(request.POST if request.method == "POST" else request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        apply = request.method == "POST" and form.cleaned_data["confirm"]
        result = dataprotection.apply_retention(
            request.user,
            years=form.cleaned_data["years"],
            delete=form.cleaned_data["mode"] == "delete",
            dry_run=not apply,
        )
        if apply:
            messages.success(
                request,
                f"{result.count} people who left on or before {result.cutoff:%d %B %Y} "
                "were anonymised or deleted.",
            )
            return redirect("retention")
    return render(request, "scopegrowth/retention.html", {"form": form, "result": result})


@never_cache
@require_GET
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """'Stay signed in': any signed-in request slides the idle timeout (its activity is recorded
    at most once a minute, `middleware.SessionActivityMiddleware`); this one only says how long
    is left."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    from scopegrowth.middleware import session_seconds_left

    return JsonResponse({"signed_in": True, "expires_in": session_seconds_left(request)})


@login_required
@require_GET
def framework_guide(request: HttpRequest) -> HttpResponse:
    """The Scope for Growth framework: the impact levels of the user's organisation with their
    guidance, the three growth categories, and the development initiatives (from the plans app,
    through `registry.provide`)."""
    return render(
        request,
        "scopegrowth/framework.html",
        {
            "impact_meaning": framework.IMPACT_MEANING,
            "growth_meaning": framework.GROWTH_MEANING,
            "levels": list(selectors.impact_levels_for(request.user)),
            "growth": framework.growth_guidance(),
            "initiatives": registry.provide("development_initiatives", default=[]),
        },
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "scopegrowth/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "scopegrowth/privacy.html")


def _database_ok() -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.warning("healthz: database down", exc_info=True)
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        logger.warning("healthz: broker down", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = {
        "database": "ok" if _database_ok() else "down",
        "broker": "ok" if _broker_ok() else "down",
    }
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse(report, status=200 if healthy else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale form (an old tab, an expired session): say so plainly instead of Django's page."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Generic 500 page with the request id (the details are in the logs, never on the page)."""
    from django.template import loader

    template = loader.get_template("500.html")
    body = template.render({"request_id": getattr(request, "request_id", "")})
    return HttpResponse(body, status=500)


# --- the people import (HR and admins of an organisation) ------------------------------------


def _may_import(request: HttpRequest) -> bool:
    return bool(
        access.request_roles(request) & {access.HR, access.ADMIN}
        and request.user.organisation_id is not None
    )


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest) -> HttpResponse:
    """Upload a people file: it is checked (nothing changes) and its preview shown."""
    from scopegrowth.models import PeopleImport
    from scopegrowth.people_import import apply as importing

    if not _may_import(request):
        raise Http404("No such page")
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = importing.preview(
            content,
            organisation=request.user.organisation,
            actor=request.user,
            deactivate_missing=form.cleaned_data["deactivate_missing"],
        )
        job = PeopleImport.objects.create(
            organisation=request.user.organisation,
            uploaded_by=request.user,
            filename=upload.name[:200],
            content=b"" if plan.errors else content,
            deactivate_missing=form.cleaned_data["deactivate_missing"],
            invite=form.cleaned_data["invite"],
            status=PeopleImport.Status.INVALID if plan.errors else PeopleImport.Status.PREVIEW,
            summary=plan.summary(),
        )
        return redirect("people_import_detail", pk=job.pk)
    jobs = access.scope(request.user, "view", PeopleImport).select_related("uploaded_by")[:10]
    return render(request, "scopegrowth/people_import.html", {"form": form, "jobs": jobs})


@login_required
@require_GET
def people_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.core.cache import cache

    from scopegrowth.models import PeopleImport
    from scopegrowth.people_import import apply as importing

    job = access.get_or_404(request.user, "view", PeopleImport, pk=pk)
    return render(
        request,
        "scopegrowth/people_import_detail.html",
        {
            "job": job,
            "summary": job.summary,
            "progress": cache.get(importing.progress_key(job.pk)),
            "can_apply": job.status == PeopleImport.Status.PREVIEW
            and access.can(request.user, "apply", job),
        },
    )


@login_required
@require_http_methods(["POST"])
def people_import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    from scopegrowth.models import PeopleImport
    from scopegrowth.people_import import apply as importing

    job = access.get_or_404(request.user, "apply", PeopleImport, pk=pk)
    try:
        importing.queue(actor=request.user, job=job)
        messages.success(request, "The file is being applied. This page shows its progress.")
    except importing.ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("people_import_detail", pk=job.pk)
