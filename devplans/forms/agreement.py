"""Signing a plan, and what follows its agreement: progress on objectives, recorded reviews."""

from __future__ import annotations

from typing import Any

from django import forms

from devplans.forms.common import date_field, inline_helper, optional_text, too_long
from devplans.models import REASON_MAX_LENGTH, TEXT_MAX_LENGTH, Objective, Plan, Review

# =============================================================================
# Sign, progress, review
# =============================================================================


class SignForm(forms.Form):
    """The version the person read: a signature is refused if the plan changed since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReopenForm(forms.Form):
    """Why an agreed plan is reopened: asked before anything changes, shown on the plan."""

    reason = forms.CharField(
        label="Why are you reopening the plan?",
        help_text="The other person reads this on the plan. It is not sent by email.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "Enter why you are reopening the plan",
            **too_long(REASON_MAX_LENGTH),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


class ProgressForm(forms.Form):
    """One objective's progress (the page has one such form per objective, each prefixed)."""

    status = forms.ChoiceField(
        label="Status",
        choices=Objective.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the objective's status"},
    )
    note = optional_text(
        "Progress note (optional)",
        TEXT_MAX_LENGTH,
        rows=3,
        help_text="What has happened since the last update? The date is added for you.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


class ReviewRecordForm(forms.Form):
    review = forms.ModelChoiceField(
        label="Which review was this?",
        queryset=Review.objects.none(),
        required=False,
        empty_label="An extra review, not one of the planned dates",
        error_messages={"invalid_choice": "Choose one of the planned reviews listed."},
    )
    held_on = date_field("Date the review was held", "the date the review was held")
    notes = forms.CharField(
        label="What was reviewed and agreed",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "required": "Write what was reviewed and agreed",
            **too_long(TEXT_MAX_LENGTH),
        },
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = plan.reviews.filter(held_on__isnull=True).order_by(
            "due_on"
        )
        self.fields["review"].label_from_instance = lambda r: f"Due {r.due_on:%d/%m/%Y}"
        self.helper = inline_helper()


class CheckInForm(forms.Form):
    """A light check-in between reviews: when it was held, what progressed, what is blocked."""

    held_on = date_field("Date of the check-in", "the date of the check-in")
    progressed = optional_text(
        "What has progressed since the last check-in or review?", TEXT_MAX_LENGTH
    )
    blocked = optional_text("What is blocked, and what would help?", TEXT_MAX_LENGTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()
