"""The Scope for Growth framework's guidance, and the form fields for a position on it (growth
category x impact level), used wherever a position is recorded: the journal's self-assessment,
the facilitator's preparation, the position agreed in a conversation, and the plan.

The growth categories' explanations are the framework's own (NHS Leadership Academy); the impact
levels' guidance is data an organisation edits in the admin. Every position choice carries both
as its hint; the pages that ask for a position link to the framework page (`/framework/`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.html import escape

from scopegrowth.models import GrowthCategory, ImpactLevel

GROWTH_CHOICES = [(c.value, c.label) for c in GrowthCategory]
WRONG_GROWTH = "Choose depth, breadth or stretch."
WRONG_IMPACT = "Choose one of the impact levels listed."

#: The three growth categories, in the framework's words.
GROWTH_GUIDANCE: dict[str, str] = {
    GrowthCategory.DEPTH: (
        "Stay in your current role or field and keep growing in it: deeper expertise and "
        "greater mastery of the work you do now."
    ),
    GrowthCategory.BREADTH: (
        "Broaden your knowledge and expertise into other areas, disciplines or functions."
    ),
    GrowthCategory.STRETCH: (
        "Move into a role of greater complexity and leadership: wider scope, more "
        "responsibility, harder problems."
    ),
}
IMPACT_MEANING = (
    "Impact is your underlying capability and contribution to your team, organisation and wider "
    "stakeholders: what you do and how you do it. Performance in role influences it."
)
GROWTH_MEANING = "Growth is your own ambition for growth, in one of three categories."


def growth_guidance() -> list[tuple[str, str, str]]:
    """(value, name, explanation) for each growth category."""
    return [(c.value, c.label.split(":")[0], GROWTH_GUIDANCE[c.value]) for c in GrowthCategory]


def growth_help() -> str:
    """The hint beside a growth choice: what growth means and each category explained."""
    parts = [GROWTH_MEANING] + [f"{name}: {text}" for _, name, text in growth_guidance()]
    return " ".join(parts)


def impact_help(levels: Iterable[ImpactLevel]) -> str:
    """The hint beside an impact choice: what impact means and the organisation's levels with
    their guidance. Escaped here: the guidance is an administrator's text and form hints are
    rendered as HTML."""
    parts = [IMPACT_MEANING] + [
        f"{lvl.name}: {lvl.guidance}" if lvl.guidance else f"{lvl.name}." for lvl in levels
    ]
    return escape(" ".join(parts))


def growth_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=GROWTH_CHOICES,
        help_text=growth_help(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": WRONG_GROWTH},
    )


def impact_field(label: str, levels: Iterable[ImpactLevel]) -> forms.ChoiceField:
    levels = list(levels)
    return forms.ChoiceField(
        label=label,
        choices=[(str(level.pk), level.name) for level in levels],
        help_text=impact_help(levels),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": WRONG_IMPACT},
    )
