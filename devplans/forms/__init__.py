"""Input shape and field validation for the plan pages (no saving: the services do that).

By page: `edit` (the draft plan, objectives and review dates), `agreement` (sign, progress,
reviews), `hr` (HR's filters); `common` holds the shared date field (the NHS.UK day, month and
year boxes) and helpers. Views import from here (`from devplans.forms import PlanForm`).
"""

from devplans.forms.agreement import (
    CheckInForm,
    ProgressForm,
    ReopenForm,
    ReviewRecordForm,
    SignForm,
)
from devplans.forms.common import EXAMPLE_DATE, date_field
from devplans.forms.edit import (
    MAX_OBJECTIVES,
    ObjectiveForm,
    ObjectiveFormSet,
    PlanForm,
    ReviewDateForm,
    ReviewFormSet,
    objective_formset,
    objective_formset_class,
    review_formset,
    review_formset_class,
)
from devplans.forms.hr import PlanFilterForm, TeamChoiceField

__all__ = [
    "CheckInForm",
    "EXAMPLE_DATE",
    "MAX_OBJECTIVES",
    "ObjectiveForm",
    "ObjectiveFormSet",
    "PlanFilterForm",
    "PlanForm",
    "ProgressForm",
    "ReopenForm",
    "ReviewDateForm",
    "ReviewFormSet",
    "ReviewRecordForm",
    "SignForm",
    "TeamChoiceField",
    "date_field",
    "objective_formset",
    "objective_formset_class",
    "review_formset",
    "review_formset_class",
]
