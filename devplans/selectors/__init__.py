"""Read models for the plan pages: each starts from an `access` scope and loads what the page
shows in a fixed number of queries.

By responsibility: `plans` (the individual's and the facilitator's plans, one plan with its
content, what the conversation pages and the dashboard show of a plan), `diff` (what changed
between versions, and a refused stale save), `hr` (HR's list, matrix, filters and exports).
Callers import from here (`from devplans import selectors`).
"""

from devplans.selectors.diff import (
    OBJECTIVE_FIELDS,
    PLAN_TEXT_FIELDS,
    FieldChange,
    ObjectiveChange,
    PlanDiff,
    plan_diff,
    save_conflict,
    word_segments,
)
from devplans.selectors.hr import (
    HR_FILTER_KEYS,
    PositionMatrix,
    agreed_plans_for_hr,
    apply_hr_filters,
    export_jobs_for,
    forget_hr_figures,
    hr_base,
    hr_figures,
    hr_filter_choices,
    hr_page,
    plans_for_export,
    position_matrix,
)
from devplans.selectors.person import Event, PersonPage, PlanLineage, person_page
from devplans.selectors.plans import (
    active_initiatives,
    conversation_has_plan,
    current_plan_for,
    dashboard_plan_columns,
    impact_levels_for,
    my_plans,
    plan_actions,
    plan_checkins,
    plan_conversation_links,
    plan_for_conversation,
    plan_queryset,
    plan_versions,
    plan_with_content,
    previous_version,
)

__all__ = [
    "HR_FILTER_KEYS",
    "OBJECTIVE_FIELDS",
    "PLAN_TEXT_FIELDS",
    "Event",
    "FieldChange",
    "ObjectiveChange",
    "PersonPage",
    "PlanDiff",
    "PlanLineage",
    "PositionMatrix",
    "active_initiatives",
    "agreed_plans_for_hr",
    "apply_hr_filters",
    "conversation_has_plan",
    "current_plan_for",
    "dashboard_plan_columns",
    "export_jobs_for",
    "hr_base",
    "hr_filter_choices",
    "forget_hr_figures",
    "hr_figures",
    "hr_page",
    "impact_levels_for",
    "my_plans",
    "plan_actions",
    "plan_checkins",
    "plan_conversation_links",
    "person_page",
    "plan_diff",
    "plan_for_conversation",
    "plan_queryset",
    "plan_versions",
    "plan_with_content",
    "plans_for_export",
    "position_matrix",
    "previous_version",
    "save_conflict",
    "word_segments",
]
