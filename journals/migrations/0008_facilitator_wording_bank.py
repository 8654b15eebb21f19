"""The facilitator wording of each question of the default bank (issue 16, part 5): how the line
manager or coach reads it beside the answer. Written for each question, not made by swapping
words. A question whose text was edited in the admin is left for the admin to word.

Answers given to a question's current wording take its facilitator wording too, so the
wording stays versioned with the answer as `question_text` is."""

from django.db import migrations

WORDINGS = {
    "How do I look after my personal well-being? What happens when I don't?": (
        "How do they look after their well-being? What happens when they don't?"
    ),
    "What do I find most rewarding and energising?": (
        "What do they find most rewarding and energising?"
    ),
    "When am I most happy inside and outside of work?": (
        "When are they happiest, inside and outside work?"
    ),
    "What is important to me inside and outside of work?": (
        "What matters to them, inside and outside work?"
    ),
    "What frustrates me?": "What frustrates them?",
    "When I am at my best, what does a good day look and feel like?": (
        "At their best, what does a good day look and feel like for them?"
    ),
    "Are any reasonable adjustments needed to support my career aspirations?": (
        "Do they need any reasonable adjustments to support their career aspirations?"
    ),
    "How would my team, colleagues or people who know me describe me?": (
        "How would their team, colleagues or people who know them describe them?"
    ),
    "What are my strengths and development areas?": (
        "What do they see as their strengths and development areas?"
    ),
    "What am I most proud of inside or outside of work?": (
        "What are they most proud of, inside or outside work?"
    ),
    "When working in a team, what part do I play?": "What part do they play in a team?",
    "What experience has given me the most positive challenge and growth?": (
        "Which experience has given them the most positive challenge and growth?"
    ),
    "What feedback have I received about my leadership style?": (
        "What feedback have they had about their leadership style?"
    ),
    "What is most distinctive about the way I lead or relate to others?": (
        "What is most distinctive about the way they lead or relate to others?"
    ),
    "How do I manage my team and get the best out of people?": (
        "How do they manage their team and get the best out of people?"
    ),
    "When do I lead change at work or in my personal life?": (
        "When do they lead change, at work or in their personal life?"
    ),
    "When I influence others, what strategies and tactics work and what is more difficult?": (
        "When they influence others, what works for them and what is harder?"
    ),
    "What are my beliefs and values?": "What are their beliefs and values?",
    "Looking back at my career, when have I been most and least motivated and happy at work?": (
        "Looking back, when have they been most and least motivated and happy at work?"
    ),
    "What do the high and low points in my career have in common?": (
        "What do the high and low points of their career have in common?"
    ),
    "What have I learned about myself from my successes and challenges?": (
        "What have they learned about themselves from their successes and challenges?"
    ),
    "What are the implications of the above for the choices I might make in the future?": (
        "What does this mean for the choices they might make in future?"
    ),
    "What motivates and demotivates me in my current role?": (
        "What motivates and demotivates them in their current role?"
    ),
    "How does my current role affect my health and well-being?": (
        "How does their current role affect their health and well-being?"
    ),
    "What is my current level of fulfilment (0\u201310)?": (
        "How fulfilled do they feel in their role now (0\u201310)?"
    ),
    "What three things would increase it?": "Which three things would make them more fulfilled?",
    "How equipped and confident am I to do my job?": (
        "How equipped and confident do they feel to do their job?"
    ),
    "What are my aspirations within my current role? What can I do to support achieving them?": (
        "What do they aspire to within their current role, and what can they do towards it?"
    ),
    "What is blocking or stopping me developing further within my role? "
    "How might I resolve this?": (
        "What is stopping them developing further in their role, and how might they resolve it?"
    ),
    "Where am I in the learning, experiences and capabilities my current role requires? Is there "
    "a specific area I would like to develop further?": (
        "Where are they in the learning, experience and capabilities their role needs? Which "
        "area would they like to develop further?"
    ),
    "What are my aspirations and how do I want to grow my career (depth, breadth, or "
    "stretch/complexity)?": (
        "What are their aspirations, and how do they want to grow their career (depth, breadth "
        "or stretch/complexity)?"
    ),
    "Where am I now on the Scope for Growth framework, and in two years' time where do I want to "
    "be, and why?": (
        "Where do they place themselves on the Scope for Growth framework now and in two years, "
        "and why?"
    ),
    "What types of roles or functions am I interested in?": (
        "Which kinds of roles or functions interest them?"
    ),
    "How do my aspirations link to my drivers and motivations?": (
        "How do their aspirations link to what drives and motivates them?"
    ),
    "What support and development do I need to achieve my career aspirations?": (
        "What support and development do they need to reach their career aspirations?"
    ),
    "During the last six months, what project, task or activity has had the most significant "
    "impact on my development?": (
        "In the last six months, which project, task or activity did most for their development?"
    ),
    'Looking forward to the next year, what project, task or activity would I "die for"? How '
    "would it contribute to my career development?": (
        'Over the next year, which project, task or activity would they "die for", and how '
        "would it help their career?"
    ),
    "Accomplishments: my successes and their impact on my development.": (
        "Accomplishments: their successes and what they did for their development."
    ),
    "Motivation: my career interest patterns \u2014 what kind of work draws me.": (
        "Motivation: the kinds of work that draw them."
    ),
    "Personal style: my preferred ways of working.": "Personal style: how they prefer to work.",
    "Learning style: how I prefer to develop.": "Learning style: how they prefer to develop.",
    "Skills and behaviours: my functional and transferable skills and behaviours.": (
        "Skills and behaviours: their functional and transferable skills and behaviours."
    ),
}


def forwards(apps, schema_editor):
    Question = apps.get_model("journals", "Question")
    Answer = apps.get_model("journals", "Answer")
    for question in Question.objects.filter(facilitator_text=""):
        wording = WORDINGS.get(question.text)
        if wording is None:
            continue
        question.facilitator_text = wording
        question.save(update_fields=["facilitator_text"])
        Answer.objects.filter(question=question, question_text=question.text).update(
            question_facilitator_text=wording
        )


def backwards(apps, schema_editor):
    apps.get_model("journals", "Answer").objects.update(question_facilitator_text="")
    apps.get_model("journals", "Question").objects.update(facilitator_text="")


class Migration(migrations.Migration):
    dependencies = [
        ("journals", "0007_facilitator_wording"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
