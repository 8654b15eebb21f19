"""Input shape and field validation for the plan pages (no saving: the services do that)."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory

from devplans import selectors
from devplans.models import TEXT_MAX_LENGTH, Initiative, Objective, Plan, Review
from devplans.services import ObjectiveInput, ReviewInput, date_problem
from scopegrowth.models import GrowthCategory
from scopegrowth.widgets import FastSelect

MAX_OBJECTIVES = 100
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


def _inline_helper() -> FormHelper:
    """Fields only: the page template owns the <form>, the CSRF token and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"This can be up to {limit:,} characters: shorten it, then save."}


# =============================================================================
# The plan (draft)
# =============================================================================


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This page was incomplete. Reload the page and try again.",
            "invalid": "This page was incomplete. Reload the page and try again.",
        },
    )

    class Meta:
        model = Plan
        fields = [
            "current_growth",
            "current_impact",
            "current_evidence",
            "future_growth",
            "future_impact",
            "future_why",
            "reflections",
            "aspirations",
        ]
        labels = {
            "current_growth": "Growth now",
            "current_impact": "Impact now",
            "current_evidence": "Evidence for the current position",
            "future_growth": "Growth in two years",
            "future_impact": "Impact in two years",
            "future_why": "Why this position in two years?",
            "reflections": "Reflections from the conversation",
            "aspirations": "Aspirations",
        }
        widgets = {
            "current_growth": forms.RadioSelect,
            "current_impact": forms.RadioSelect,
            "future_growth": forms.RadioSelect,
            "future_impact": forms.RadioSelect,
            "current_evidence": forms.Textarea(attrs={"rows": 4}),
            "future_why": forms.Textarea(attrs={"rows": 4}),
            "reflections": forms.Textarea(attrs={"rows": 5}),
            "aspirations": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            name: _too_long(TEXT_MAX_LENGTH)
            for name in ("current_evidence", "future_why", "reflections", "aspirations")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = selectors.impact_levels_for(self.instance.individual)
        for name in ("current_growth", "future_growth"):
            self.fields[name].choices = GrowthCategory.choices
            self.fields[name].error_messages["invalid_choice"] = "Choose depth, breadth or stretch."
        for name in ("current_impact", "future_impact"):
            self.fields[name].queryset = levels
            self.fields[name].empty_label = None
            self.fields[name].error_messages["invalid_choice"] = (
                "Choose one of the impact levels listed."
            )
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.helper = _inline_helper()

    def plan_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# =============================================================================
# Objectives and review dates (formsets on the edit page)
# =============================================================================


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = [
            "description",
            "aspiration",
            "term",
            "success_measure",
            "target_date",
            "support_needed",
            "initiatives",
        ]
        labels = {
            "description": "What is the objective?",
            "aspiration": "Why: which aspiration does it serve?",
            "term": "Short or long term",
            "success_measure": "How will success be seen?",
            "target_date": "Target date",
            "support_needed": "Support needed",
            "initiatives": "Development initiatives",
        }
        help_texts = {
            "target_date": "Within the plan's two-year horizon.",
            "initiatives": "Select all that apply.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "aspiration": forms.Textarea(attrs={"rows": 2}),
            "term": forms.RadioSelect,
            "success_measure": forms.Textarea(attrs={"rows": 2}),
            "target_date": DATE_WIDGET,
            "support_needed": forms.Textarea(attrs={"rows": 2}),
            "initiatives": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "description": {"required": "Enter what the objective is", **_too_long(2000)},
            "term": {"required": "Choose short term or long term"},
            "aspiration": _too_long(2000),
            "success_measure": _too_long(2000),
            "support_needed": _too_long(2000),
        }

    def __init__(self, *args: Any, horizon_end: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.horizon_end = horizon_end
        # Retired initiatives stay selectable on the objectives that already use them.
        linked = [i.pk for i in self.instance.initiatives.all()] if self.instance.pk else []
        self.fields["initiatives"].queryset = Initiative.objects.filter(
            Q(is_active=True) | Q(pk__in=linked)
        )
        self.fields["initiatives"].required = False
        target = self.fields["target_date"]
        target.required = True
        target.input_formats = DATE_FORMATS
        target.error_messages.update(
            {
                "required": "Enter the target date for this objective",
                "invalid": "Enter the target date as a real date, for example 31/03/2027",
            }
        )
        target.help_text = f"On or before {horizon_end:%d/%m/%Y}, the end of the two-year horizon."
        self.helper = _inline_helper()

    def clean_target_date(self) -> date | None:
        value = self.cleaned_data.get("target_date")
        previous = self.instance.target_date if self.instance.pk else None
        problem = date_problem(
            value, horizon_end=self.horizon_end, previous=previous, what="target date"
        )
        if problem:
            raise forms.ValidationError(problem)
        return value


class ReviewDateForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["due_on"]
        labels = {"due_on": "Review date"}
        widgets = {"due_on": DATE_WIDGET}

    def __init__(self, *args: Any, horizon_end: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.horizon_end = horizon_end
        self.fields["due_on"].input_formats = DATE_FORMATS
        self.fields["due_on"].error_messages.update(
            {
                "required": "Enter the review date",
                "invalid": "Enter the review date as a real date, for example 31/03/2027",
            }
        )
        self.helper = _inline_helper()

    def clean_due_on(self) -> date | None:
        value = self.cleaned_data.get("due_on")
        previous = self.instance.due_on if self.instance.pk else None
        problem = date_problem(
            value, horizon_end=self.horizon_end, previous=previous, what="review date"
        )
        if problem:
            raise forms.ValidationError(problem)
        return value


class _ChildFormSet(BaseInlineFormSet):
    delete_label = "Remove"

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label


class ObjectiveFormSet(_ChildFormSet):
    delete_label = "Remove this objective"

    def inputs(self) -> list[ObjectiveInput]:
        items = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            data = form.cleaned_data
            if not data:
                continue
            items.append(
                ObjectiveInput(
                    id=form.instance.pk,
                    description=data.get("description", ""),
                    aspiration=data.get("aspiration", ""),
                    term=data.get("term") or Objective.Term.SHORT,
                    success_measure=data.get("success_measure", ""),
                    target_date=data.get("target_date"),
                    support_needed=data.get("support_needed", ""),
                    initiatives=list(data.get("initiatives") or []),
                    delete=bool(data.get("DELETE")),
                )
            )
        return items


class ReviewFormSet(_ChildFormSet):
    delete_label = "Remove this review date"

    def inputs(self) -> list[ReviewInput]:
        items = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or (not form.has_changed() and not form.instance.pk):
                continue
            items.append(
                ReviewInput(
                    id=form.instance.pk,
                    due_on=data.get("due_on"),
                    delete=bool(data.get("DELETE")),
                )
            )
        return items


objective_formset_class = inlineformset_factory(
    Plan,
    Objective,
    form=ObjectiveForm,
    formset=ObjectiveFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_OBJECTIVES,
    validate_max=True,
)
review_formset_class = inlineformset_factory(
    Plan,
    Review,
    form=ReviewDateForm,
    formset=ReviewFormSet,
    extra=1,
    can_delete=True,
    max_num=12,
    validate_max=True,
)


def objective_formset(plan: Plan, data=None) -> ObjectiveFormSet:
    return objective_formset_class(
        data,
        instance=plan,
        prefix="objectives",
        queryset=plan.objectives.order_by("order", "pk").prefetch_related("initiatives"),
        form_kwargs={"horizon_end": plan.horizon_end},
    )


def review_formset(plan: Plan, data=None) -> ReviewFormSet:
    return review_formset_class(
        data,
        instance=plan,
        prefix="reviews",
        queryset=plan.reviews.filter(held_on__isnull=True).order_by("due_on"),
        form_kwargs={"horizon_end": plan.horizon_end},
    )


# =============================================================================
# Sign, progress, review
# =============================================================================


class SignForm(forms.Form):
    """The version the person read: a signature is refused if the plan changed since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProgressForm(forms.Form):
    """One objective's progress (the page has one such form per objective, each prefixed)."""

    status = forms.ChoiceField(
        label="Status",
        choices=Objective.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the objective's status"},
    )
    note = forms.CharField(
        label="Progress note (optional)",
        help_text="What has happened since the last update? The date is added for you.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages=_too_long(TEXT_MAX_LENGTH),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _inline_helper()


class ReviewRecordForm(forms.Form):
    review = forms.ModelChoiceField(
        label="Which review was this?",
        queryset=Review.objects.none(),
        required=False,
        empty_label="An extra review, not one of the planned dates",
        error_messages={"invalid_choice": "Choose one of the planned reviews listed."},
    )
    held_on = forms.DateField(
        label="Date the review was held",
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date the review was held",
            "invalid": "Enter the date as a real date, for example 31/03/2027",
        },
    )
    notes = forms.CharField(
        label="What was reviewed and agreed",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "required": "Write what was reviewed and agreed",
            **_too_long(TEXT_MAX_LENGTH),
        },
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = plan.reviews.filter(held_on__isnull=True).order_by(
            "due_on"
        )
        self.fields["review"].label_from_instance = lambda r: f"Due {r.due_on:%d/%m/%Y}"
        self.helper = _inline_helper()


# =============================================================================
# HR filters
# =============================================================================


class _TeamChoices(forms.models.ModelChoiceIterator):
    """The team options from one narrow query (id, name, directorate): a trust has hundreds of
    teams, and building a model object for each of them was a large part of the HR list."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", "name", "directorate__name")
        for pk, name, directorate in rows:
            yield (pk, f"{name} ({directorate})")


class TeamChoiceField(forms.ModelChoiceField):
    iterator = _TeamChoices

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.directorate.name})"


class PlanFilterForm(forms.Form):
    """The HR list's filters (GET). `filters()` gives the cleaned values as plain JSON data, the
    form in which they are stored on an export job."""

    name = forms.CharField(label="Name contains", required=False, max_length=100)
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=None,
        required=False,
        empty_label="All directorates",
        widget=FastSelect,
    )
    team = TeamChoiceField(
        label="Team", queryset=None, required=False, empty_label="All teams", widget=FastSelect
    )
    current_growth = forms.ChoiceField(label="Growth now", required=False, widget=FastSelect)
    current_impact = forms.ModelChoiceField(
        label="Impact now", queryset=None, required=False, empty_label="Any", widget=FastSelect
    )
    future_growth = forms.ChoiceField(
        label="Growth in two years", required=False, widget=FastSelect
    )
    future_impact = forms.ModelChoiceField(
        label="Impact in two years",
        queryset=None,
        required=False,
        empty_label="Any",
        widget=FastSelect,
    )
    agreed_from = forms.DateField(
        label="Agreed from", required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    agreed_to = forms.DateField(
        label="Agreed to", required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = selectors.hr_filter_choices(user)
        self.fields["directorate"].queryset = choices["directorates"]
        self.fields["team"].queryset = choices["teams"]
        for name in ("current_impact", "future_impact"):
            self.fields[name].queryset = choices["impact_levels"]
        growth = [("", "Any")] + [(g.value, g.label.split(":")[0]) for g in GrowthCategory]
        for name in ("current_growth", "future_growth"):
            self.fields[name].choices = growth
        messages = {
            "directorate": "Choose a directorate from the list",
            "team": "Choose a team from the list",
            "current_growth": "Choose depth, breadth or stretch",
            "future_growth": "Choose depth, breadth or stretch",
            "current_impact": "Choose an impact level from the list",
            "future_impact": "Choose an impact level from the list",
        }
        for name, text in messages.items():
            self.fields[name].error_messages["invalid_choice"] = text
        for name in ("agreed_from", "agreed_to"):
            self.fields[name].error_messages["invalid"] = (
                "Enter the date as a real date, for example 31/03/2027"
            )
        self.helper = _inline_helper()

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("agreed_from"), data.get("agreed_to")
        if start and end and start > end:
            self.add_error("agreed_to", "The 'agreed to' date must be on or after 'agreed from'")
        team, directorate = data.get("team"), data.get("directorate")
        if team and directorate and team.directorate_id != directorate.pk:
            self.add_error("team", f"{team.name} is not in {directorate.name}")
        return data

    def filters(self) -> dict:
        """Only the filters that were given, as JSON-ready values."""
        out: dict[str, Any] = {}
        for key in selectors.HR_FILTER_KEYS:
            value = self.cleaned_data.get(key)
            if value in (None, ""):
                continue
            if hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, date):
                value = value.isoformat()
            out[key] = value
        return out

    def described(self) -> list[tuple[str, str]]:
        """The filters in force in words, for the export page."""
        out = []
        for key in selectors.HR_FILTER_KEYS:
            value = self.cleaned_data.get(key) if hasattr(self, "cleaned_data") else None
            if value in (None, ""):
                continue
            field = self.fields[key]
            if isinstance(value, date):
                text = value.strftime("%d/%m/%Y")
            elif isinstance(field, forms.ModelChoiceField):
                text = field.label_from_instance(value)
            elif getattr(field, "choices", None):
                text = dict(field.choices).get(value, value)
            else:
                text = value
            out.append((field.label, str(text)))
        return out
