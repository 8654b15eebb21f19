"""Forms for the equality self-declaration and the HR insight filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from insight.models import EqualityDeclaration
from insight.selectors import Filters, default_period
from scopegrowth.models import Directorate, Team
from scopegrowth.widgets import FastSelect

E = EqualityDeclaration
CHOOSE_FROM_LIST = "Choose one of the options listed"
NOTHING_CHOSEN = (
    "Answer at least one question, or leave this page: every question is optional. "
    "To remove answers you gave before, use 'Remove all my answers'."
)


def _radios(label: str, choices, help_text: str = "") -> forms.ChoiceField:
    field = forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
    )
    field.error_messages["invalid_choice"] = CHOOSE_FROM_LIST
    return field


class EqualityForm(forms.Form):
    """Four optional questions; each has "Prefer not to say"."""

    ethnicity = _radios(
        "What is your ethnic group?",
        E.Ethnicity.choices,
        "The high-level groups of the 2021 census for England and Wales.",
    )
    disability = _radios(
        "Do you consider yourself to have a disability or long-term health condition?",
        E.Disability.choices,
        "A physical or mental condition that has a substantial and long-term effect on your "
        "day-to-day activities (the Equality Act 2010 definition, used by the NHS Workforce "
        "Disability Equality Standard).",
    )
    sex = _radios("What is your sex?", E.Sex.choices)
    age_band = _radios("What is your age?", E.AgeBand.choices)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in self.fields):
            raise ValidationError(NOTHING_CHOSEN)
        return data


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
FILTER_KEYS = ("date_from", "date_to", "directorate", "team")


class InsightFilterForm(forms.Form):
    """HR insight filters (GET): a period, a directorate and a team of the HR user's
    organisation. Blank dates mean the last 12 months."""

    date_from = forms.DateField(
        label="From", required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    date_to = forms.DateField(
        label="To", required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.none(),
        required=False,
        widget=FastSelect,
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, widget=FastSelect
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = user.organisation_id
        directorate = self.fields["directorate"]
        directorate.queryset = Directorate.objects.filter(organisation_id=org)
        directorate.empty_label = "All directorates"
        team = self.fields["team"]
        team.queryset = Team.objects.filter(directorate__organisation_id=org).select_related(
            "directorate"
        )
        team.empty_label = "All teams"
        team.label_from_instance = lambda t: f"{t.name} ({t.directorate.name})"
        directorate.error_messages["invalid_choice"] = "Choose a directorate from the list"
        team.error_messages["invalid_choice"] = "Choose a team from the list"
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = (
                "Enter the date as a real date, for example 31/03/2027"
            )
        start, end = default_period()
        self.fields["date_from"].initial = start
        self.fields["date_to"].initial = end

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        end = data.get("date_to") or timezone.localdate()
        start = data.get("date_from") or default_period(end)[0]
        if start > end:
            field = "date_to" if data.get("date_to") else "date_from"
            self.add_error(field, "The 'to' date must be on or after the 'from' date")
        data["date_from"], data["date_to"] = start, end
        team, directorate = data.get("team"), data.get("directorate")
        if team and directorate and team.directorate_id != directorate.pk:
            self.add_error("team", f"{team.name} is not in {directorate.name}")
        return data

    def filters(self) -> Filters:
        """The chosen filters (the last 12 months, everyone, when the form was not sent)."""
        if not self.is_bound:
            return Filters(*default_period())
        data = self.cleaned_data
        return Filters(
            data["date_from"], data["date_to"], data.get("directorate"), data.get("team")
        )
