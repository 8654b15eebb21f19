"""The journal as a whole: current, new, overview, history, ready, who has read it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from journals import selectors, services
from journals.forms import NewJournalForm
from journals.policies import journal_facilitators, ready_audience
from journals.views.common import journals_qs
from scopegrowth import access
from scopegrowth.exceptions import RuleError


@login_required
@require_http_methods(["GET"])
def journal_current(request: HttpRequest) -> HttpResponse:
    journal = selectors.open_journal(request.user)
    if journal is None:
        return redirect("journals:new")
    return redirect("journals:overview", pk=journal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def journal_new(request: HttpRequest) -> HttpResponse:
    history = selectors.journal_history(request.user)
    current = next((j for j in history if j.is_open), None)
    form = NewJournalForm(
        request.POST if request.method == "POST" else None,
        has_open=current is not None,
        has_previous=bool(history),
    )
    if request.method == "POST" and form.is_valid():
        try:
            journal = services.journal_start_new(
                actor=request.user, copy_previous=form.cleaned_data.get("copy_previous", False)
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Your journal for conversation cycle {journal.cycle} is ready."
            )
            return redirect("journals:overview", pk=journal.pk)
    return render(
        request,
        "journals/journal_new.html",
        {"form": form, "current": current, "history": history},
    )


@login_required
@require_http_methods(["GET"])
def journal_overview(request: HttpRequest, pk: int) -> HttpResponse:
    journal = access.get_or_404(request.user, "view", journals_qs(), pk=pk)
    overview = selectors.journal_overview(user=request.user, journal=journal)
    is_owner = access.can(request.user, "own", journal)
    if not is_owner:
        services.journal_viewed(actor=request.user, journal=journal)
    return render(
        request,
        "journals/journal_overview.html",
        {
            "journal": journal,
            "overview": overview,
            "is_owner": is_owner,
            "can_edit": access.can(request.user, "edit", journal),
            "can_mark_ready": access.can(request.user, "mark_ready", journal),
            "next_conversation": selectors.next_conversation(journal) if is_owner else None,
        },
    )


@login_required
@require_http_methods(["GET"])
def journal_history(request: HttpRequest) -> HttpResponse:
    history = selectors.journal_history(request.user)
    return render(
        request,
        "journals/journal_history.html",
        {
            "current": next((j for j in history if j.is_open), None),
            "earlier": [j for j in history if not j.is_open],
        },
    )


@login_required
@require_http_methods(["POST"])
def journal_ready(request: HttpRequest, pk: int) -> HttpResponse:
    journal = access.get_or_404(request.user, "own", journals_qs(), pk=pk)
    if request.POST.get("confirm") != "empty" and not journal.ready_at:
        overview = selectors.journal_overview(user=request.user, journal=journal)
        if overview.answered == 0:  # an empty journal: ask once (issue 15)
            return render(
                request,
                "journals/journal_ready_confirm.html",
                {"journal": journal, "overview": overview},
            )
    try:
        marked = services.journal_mark_ready(actor=request.user, journal=journal)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        if not marked:
            messages.info(request, "You have already said your journal is ready.")
        elif told := ready_audience(journal):
            names = " and ".join(f"{user.full_name} (your {rel})" for user, rel, _ in told)
            messages.success(
                request,
                f"Your journal is marked ready. We have let {names} know: only the people you "
                "shared a section with are told (the email does not include any of your "
                "answers).",
            )
        elif journal_facilitators(journal):
            messages.success(
                request,
                "Your journal is marked ready. You have not shared any section with the people "
                "who support you, so nobody has been told. Share a section to let them read it.",
            )
        else:
            messages.success(
                request,
                "Your journal is marked ready. You have no line manager or coach recorded yet, "
                "so nobody has been told.",
            )
    return redirect("journals:overview", pk=journal.pk)


@login_required
@require_http_methods(["GET"])
def journal_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    journal = access.get_or_404(request.user, "view_access_log", journals_qs(), pk=pk)
    return render(
        request,
        "journals/journal_access_log.html",
        {"journal": journal, "log": selectors.access_log(journal)},
    )
