"""Who may do what to a plan and a bulk export (registered with `scopegrowth.access` at
start-up).

The aspirational development plan (issue 5). The individual and their current facilitators
see and (while it is a draft) edit it; each signs only for themself; HR of the same
organisation sees agreed plans (never drafts, journals or notes); admins: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from devplans.models import Plan
from scopegrowth import access
from scopegrowth.access import COACH, HR, INDIVIDUAL, MANAGER, NOTHING, Policy
from scopegrowth.models import User


class PlanPolicy(Policy):
    """Actions on a `devplans.Plan` (one version): the individual and current facilitators;
    HR of the organisation once it is agreed (never drafts, journals or notes)."""

    actions = frozenset(
        {
            "view",
            "download_pdf",
            "edit",
            "sign",
            "update_progress",
            "record_review",
            "check_in",
            "reopen",
            "export",
            "remind",
        }
    )
    system_actions = frozenset({"remind"})

    who = {
        "view": (
            {INDIVIDUAL, MANAGER, COACH, HR},
            "the individual; current facilitators; HR of the organisation once agreed",
        ),
        "download_pdf": ({INDIVIDUAL, MANAGER, COACH, HR}, "as view"),
        "edit": (
            {INDIVIDUAL, MANAGER, COACH},
            "the individual and current facilitators, on a draft",
        ),
        "sign": ({INDIVIDUAL, MANAGER, COACH}, "each for themself, on a draft"),
        "update_progress": ({INDIVIDUAL}, "the individual, on the agreed version"),
        "record_review": ({MANAGER, COACH}, "current facilitators, on the agreed version"),
        "check_in": (
            {INDIVIDUAL, MANAGER, COACH},
            "record and read check-ins: the individual and current facilitators, on the agreed "
            "version or a reopened draft of it",
        ),
        "reopen": (
            {INDIVIDUAL, MANAGER, COACH},
            "the individual and current facilitators, on the agreed version",
        ),
        "export": ({HR}, "HR of the organisation: agreed plans (list, CSV, ZIP)"),
        "remind": (frozenset(), "system only: plan reminders"),
    }

    def q(self, user: Any, action: str) -> Q:
        own = Q(individual=user.pk)
        facilitators = access.facilitated_people_q(user, prefix="individual__") & ~own
        agreed = Q(agreed_at__isnull=False)
        hr = NOTHING
        if HR in access.roles(user):
            hr = access.same_organisation_q(user, prefix="individual__") & agreed
        if action in ("view", "download_pdf"):
            return own | facilitators | hr
        if action == "export":
            return hr
        if action in ("edit", "sign"):
            return (own | facilitators) & Q(status=Plan.Status.DRAFT)
        if action == "update_progress":
            return own & Q(status=Plan.Status.AGREED)
        if action == "record_review":
            return facilitators & Q(status=Plan.Status.AGREED)
        if action == "check_in":
            live = Q(status=Plan.Status.AGREED) | Q(
                status=Plan.Status.DRAFT, reopened_at__isnull=False
            )
            return (own | facilitators) & live
        if action == "reopen":
            return (own | facilitators) & Q(status=Plan.Status.AGREED)
        return NOTHING

    def check(self, user: Any, action: str, obj: Any) -> bool | None:
        """`view` in memory for the individual and a current facilitator: `q`'s `own` and
        `facilitators` read only the plan's individual, who never changes, and whether the
        user manages or coaches them now (read like `facilitated_people_q` reads it). HR's
        rule (same organisation, agreed) is asked of the database."""
        if action in ("view", "download_pdf"):
            if obj.individual_id == user.pk:
                return True
            if access.facilitates(user, User(pk=obj.individual_id)):
                return True
        return None


class ExportJobPolicy(Policy):
    """A bulk export is visible and downloadable only by the HR user who started it, while
    they are still HR."""

    actions = frozenset({"view", "download"})
    who = {
        "view": ({HR}, "the HR user who started it, while still HR"),
        "download": ({HR}, "the HR user who started it, while still HR"),
    }

    def q(self, user: Any, action: str) -> Q:
        if action in ("view", "download") and HR in access.roles(user):
            return Q(requested_by=user.pk)
        return NOTHING


access.register("devplans.plan", PlanPolicy())
access.register("devplans.exportjob", ExportJobPolicy())
