"""The round forms: a new round, and moving one deadline later."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from django import forms

from rounds.models import Round
from scopegrowth.forms import DateParts
from scopegrowth.models import Directorate, Team

EXAMPLE_DATE = date(2027, 3, 15)
STEP_LABELS = {key: label for key, _, label in Round.STEPS}


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _date(label: str, hint: str, what: str) -> DateParts:
    """A deadline in the NHS.UK date input pattern (day, month and year boxes): the hint gives
    an example in the boxes' format, each mistake has its own message (DateParts')."""
    return DateParts(
        label=label,
        what=what,
        example=EXAMPLE_DATE,
        help_text=f"{hint} For example, {EXAMPLE_DATE.day} {EXAMPLE_DATE.month} "
        f"{EXAMPLE_DATE.year}",
    )


class RoundForm(forms.Form):
    name = forms.CharField(
        label="Name of the round",
        help_text="For example: Career conversations 2026/27",
        max_length=200,
        error_messages={"required": "Enter a name for the round."},
    )
    audience = forms.ChoiceField(
        label="Who is in the round",
        choices=[("all", "The whole organisation"), ("some", "Chosen directorates and teams")],
        widget=forms.RadioSelect,
        initial="all",
        error_messages={"required": "Choose who is in the round."},
    )
    directorates = forms.ModelMultipleChoiceField(
        label="Directorates",
        help_text="Everyone in every team of these directorates, now and as people join.",
        queryset=Directorate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams",
        help_text="Single teams, in addition to the directorates chosen above.",
        queryset=Team.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    journal_ready_by = _date(
        "Journal ready by",
        "The day each person marks their journal ready.",
        "the “journal ready by” date",
    )
    conversation_held_by = _date(
        "Conversation held by",
        "The day every conversation is held.",
        "the “conversation held by” date",
    )
    plan_agreed_by = _date(
        "Plan agreed by",
        "The day every development plan is agreed.",
        "the “plan agreed by” date",
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directorates"].queryset = Directorate.objects.filter(
            organisation_id=organisation_id
        ).order_by("name")
        self.fields["teams"].queryset = (
            Team.objects.filter(directorate__organisation_id=organisation_id)
            .select_related("directorate")
            .order_by("directorate__name", "name")
        )
        self.fields["teams"].label_from_instance = lambda t: f"{t.name} ({t.directorate.name})"
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("audience") == "some" and not (data.get("directorates") or data.get("teams")):
            self.add_error("directorates", "Choose at least one directorate or team.")
        names = ("journal_ready_by", "conversation_held_by", "plan_agreed_by")
        dates = [data.get(n) for n in names]
        if all(dates) and not dates[0] <= dates[1] <= dates[2]:
            self.add_error(
                "conversation_held_by",
                "The dates must be in order: journal ready, then conversation held, then plan "
                "agreed.",
            )
        return data


class ExtendForm(forms.Form):
    step = forms.ChoiceField(
        label="Which deadline",
        choices=list(STEP_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which deadline to move."},
    )
    new_date = _date("New date", "Deadlines only move later, never earlier.", "the new date")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
