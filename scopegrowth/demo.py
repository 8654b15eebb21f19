"""The demo organisation (contract: `seed_demo`). Idempotent: running it twice gives the same rows.

Each feature adds its part of the demo through a function here, so `seed_demo` stays one command.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from scopegrowth import registry
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
    """Give every generated person a journal, a conversation and, for most, an agreed plan:
    each app's `DemoSeeder.scale(batch, offset)` adds its part for 1,000 people at a time
    (journals, then conversations, then plans). Returns how many people got new activity."""
    people = list(
        User.objects.filter(email__startswith="person", email__endswith="@scale.example.com")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    seeders = sorted((s for s in registry.DEMO_SEEDERS if s.scale), key=lambda s: s.order)
    added = 0
    for start in range(0, len(people), 1000):
        batch = people[start : start + 1000]
        added += max((seeder.scale(batch, start) for seeder in seeders), default=0)
    return added


def seed_apps(org: DemoOrganisation) -> None:
    """Each app's demo rows for the demo people, in the seeders' order."""
    for seeder in sorted(registry.DEMO_SEEDERS, key=lambda s: s.order):
        seeder.seed(org)
