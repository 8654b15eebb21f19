"""The plans of the demo organisation (contract: `seed_demo`). Idempotent.

- individual@ has one AGREED plan from an earlier cycle, signed by her and manager@ about 14
  months ago: four objectives with initiatives, progress on some, one review held.
- individual2@ has an AGREED plan from her completed conversation with manager2@ (created by
  conversations/demo.py); without that conversation the plan is made with no conversation.

Rows are written directly (with the same content hash the services compute), so seeding sends
no email and can date signatures in the past.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation
from devplans.content import add_months, plan_content_hash
from devplans.models import Initiative, Objective, Plan, ProgressNote, Review
from devplans.services import default_review_dates, horizon_for
from scopegrowth import registry
from scopegrowth.models import ImpactLevel, User

EARLIER_PLAN = {
    "current": ("depth", "Developing in role"),
    "current_evidence": (
        "Newly qualified two years ago; confident with the ward routine and well regarded by "
        "patients. Still building confidence in leading a shift."
    ),
    "future": ("depth", "Established in role"),
    "future_why": (
        "Wants to be the nurse colleagues turn to on a difficult shift, before thinking about "
        "a ward sister role."
    ),
    "reflections": (
        "Most energised when teaching students; finds night shifts hard on well-being and "
        "wants to plan them better."
    ),
    "aspirations": "Grow in the current role first; lead shifts with confidence within a year.",
    "objectives": [
        (
            "Lead the shift as nurse in charge at least twice a month",
            "Confidence in leading a shift",
            "short",
            "Feedback from the ward manager after each shift led",
            ["Shadowing", "Coaching"],
            "achieved",
        ),
        (
            "Complete the practice supervisor and assessor course",
            "Teaching students, which I enjoy most",
            "short",
            "Course completed and a first student supervised",
            ["Formal programme or qualification"],
            "achieved",
        ),
        (
            "Join the trust's falls-prevention group and present one audit",
            "Broader view of patient safety beyond the ward",
            "long",
            "Audit presented at the group",
            ["Project work", "Networks"],
            "in_progress",
        ),
        (
            "Meet a mentor from another ward every two months",
            "Learn how experienced nurses lead",
            "long",
            "Six meetings held, notes of what I tried",
            ["Mentoring"],
            "in_progress",
        ),
    ],
}

INDIVIDUAL2_PLAN = {
    "current": ("breadth", "Established in role"),
    "current_evidence": (
        "Runs month-end reporting for three directorates without errors; praised by budget "
        "holders for clear explanations."
    ),
    "future": ("stretch", "Established in role"),
    "future_why": "Ready to manage a small team and to work more closely with clinical services.",
    "reflections": "Enjoys explaining numbers to clinicians; wants more variety.",
    "aspirations": "Move into a finance business partner role within two years.",
    "objectives": [
        (
            "Shadow the surgery finance business partner for a quarter",
            "Understand the business partner role",
            "short",
            "Attend six budget meetings and write up what I learnt",
            ["Shadowing"],
            "not_started",
        ),
        (
            "Start the CIMA management level papers",
            "Qualification needed for the role",
            "long",
            "Two papers passed",
            ["Formal programme or qualification", "E-learning"],
            "not_started",
        ),
        (
            "Lead the cost-improvement project for outpatients",
            "Experience of leading others",
            "short",
            "Project plan agreed and first savings reported",
            ["Stretch assignment", "Action learning sets"],
            "not_started",
        ),
    ],
}


def _impact(name: str) -> ImpactLevel | None:
    return ImpactLevel.objects.filter(organisation=None, name=name).first()


def _at(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _fill(plan: Plan, spec: dict) -> None:
    """Set the plan's texts and positions where they are still empty (a plan started from a
    conversation keeps what was agreed there)."""
    values = {
        "current_growth": spec["current"][0],
        "current_impact": _impact(spec["current"][1]),
        "current_evidence": spec["current_evidence"],
        "future_growth": spec["future"][0],
        "future_impact": _impact(spec["future"][1]),
        "future_why": spec["future_why"],
        "reflections": spec["reflections"],
        "aspirations": spec["aspirations"],
    }
    for name, value in values.items():
        if not getattr(plan, name):
            setattr(plan, name, value)
    plan.save()


def _objectives(plan: Plan, spec: dict, start: date) -> None:
    if not plan.reviews.exists():
        Review.objects.bulk_create(
            Review(plan=plan, due_on=due) for due in default_review_dates(start, plan.horizon_end)
        )
    initiatives = {i.name: i for i in Initiative.objects.all()}
    for order, (what, why, term, success, names, _status) in enumerate(spec["objectives"], 1):
        objective = Objective.objects.create(
            plan=plan,
            order=order,
            description=what,
            aspiration=why,
            term=term,
            success_measure=success,
            target_date=add_months(start, 9 if term == "short" else 20),
            support_needed="Protected time agreed with the line manager.",
        )
        objective.initiatives.set([initiatives[n] for n in names if n in initiatives])


def _agree(plan: Plan, signer: User, at: datetime) -> None:
    digest = plan_content_hash(plan)
    plan.individual_signed_at = at
    plan.individual_signed_hash = digest
    plan.facilitator_signed_by = signer
    plan.facilitator_signed_at = at + timedelta(minutes=20)
    plan.facilitator_signed_hash = digest
    plan.status = Plan.Status.AGREED
    plan.agreed_at = at + timedelta(minutes=20)
    plan.save()


def _progress(plan: Plan, spec: dict, author: User, since: date) -> None:
    for objective, row in zip(plan.objectives.order_by("order"), spec["objectives"], strict=True):
        status = row[5]
        if status == objective.status:
            continue
        objective.status = status
        objective.save(update_fields=["status"])
        ProgressNote.objects.create(
            objective=objective,
            author=author,
            created_at=_at(add_months(since, 4)),
            text="Done, with good feedback." if status == "achieved" else "Started; on track.",
        )


@transaction.atomic
def seed(org) -> dict[str, Plan]:
    people = org.people
    made: dict[str, Plan] = {}
    today = timezone.localdate()

    individual, manager = people["individual"], people["manager"]
    earlier = Plan.objects.filter(
        individual=individual, conversation__isnull=True, agreed_at__isnull=False
    ).first()
    if earlier is None:
        start = add_months(today, -14)
        earlier = Plan.objects.create(
            individual=individual,
            facilitator=manager,
            horizon_end=horizon_for(start),
            created_at=_at(start, 10),
            updated_at=_at(start, 12),
            updated_by=manager,
        )
        _fill(earlier, EARLIER_PLAN)
        _objectives(earlier, EARLIER_PLAN, start)
        _agree(earlier, manager, _at(start, 12))
        _progress(earlier, EARLIER_PLAN, individual, start)
        first = earlier.reviews.order_by("due_on").first()
        first.held_on = first.due_on
        first.notes = (
            "Leading shifts regularly now; course done. Agreed to focus on the audit and the "
            "mentoring meetings next."
        )
        first.recorded_by = manager
        first.save()
    made["individual"] = earlier

    individual2, manager2 = people["individual2"], people["manager2"]
    conversation = (
        Conversation.objects.filter(individual=individual2, status=Conversation.Status.COMPLETED)
        .order_by("-scheduled_at")
        .first()
    )
    plan = (
        Plan.objects.filter(individual=individual2, conversation=conversation)
        .exclude(status=Plan.Status.SUPERSEDED)
        .order_by("-number")
        .first()
    )
    if plan is None or plan.status == Plan.Status.DRAFT:
        start = (
            timezone.localtime(conversation.scheduled_at).date()
            if conversation
            else add_months(today, -1)
        )
        if plan is None:
            plan = Plan.objects.create(
                individual=individual2,
                facilitator=conversation.facilitator if conversation else manager2,
                conversation=conversation,
                horizon_end=horizon_for(start),
                updated_by=manager2,
            )
        plan.objectives.all().delete()
        _fill(plan, INDIVIDUAL2_PLAN)
        _objectives(plan, INDIVIDUAL2_PLAN, start)
        signed = min(_at(start, 15) + timedelta(days=2), timezone.now() - timedelta(hours=1))
        _agree(plan, plan.facilitator, signed)
    made["individual2"] = plan
    return made


def scale(person_ids: list[int], offset: int) -> int:
    """`seed_demo --scale`: an agreed plan (two objectives, four reviews) for each completed
    conversation of the generated people that has none."""
    completed = Conversation.objects.filter(
        individual_id__in=person_ids,
        status=Conversation.Status.COMPLETED,
        plans__isnull=True,
    )
    plans = [
        Plan(
            individual_id=c.individual_id,
            facilitator_id=c.facilitator_id,
            conversation=c,
            status=Plan.Status.AGREED,
            current_growth=c.agreed_now_growth,
            current_impact_id=c.agreed_now_impact_id,
            future_growth=c.agreed_future_growth,
            future_impact_id=c.agreed_future_impact_id,
            current_evidence="Consistently strong feedback from the team.",
            aspirations="To lead a service improvement project.",
            horizon_end=(c.scheduled_at + timedelta(days=730)).date(),
            individual_signed_at=c.completed_at,
            facilitator_signed_at=c.completed_at,
            facilitator_signed_by_id=c.facilitator_id,
            agreed_at=c.completed_at,
        )
        for c in completed
    ]
    if not plans:
        return 0
    Plan.objects.bulk_create(plans)
    agreed = list(
        Plan.objects.filter(individual_id__in=person_ids, objectives__isnull=True).distinct()
    )
    Objective.objects.bulk_create(
        [
            Objective(
                plan=plan,
                order=n,
                description=text,
                term=term,
                target_date=plan.horizon_end - timedelta(days=365 if term == "short" else 30),
            )
            for plan in agreed
            for n, (text, term) in enumerate(
                [("Shadow a band 7 for a month", "short"), ("Lead a QI project", "long")]
            )
        ]
    )
    Review.objects.bulk_create(
        [
            Review(plan=plan, due_on=plan.horizon_end - timedelta(days=730 - 182 * k))
            for plan in agreed
            for k in (1, 2, 3, 4)
        ]
    )
    return len(plans)


registry.DEMO_SEEDERS.register("devplans", registry.DemoSeeder(seed=seed, order=30, scale=scale))
