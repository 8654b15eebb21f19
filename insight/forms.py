"""Forms for the equality self-declaration and the HR insight filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from devplans.selectors.hr import hr_directorate_options, hr_team_options
from insight.models import EqualityDeclaration
from insight.selectors import Filters, Period
from scopegrowth.field_markup import Options
from scopegrowth.forms import TeamChoiceField
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


FILTER_KEYS = ("period", "directorate", "team")


class InsightFilterForm(forms.Form):
    """HR insight filters (GET): one of the snapshot's whole periods (the 12 months by
    default; never arbitrary dates), a directorate and a team of the HR user's organisation."""

    period = forms.ChoiceField(label="Period", required=False, widget=FastSelect)
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.none(),
        required=False,
        widget=FastSelect,
    )
    team = TeamChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, widget=FastSelect
    )

    def __init__(self, *args: Any, user, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {p.key: p for p in periods}
        period = self.fields["period"]
        period.choices = [(p.key, p.label) for p in periods]
        period.error_messages["invalid_choice"] = "Choose a period from the list"
        org = user.organisation_id
        # The options from precompiled queries, kept as given (`Options`, issue 20); a queryset
        # (which checks a value sent) built only for a field given a value.
        given = self.data if self.is_bound else {}
        directorate = self.fields["directorate"]
        if given.get("directorate"):
            directorate.queryset = Directorate.objects.filter(organisation_id=org)
        directorate.empty_label = "All directorates"
        directorate.widget.choices = Options(
            [("", directorate.empty_label), *hr_directorate_options(org)]
        )
        team = self.fields["team"]
        if given.get("team"):
            team.queryset = Team.objects.filter(directorate__organisation_id=org).select_related(
                "directorate"
            )
        team.empty_label = "All teams"
        team.widget.choices = Options([("", team.empty_label), *hr_team_options(org)])
        directorate.error_messages["invalid_choice"] = "Choose a directorate from the list"
        team.error_messages["invalid_choice"] = "Choose a team from the list"

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        team, directorate = data.get("team"), data.get("directorate")
        if team and directorate and team.directorate_id != directorate.pk:
            self.add_error("team", f"{team.name} is not in {directorate.name}")
        return data

    def filters(self) -> Filters | None:
        """The chosen filters (the snapshot's first period, everyone, when the form was not
        sent); None when there is no snapshot."""
        if not self.periods:
            return None
        default = next(iter(self.periods.values()))
        if not self.is_bound:
            return Filters(default)
        data = self.cleaned_data
        period = self.periods.get(data.get("period") or "", default)
        return Filters(period, data.get("directorate"), data.get("team"))
