"""Input shape and field validation for the journal pages.

The section form is built from the question bank (one field per question asked now). Its
textareas are rendered by `templates/journals/_question.html`, not crispy: the NHS character
count reads its limit from `data-maxlength` on the wrapper, and a `maxlength` attribute on the
textarea itself would make browsers cut pasted text silently.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from journals.models import ANSWER_MAX_LENGTH, SCALE_VALUES, Question
from journals.services import SectionAnswers, normalise
from scopegrowth.framework import growth_field, impact_field
from scopegrowth.models import ImpactLevel

POSITION_FIELDS = ("now_growth", "now_impact", "future_growth", "future_impact")


def field_name(question: Question) -> str:
    return f"q_{question.pk}"


def validate_answer_length(value: str) -> None:
    if len(value) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            f"This answer is {len(value):,} characters long. Answers can be up to "
            f"{ANSWER_MAX_LENGTH:,} characters: shorten it, then save again. "
            "Nothing has been saved.",
            code="max_length",
        )


class AnswerField(forms.CharField):
    """Free text kept exactly as typed (not trimmed, never cut); CRLF counted as one character."""

    widget = forms.Textarea

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.validators.append(validate_answer_length)

    def to_python(self, value: Any) -> str:
        return normalise(super().to_python(value))


class SectionForm(forms.Form):
    """One section's questions. `asked` lists the question ids the page showed, so a question
    whose radios were left empty is told apart from a question that was not on the page."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "This page was incomplete. Reload the page and try again.",
            "invalid": "This page was incomplete. Reload the page and try again.",
        },
    )
    asked = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        impact_levels: list[ImpactLevel],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.impact_levels = {str(level.pk): level for level in impact_levels}
        self.fields["asked"].initial = ",".join(str(q.pk) for q in questions)
        for question in questions:
            name = field_name(question)
            hint = question.hint
            if getattr(question, "asked_now", ""):  # reworded since it was answered
                hint = (
                    f"You answered this as worded above. It is now asked as: {question.asked_now}"
                )
            if question.kind == Question.Kind.SCALE_0_10:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    help_text=hint,
                    required=False,
                    choices=[(v, v) for v in SCALE_VALUES],
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": "Choose a number from 0 to 10."},
                )
            elif question.kind == Question.Kind.POSITION:
                self.fields["now_growth"] = growth_field("Growth now")
                self.fields["now_impact"] = impact_field("Impact now", impact_levels)
                self.fields["future_growth"] = growth_field("Growth in two years")
                self.fields["future_impact"] = impact_field("Impact in two years", impact_levels)
                self.fields[name] = AnswerField(label="Why?")
            else:
                self.fields[name] = AnswerField(label=question.text, help_text=hint)

    def asked_ids(self) -> set[int]:
        raw = self.cleaned_data.get("asked") or ""
        known = {q.pk for q in self.questions}
        ids = set()
        for part in raw.split(","):
            if part.strip().isdigit() and int(part) in known:
                ids.add(int(part))
        return ids

    def answers(self) -> SectionAnswers:
        """The submission for `journal_section_save` (cleaned data only)."""
        asked = self.asked_ids()
        texts: dict[int, str] = {}
        position = None
        for question in self.questions:
            if question.pk not in asked:
                continue
            texts[question.pk] = self.cleaned_data.get(field_name(question)) or ""
            if question.kind == Question.Kind.POSITION:
                position = {
                    "now_growth": self.cleaned_data.get("now_growth") or "",
                    "now_impact": self.impact_levels.get(self.cleaned_data.get("now_impact") or ""),
                    "future_growth": self.cleaned_data.get("future_growth") or "",
                    "future_impact": self.impact_levels.get(
                        self.cleaned_data.get("future_impact") or ""
                    ),
                }
        return SectionAnswers(texts=texts, position=position)

    def draft_data(self) -> dict[str, str]:
        """What to keep when the session has expired: the raw values of this form's fields."""
        return {
            name: self.data.get(name, "")
            for name in self.fields
            if isinstance(self.data.get(name), str)
        }

    @staticmethod
    def has_text(data: Any) -> bool:
        """Did a (raw) submission carry any answer at all?"""
        return any(
            (key.startswith("q_") or key in POSITION_FIELDS) and str(value).strip()
            for key, value in data.items()
        )


class ShareForm(forms.Form):
    """Who may read a section. The section page posts `choose=1` with a checkbox per person
    who supports the owner now (`readers`: exactly those ticked); the overview's buttons post
    `shared` (1: everyone who supports the owner now, 0: nobody)."""

    shared = forms.TypedChoiceField(
        choices=[("1", "Share"), ("0", "Stop sharing")],
        coerce=lambda v: v == "1",
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose whether to share this section."},
    )
    choose = forms.BooleanField(required=False, widget=forms.HiddenInput)
    readers = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, supporters: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["readers"].choices = [
            (user.pk, f"{user.full_name} (your {relation})") for user, relation in supporters
        ]
        self.fields["readers"].error_messages["invalid_choice"] = (
            "You can share a section only with the people who support you now."
        )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("choose") and data.get("shared") is None and not self.errors:
            raise forms.ValidationError("Choose whether to share this section.")
        return data


class NewJournalForm(forms.Form):
    copy_previous = forms.BooleanField(
        label="Start from the answers in my last journal",
        required=False,
        help_text="You can change them. Nothing is shared until you share it again.",
    )
    confirm = forms.BooleanField(
        label="I understand my current journal will become read-only",
        required=False,
    )

    def __init__(self, *args: Any, has_open: bool, has_previous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_open = has_open
        if not has_previous:
            del self.fields["copy_previous"]
        if not has_open:
            del self.fields["confirm"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("start", "Start my journal", css_class="nhsuk-button"))

    def clean_confirm(self) -> bool:
        confirmed = self.cleaned_data.get("confirm")
        if self.has_open and not confirmed:
            raise ValidationError(
                "Confirm that your current journal will become read-only, or go back to it."
            )
        return confirmed
