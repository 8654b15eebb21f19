"""THE permission module: the one place that says who may see or do what.

Every view, service, task and command asks here; nothing else decides access.

- `roles(user)`: the user's roles, read from the database on every call (a link that ended a
  second ago no longer counts).
- `scope(user, action, model_or_queryset)`: the objects the user may reach for an action.
- `can(user, action, obj)`: may the user do this to this object?
- `require(user, action, obj)`: `can` or raise `PermissionDenied`.
- `get_or_404(user, action, model_or_queryset, **lookup)`: fetch for a view. Outside the user's
  *view* scope: 404 (existence hidden); visible but the action is not allowed: 403.

Deny by default: an unknown action, an unknown model, an anonymous or inactive user, or a rule
that raises, is refused. There is no superuser or `has_perm` shortcut: the admin role manages
accounts and reads no journal.

Each model's rules are a `Policy` registered in `POLICIES` below. A policy gives a `Q` filter per
action (so scopes are one query however many objects there are) and may give a cheaper in-memory
check for a single object.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from scopegrowth.models import CoachLink, ManagerLink, User

logger = logging.getLogger(__name__)

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
    """The user's roles, in one query."""
    if not is_person(user):
        return frozenset()
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
    found = {INDIVIDUAL}
    if row["_manages"]:
        found.add(MANAGER)
    if row["_coaches"]:
        found.add(COACH)
    if row["is_hr"]:
        found.add(HR)
    if row["is_staff"]:
        found.add(ADMIN)
    return frozenset(found)


def request_roles(request: Any) -> frozenset[str]:
    """`roles(request.user)`, asked once per request (never kept beyond it)."""
    cached = getattr(request, "_sg_roles", None)
    if cached is None:
        cached = roles(request.user)
        request._sg_roles = cached
    return cached


def manages(manager: Any, person: User) -> bool:
    return (
        is_person(manager)
        and ManagerLink.objects.active().filter(manager=manager, report=person).exists()
    )


def coaches(coach: Any, person: User) -> bool:
    return (
        is_person(coach) and CoachLink.objects.active().filter(coach=coach, coachee=person).exists()
    )


def facilitates(user: Any, person: User) -> bool:
    """The user is the person's current line manager or an assigned coach."""
    if not is_person(user):
        return False
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
    field = f"{prefix}pk__in" if prefix else "pk__in"
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

    def q(self, user: Any, action: str) -> Q:
        raise NotImplementedError

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        """A cheaper in-memory answer for one object, or None to ask the database."""
        return None


class PersonPolicy(Policy):
    """People: who may see a person's name, role and team (not their journal)."""

    actions = frozenset({"view", "facilitate"})

    def q(self, user: Any, action: str) -> Q:
        if action == "view":
            own = Q(pk=user.pk)
            reach = own | facilitated_people_q(user)
            if HR in roles(user):
                reach |= same_organisation_q(user)
            return reach
        if action == "facilitate":
            return facilitated_people_q(user)
        return NOTHING

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        if action == "view" and obj.pk == user.pk:
            return True
        if action == "facilitate" and obj.pk == user.pk:
            return False
        return None


# --- journals ---
# Reflection journals (issue 3). Private by default: the owner sees and does everything allowed
# on their own journal; the current line manager or an assigned coach may *view* a journal only
# once at least one section is shared, and then only the shared sections (`shared_sections`).
# HR, admins, other managers, colleagues and unassigned coaches reach nothing (404).

from journals.models import Journal, JournalSection, Section  # noqa: E402


class JournalPolicy(Policy):
    """Actions on a `journals.Journal`.

    - view: the owner; a facilitator when at least one section is shared.
    - own: the owner, any cycle (an earlier cycle stays readable; a post to it gets a clear
      "closed" message rather than a 403).
    - edit, mark_ready: the owner, while the cycle is open (`closed_at` empty).
    - share: the owner, any cycle (unsharing must always be possible; the service refuses a new
      share on a closed cycle).
    - view_access_log: the owner ("who has read my journal").
    - notify (system only): the ready-for-conversation email task.
    """

    actions = frozenset({"view", "own", "edit", "share", "mark_ready", "view_access_log", "notify"})
    system_actions = frozenset({"notify"})

    def q(self, user: Any, action: str) -> Q:
        own = Q(owner_id=user.pk)
        if action == "view":
            shared = Exists(
                JournalSection.objects.filter(journal=OuterRef("pk"), shared_at__isnull=False)
            )
            return own | (facilitated_people_q(user, prefix="owner__") & Q(shared))
        if action in ("own", "share", "view_access_log"):
            return own
        if action in ("edit", "mark_ready"):
            return own & Q(closed_at__isnull=True)
        return NOTHING

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        if obj.owner_id == user.pk:
            if action in ("view", "own", "share", "view_access_log"):
                return True
            if action in ("edit", "mark_ready"):
                return obj.closed_at is None
            return False
        if action != "view":
            return False
        return None


def shared_sections(user: Any, journal: Journal) -> set[str]:
    """Slugs of the journal's sections `user` may read: the owner all of them, a current
    facilitator the shared ones, anyone else none (fail closed)."""
    try:
        if not is_person(user) or journal is None or journal.pk is None:
            return set()
        if journal.owner_id == user.pk:
            return set(Section.objects.values_list("slug", flat=True))
        if not facilitates(user, journal.owner):
            return set()
        return set(
            JournalSection.objects.filter(journal=journal, shared_at__isnull=False).values_list(
                "section__slug", flat=True
            )
        )
    except Exception as exc:  # noqa: BLE001 - fail closed
        _fail_closed("journals.shared_sections", exc)
        return set()


def journal_facilitators(journal: Journal) -> list[tuple[User, str]]:
    """Who would see the journal's shared sections, with how they relate to the owner:
    [(user, "line manager"), (user, "coach"), ...]. The audience for notifications and for
    the "who will see what" text."""
    owner_id = journal.owner_id
    found: list[tuple[User, str]] = []
    manager = (
        ManagerLink.objects.active()
        .filter(report_id=owner_id, manager__is_active=True)
        .select_related("manager")
        .first()
    )
    if manager is not None:
        found.append((manager.manager, "line manager"))
    for link in (
        CoachLink.objects.active()
        .filter(coachee_id=owner_id, coach__is_active=True)
        .select_related("coach")
        .order_by("coach__full_name")
    ):
        found.append((link.coach, "coach"))
    return found


# --- end journals ---


# --- conversations ---
# The facilitated conversation (issue 4). The individual sees their own conversations (time,
# place, invite, agreed summaries, agreed position); the *current* line manager or an assigned
# coach facilitates (a manager who changed mid-cycle loses access on the next request, and the
# new one takes over). Preparation and facilitator-only notes: facilitators only. HR and admins:
# nothing.

from conversations.models import Conversation  # noqa: E402


class ConversationPolicy(Policy):
    """Actions on a `conversations.Conversation`.

    - view, download_invite: the individual and current facilitators.
    - facilitate (reschedule, cancel, run stages, complete), prepare (the private preparation
      and facilitator-only notes): current facilitators, never the individual themself.
    - remind (system only): reminder and invitation emails.
    """

    actions = frozenset({"view", "download_invite", "facilitate", "prepare", "remind"})
    system_actions = frozenset({"remind"})

    def q(self, user: Any, action: str) -> Q:
        facilitators = facilitated_people_q(user, prefix="individual__") & ~Q(individual=user.pk)
        if action in ("view", "download_invite"):
            return Q(individual=user.pk) | facilitators
        if action in ("facilitate", "prepare"):
            return facilitators
        return NOTHING

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        if obj.individual_id == user.pk:
            return action in ("view", "download_invite")
        return None


def can_use_dashboard(user: Any, user_roles: frozenset[str] | None = None) -> bool:
    """The facilitator's dashboard (`/dashboard/`): people who currently line-manage or coach
    someone. Everyone else gets 404, like any page that is not theirs. `user_roles`: the
    request's roles when already read (`request_roles`), to save a query."""
    try:
        found = roles(user) if user_roles is None else user_roles
        return bool(found & {MANAGER, COACH})
    except Exception as exc:  # noqa: BLE001 - fail closed
        _fail_closed("conversations.dashboard", exc)
        return False


def conversation_may_see_private(user: Any, conversation: Conversation) -> bool:
    """May `user` read the conversation's private parts (the preparation, facilitator-only
    notes, the facilitator's view of the position)? The same people who may prepare."""
    return can(user, "prepare", conversation)


# --- end conversations ---


# --- devplans ---
# The aspirational development plan (issue 5). The individual and their current facilitators
# see and (while it is a draft) edit it; each signs only for themself; HR of the same
# organisation sees agreed plans (never drafts, journals or notes); admins: nothing.

from devplans.models import Plan  # noqa: E402


class PlanPolicy(Policy):
    """Actions on a `devplans.Plan` (one version).

    - view, download_pdf: the individual; current facilitators; HR of the individual's
      organisation once the plan has been agreed (agreed or a superseded agreed version).
    - edit, sign: the individual and current facilitators, on a draft.
    - update_progress: the individual, on the agreed version (no reopening needed).
    - record_review: current facilitators, on the agreed version (held with the individual).
    - reopen: the individual and current facilitators, on the agreed version.
    - export (HR list, CSV, bulk ZIP): HR of the same organisation, agreed plans only.
    - remind (system only).
    """

    actions = frozenset(
        {
            "view",
            "download_pdf",
            "edit",
            "sign",
            "update_progress",
            "record_review",
            "reopen",
            "export",
            "remind",
        }
    )
    system_actions = frozenset({"remind"})

    def q(self, user: Any, action: str) -> Q:
        own = Q(individual=user.pk)
        facilitators = facilitated_people_q(user, prefix="individual__") & ~own
        agreed = Q(agreed_at__isnull=False)
        hr = NOTHING
        if HR in roles(user):
            hr = same_organisation_q(user, prefix="individual__") & agreed
        if action in ("view", "download_pdf"):
            return own | facilitators | hr
        if action == "export":
            return hr
        if action in ("edit", "sign"):
            return (own | facilitators) & Q(status=Plan.Status.DRAFT)
        if action == "update_progress":
            return own & Q(status=Plan.Status.AGREED)
        if action == "record_review":
            return facilitators & Q(status=Plan.Status.AGREED)
        if action == "reopen":
            return (own | facilitators) & Q(status=Plan.Status.AGREED)
        return NOTHING


class ExportJobPolicy(Policy):
    """A bulk export is visible and downloadable only by the HR user who started it, while
    they are still HR."""

    actions = frozenset({"view", "download"})

    def q(self, user: Any, action: str) -> Q:
        if action in ("view", "download") and HR in roles(user):
            return Q(requested_by=user.pk)
        return NOTHING


# --- end devplans ---


POLICIES: dict[str, Policy] = {
    "conversations.conversation": ConversationPolicy(),
    "devplans.plan": PlanPolicy(),
    "devplans.exportjob": ExportJobPolicy(),
    "journals.journal": JournalPolicy(),
    "scopegrowth.user": PersonPolicy(),
}


def register(model_label: str, policy: Policy) -> None:
    """Used by this module only; kept as a function so the registry has one writer."""
    POLICIES[model_label.lower()] = policy


def _policy_for(model: type[Model]) -> Policy | None:
    return POLICIES.get(model._meta.label_lower)


def fail_closed(what: str, exc: BaseException) -> None:
    """Log a rule that raised (the caller then refuses)."""
    _fail_closed(what, exc)


def _fail_closed(what: str, exc: BaseException) -> None:
    logger.exception(
        "access rule failed; denying", extra={"rule": what, "error": type(exc).__name__}
    )


# =============================================================================
# The public API
# =============================================================================


def scope(user: Any, action: str, model_or_queryset: type[Model] | QuerySet) -> QuerySet:
    """The objects `user` may reach for `action` (an empty queryset when none)."""
    qs = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    policy = _policy_for(qs.model)
    if policy is None or action not in policy.actions:
        return qs.none()
    if isinstance(user, SystemActor):
        return qs if action in policy.system_actions else qs.none()
    if not is_person(user):
        return qs.none()
    try:
        return qs.filter(policy.q(user, action))
    except Exception as exc:  # noqa: BLE001 - fail closed, whatever went wrong
        _fail_closed(f"{qs.model._meta.label}.{action} scope", exc)
        return qs.none()


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
        model = obj.__class__
        return model._default_manager.filter(pk=obj.pk).filter(policy.q(user, action)).exists()
    except Exception as exc:  # noqa: BLE001 - fail closed
        _fail_closed(f"{obj.__class__._meta.label}.{action}", exc)
        return False


def require(user: Any, action: str, obj: Model) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(f"not allowed: {action}")


def get_or_404(
    user: Any, action: str, model_or_queryset: type[Model] | QuerySet, **lookup: Any
) -> Any:
    """Fetch one object for a view: 404 outside the view scope, 403 when the action is refused."""
    obj = scope(user, "view", model_or_queryset).filter(**lookup).first()
    if obj is None:
        _log_refusal(user, action, model_or_queryset, 404)
        raise Http404("No such object")
    if action != "view" and not can(user, action, obj):
        _log_refusal(user, action, model_or_queryset, 403)
        raise PermissionDenied(f"not allowed: {action}")
    return obj


def _log_refusal(user: Any, action: str, model_or_queryset: Any, status: int) -> None:
    """Refused authorisations go to the security log (who, what kind, which action; no ids
    that would confirm an object exists to a reader of the log who should not know)."""
    model = getattr(model_or_queryset, "model", model_or_queryset)
    logging.getLogger("scopegrowth.security").warning(
        "access refused",
        extra={
            "event": "access_refused",
            "user": getattr(user, "pk", None),
            "object_type": model._meta.label_lower,
            "action": action,
            "status": status,
        },
    )
