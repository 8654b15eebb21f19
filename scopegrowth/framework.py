"""Form fields for a position on the Scope for Growth framework (growth category x impact level),
used wherever a position is recorded: the journal's self-assessment, the position agreed in a
conversation, and the plan."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from scopegrowth.models import GrowthCategory, ImpactLevel

GROWTH_CHOICES = [(c.value, c.label) for c in GrowthCategory]
WRONG_GROWTH = "Choose depth, breadth or stretch."
WRONG_IMPACT = "Choose one of the impact levels listed."


def growth_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=GROWTH_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": WRONG_GROWTH},
    )


def impact_field(label: str, levels: Iterable[ImpactLevel]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(str(level.pk), level.name) for level in levels],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": WRONG_IMPACT},
    )
