"""The craft of a career conversation: the MaST planner's "career conversation: tools, skills
and behaviours" theme, as guidance for the facilitator's preparation (issue 16, part 3).

The content lives here, once; templates read `GUIDANCE` (headings and points) and never write
their own copy of it.
"""

from __future__ import annotations

INTRODUCTION = (
    "A good career conversation leaves the person motivated, clearer on their development needs "
    "and career aims, and ready to own their next steps. These are the tools, skills and "
    "behaviours that get it there."
)

#: (heading, points), in the order a facilitator uses them.
GUIDANCE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Agree what the conversation is for",
        (
            "Say at the start what the conversation is and is not (a career conversation, not "
            "a performance review), how long it will take and what you will both leave with.",
            "Ask what they want from it, and agree it: mismatched expectations are the most "
            "common reason a conversation goes nowhere.",
        ),
    ),
    (
        "Listen to understand",
        (
            "Give them most of the talking time; notice when you start planning your answer.",
            "Reflect back what you heard in their words, and check you have it right.",
            "Leave silences: the answer after a pause is often the real one.",
            "Listen for feelings and motivation as well as facts: what lights them up, what "
            "drains them.",
        ),
    ),
    (
        "Ask open, coaching questions",
        (
            'Start with what, how, tell me about: "What would you love to be doing in two '
            'years?" rather than "Do you want promotion?"',
            "Ask one question at a time, then follow their answer before your list.",
            'Go deeper with "What else?", "What makes that important to you?" and "What '
            'would help?".',
            "Avoid leading questions and advice disguised as a question.",
        ),
    ),
    (
        "See it from their side",
        (
            "Their career journey, circumstances and ambitions may be unlike yours; ask rather "
            "than assume.",
            "Use your self-check: how might your identity, style or privilege shape what you hear?",
            "Separate their view of their position from yours, and hear the evidence for theirs "
            "first.",
        ),
    ),
    (
        "Close with next steps they own",
        (
            "Summarise what you agreed, in their words where you can.",
            "Ask them to name the first step and when; agree what support you will give.",
            "Agree when you will next check in on the plan.",
        ),
    ),
)
