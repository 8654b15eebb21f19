"""Files that leave the service: one plan's PDF, HR's CSV, HR's bulk ZIP export (start,
progress, download). Never cached."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from devplans import exports, selectors, services
from devplans.models import ExportJob
from devplans.views.hr import filter_form, filter_query, require_hr
from scopegrowth import access, stepup
from scopegrowth.exceptions import RuleError


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response


@login_required
@require_http_methods(["GET"])
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_or_404(request.user, "download_pdf", selectors.plan_queryset(), pk=pk)
    pdf = services.plan_pdf(actor=request.user, plan=plan)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = exports.plan_pdf_disposition(plan)
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)


@login_required
@require_http_methods(["GET"])
def hr_plan_csv(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    form, filters = filter_form(request)
    if filters is None:
        messages.error(request, "Fix the filters below, then download the CSV again.")
        return redirect(f"{reverse('devplans:hr_list')}?{request.GET.urlencode()}")
    plans = selectors.agreed_plans_for_hr(request.user, filters)
    services.plan_csv_exported(actor=request.user, count=plans.count())
    rows = (exports.plan_csv_row(plan) for plan in plans.iterator(chunk_size=500))
    response = StreamingHttpResponse(
        exports.csv_lines(rows, exports.CSV_HEADER), content_type="text/csv; charset=utf-8"
    )
    name = f"agreed-plans-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = exports.attachment_header(name, name)
    return no_store(response)


@login_required
@require_http_methods(["GET", "POST"])
def hr_plan_export(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    status = 200
    if request.method == "POST":
        stepup.require_recent_password(request)  # many people's plans leave the service
        form, filters = filter_form(request, request.POST)
        if filters is not None:
            try:
                job, created = services.plan_export_start(actor=request.user, filters=filters)
            except services.ExportRefused as exc:
                form.add_error(None, str(exc))
                status = exc.status
            else:
                if created:
                    messages.success(
                        request,
                        f"Your export of {job.total} plan{'s' if job.total != 1 else ''} has "
                        "started. This page shows its progress.",
                    )
                else:
                    messages.info(
                        request,
                        "That export is already being built: its progress is shown below.",
                    )
                return redirect("devplans:hr_export")
    else:
        form, filters = filter_form(request)
    count = None
    if filters is not None:
        count = selectors.hr_base(request.user, filters).count()
    jobs = selectors.export_jobs_for(request.user)
    return render(
        request,
        "devplans/hr_export.html",
        {
            "form": form,
            "filters": filters or {},
            "count": count,
            "described": form.described() if filters else [],
            "jobs": jobs,
            "refresh": any(j.status in services.ACTIVE_EXPORT for j in jobs),
            "query": filter_query(filters),
            "max_plans": services.EXPORT_MAX_PLANS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def hr_plan_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_or_404(request.user, "download", ExportJob, pk=pk)
    try:
        file = services.plan_export_file(actor=request.user, job=job)
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect("devplans:hr_export")
    name = f"development-plans-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.zip"
    # Streamed from the exports storage (local folder or object storage); closed when sent.
    response = FileResponse(file, content_type="application/zip")
    response["Content-Disposition"] = exports.attachment_header(name, name)
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)
