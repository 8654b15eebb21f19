"""HR's filters over the agreed plans (the list, the CSV and the bulk export)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from devplans import selectors
from devplans.forms.common import date_field, inline_helper
from devplans.selectors.hr import hr_directorate_options, hr_impact_options, hr_team_options
from scopegrowth.field_markup import Options, fields_html
from scopegrowth.forms import TeamChoiceField
from scopegrowth.models import GrowthCategory
from scopegrowth.widgets import DateInputs, FastSelect

# =============================================================================
# HR filters
# =============================================================================


class FilterDateInputs(DateInputs):
    """The day, month and year boxes of a filter date (`agreed_from_day`, `_month`, `_year` in
    the query string). The links the list gives (CSV, export, "Change the filters") and the
    export page's form carry a filter date as one ISO value (`agreed_from=2027-03-15`): read
    that when the three boxes were not sent."""

    def value_from_datadict(self, data, files, name):
        if any(f"{name}_{part}" in data for part, _label, _width in self.PARTS):
            return super().value_from_datadict(data, files, name)
        given = str(data.get(name) or "").strip()
        if not given:
            return [None, None, None]
        try:
            return self.decompress(date.fromisoformat(given))
        except ValueError:  # typed into the address bar: "31/02/2026" is day, month, year
            return ([*given.split("/"), "", ""])[:3]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


DATE_PARTS = tuple(part for part, _label, _width in DateInputs.PARTS)


def filter_date(label: str, what: str):
    return date_field(label, what, required=False, widget=FilterDateInputs)


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
    agreed_from = filter_date("Agreed from", "the 'agreed from' date")
    agreed_to = filter_date("Agreed to", "the 'agreed to' date")

    CHOICE_FIELDS = {
        "directorates": ("directorate",),
        "teams": ("team",),
        "impact_levels": ("current_impact", "future_impact"),
    }

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A select's queryset checks a value sent; the options come from `_choices_precompiled`.
        # Built only for a field given a value (a trust's teams: building them was measurable).
        given = self.data if self.is_bound else {}
        wanted = [
            name
            for name, fields in self.CHOICE_FIELDS.items()
            if any(given.get(field) for field in fields)
        ]
        for name, queryset in selectors.hr_filter_choices(user, wanted).items():
            for field in self.CHOICE_FIELDS[name]:
                self.fields[field].queryset = queryset
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
        self.helper = inline_helper()
        self._choices_precompiled(user)

    def _choices_precompiled(self, user) -> None:
        """The select options from precompiled queries (the same rows, labels and order as the
        fields' querysets give; those still check a value sent)."""
        org_id = user.organisation_id
        shown = {
            "directorate": hr_directorate_options(org_id),
            "team": hr_team_options(org_id),
            "current_impact": hr_impact_options(org_id),
        }
        shown["future_impact"] = shown["current_impact"]
        for name, options in shown.items():
            field = self.fields[name]
            field.widget.choices = Options([("", field.empty_label), *options])

    def fields_html(self) -> str:
        """The fields in the crispy pack's NHS.UK markup, written in Python (issue 20)."""
        return fields_html(self)

    @classmethod
    def given_in(cls, data) -> bool:
        """Whether `data` (a query string or form) holds any filter, a date's boxes included."""
        keys = [*selectors.HR_FILTER_KEYS]
        keys += [f"{k}_{part}" for k in ("agreed_from", "agreed_to") for part in DATE_PARTS]
        return any(key in data for key in keys)

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
