"""What the plan forms share: the date field, the crispy helper, the length message, and
choices with a hint each."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from django import forms

from scopegrowth.forms import DateParts

EXAMPLE_DATE = date(2027, 3, 15)


def date_field(label: str, what: str, **kwargs) -> DateParts:
    """A plan date in the NHS.UK date input pattern (day, month and year boxes), with the
    hint "For example, 15 3 2027" and DateParts' message for each mistake."""
    return DateParts(label=label, what=what, example=EXAMPLE_DATE, **kwargs)


def inline_helper() -> FormHelper:
    """Fields only: the page template owns the <form>, the CSRF token and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"This can be up to {limit:,} characters: shorten it, then save."}


def optional_text(label: str, limit: int, *, rows: int = 4, help_text: str = "") -> forms.CharField:
    """An optional free-text box with the plan's length limit and its message."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=limit,
        error_messages=too_long(limit),
    )


class HintedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes of model choices, each with the chosen object's `description` as its hint
    (rendered by `nhsuk/layout/choices.html`, tied to the box with aria-describedby)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = getattr(getattr(value, "instance", None), "description", "") or ""
        return option
