"""The HTTP permission matrix as data: URL name -> method -> persona -> expected status.

Reviewers read the whole access policy here. Every URL pattern of the project must have a row
(`test_every_url_pattern_has_a_row` fails otherwise); third-party patterns are exempted below by
name prefix, with the reason.

`url_kwargs(name, objects)` gives each URL's arguments from the objects built by
`tests/access/test_url_matrix.py::objects` (all of them belong to or concern `individual`).
"""

from __future__ import annotations

ANON_REDIRECT = 302  # to the sign-in page

PERSONAS = (
    "individual",
    "colleague",
    "manager",
    "other_manager",
    "coach",
    "unassigned_coach",
    "hr",
    "hr_other_org",
    "admin",
    "inactive",
    "anonymous",
)
SIGNED_IN = tuple(p for p in PERSONAS if p not in ("anonymous", "inactive"))


def every(status: int, **overrides: int) -> dict[str, int]:
    """Everyone signed in gets `status`; anonymous and inactive users are sent to sign in."""
    row = {p: status for p in SIGNED_IN}
    row["anonymous"] = ANON_REDIRECT
    row["inactive"] = ANON_REDIRECT
    row.update(overrides)
    return row


def only(allowed: dict[str, int], others: int = 404) -> dict[str, int]:
    """Listed personas get their status; every other signed-in persona gets `others`."""
    return every(others, **allowed)


def public(status: int) -> dict[str, int]:
    return {p: status for p in PERSONAS}


MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "home": {"GET": every(200), "POST": every(405)},
    "healthz": {"GET": public(200), "POST": public(405)},
    "preferences": {"GET": every(200), "POST": every(302)},
    "session_keepalive": {
        "GET": every(200, anonymous=401, inactive=401),
        "POST": every(405, anonymous=405, inactive=405),
    },
    "my_data": {"GET": every(200), "POST": every(405)},
    "my_data_download": {"GET": every(405), "POST": every(200)},
    "retention": {
        "GET": only({"hr": 200, "hr_other_org": 200}),
        "POST": only({"hr": 200, "hr_other_org": 200}),
    },
    # People import: HR and admins of an organisation. An empty POST re-renders the form (200).
    "people_import": {
        "GET": only({"hr": 200, "hr_other_org": 200, "admin": 200}),
        "POST": only({"hr": 200, "hr_other_org": 200, "admin": 200}),
    },
    # A file uploaded by Trust A's HR: Trust A's HR and admin only.
    "people_import_detail": {"GET": only({"hr": 200, "admin": 200}), "POST": every(405)},
    "people_import_apply": {
        "GET": every(405),
        "POST": only({"hr": 302, "admin": 302}),
    },
    # The framework's guidance (impact levels of the user's organisation): everyone signed in.
    "framework": {"GET": every(200), "POST": every(405)},
    # Updates: everyone signed in sees their own list (no id in the URL); marking as read is a
    # POST that only ever touches the person's own updates (then back to the list).
    "updates": {"GET": every(200), "POST": every(405)},
    "updates_mark_read": {"GET": every(405), "POST": every(302)},
    "accessibility": {"GET": public(200), "POST": public(405)},
    "privacy": {"GET": public(200), "POST": public(405)},
    # Equality self-declaration: everyone, their own only (no id in the URL). An empty POST
    # re-renders the form with a message (200); withdrawing redirects back (302).
    "insight:equality": {"GET": every(200), "POST": every(200)},
    "insight:equality_withdraw": {"GET": every(405), "POST": every(302)},
    # HR insight: HR of an organisation only (aggregates of their own organisation).
    "insight:hr_insight": {
        "GET": only({"hr": 200, "hr_other_org": 200}),
        "POST": every(405),
    },
    "insight:hr_insight_csv": {
        "GET": only({"hr": 200, "hr_other_org": 200}),
        "POST": every(405),
    },
}

# Pages a line manager, coach, HR or admin reaches before setting up an authenticator when one is
# required (MFA_REQUIRED); every other row sends them to set one up, whatever SCRIPT_NAME the
# request carries (`test_without_an_authenticator_privileged_people_reach_only_exempt_pages`).
# The sign-in and set-up pages themselves are allauth's (`account_`, `mfa_`: exempt above).
MFA_EXEMPT = {"healthz", "accessibility", "privacy"}
MFA_PERSONAS = ("manager", "coach", "hr", "admin")

# URL kwargs: name -> function(objects) -> kwargs
KWARGS: dict[str, object] = {
    "people_import_detail": lambda o: {"pk": o["people_import"].pk},
    "people_import_apply": lambda o: {"pk": o["people_import"].pk},
}


def _people_import(people) -> dict:
    from scopegrowth.models import PeopleImport

    job = PeopleImport.objects.create(
        organisation=people.hr.organisation,
        uploaded_by=people.hr,
        filename="people.csv",
        content=b"employee_number,email\nE1,e1@example.org\n",
        summary={"counts": {"created": 1}, "errors": [], "changes": []},
    )
    return {"people_import": job}


# Functions people -> dict of named objects (a journal, a conversation...) that KWARGS use.
OBJECT_BUILDERS: list = [_people_import]

# Third-party URL patterns, tested by their own projects and by our sign-in tests.
EXEMPT_PREFIXES = (
    "admin:",  # Django admin: its own permission system, staff only; our tests cover login
    "account_",  # allauth account views (sign in, reset, verification): tests/scopegrowth
    "mfa_",  # allauth MFA views: issue 7 tests
    "usersessions_",  # allauth user sessions
    "socialaccount_",  # allauth's organisation sign-in pages: tests/scopegrowth/test_sso.py
    "openid_connect_",  # the OpenID Connect redirect and callback: test_sso.py, real provider
)
EXEMPT_NAMES = {
    "socialaccount_connections",
}


def url_kwargs(name: str, objects: dict) -> dict:
    make = KWARGS.get(name)
    return make(objects) if make else {}


# Each app's rows live in their own module, merged here.
from tests.access import (  # noqa: E402
    matrix_conversations,
    matrix_devplans,
    matrix_insight,
    matrix_journals,
    matrix_rounds,
)

for _part in (
    matrix_conversations,
    matrix_devplans,
    matrix_journals,
    matrix_insight,
    matrix_rounds,
):
    MATRIX.update(_part.MATRIX)
    KWARGS.update(_part.KWARGS)
    OBJECT_BUILDERS.extend(_part.OBJECT_BUILDERS)
