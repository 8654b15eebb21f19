"""Every change to a development plan: actor first, access checked again, one transaction, audited.

Views, tasks and commands call these (`from devplans import services`); none of them writes plan
rows itself. By sub-domain: `plans` (start, edit), `signoff` (sign, reopen), `handover`
(completing the conversation from its plan), `progress`
(progress, reviews, audited reads), `checkins` (check-ins between
reviews); HR's CSV and bulk ZIP are in `devplans.export_services`
(start, download, purge) and `devplans.export_build` (the tasks' bodies and the sweep).
"""

from devplans.export_build import plan_export_build, plan_export_build_part, plan_exports_sweep
from devplans.export_services import (
    ACTIVE as ACTIVE_EXPORT,
)
from devplans.export_services import (
    EXPORT_LIFETIME,
    EXPORT_MAX_PLANS,
    EXPORTS_PER_HOUR,
    ExportRefused,
    export_name,
    plan_csv_exported,
    plan_export_file,
    plan_export_start,
    plan_exports_purge,
    plan_list_viewed,
)
from devplans.export_storage import export_storage
from devplans.services.checkins import plan_check_in_record
from devplans.services.handover import plan_conversation_complete
from devplans.services.plans import (
    CONFLICT_MESSAGE,
    LOCKED_MESSAGE,
    ObjectiveInput,
    PlanConflict,
    ReviewInput,
    date_problem,
    default_review_dates,
    horizon_for,
    plan_save,
    plan_start_from_conversation,
    plan_start_from_stage_three,
)
from devplans.services.progress import (
    objective_progress_record,
    plan_pdf,
    plan_review_record,
    plan_viewed,
)
from devplans.services.signoff import plan_reopen, plan_sign

__all__ = [
    "ACTIVE_EXPORT",
    "CONFLICT_MESSAGE",
    "EXPORTS_PER_HOUR",
    "EXPORT_LIFETIME",
    "EXPORT_MAX_PLANS",
    "LOCKED_MESSAGE",
    "ExportRefused",
    "ObjectiveInput",
    "PlanConflict",
    "ReviewInput",
    "date_problem",
    "default_review_dates",
    "export_name",
    "export_storage",
    "horizon_for",
    "objective_progress_record",
    "plan_check_in_record",
    "plan_conversation_complete",
    "plan_csv_exported",
    "plan_export_build",
    "plan_export_build_part",
    "plan_export_file",
    "plan_export_start",
    "plan_exports_purge",
    "plan_exports_sweep",
    "plan_list_viewed",
    "plan_pdf",
    "plan_reopen",
    "plan_review_record",
    "plan_save",
    "plan_sign",
    "plan_start_from_conversation",
    "plan_start_from_stage_three",
    "plan_viewed",
]
