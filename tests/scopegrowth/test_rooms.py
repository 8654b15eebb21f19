"""The rooms (issue 13): the core knows no feature app, apps plug in through the core's
registries, no circle between apps, and no module grows past 400 lines."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scopegrowth import access, registry
from scopegrowth.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
CORE = "scopegrowth"
FEATURES = ("reminders", "journals", "conversations", "devplans", "insight", "rounds")
MAX_LINES = 400
#: What one app may import from another (public names only): its models for a foreign key or a
#: query, its read and write functions, its access rules and the plug-in modules it shares.
PUBLIC_MODULES = {
    "models",
    "selectors",
    "services",
    "policies",
    "content",
    "guide",
    "reminders",
    "calendar",
    "exports",
}
NEVER = {"views", "forms", "tasks", "urls", "admin"}


def sources(*packages: str):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imports(path: Path):
    """(line, module, imported names) for every import in the file, at any depth."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [a.name for a in node.names]


def test_import_contracts_hold():
    """import-linter: the core imports no feature app; the apps are layers (no circle)."""
    result = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 kept, 0 broken" in result.stdout


def test_the_core_imports_no_feature_app_at_any_depth():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {module}"
        for path in sources(CORE)
        for line, module, _ in imports(path)
        if module.split(".")[0] in FEATURES
    ]
    assert not offenders, offenders


def test_the_core_names_no_feature_model_and_looks_none_up():
    """No way around the import rule: no `apps.get_model` and no string label of a feature
    model or task in the core, other than `INSTALLED_APPS` and `include()`."""
    allowed = {ROOT / CORE / "settings.py", ROOT / CORE / "urls.py"}
    label = re.compile(r"""["'](""" + "|".join(FEATURES) + r""")\.[A-Za-z_]""")
    offenders = []
    for path in sources(CORE):
        if path in allowed or (ROOT / CORE / "settings") in path.parents:
            continue
        text = path.read_text()
        offenders += [f"{path.relative_to(ROOT)}: get_model" for _ in re.findall("get_model", text)]
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in label.finditer(text)]
    assert not offenders, offenders


def test_apps_use_each_other_only_through_public_modules():
    offenders = []
    for package in FEATURES:
        for path in sources(package):
            for line, module, names in imports(path):
                parts = module.split(".")
                if parts[0] not in FEATURES or parts[0] == package:
                    continue
                where = f"{path.relative_to(ROOT)}:{line} {module}"
                if len(parts) == 1:
                    bad = [n for n in names if n in NEVER or n.startswith("_")]
                    if bad or not names:
                        offenders.append(f"{where} {bad or 'the package itself'}")
                    continue
                if parts[1] in NEVER or parts[1] not in PUBLIC_MODULES:
                    offenders.append(where)
                offenders += [f"{where} {n}" for n in names if n.startswith("_")]
    assert not offenders, offenders


def test_no_module_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in sources(CORE, *FEATURES, "bench")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, too_long


def test_every_feature_app_is_installed_and_packaged():
    from django.apps import apps

    installed = {cfg.name for cfg in apps.get_app_configs()}
    assert set(FEATURES) <= installed
    packaged = (ROOT / "pyproject.toml").read_text()
    for name in FEATURES:
        assert f'"{name}*"' in packaged, f"{name} is missing from pyproject's package list"


def test_each_app_registered_what_it_brings():
    """The plug-in modules were found at start-up: the rules, parts and cards that the core
    runs come from the apps."""
    assert {"journals", "conversations", "devplans", "reminders", "insight"} <= {
        key for key, _ in registry.PERSONAL_DATA.items()
    }
    assert {"conversations", "devplans"} <= {key for key, _ in registry.REMINDER_RULES.items()}
    assert {"journals", "conversations", "devplans"} <= {
        key for key, _ in registry.DEMO_SEEDERS.items()
    }
    assert {"journals", "conversations", "devplans"} <= {
        key for key, _ in registry.HOME_CARDS.items()
    }
    kinds = [kind for rule in registry.REMINDER_RULES for kind in rule.kinds]
    assert len(kinds) == len(set(kinds)), "two rules claim the same reminder kind"


def test_every_beat_entry_names_a_registered_task_under_its_old_name():
    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule
    assert {
        "send-due-reminders",
        "send-outbox",
        "purge-pending-drafts",
        "purge-plan-exports",
        "heartbeat",
    } <= set(schedule)
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, f"{name}: no task {entry['task']}"
    # Messages queued before the move still find the reminder sweep.
    assert "scopegrowth.tasks.send_due_reminders" in celery_app.tasks


def test_a_registry_refuses_the_same_name_twice():
    table = registry.Registry("example")
    table.register("a", object())
    with pytest.raises(ValueError, match="registered twice"):
        table.register("a", object())


@pytest.mark.django_db
def test_a_model_without_a_registered_policy_is_refused(people):
    from scopegrowth.models import Team

    assert Team._meta.label_lower not in access.POLICIES
    team = Team.objects.first() or people.individual.team
    assert access.scope(people.hr, "view", Team).count() == 0
    assert not access.can(people.hr, "view", team)
