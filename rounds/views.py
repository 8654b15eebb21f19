"""HR's round pages (/hr/rounds/): list, new, a round's completion, open, extend, close, a
team's statuses and the CSV. HR of the round's organisation only (`rounds.policies`): others get
404, as if the pages did not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devplans import exports
from rounds import figures, services
from rounds.audience import window
from rounds.forms import ExtendForm, RoundForm
from rounds.models import Round
from rounds.policies import can_run_rounds
from rounds.selectors import rounds_for_hr, team_statuses
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError


def _require_hr(request: HttpRequest) -> None:
    if not can_run_rounds(request.user, access.request_roles(request)):
        raise Http404("No such page")


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    _require_hr(request)
    return render(request, "rounds/round_list.html", {"rounds": list(rounds_for_hr(request.user))})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    _require_hr(request)
    org = request.user.organisation_id
    form = RoundForm(request.POST or None, organisation_id=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        some = data["audience"] == "some"
        try:
            round_ = services.round_create(
                actor=request.user,
                name=data["name"],
                whole_organisation=not some,
                directorates=list(data["directorates"]) if some else [],
                teams=list(data["teams"]) if some else [],
                journal_ready_by=data["journal_ready_by"],
                conversation_held_by=data["conversation_held_by"],
                plan_agreed_by=data["plan_agreed_by"],
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The round is saved as a draft. Open it when it is ready.")
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "rounds/round_create.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_or_404(request.user, "view", _rounds_with_people, pk=pk)
    tally = figures.stored(round_, part="html")
    audit.record(request.user, "view_round", round_)
    return render(
        request,
        "rounds/round_detail.html",
        {"round": round_, "figures": mark_safe(tally.html), "audience": _audience_names(round_)},  # noqa: S308 - our own template's output
    )


def _rounds_with_people() -> QuerySet:
    """Rounds with who opened and closed them (the page's header)."""
    return Round.objects.select_related("opened_by", "closed_by")


def _audience_names(round_: Round) -> list[str]:
    if round_.whole_organisation:
        return ["The whole organisation"]
    names = [d.name for d in round_.directorates.order_by("name")]
    names += [t.name for t in round_.teams.order_by("name")]
    return names


def _act(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    round_ = access.get_or_404(request.user, "manage", Round, pk=pk)
    try:
        service(actor=request.user, round_=round_)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("rounds:detail", pk=round_.pk)


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        services.round_open,
        "The round is open. Everyone in it and their line managers are being emailed.",
    )


@login_required
@require_POST
def round_recount(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_or_404(request.user, "view", Round, pk=pk)
    figures.count(round_)
    messages.success(request, "The figures are counted again as of now.")
    return redirect("rounds:detail", pk=round_.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.round_close, "The round is closed. Its figures stay here.")


@login_required
@require_http_methods(["GET", "POST"])
def round_extend(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_or_404(request.user, "manage", Round, pk=pk)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_extend(
                actor=request.user,
                round_=round_,
                step=form.cleaned_data["step"],
                new_date=form.cleaned_data["new_date"],
            )
        except RuleError as exc:
            form.add_error("new_date", str(exc))
        else:
            messages.success(request, "The deadline is moved. Reminders follow the new date.")
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "rounds/round_extend.html", {"round": round_, "form": form})


@login_required
@require_GET
def round_team(request: HttpRequest, pk: int, team: int) -> HttpResponse:
    round_ = access.get_or_404(request.user, "view", Round, pk=pk)
    people = team_statuses(round_, team or None)
    if not people:
        raise Http404("Nobody of this team is in the round")
    audit.record(request.user, "view_round_team", round_, detail=f"team {team}")
    first = people[0]
    # A closed round's team list is the team as it was at the close (its name then).
    team_name = getattr(first, "team_at_close", None) or (first.team.name if team else "")
    judged_on = window(round_).judged_on
    late = {key: judged_on > round_.deadline(key) for key, _, _ in Round.STEPS}
    return render(
        request,
        "rounds/round_team.html",
        {"round": round_, "people": people, "team_name": team_name, "late": late},
    )


@login_required
@require_GET
def round_csv(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_or_404(request.user, "export", Round, pk=pk)
    # The file as the counting task wrote it (`rounds.report.csv_text`: BOM, header, neutralised
    # cells), or counted for this read when nothing is stored for the round as it is now.
    tally = figures.stored(round_, part="csv_text")
    audit.record(request.user, "export_round", round_)
    response = HttpResponse(tally.csv_text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    slug = exports.ascii_slug(round_.name) or "round"
    name = f"round-{slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = exports.attachment_header(name, name)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response
