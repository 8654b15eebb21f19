"""The facilitator's private stop / start / continue after a completed conversation."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from conversations.models import NOTE_MAX_LENGTH


class ReflectionForm(forms.Form):
    """Stop / start / continue: what the facilitator takes into their next conversation."""

    stop = forms.CharField(
        label="Stop: what will you stop doing in your next conversation?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
    )
    start = forms.CharField(
        label="Start: what will you start doing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
    )
    carry_on = forms.CharField(
        label="Continue: what worked, that you will keep doing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes <form> and the button
        self.helper.disable_csrf = True
        self.helper.template = "conversations/_crispy_fields.html"
