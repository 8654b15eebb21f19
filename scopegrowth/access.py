"""THE permission module: the one place that says who may see or do what.

Every view, service, task and command asks here; nothing else decides access.

- `roles(user)`: the user's roles, read from the database: on every call, or once per request
  inside `access_memo.per_request()` (the request middleware), where any write forgets them
  (a link that ended a second ago, or earlier in the same request, no longer counts).
- `scope(user, action, model_or_queryset)`: the objects the user may reach for an action.
- `can(user, action, obj)`: may the user do this to this object?
- `require(user, action, obj)`: `can` or raise `PermissionDenied`.
- `get_or_404(user, action, model_or_queryset, **lookup)`: fetch for a view. Outside the user's
  *view* scope: 404 (existence hidden); visible but the action is not allowed: 403.

Deny by default: an unknown action, an unknown model, an anonymous or inactive user, or a rule
that raises, is refused. There is no superuser or `has_perm` shortcut: the admin role manages
accounts and reads no journal.

Each model's rules are a `Policy` registered in `POLICIES` below: the core's own (people) here,
each feature app's in its `policies.py` (`access.register(...)` at import, found at start-up by
`scopegrowth.registry.autodiscover()`). A policy gives a `Q` filter per action (so scopes are one
query however many objects there are) and may give a cheaper in-memory check for a single
object. This module imports no feature app.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, Model, OuterRef, Q, QuerySet, When
from django.http import Http404

from scopegrowth import precompiled
from scopegrowth.access_log import fail_closed
from scopegrowth.access_log import log_refusal as _log_refusal
from scopegrowth.access_log import model_of as _model_of
from scopegrowth.access_memo import facts as _facts
from scopegrowth.access_memo import once as _once
from scopegrowth.models import CoachLink, ManagerLink, User

INDIVIDUAL = "individual"
MANAGER = "manager"
COACH = "coach"
HR = "hr"
ADMIN = "admin"
ALL_ROLES = (INDIVIDUAL, MANAGER, COACH, HR, ADMIN)

NOTHING = Q(pk__in=[])


class SystemActor:
    """The actor of Celery tasks and management commands: explicit, never 'no user'.

    It passes only the actions a policy lists in `system_actions`.
    """

    is_authenticated = True
    is_active = True
    pk = None
    full_name = "ScopeGrowth"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


# =============================================================================
# Roles and relationships
# =============================================================================


def is_person(user: Any) -> bool:
    """A signed-in, active, real user (not anonymous, not the system actor)."""
    return (
        isinstance(user, User) and user.is_authenticated and user.is_active and user.pk is not None
    )


def roles(user: Any) -> frozenset[str]:
    """The user's roles, in one query (once per request: `access_memo.per_request()`)."""
    if not is_person(user):
        return frozenset()
    known = _facts(user)
    if known is None:
        return _read_roles(user)
    if not known.active:
        return frozenset()
    found = {INDIVIDUAL}
    for role, held in (
        (MANAGER, known.reports),
        (COACH, known.coachees),
        (HR, known.hr),
        (ADMIN, known.staff),
    ):
        if held:
            found.add(role)
    return frozenset(found)


def _read_roles(user: User) -> frozenset[str]:
    row = (
        User.objects.filter(pk=user.pk, is_active=True)
        .annotate(
            _manages=Exists(ManagerLink.objects.active().filter(manager=OuterRef("pk"))),
            _coaches=Exists(CoachLink.objects.active().filter(coach=OuterRef("pk"))),
        )
        .values("_manages", "_coaches", "is_hr", "is_staff")
        .first()
    )
    if row is None:
        return frozenset()
    flags = ((MANAGER, "_manages"), (COACH, "_coaches"), (HR, "is_hr"), (ADMIN, "is_staff"))
    return frozenset({INDIVIDUAL} | {role for role, key in flags if row[key]})


def request_roles(request: Any) -> frozenset[str]:
    """`roles(request.user)` (once per request: `access_memo.per_request()`)."""
    return roles(request.user)


def manages(manager: Any, person: User) -> bool:
    if not is_person(manager):
        return False
    known = _facts(manager)
    if known is not None:
        return person.pk in known.reports
    return ManagerLink.objects.active().filter(manager=manager, report=person).exists()


def coaches(coach: Any, person: User) -> bool:
    if not is_person(coach):
        return False
    known = _facts(coach)
    if known is not None:
        return person.pk in known.coachees
    return CoachLink.objects.active().filter(coach=coach, coachee=person).exists()


def facilitates(user: Any, person: User) -> bool:
    """The user is the person's current line manager or an assigned coach."""
    if not is_person(user):
        return False
    known = _facts(user)
    if known is not None:
        return person.pk in known.reports or person.pk in known.coachees
    return (
        ManagerLink.objects.active().filter(manager=user, report=person).exists()
        or CoachLink.objects.active().filter(coach=user, coachee=person).exists()
    )


def current_manager(person: User) -> User | None:
    link = ManagerLink.objects.active().filter(report=person).select_related("manager").first()
    return link.manager if link else None


def facilitated_people_q(user: Any, prefix: str = "") -> Q:
    """Q for people (at `prefix`, e.g. "owner__") the user currently manages or coaches."""
    if not is_person(user):
        return NOTHING
    # Uncorrelated IN subqueries: the database reads the user's few links first and looks the
    # people up by key (a correlated EXISTS here was evaluated for every person in the
    # organisation: 10 ms of the dashboard at 10,000 people).
    # Within a request the links were read once (`access_memo.facts`): their keys as a list.
    field = f"{prefix}pk__in" if prefix else "pk__in"
    known = _facts(user)
    if known is not None:
        people = sorted(known.reports | known.coachees)
        return Q(**{field: people}) if people else NOTHING
    reports = ManagerLink.objects.active().filter(manager=user).values("report")
    coachees = CoachLink.objects.active().filter(coach=user).values("coachee")
    return Q(**{field: reports}) | Q(**{field: coachees})


def same_organisation_q(user: Any, prefix: str = "") -> Q:
    if not is_person(user) or user.organisation_id is None:
        return NOTHING
    return Q(**{f"{prefix}organisation_id": user.organisation_id})


# =============================================================================
# Policies
# =============================================================================


class Policy:
    """Rules for one model. Subclasses define `actions` and `q(user, action)`."""

    actions: frozenset[str] = frozenset()
    system_actions: frozenset[str] = frozenset()
    #: The literal table, per action: (the roles that can ever get it, the rule in words).
    #: `docs/permissions.md` is written from it; a test checks it against the rules.
    who: dict[str, tuple[frozenset[str] | set[str], str]] = {}

    def q(self, user: Any, action: str) -> Q:
        raise NotImplementedError

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        """A cheaper in-memory answer for one object, or None to ask the database."""
        return None


class PersonPolicy(Policy):
    """People: who may see a person's name, role and team (not their journal)."""

    actions = frozenset({"view", "facilitate", "relate", "grant", "sync"})
    system_actions = frozenset({"sync"})
    who = {
        "view": (
            {INDIVIDUAL, MANAGER, COACH, HR},
            "themself; the people they manage or coach; HR: their organisation",
        ),
        "facilitate": ({MANAGER, COACH}, "the people they currently manage or coach"),
        "relate": (
            {HR, ADMIN},
            "set line managers and coaches: HR of their organisation, admins; never their own",
        ),
        "grant": ({ADMIN}, "give or remove HR and admin: admins; never on themself"),
        "sync": (set(), "relate and grant from `manage.py import_people` (the system actor)"),
    }

    def q(self, user: Any, action: str) -> Q:
        if action == "view":
            own = Q(pk=user.pk)
            reach = own | facilitated_people_q(user)
            if HR in roles(user):
                reach |= same_organisation_q(user)
            return reach
        if action == "facilitate":
            return facilitated_people_q(user)
        if action in ("relate", "grant"):
            user_roles = roles(user)
            if ADMIN in user_roles:
                return ~Q(pk=user.pk)
            if action == "relate" and HR in user_roles:
                return same_organisation_q(user) & ~Q(pk=user.pk)
        return NOTHING

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        if action == "view" and obj.pk == user.pk:
            return True
        if action in ("facilitate", "relate", "grant") and obj.pk == user.pk:
            return False
        known = _facts(user) if action == "facilitate" else None  # `q`'s links, read once
        return None if known is None else obj.pk in known.reports | known.coachees


class PeopleImportPolicy(Policy):
    """People files: HR and admins of the organisation the file is for."""

    actions = frozenset({"view", "apply"})
    who = {
        "view": ({HR, ADMIN}, "HR and admins of the file's organisation"),
        "apply": ({HR, ADMIN}, "HR and admins of the file's organisation"),
    }

    def q(self, user: Any, action: str) -> Q:
        if roles(user) & {HR, ADMIN}:
            return same_organisation_q(user)
        return NOTHING


#: model label -> its policy. The core registers only its own model here; each feature app
#: registers its models' policies from its `policies.py`, imported at start-up by
#: `scopegrowth.registry.autodiscover()`. A model nobody registered is refused everything.
POLICIES: dict[str, Policy] = {
    "scopegrowth.user": PersonPolicy(),
    "scopegrowth.peopleimport": PeopleImportPolicy(),
}


def register(model_label: str, policy: Policy) -> Policy:
    """Register the policy of a model ("app_label.model"). Called by each app's `policies.py`
    at import; a second, different policy for the same model is an error (two apps claiming
    one model)."""
    key = model_label.lower()
    existing = POLICIES.get(key)
    if existing is not None and existing is not policy:
        raise ValueError(f"policies: {key!r} is registered twice")
    POLICIES[key] = policy
    return policy


def _policy_for(model: type[Model]) -> Policy | None:
    return POLICIES.get(model._meta.label_lower)


# =============================================================================
# The public API
# =============================================================================


def scope_q(user: Any, action: str, model: type[Model]) -> Q:
    """The filter of `scope`: `Q()` for the system actor's actions, `NOTHING` when refused."""
    policy = _policy_for(model)
    if policy is None or action not in policy.actions:
        return NOTHING
    if isinstance(user, SystemActor):
        return Q() if action in policy.system_actions else NOTHING
    if not is_person(user):
        return NOTHING
    try:
        return policy.q(user, action)
    except Exception as exc:  # noqa: BLE001 - fail closed, whatever went wrong
        fail_closed(f"{model._meta.label}.{action} scope", exc)
        return NOTHING


def scope(user: Any, action: str, model_or_queryset: type[Model] | QuerySet) -> QuerySet:
    """The objects `user` may reach for `action` (an empty queryset when none)."""
    qs = model_or_queryset
    qs = qs if isinstance(qs, QuerySet) else qs._default_manager.all()
    q = scope_q(user, action, qs.model)
    return qs.none() if q is NOTHING else qs.filter(q)


def can(user: Any, action: str, obj: Model) -> bool:
    policy = _policy_for(obj.__class__)
    if policy is None or action not in policy.actions or obj is None or obj.pk is None:
        return False
    if isinstance(user, SystemActor):
        return action in policy.system_actions
    if not is_person(user):
        return False
    try:
        quick = policy.check(user, action, obj)
        if quick is not None:
            return bool(quick)
        model = obj.__class__  # kept for the request, until its next write (access_memo)
        allowed = model._default_manager.filter(pk=obj.pk).filter
        key = ("can", model._meta.label_lower, obj.pk, action, user.pk)
        return _once(key, lambda: allowed(policy.q(user, action)).exists())
    except Exception as exc:  # noqa: BLE001 - fail closed
        fail_closed(f"{obj.__class__._meta.label}.{action}", exc)
        return False


def can_each(user: Any, actions: tuple[str, ...], obj: Model) -> dict[str, bool]:
    """`can(user, action, obj)` for each action, in one query (a page's buttons)."""
    policy, answers, ask = _policy_for(obj.__class__), {}, {}
    for action in actions:
        if policy is None or action not in policy.actions or not is_person(user) or not obj.pk:
            answers[action] = can(user, action, obj)  # refused, or the system actor's rule
            continue
        try:
            quick = policy.check(user, action, obj)
            if quick is None:
                ask[f"_can_{action}"] = Case(When(policy.q(user, action), then=True), default=False)
            else:
                answers[action] = bool(quick)
        except Exception as exc:  # noqa: BLE001 - fail closed
            fail_closed(f"{obj.__class__._meta.label}.{action}", exc)
            answers[action] = False
    if ask:
        try:
            row = obj.__class__._default_manager.filter(pk=obj.pk).values(**ask).first() or {}
        except Exception as exc:  # noqa: BLE001 - fail closed
            fail_closed(f"{obj.__class__._meta.label}.{','.join(ask)}", exc)
            row = {}
        answers.update((key.removeprefix("_can_"), bool(row.get(key))) for key in ask)
    return {action: answers[action] for action in actions}


def require(user: Any, action: str, obj: Model) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(f"not allowed: {action}")


def get_or_404(
    user: Any, action: str, model_or_queryset: type[Model] | QuerySet | Any, **lookup: Any
) -> Any:
    """Fetch one object for a view: 404 outside the view scope, 403 when the action is refused.
    Given a model, or a function of no arguments returning the queryset to read (its
    `select_related`, say), the read's SQL is built once per process (`precompiled`)."""
    if isinstance(model_or_queryset, QuerySet):
        obj = scope(user, "view", model_or_queryset).filter(**lookup).first()
    else:
        obj = _precompiled_get(user, model_or_queryset, lookup)
    if obj is None:
        _log_refusal(user, action, _model_of(model_or_queryset), 404)
        raise Http404("No such object")
    if action != "view" and not can(user, action, obj):
        _log_refusal(user, action, _model_of(model_or_queryset), 403)
        raise PermissionDenied(f"not allowed: {action}")
    return obj


def _precompiled_get(user: Any, source: Any, lookup: dict) -> Any:
    is_model = isinstance(source, type) and issubclass(source, Model)
    model, base = (source, source._default_manager.all) if is_model else (_model_of(source), source)
    name = model._meta.label_lower if is_model else f"{source.__module__}.{source.__qualname__}"
    q = scope_q(user, "view", model)

    def build(q: Q) -> QuerySet:
        found = base().filter(q)
        return (found if found.ordered else found.order_by("pk"))[:1]

    return None if q is NOTHING else precompiled.first(("get_or_404", name), build, q & Q(**lookup))
