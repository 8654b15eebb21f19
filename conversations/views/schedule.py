"""The dashboard, the individual's list, scheduling, rescheduling, cancelling and the invite."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from conversations import calendar, selectors, services
from conversations.dashboard_markup import rows_html
from conversations.forms import CancelForm, ScheduleForm
from conversations.models import Conversation
from conversations.policies import can_use_dashboard
from conversations.views.common import fetch_conversation, with_version
from scopegrowth import access, registry
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

# =============================================================================
# Lists
# =============================================================================


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_use_dashboard(request.user, access.request_roles(request)):
        raise Http404("No dashboard")
    board = selectors.dashboard_rows(
        request.user,
        sort=request.GET.get("sort", "name"),
        filters={
            "action": request.GET.get("action", ""),
            "team": request.GET.get("team", ""),
            "q": request.GET.get("q", "").strip()[:100],
        },
    )
    return render(
        request,
        "conversations/dashboard.html",
        {
            "board": board,
            "rows_html": rows_html(board.rows),  # the table's rows, written in Python (issue 20)
            # Panels a higher floor adds (issue 19: a round's completion of the manager's own
            # reports); each panel names its own template.
            "panels": registry.provide("dashboard.panels", request.user, default=[]),
        },
    )


@login_required
@require_http_methods(["GET"])
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = selectors.my_conversations(request.user)
    facilitated = selectors.facilitated_conversations(request.user)
    now = timezone.now()
    # A cancelled conversation whose date has not come is not "earlier": it is listed apart.
    called_off = [
        c
        for c in conversations
        if c.status == Conversation.Status.CANCELLED and c.scheduled_at > now
    ]
    return render(
        request,
        "conversations/conversation_list.html",
        {
            "upcoming": [c for c in conversations if c.is_open],
            "past": [c for c in conversations if not c.is_open and c not in called_off],
            "called_off": called_off,
            "facilitating": [c for c in facilitated if c.is_open],
            "facilitated": [c for c in reversed(facilitated) if not c.is_open],
        },
    )


# =============================================================================
# Scheduling
# =============================================================================


def _schedule_error(form, exc: RuleError) -> list[tuple[str, str]]:
    """Put the refusal on its field; return the links a clash offers (to the other
    conversation, and to change its date)."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))
    return list(getattr(exc, "links", []))


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def conversation_schedule(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = access.get_or_404(
        request.user, "facilitate", User.objects.select_related("team"), pk=person_pk
    )
    form = ScheduleForm(request.POST or None)
    clash_links: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid() and "scheduled_at" in form.cleaned_data:
        data = form.cleaned_data
        try:
            conversation = services.conversation_schedule(
                actor=request.user,
                individual=person,
                scheduled_at=data["scheduled_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                agenda=data.get("agenda", ""),
            )
        except RuleError as exc:
            clash_links = _schedule_error(form, exc)
        else:
            messages.success(
                request,
                f"Conversation scheduled for {services.when_text(conversation.scheduled_at)}. "
                f"We are emailing you and {person.full_name} a calendar invite.",
            )
            return redirect("conversations:detail", pk=conversation.pk)
    upcoming = (
        access.scope(request.user, "view", Conversation)
        .filter(individual=person, status__in=selectors.OPEN_STATUSES)
        .order_by("scheduled_at")
    )
    return render(
        request,
        "conversations/conversation_schedule.html",
        {
            "form": form,
            "person": person,
            "upcoming": list(upcoming),
            "clash_links": clash_links,
        },
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def conversation_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = fetch_conversation(request, "facilitate", pk)
    form = ScheduleForm(request.POST or None, instance=conversation)
    conflict = None
    clash_links: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid() and "scheduled_at" in form.cleaned_data:
        data = form.cleaned_data
        try:
            conversation = services.conversation_reschedule(
                actor=request.user,
                conversation=conversation,
                scheduled_at=data["scheduled_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                agenda=data.get("agenda", ""),
                version=data.get("version") or 0,
            )
        except services.StaleVersion as exc:
            conflict = exc.saved
            form.add_error(None, str(exc))
            with_version(form, "version", exc.version)
        except RuleError as exc:
            clash_links = _schedule_error(form, exc)
        else:
            messages.success(
                request,
                f"Conversation changed to {services.when_text(conversation.scheduled_at)}. "
                "We are emailing you both the updated calendar invite.",
            )
            return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request,
        "conversations/conversation_reschedule.html",
        {
            "form": form,
            "conversation": conversation,
            "conflict": conflict,
            "clash_links": clash_links,
        },
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def conversation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = fetch_conversation(request, "facilitate", pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_cancel(
                actor=request.user, conversation=conversation, reason=form.cleaned_data["reason"]
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Conversation cancelled. We are emailing you both a cancellation for your "
                "calendars.",
            )
            return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request,
        "conversations/conversation_cancel.html",
        {"form": form, "conversation": conversation},
    )


@login_required
@require_http_methods(["GET"])
def invite_download(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = fetch_conversation(request, "download_invite", pk)
    response = HttpResponse(
        calendar.invite_ics(conversation),
        content_type=f"text/calendar; charset=utf-8; method={calendar.method(conversation)}",
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename(conversation)}"'
    response["Cache-Control"] = "no-store, private"
    return response
