"""The default question bank, verbatim from domain.md (editable in the admin afterwards).

Two questions are split or structured so they can be answered well on a screen:
- current role: "What is my current level of fulfilment (0–10), and what three things would
  increase it?" becomes a 0–10 scale and a free-text "three things" question;
- aspirations: "Where am I now on the Scope for Growth framework…" is a position question
  (growth category and impact level, now and in two years, and why);
- well-being: the "(Prompt) Are any reasonable adjustments needed…" is the reasonable
  adjustments note.
"""

from django.db import migrations

TEXT = "text"
SCALE = "scale_0_10"
ADJUSTMENTS = "adjustments"
POSITION = "position"

BANK = [
    {
        "slug": "wellbeing",
        "title": "Health and well-being",
        "stage": 1,
        "is_sensitive": True,
        "intro": (
            "This section is about you as a whole person: what keeps you well, what drains "
            "you and what matters to you. Write as much or as little as you want."
        ),
        "questions": [
            (TEXT, "How do I look after my personal well-being? What happens when I don't?", ""),
            (TEXT, "What do I find most rewarding and energising?", ""),
            (TEXT, "When am I most happy inside and outside of work?", ""),
            (TEXT, "What is important to me inside and outside of work?", ""),
            (TEXT, "What frustrates me?", ""),
            (TEXT, "When I am at my best, what does a good day look and feel like?", ""),
            (
                ADJUSTMENTS,
                "Are any reasonable adjustments needed to support my career aspirations?",
                "For example changes to working hours, equipment, training or the way the "
                "conversation is held. You do not have to give a reason or a diagnosis.",
            ),
        ],
    },
    {
        "slug": "strengths",
        "title": "Personal strengths and development challenges",
        "stage": 1,
        "intro": "What you do well, what you are working on, and how others see you.",
        "questions": [
            (TEXT, "How would my team, colleagues or people who know me describe me?", ""),
            (TEXT, "What are my strengths and development areas?", ""),
            (TEXT, "What am I most proud of inside or outside of work?", ""),
            (TEXT, "When working in a team, what part do I play?", ""),
            (TEXT, "What experience has given me the most positive challenge and growth?", ""),
        ],
    },
    {
        "slug": "behaviours",
        "title": "Behaviours and performance",
        "stage": 1,
        "intro": "How you lead, relate to others and get things done.",
        "questions": [
            (TEXT, "What feedback have I received about my leadership style?", ""),
            (TEXT, "What is most distinctive about the way I lead or relate to others?", ""),
            (TEXT, "How do I manage my team and get the best out of people?", ""),
            (TEXT, "When do I lead change at work or in my personal life?", ""),
            (
                TEXT,
                "When I influence others, what strategies and tactics work and what is more "
                "difficult?",
                "",
            ),
            (TEXT, "What are my beliefs and values?", ""),
        ],
    },
    {
        "slug": "career-history",
        "title": "Career history",
        "stage": 2,
        "intro": "Looking back over your career so far.",
        "questions": [
            (
                TEXT,
                "Looking back at my career, when have I been most and least motivated and "
                "happy at work?",
                "",
            ),
            (TEXT, "What do the high and low points in my career have in common?", ""),
            (TEXT, "What have I learned about myself from my successes and challenges?", ""),
            (
                TEXT,
                "What are the implications of the above for the choices I might make in the "
                "future?",
                "",
            ),
        ],
    },
    {
        "slug": "current-role",
        "title": "Current role",
        "stage": 2,
        "intro": "Where you are now: what works for you in your role and what could be better.",
        "questions": [
            (TEXT, "What motivates and demotivates me in my current role?", ""),
            (TEXT, "How does my current role affect my health and well-being?", ""),
            (
                SCALE,
                "What is my current level of fulfilment (0–10)?",
                "0 means not at all fulfilled, 10 means completely fulfilled.",
            ),
            (TEXT, "What three things would increase it?", ""),
            (TEXT, "How equipped and confident am I to do my job?", ""),
            (
                TEXT,
                "What are my aspirations within my current role? What can I do to support "
                "achieving them?",
                "",
            ),
            (
                TEXT,
                "What is blocking or stopping me developing further within my role? How might "
                "I resolve this?",
                "",
            ),
            (
                TEXT,
                "Where am I in the learning, experiences and capabilities my current role "
                "requires? Is there a specific area I would like to develop further?",
                "",
            ),
        ],
    },
    {
        "slug": "aspirations",
        "title": "Aspirations",
        "stage": 2,
        "intro": (
            "Where you want your career to go. The Scope for Growth framework has two axes: "
            "growth (depth, breadth, or stretch and complexity) and impact (your capability "
            "and contribution in your role)."
        ),
        "questions": [
            (
                TEXT,
                "What are my aspirations and how do I want to grow my career (depth, breadth, "
                "or stretch/complexity)?",
                "",
            ),
            (
                POSITION,
                "Where am I now on the Scope for Growth framework, and in two years' time where "
                "do I want to be, and why?",
                "Your own view. You and your facilitator agree your position together in the "
                "conversation.",
            ),
            (TEXT, "What types of roles or functions am I interested in?", ""),
            (TEXT, "How do my aspirations link to my drivers and motivations?", ""),
            (TEXT, "What support and development do I need to achieve my career aspirations?", ""),
        ],
    },
    {
        "slug": "planner",
        "title": "Career planner",
        "stage": 3,
        "intro": "From the MaST Career Development Conversation Planner.",
        "questions": [
            (
                TEXT,
                "During the last six months, what project, task or activity has had the most "
                "significant impact on my development?",
                "",
            ),
            (
                TEXT,
                "Looking forward to the next year, what project, task or activity would I "
                "\"die for\"? How would it contribute to my career development?",
                "",
            ),
            (TEXT, "Accomplishments: my successes and their impact on my development.", ""),
            (TEXT, "Motivation: my career interest patterns \u2014 what kind of work draws me.", ""),
            (TEXT, "Personal style: my preferred ways of working.", ""),
            (TEXT, "Learning style: how I prefer to develop.", ""),
            (
                TEXT,
                "Skills and behaviours: my functional and transferable skills and behaviours.",
                "",
            ),
        ],
    },
]


def add_bank(apps, schema_editor):
    Section = apps.get_model("journals", "Section")
    Question = apps.get_model("journals", "Question")
    for order, spec in enumerate(BANK, start=1):
        section, created = Section.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "stage": spec["stage"],
                "order": order,
                "intro": spec["intro"],
                "is_sensitive": spec.get("is_sensitive", False),
            },
        )
        if not created:
            continue
        Question.objects.bulk_create(
            Question(section=section, kind=kind, text=text, hint=hint, order=n)
            for n, (kind, text, hint) in enumerate(spec["questions"], start=1)
        )


def remove_bank(apps, schema_editor):
    Section = apps.get_model("journals", "Section")
    Section.objects.filter(slug__in=[spec["slug"] for spec in BANK]).delete()


class Migration(migrations.Migration):
    dependencies = [("journals", "0001_initial")]
    operations = [migrations.RunPython(add_bank, remove_bank)]
