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
from scopegrowth.access import HR, NOTHING, Policy


class PlanPolicy(Policy):
    """Actions on a `devplans.Plan` (one version).

    - view, download_pdf: the individual; current facilitators; HR of the individual's
      organisation once the plan has been agreed (agreed or a superseded agreed version).
    - edit, sign: the individual and current facilitators, on a draft.
    - update_progress: the individual, on the agreed version (no reopening needed).
    - record_review: current facilitators, on the agreed version (held with the individual).
    - reopen: the individual and current facilitators, on the agreed version.
    - export (HR list, CSV, bulk ZIP): HR of the same organisation, agreed plans only.
    - remind (system only).
    """

    actions = frozenset(
        {
            "view",
            "download_pdf",
            "edit",
            "sign",
            "update_progress",
            "record_review",
            "reopen",
            "export",
            "remind",
        }
    )
    system_actions = frozenset({"remind"})

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
        if action == "reopen":
            return (own | facilitators) & Q(status=Plan.Status.AGREED)
        return NOTHING


class ExportJobPolicy(Policy):
    """A bulk export is visible and downloadable only by the HR user who started it, while
    they are still HR."""

    actions = frozenset({"view", "download"})

    def q(self, user: Any, action: str) -> Q:
        if action in ("view", "download") and HR in access.roles(user):
            return Q(requested_by=user.pk)
        return NOTHING


access.register("devplans.plan", PlanPolicy())
access.register("devplans.exportjob", ExportJobPolicy())
