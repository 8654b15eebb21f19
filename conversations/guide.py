"""The facilitator's guide for the three stages, as data (from the Scope for Growth guide).

The journal's own questions come from the question bank (`journals.Question`, by the section's
stage); this module adds what the bank does not hold: each stage's purpose, the facilitator's
prompts, open coaching questions, and which parts of the preparation sit beside which journal
section on the side-by-side view.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StageGuide:
    number: int
    title: str
    purpose: str
    section_stage: int  # journals.Section.stage whose sections this stage talks through
    prompts: tuple[str, ...]
    coaching_questions: tuple[str, ...]


STAGES: dict[int, StageGuide] = {
    1: StageGuide(
        number=1,
        title="Personal reflection",
        purpose=(
            "Talk through the individual's health and well-being, their strengths and development "
            "challenges, and their behaviours and performance. Listen more than you speak: this "
            "is their reflection, not your appraisal."
        ),
        section_stage=1,
        prompts=(
            "Agree how you will use the time and what you will both take away.",
            "Check whether any reasonable adjustments are needed to support their aspirations.",
            "Share your evidence (360° feedback, one-to-ones, performance and work outputs) "
            "after they have given their own view, not before.",
            "Notice your own blind spots and biases: whose perspective is missing?",
        ),
        coaching_questions=(
            "What has been going well for you, and what has made that possible?",
            "What gives you energy at work at the moment? What drains it?",
            "What would you like to be doing more of? Less of?",
            "How do you think others experience you? What makes you say that?",
            "What is one thing you would like to get better at, and why now?",
            "What support would make the biggest difference to you?",
        ),
    ),
    2: StageGuide(
        number=2,
        title="Career history and Scope for Growth",
        purpose=(
            "Explore the individual's career history, current role and aspirations, and agree "
            "where they are on the Scope for Growth framework now, with the evidence, and where "
            "they want to be in about two years, and why."
        ),
        section_stage=2,
        prompts=(
            "Ask where they see themselves first; then offer your view and the evidence.",
            "Impact is what they do and how they do it; growth is their own ambition: depth, "
            "breadth, or stretch and complexity.",
            "Record the position you agree together, with the evidence for it.",
            "A two-year horizon is recommended for the future position.",
        ),
        coaching_questions=(
            "When have you been most and least motivated at work? What was different?",
            "What have your successes and setbacks taught you about yourself?",
            "What does growth look like for you: going deeper, broader, or taking on more "
            "complexity?",
            "Where do you see yourself on the framework today? What tells you that?",
            "Imagine two years from now and it has gone well: what has changed?",
            "What might get in the way, and how could we remove it?",
        ),
    ),
    3: StageGuide(
        number=3,
        title="Aspirational development plan",
        purpose=(
            "Turn the conversation into the individual's aspirational development plan: current "
            "and future positions, reflections and aspirations, and short- and long-term "
            "development objectives. The individual owns the plan; you agree it together."
        ),
        section_stage=3,
        prompts=(
            "Balance short- and long-term objectives to suit where they are in their career.",
            "For each objective agree what, how success will be seen, by when, and the support "
            "needed.",
            "Consider coaching, mentoring, shadowing, secondments, stretch assignments, project "
            "work, formal programmes, e-learning, networks, action learning sets and reverse "
            "mentoring.",
            "Agree the first review date before you finish.",
        ),
        coaching_questions=(
            "What is the one thing you most want to achieve in the next year?",
            "Which project or activity would you love to take on next?",
            "How will you know you are making progress?",
            "Who could help you get there?",
            "What will you do first, and when?",
        ),
    ),
}

STAGE_NUMBERS = tuple(STAGES)

# Which parts of the facilitator's preparation sit beside each journal section (side by side).
PREPARATION_FOR_SECTION: dict[str, tuple[str, ...]] = {
    "wellbeing": ("adjustments", "adjustments_notes"),
    "strengths": ("strengths", "development_areas"),
    "behaviours": ("evidence_feedback", "evidence_performance"),
    "career-history": ("evidence_one_to_ones",),
    "current-role": ("evidence_performance", "national_indicators"),
    "aspirations": ("view_now_growth", "view_now_impact", "view_evidence"),
    "planner": (
        "planner_accomplishments",
        "planner_motivation",
        "planner_personal_style",
        "planner_learning_style",
        "planner_skills",
        "planner_notes",
    ),
}

# Preparation that belongs to no single section: shown in a block of its own.
PREPARATION_GENERAL: tuple[str, ...] = ("self_check", "national_indicators")

SELF_CHECK_PROMPTS: tuple[str, ...] = (
    "My personality at work: how might my style shape this conversation?",
    "My blind spots and biases: what might I be assuming about this person?",
    "Identity factors and intersectionality: how might our identities shape what each of us "
    "says and hears?",
    "Privilege: what advantages have I had that they may not have had?",
    "A culture of belonging: does this person feel they belong in our team? How do I know?",
    "Microaggressions: have I noticed any, or might I have made any?",
)


def stage(number: int) -> StageGuide | None:
    return STAGES.get(number)
