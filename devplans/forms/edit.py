"""The edit page: the draft plan, its objectives and its review dates (formsets)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory

from devplans import selectors
from devplans.forms.common import (
    HintedCheckboxSelectMultiple,
    date_field,
    inline_helper,
    too_long,
)
from devplans.models import TEXT_MAX_LENGTH, Initiative, Objective, Plan, Review
from devplans.services import ObjectiveInput, ReviewInput, date_problem
from scopegrowth.framework import growth_help, impact_help
from scopegrowth.models import GrowthCategory

MAX_OBJECTIVES = 100


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
            name: too_long(TEXT_MAX_LENGTH)
            for name in ("current_evidence", "future_why", "reflections", "aspirations")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = selectors.impact_levels_for(self.instance.individual)
        for name in ("current_growth", "future_growth"):
            self.fields[name].choices = GrowthCategory.choices
            self.fields[name].error_messages["invalid_choice"] = "Choose depth, breadth or stretch."
            self.fields[name].help_text = growth_help()
        impact_hint = impact_help(levels)
        for name in ("current_impact", "future_impact"):
            self.fields[name].queryset = levels
            self.fields[name].help_text = impact_hint
            self.fields[name].empty_label = None
            self.fields[name].error_messages["invalid_choice"] = (
                "Choose one of the impact levels listed."
            )
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.helper = inline_helper()

    def plan_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# =============================================================================
# Objectives and review dates (formsets on the edit page)
# =============================================================================


class ObjectiveForm(forms.ModelForm):
    target_date = date_field(
        "Target date",
        "the target date",
        error_messages={"required": "Enter the target date for this objective"},
    )

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
            "support_needed": "Support needed",
            "initiatives": "Development initiatives",
        }
        help_texts = {
            "initiatives": "Select all that apply.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "aspiration": forms.Textarea(attrs={"rows": 2}),
            "term": forms.RadioSelect,
            "success_measure": forms.Textarea(attrs={"rows": 2}),
            "support_needed": forms.Textarea(attrs={"rows": 2}),
            "initiatives": HintedCheckboxSelectMultiple,
        }
        error_messages = {
            "description": {"required": "Enter what the objective is", **too_long(2000)},
            "term": {"required": "Choose short term or long term"},
            "aspiration": too_long(2000),
            "success_measure": too_long(2000),
            "support_needed": too_long(2000),
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
        target.help_text = (
            f"On or before {horizon_end.day} {horizon_end:%B} {horizon_end.year}, the end of the "
            f"two-year horizon. For example, {target.example_text}"
        )
        self.helper = inline_helper()

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
    due_on = date_field("Review date", "the review date")

    class Meta:
        model = Review
        fields = ["due_on"]

    def __init__(self, *args: Any, horizon_end: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.horizon_end = horizon_end
        self.helper = inline_helper()

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
