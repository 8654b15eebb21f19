"""What the plan forms share: the date input, the crispy helper, the length message, and
choices with a hint each."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


def inline_helper() -> FormHelper:
    """Fields only: the page template owns the <form>, the CSRF token and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"This can be up to {limit:,} characters: shorten it, then save."}


class HintedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes of model choices, each with the chosen object's `description` as its hint
    (rendered by `nhsuk/layout/choices.html`, tied to the box with aria-describedby)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = getattr(getattr(value, "instance", None), "description", "") or ""
        return option
