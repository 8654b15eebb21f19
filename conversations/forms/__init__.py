"""Input shape and field validation for the conversation pages (crispy "nhsuk" pack).

Forms never save: views pass `cleaned_data` to a service. Dates and times are entered in UK time
(Europe/London) and stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms
from django.utils import timezone

from conversations.models import NOTE_MAX_LENGTH, Conversation, Preparation
from conversations.services import PREPARATION_FIELDS
from scopegrowth.forms import DateParts, TimeText
from scopegrowth.framework import (
    GROWTH_CHOICES,
    growth_field,
    growth_help,
    impact_field,
    impact_help,
)
from scopegrowth.models import ImpactLevel


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template writes <form>, the CSRF token and the buttons
    helper.disable_csrf = True
    helper.template = "conversations/_crispy_fields.html"  # the summary is at the page top
    return helper


def _note(label: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"This can be up to {NOTE_MAX_LENGTH:,} characters. Shorten it, then "
            "save again. Nothing has been saved."
        },
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "This page was incomplete. Reload the page and try again.",
            "invalid": "This page was incomplete. Reload the page and try again.",
        },
    )


# =============================================================================
# Scheduling
# =============================================================================


class ScheduleForm(forms.ModelForm):
    """Schedule or reschedule: date and start time in UK time, length, place, agenda note."""

    date = DateParts(label="Date", what="the date of the conversation")
    time = TimeText(label="Start time (UK time)", what="the start time")
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        help_text="The first conversation usually takes about two hours (120 minutes).",
        min_value=15,
        max_value=480,
        initial=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the length in minutes",
            "invalid": "Enter the length as a number of minutes, for example 120",
            "min_value": "The length must be at least 15 minutes",
            "max_value": "The length can be up to 480 minutes (8 hours)",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    field_order = ["date", "time", "duration_minutes", "location", "agenda", "version"]

    class Meta:
        model = Conversation
        fields = ["duration_minutes", "location", "agenda"]
        labels = {
            "location": "Place or video-call link",
            "agenda": "Agenda note (optional)",
        }
        help_texts = {
            "location": "A room, or the link to the video call.",
            "agenda": "This goes into the calendar invite, so keep anything personal out of it.",
        }
        widgets = {"agenda": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"location": {"required": "Enter a place or a video-call link"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        if self.instance.pk and not self.is_bound:
            when = timezone.localtime(self.instance.scheduled_at)
            self.initial.update(
                date=when.date(),
                time=when.time().replace(second=0, microsecond=0),
                version=self.instance.version,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start = data.get("date"), data.get("time")
        if day is not None and start is not None:
            zone = timezone.get_default_timezone()
            naive = datetime.combine(day, start.replace(second=0, microsecond=0))
            aware = naive.replace(tzinfo=zone)
            if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
                self.add_error(
                    "time",
                    "That time does not exist on that day in the UK because the clocks go "
                    "forward. Choose another time.",
                )
            else:
                data["scheduled_at"] = aware
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling?",
        help_text="You both see this in ScopeGrowth. It is not put in the calendar cancellation.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give a reason for cancelling",
            "max_length": "The reason can be up to 500 characters",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# =============================================================================
# Preparation
# =============================================================================


class PreparationForm(forms.ModelForm):
    """The facilitator's private preparation."""

    view_now_growth = forms.ChoiceField(
        label="Growth now",
        choices=[("", "Not decided yet"), *GROWTH_CHOICES],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose depth, breadth or stretch"},
    )
    hand_over = forms.BooleanField(
        label="Hand this preparation over",
        help_text=(
            "Whoever holds this conversation after you (for example a new line manager) may "
            "then read it. Untick to keep it to yourself. Your stage notes are never handed over."
        ),
        required=False,
    )
    version = _version()

    class Meta:
        model = Preparation
        fields = list(PREPARATION_FIELDS)
        labels = {
            "evidence_feedback": "360° feedback",
            "evidence_one_to_ones": "Earlier one-to-ones",
            "evidence_performance": (
                "Performance and work outputs against expected behaviours and competence"
            ),
            "strengths": "Their strengths, as you see them",
            "development_areas": "Their development areas, as you see them",
            "national_indicators": "Context from national indicators",
            "adjustments": "Are reasonable adjustments needed to support their aspirations?",
            "adjustments_notes": "Notes on adjustments (optional)",
            "planner_notes": "Your own planner questions",
            "planner_accomplishments": "Accomplishments: their successes, as you see them",
            "planner_motivation": "Motivation: the kind of work that draws them",
            "planner_personal_style": "Personal style: how they prefer to work",
            "planner_learning_style": "Learning style: how they prefer to develop",
            "planner_skills": "Skills and behaviours: their functional and transferable skills",
            "self_check": "Your self-check",
            "view_now_impact": "Impact now",
            "view_evidence": "Your evidence for that view",
        }
        help_texts = {
            "national_indicators": (
                "Individual, team and organisational results against the NHS Staff Survey, "
                "WRES, MWRES and WDES."
            ),
            "planner_notes": "Questions you want to ask, from the career planner or your own.",
            "planner_accomplishments": (
                "The career planner asks them about their successes and their impact on their "
                "development. Which would you name?"
            ),
            "planner_motivation": (
                "Their career interest patterns: what have you seen them take on gladly?"
            ),
            "planner_personal_style": "Their preferred ways of working, as you have seen them.",
            "planner_learning_style": "How have you seen them learn best?",
            "planner_skills": "The skills and behaviours you would point to, with an example.",
            "self_check": (
                "Blind spots and biases, identity and privilege, belonging and "
                "microaggressions: what might shape how you hear this person?"
            ),
        }
        error_messages = {
            name: {
                "max_length": f"This can be up to {NOTE_MAX_LENGTH:,} characters. Shorten it, "
                "then save again. Nothing has been saved."
            }
            for name in PREPARATION_FIELDS
            if name not in ("adjustments", "view_now_growth", "view_now_impact")
        }
        widgets = {
            "adjustments": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in PREPARATION_FIELDS
                if name not in ("adjustments", "view_now_growth", "view_now_impact")
            },
        }

    def __init__(self, *args: Any, impact_levels: list[ImpactLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["view_now_impact"] = forms.ModelChoiceField(
            label="Impact now",
            queryset=ImpactLevel.objects.filter(pk__in=[lvl.pk for lvl in impact_levels]),
            required=False,
            blank=True,
            empty_label="Not decided yet",
            widget=forms.RadioSelect,
            help_text=impact_help(impact_levels),
            error_messages={"invalid_choice": "Choose one of the impact levels listed"},
        )
        self.fields["view_now_growth"].help_text = growth_help()
        for name in PREPARATION_FIELDS:
            field = self.fields[name]
            if isinstance(field.widget, forms.Textarea):
                field.strip = False
        self.helper = _helper()

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PREPARATION_FIELDS}


# =============================================================================
# Stages
# =============================================================================


class StageForm(forms.Form):
    """One stage's notes (the facilitator's own). Without `private` (the presentation view) only
    the agreed summary is on the form; with `position` (stage 2) the agreed position is too."""

    version = _version()

    def __init__(
        self,
        *args: Any,
        private: bool = True,
        position: bool = False,
        impact_levels: list[ImpactLevel] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.private = private
        self.position = position
        if private:
            self.fields["facilitator_notes"] = _note(
                "Your notes",
                "Only you see these, not a co-facilitator. They are hidden in the presentation "
                "view.",
                rows=4,
            )
        self.fields["agreed_summary"] = _note(
            "Agreed summary", "What you agree together. You both see this.", rows=4
        )
        if position:
            levels = impact_levels or []
            self.impact_levels = {str(lvl.pk): lvl for lvl in levels}
            self.fields["conversation_version"] = _version()
            self.fields["agreed_now_growth"] = growth_field("Growth now")
            self.fields["agreed_now_impact"] = impact_field("Impact now", levels)
            self.fields["agreed_now_evidence"] = _note("The evidence for the position now", rows=3)
            self.fields["agreed_future_growth"] = growth_field("Growth in two years")
            self.fields["agreed_future_impact"] = impact_field("Impact in two years", levels)
            self.fields["agreed_future_why"] = _note("Why this position in two years", rows=3)
            # The framework's guidance once, beside both choices of each kind (it read twice,
            # side by side): each radio button is described by it.
            self.growth_guidance = growth_help()
            self.impact_guidance = impact_help(levels)
            for name in ("agreed_now_growth", "agreed_future_growth"):
                self._described_by(name, "position-growth-guidance")
            for name in ("agreed_now_impact", "agreed_future_impact"):
                self._described_by(name, "position-impact-guidance")
        self.helper = _helper()
        self.helper.layout = self._layout()

    def _layout(self) -> Layout:
        """Side by side on a shared screen (one column on a phone): your notes beside the agreed
        summary, and on stage 2 the position now beside the position in two years."""
        notes = ["facilitator_notes", "agreed_summary"] if self.private else ["agreed_summary"]
        rows = [
            "version",
            _columns([[name] for name in notes]),
        ]
        if self.position:
            rows += [
                "conversation_version",
                HTML(_GUIDANCE),
                _columns(
                    [
                        [_heading("The position now"), "agreed_now_growth", "agreed_now_impact"]
                        + ["agreed_now_evidence"],
                        [_heading("The position in two years"), "agreed_future_growth"]
                        + ["agreed_future_impact", "agreed_future_why"],
                    ]
                ),
            ]
        return Layout(*rows)

    def _described_by(self, name: str, guidance_id: str) -> None:
        field = self.fields[name]
        field.help_text = ""
        field.widget.attrs["aria-describedby"] = guidance_id

    def position_values(self) -> dict[str, Any] | None:
        if not self.position:
            return None
        data = self.cleaned_data
        return {
            "agreed_now_growth": data.get("agreed_now_growth") or "",
            "agreed_now_impact": self.impact_levels.get(data.get("agreed_now_impact") or ""),
            "agreed_now_evidence": data.get("agreed_now_evidence") or "",
            "agreed_future_growth": data.get("agreed_future_growth") or "",
            "agreed_future_impact": self.impact_levels.get(data.get("agreed_future_impact") or ""),
            "agreed_future_why": data.get("agreed_future_why") or "",
        }

    @staticmethod
    def initial_for(
        record, conversation: Conversation, *, private: bool, position: bool
    ) -> dict[str, Any]:
        initial = {
            "version": record.version if record else 0,
            "agreed_summary": record.agreed_summary if record else "",
        }
        if private:
            initial["facilitator_notes"] = record.facilitator_notes if record else ""
        if position:
            initial.update(
                conversation_version=conversation.version,
                agreed_now_growth=conversation.agreed_now_growth,
                agreed_now_impact=str(conversation.agreed_now_impact_id or ""),
                agreed_now_evidence=conversation.agreed_now_evidence,
                agreed_future_growth=conversation.agreed_future_growth,
                agreed_future_impact=str(conversation.agreed_future_impact_id or ""),
                agreed_future_why=conversation.agreed_future_why,
            )
        return initial


def _heading(text: str) -> HTML:
    return HTML(f'<h3 class="nhsuk-heading-s">{text}</h3>')


# The framework's guidance for the position's choices, once for both columns.
_GUIDANCE = '{% include "conversations/_position_guidance.html" %}'


def _columns(columns: list[list[Any]]) -> Div:
    width = "nhsuk-grid-column-one-half" if len(columns) == 2 else "nhsuk-grid-column-two-thirds"
    return Div(*(Div(*fields, css_class=width) for fields in columns), css_class="nhsuk-grid-row")
