"""What the plan forms share: the date input, the crispy helper, the length message."""

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
