"""The core's plug-in points: how a feature app adds itself without the core knowing it.

The core (this package) never imports a feature app. Each app declares what it brings in small
modules that are found at start-up the way `admin.py` is (`autodiscover()` below, called from
`ScopeGrowthConfig.ready`):

| module in the app    | registers into                 | what for                              |
|----------------------|--------------------------------|---------------------------------------|
| `policies.py`        | `scopegrowth.access.register`  | who may do what to the app's models   |
| `personal_data.py`   | `PERSONAL_DATA`                | "download my data" and retention      |
| `reminders.py`       | `REMINDER_RULES`               | which reminders are due, still apply  |
| `schedule.py`        | `BEAT_SCHEDULE`                | periodic Celery tasks                 |
| `demo.py`            | `DEMO_SEEDERS`                 | `manage.py seed_demo`                 |
| `home.py`            | `HOME_CARDS`                   | what the home page shows              |
| `relationships.py`   | `RELATIONSHIP_CHANGED`         | a new line manager, an ended coach    |
| `events.py`          | `ROUND_CLOSED`                 | a conversation round closed           |
| (any)                | `PROVIDERS`                    | one named read another layer needs    |

Each registry is explicit: a named, ordered table written at start-up and read afterwards,
never a signal. Registering the same key twice is an error (two apps claiming one name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")

#: The modules `autodiscover` imports from every installed app, in this order.
PLUGIN_MODULES = (
    "policies",
    "personal_data",
    "reminders",
    "schedule",
    "demo",
    "home",
    "relationships",
    "events",
    "providers",
)


class Registry(Generic[T]):
    """An ordered table of named entries, filled at start-up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T) -> T:
        if key in self._entries and self._entries[key] is not entry:
            raise ValueError(f"{self.name}: {key!r} is registered twice")
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        """For tests that plug in a temporary entry."""
        self._entries.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def __getitem__(self, key: str) -> T:
        try:
            return self._entries[key]
        except KeyError:
            raise LookupError(f"{self.name}: nothing registered as {key!r}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __len__(self) -> int:
        return len(self._entries)


# --- "download my data" and retention -------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """One part of a person's download: `rows(user)` is a queryset of `model` (a model label,
    "app_label.model"); `hidden` fields are left out."""

    name: str
    model: str
    rows: Callable[[Any], Any]
    hidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Holding:
    """One model about a person, every field classified: what anonymising does to it.

    - `rows(person)`: the person's rows of `model` that retention touches (a queryset).
    - `delete_rows`: the rows are deleted, so every field goes.
    - otherwise each concrete field is in `remove` (emptied: "" or NULL), in `values` (set to
      this value, or `value(person)` when callable) or in `keep` (with the reason it may stay).
    A test fails when a field of a model about a person is in none of them.
    """

    model: str
    rows: Callable[[Any], Any]
    delete_rows: bool = False
    remove: frozenset[str] = frozenset()
    values: dict[str, Any] = field(default_factory=dict)
    keep: dict[str, str] = field(default_factory=dict)

    def classified(self) -> set[str]:
        return set(self.remove) | set(self.values) | set(self.keep)


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about a person.

    - `exports`: the parts of a person's download (what they own, and of other people's
      records only what `access` lets them see now).
    - `not_exported`: model label -> why it is not in the download.
    - `holdings`: every model of the app about a person, each field classified
      (`Holding`); the retention rule anonymises from these alone.
    - `anonymise(person)`: anything else to do when the retention rule applies (optional).
    - `order`: anonymisers run from low to high (a dependent record before what it hangs on).
    """

    exports: tuple[Export, ...]
    not_exported: dict[str, str]
    anonymise: Callable[[Any], None] | None = None
    order: int = 100
    holdings: tuple[Holding, ...] = ()


PERSONAL_DATA: Registry[PersonalData] = Registry("personal data")


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A reminder that applies today: one row per (kind, subject, recipient, due date)."""

    kind: str
    subject_type: str
    subject_id: int
    recipient_id: int
    due_on: Any  # datetime.date


@dataclass(frozen=True)
class ReminderRule:
    """One family of reminders.

    - `kinds`: the reminder kinds this rule owns (`Reminder.Kind` values).
    - `scan(today)`: every `Due` that applies today.
    - `still_applies(reminder, person)`: re-read at the moment of sending:
      (applies, email context).
    - `attachments(reminder, context)`: files sent with it, best effort.
    """

    kinds: frozenset[str]
    scan: Callable[[Any], list[Due]]
    still_applies: Callable[[Any, Any], tuple[bool, dict]]
    attachments: Callable[[Any, dict], list[tuple[str, bytes, str]]] | None = None


REMINDER_RULES: Registry[ReminderRule] = Registry("reminder rules")


# --- the beat schedule, demo data, home cards, relationship changes, providers ---------------

#: name -> Celery beat entry ({"task": ..., "schedule": seconds}); run exactly one beat.
BEAT_SCHEDULE: Registry[dict[str, Any]] = Registry("beat schedule")


@dataclass(frozen=True)
class DemoSeeder:
    """Adds an app's demo rows for the demo people (`seed(people)`, `people` is the core's
    `DemoPeople`); `order`: seeders run from low to high. `scale(people, now)`: the large
    data set of `seed_demo --scale` (optional)."""

    seed: Callable[..., Any]
    order: int = 100
    scale: Callable[..., Any] | None = None


DEMO_SEEDERS: Registry[DemoSeeder] = Registry("demo seeders")


@dataclass(frozen=True)
class HomeCard:
    """Context for the home page: `context(user, user_roles)` returns keys to add."""

    context: Callable[[Any, frozenset[str]], dict[str, Any]]
    order: int = 100


HOME_CARDS: Registry[HomeCard] = Registry("home cards")


@dataclass(frozen=True)
class RelationshipChange:
    """A line manager or coach link started or ended.

    `kind`: "manager" or "coach"; `person`: the report or coachee; `old`/`new`: the previous and
    the new supporter (either may be None); `actor`: who made the change."""

    kind: str
    person: Any
    old: Any
    new: Any
    actor: Any


#: name -> callable(RelationshipChange), run in registration order inside the change's
#: transaction.
RELATIONSHIP_CHANGED: Registry[Callable[[RelationshipChange], None]] = Registry(
    "relationship changed"
)


@dataclass(frozen=True)
class RoundClosed:
    """A conversation round closed (fired by the rounds app once the close has committed).

    `organisation_id`: the round's organisation; `round_id`; `closed_at`: when it closed."""

    organisation_id: int
    round_id: int
    closed_at: Any


#: name -> callable(RoundClosed), run in registration order after the close committed (an app
#: that reacts, e.g. insight taking a snapshot, queues its own work; the rounds app and the
#: insight app share a floor and do not import each other).
ROUND_CLOSED: Registry[Callable[[RoundClosed], None]] = Registry("round closed")

#: name -> callable: a read a lower layer needs from a higher one (the journal overview asks
#: for "the next conversation" without importing the conversations app).
PROVIDERS: Registry[Callable[..., Any]] = Registry("providers")


def provide(name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    """Call the provider registered as `name`, or return `default` when no app provides it."""
    provider = PROVIDERS.get(name)
    return default if provider is None else provider(*args, **kwargs)


def relationship_changed(change: RelationshipChange) -> None:
    for hook in RELATIONSHIP_CHANGED:
        hook(change)


def round_closed(event: RoundClosed) -> None:
    for hook in ROUND_CLOSED:
        hook(event)


_discovered = False


def autodiscover() -> None:
    """Import every app's plug-in modules once (idempotent)."""
    global _discovered
    if _discovered:
        return
    autodiscover_modules(*PLUGIN_MODULES)
    _discovered = True
