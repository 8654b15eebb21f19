"""Plan pages: fetch through `access`, bind a form, call one service, redirect or render.

By responsibility: `plan` (the individual's and the facilitator's pages), `flow` (an agreed
plan asked to be edited, reopening with a reason, completing the conversation), `hr` (HR's list and
the HR check), `downloads` (the PDF, HR's CSV and bulk export), `person` (the
person page a supporter reads), `checkins` (recording a check-in). devplans/urls.py uses the names
re-exported here.
"""

from devplans.views.checkins import plan_check_in
from devplans.views.downloads import (
    hr_plan_csv,
    hr_plan_export,
    hr_plan_export_download,
    plan_pdf,
)
from devplans.views.flow import plan_conversation_complete, plan_reopen
from devplans.views.hr import hr_plan_list
from devplans.views.person import person_detail
from devplans.views.plan import (
    plan_detail,
    plan_edit,
    plan_mine,
    plan_progress,
    plan_review,
    plan_sign,
)

__all__ = [
    "plan_check_in",
    "hr_plan_csv",
    "hr_plan_export",
    "hr_plan_export_download",
    "hr_plan_list",
    "person_detail",
    "plan_conversation_complete",
    "plan_detail",
    "plan_edit",
    "plan_mine",
    "plan_pdf",
    "plan_progress",
    "plan_reopen",
    "plan_review",
    "plan_sign",
]
