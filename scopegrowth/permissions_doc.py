"""The permission table as a document: `docs/permissions.md`, written from the registered
policies (`manage.py permissions_doc`), so the one literal table of who may do what stays
readable in one place while each rule lives in its app. A test checks the file is current."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from scopegrowth import access

PATH = Path(settings.BASE_DIR) / "docs" / "permissions.md"
ROLE_NAMES = {
    access.INDIVIDUAL: "individual",
    access.MANAGER: "line manager",
    access.COACH: "coach",
    access.HR: "HR",
    access.ADMIN: "admin",
}

HEADER = """# Permissions

Written by `manage.py permissions_doc` from the policies the apps register
(`<app>/policies.py`); do not edit by hand (a test fails when this file and the code differ).
Deny by default: an action or a model that is not listed here is refused to everyone, and a
role column marked "no" never reaches that action whatever the object. "system" is the actor of
Celery tasks and management commands. Where a role has a "yes", the rule says which objects.
"""


def _cell(policy: access.Policy, action: str, role: str) -> str:
    roles, _ = policy.who[action]
    return "yes" if role in roles else "no"


def render() -> str:
    lines = [HEADER]
    for label in sorted(access.POLICIES):
        policy = access.POLICIES[label]
        summary = (policy.__doc__ or "").strip().splitlines()[0] if policy.__doc__ else ""
        lines.append(f"## `{label}`\n")
        if summary:
            lines.append(f"{summary}\n")
        header = ["action", *ROLE_NAMES.values(), "system", "rule"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for action in sorted(policy.actions):
            _, rule = policy.who[action]
            cells = [_cell(policy, action, role) for role in ROLE_NAMES]
            system = "yes" if action in policy.system_actions else "no"
            lines.append(f"| `{action}` | " + " | ".join([*cells, system, rule]) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
