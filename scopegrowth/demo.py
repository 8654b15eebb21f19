"""The demo organisation (contract: `seed_demo`). Idempotent: running it twice gives the same rows.

Each feature adds its part of the demo through a function here, so `seed_demo` stays one command.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from scopegrowth.models import CoachLink, Directorate, ManagerLink, Organisation, Team, User

DEFAULT_PASSWORD = "ScopeGrowth-demo-1"  # noqa: S105 - documented demo password (contract)
ORGANISATION = "Northfield Hospitals NHS Foundation Trust"


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    full_name: str
    job_title: str
    team: str | None
    role_note: str


TEAM_A = ("Medicine", "Acute Medical Unit")
TEAM_B = ("Corporate Services", "Finance")

PEOPLE = [
    Person(
        "admin",
        "admin@example.com",
        "Sam Okafor",
        "Systems Administrator",
        None,
        "superuser (Django admin)",
    ),
    Person(
        "hr",
        "hr@example.com",
        "Priya Shah",
        "Head of Talent and Organisational Development",
        None,
        "HR: reads and exports agreed plans",
    ),
    Person(
        "manager",
        "manager@example.com",
        "Helen Carter",
        "Ward Manager",
        "A",
        "line manager of individual@ and colleague@ (team A)",
    ),
    Person(
        "manager2",
        "manager2@example.com",
        "David Mensah",
        "Head of Financial Planning",
        "B",
        "line manager of individual2@ (team B)",
    ),
    Person(
        "individual",
        "individual@example.com",
        "Aisha Rahman",
        "Staff Nurse",
        "A",
        "journal partly filled, conversation in 3 days, an earlier agreed plan",
    ),
    Person(
        "colleague",
        "colleague@example.com",
        "Tom Hughes",
        "Healthcare Assistant",
        "A",
        "journal not started, conversation tomorrow",
    ),
    Person(
        "individual2",
        "individual2@example.com",
        "Megan Lloyd",
        "Management Accountant",
        "B",
        "completed conversation and an agreed plan",
    ),
    Person(
        "coach",
        "coach@example.com",
        "Grace Adeyemi",
        "Leadership Coach",
        None,
        "assigned coach of individual2@",
    ),
]


@dataclass
class DemoOrganisation:
    organisation: Organisation
    teams: dict[str, Team]
    people: dict[str, User]


def _team(organisation: Organisation, directorate: str, team: str) -> Team:
    d, _ = Directorate.objects.get_or_create(organisation=organisation, name=directorate)
    t, _ = Team.objects.get_or_create(directorate=d, name=team)
    return t


def _ensure_link(model, **pair) -> None:
    if not model.objects.active().filter(**pair).exists():
        model.objects.create(**pair)


def _ensure_manager(manager: User, report: User) -> None:
    current = ManagerLink.objects.active().filter(report=report).first()
    if current and current.manager_id == manager.pk:
        return
    if current:
        current.ended_at = current.started_at
        current.save(update_fields=["ended_at"])
    ManagerLink.objects.create(manager=manager, report=report)


def _verified_email(user: User) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def seed_people(password: str = DEFAULT_PASSWORD) -> DemoOrganisation:
    organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION)
    teams = {"A": _team(organisation, *TEAM_A), "B": _team(organisation, *TEAM_B)}
    people: dict[str, User] = {}
    for p in PEOPLE:
        user, _ = User.objects.update_or_create(
            email=p.email,
            defaults={
                "full_name": p.full_name,
                "job_title": p.job_title,
                "organisation": organisation,
                "team": teams.get(p.team) if p.team else None,
                "is_active": True,
                "is_hr": p.key == "hr",
                "is_staff": p.key == "admin",
                "is_superuser": p.key == "admin",
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        _verified_email(user)
        people[p.key] = user
    _ensure_manager(people["manager"], people["individual"])
    _ensure_manager(people["manager"], people["colleague"])
    _ensure_manager(people["manager2"], people["individual2"])
    _ensure_link(CoachLink, coach=people["coach"], coachee=people["individual2"])
    return DemoOrganisation(organisation=organisation, teams=teams, people=people)


# ---------------------------------------------------------------------------------------------
# --scale N: more individuals over generated teams, in bulk
# ---------------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Muhammad",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Chidi",
    "Anjali",
    "Wojciech",
    "Siobhan",
    "Rhys",
    "Zainab",
    "Kofi",
    "Mei",
    "Tomasz",
    "Niamh",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Nowak",
    "O'Brien",
    "Okoye",
    "Begum",
    "Chen",
    "Murphy",
    "Ahmed",
    "Kaur",
    "Hughes",
]
JOB_TITLES = [
    "Staff Nurse",
    "Healthcare Assistant",
    "Physiotherapist",
    "Pharmacist",
    "Radiographer",
    "Occupational Therapist",
    "Administrator",
    "Midwife",
    "Paramedic",
    "Finance Officer",
    "Estates Officer",
    "Clinical Coding Officer",
    "Dietitian",
    "Speech and Language Therapist",
]
DIRECTORATES = ["Surgery", "Women and Children", "Clinical Support", "Community", "Estates"]
TEAM_SIZE = 50  # a manager with 50 reports is the dashboard benchmark's case


def scale_email(kind: str, number: int) -> str:
    return f"{kind}{number:05d}@scale.example.com"


@transaction.atomic
def seed_scale(organisation: Organisation, count: int, password: str = DEFAULT_PASSWORD) -> int:
    """Ensure `count` generated individuals exist (with managers and teams); returns how many
    were added. Uses bulk inserts: 10,000 people take seconds, not minutes."""
    existing_individuals = User.objects.filter(
        email__startswith="person", email__endswith="@scale.example.com"
    ).count()
    missing = max(0, count - existing_individuals)
    if missing == 0:
        return 0
    hashed = make_password(password)  # one hash for all: same demo password
    names = itertools.cycle(itertools.product(FIRST_NAMES, LAST_NAMES))
    for _ in range(existing_individuals):
        next(names)

    team_count = (count + TEAM_SIZE - 1) // TEAM_SIZE
    teams: list[Team] = []
    managers: list[User] = []
    for t in range(team_count):
        directorate = DIRECTORATES[t % len(DIRECTORATES)]
        teams.append(_team(organisation, directorate, f"{directorate} team {t + 1:03d}"))
    manager_emails = [scale_email("manager", t + 1) for t in range(team_count)]
    known = {u.email: u for u in User.objects.filter(email__in=manager_emails)}
    new_managers = [
        User(
            email=email,
            full_name=f"{FIRST_NAMES[t % len(FIRST_NAMES)]} {LAST_NAMES[t * 7 % len(LAST_NAMES)]}",
            job_title="Team Manager",
            organisation=organisation,
            team=teams[t],
            password=hashed,
        )
        for t, email in enumerate(manager_emails)
        if email not in known
    ]
    User.objects.bulk_create(new_managers, batch_size=1000)
    known = {u.email: u for u in User.objects.filter(email__in=manager_emails)}
    managers = [known[email] for email in manager_emails]

    new_people: list[User] = []
    team_of: dict[str, int] = {}
    for i in range(existing_individuals, count):
        first, last = next(names)
        t = i // TEAM_SIZE
        email = scale_email("person", i + 1)
        team_of[email] = t
        new_people.append(
            User(
                email=email,
                full_name=f"{first} {last}",
                job_title=JOB_TITLES[i % len(JOB_TITLES)],
                organisation=organisation,
                team=teams[t],
                password=hashed,
            )
        )
    User.objects.bulk_create(new_people, batch_size=1000)
    created = list(User.objects.filter(email__in=list(team_of)).only("id", "email"))
    ManagerLink.objects.bulk_create(
        [ManagerLink(manager=managers[team_of[u.email]], report=u) for u in created],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in [*managers, *created]
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return len(new_people)


# ---------------------------------------------------------------------------------------------
# --scale N: a journal, a conversation and (for most) an agreed plan for each generated person
# ---------------------------------------------------------------------------------------------


def seed_scale_activity() -> int:
    """Bulk-create the journal, conversation and plan of every generated person who has none.
    Seven in ten conversations are completed with an agreed plan; the rest are coming up."""
    from datetime import timedelta

    from django.utils import timezone

    from conversations.models import Conversation
    from devplans.models import Objective, Plan, Review
    from journals import demo as journals_demo
    from journals.models import Journal
    from scopegrowth.models import GrowthCategory, ImpactLevel

    people = list(
        User.objects.filter(email__startswith="person", email__endswith="@scale.example.com")
        .exclude(conversations__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not people:
        return 0
    managers = dict(
        ManagerLink.objects.active()
        .filter(report_id__in=people)
        .values_list("report_id", "manager_id")
    )
    now = timezone.now()
    levels = list(ImpactLevel.objects.filter(organisation__isnull=True).order_by("order"))
    growths = [g.value for g in GrowthCategory]

    for start in range(0, len(people), 1000):
        batch = people[start : start + 1000]
        journals_demo.seed_scale(User.objects.filter(pk__in=batch).only("pk"))
        journals = {j.owner_id: j for j in Journal.objects.filter(owner_id__in=batch, cycle=1)}
        conversations = []
        for i, p in enumerate(batch):
            done = (start + i) % 10 < 7
            now_growth = growths[(start + i) % 3]
            conversations.append(
                Conversation(
                    individual_id=p,
                    facilitator_id=managers[p],
                    journal=journals[p],
                    scheduled_at=now - timedelta(days=30 + i % 60)
                    if done
                    else now + timedelta(days=1 + i % 20, hours=1),
                    location="Seminar room 2",
                    invite_sent_sequence=0,  # generated: no invitation emails to send
                    status=Conversation.Status.COMPLETED if done else Conversation.Status.SCHEDULED,
                    completed_at=now - timedelta(days=29) if done else None,
                    agreed_now_growth=now_growth if done else "",
                    agreed_now_impact=levels[(start + i) % len(levels)] if done else None,
                    agreed_future_growth=growths[(start + i + 1) % 3] if done else "",
                    agreed_future_impact=levels[-1] if done else None,
                )
            )
        Conversation.objects.bulk_create(conversations)
        completed = Conversation.objects.filter(
            individual_id__in=batch, status=Conversation.Status.COMPLETED
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
        Plan.objects.bulk_create(plans)
        agreed = list(Plan.objects.filter(individual_id__in=batch))
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
    return len(people)
