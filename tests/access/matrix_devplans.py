"""Permission-matrix rows for the devplans URLs (merged into matrix.py).

The object every plan URL points at is an AGREED plan of `individual`, facilitated by `manager`
(`coach` is individual's assigned coach, so also a current facilitator). On an agreed plan nobody
may edit or sign (403 for those who can see it, 404 for everyone else); HR of the same
organisation reads it and its PDF; HR of another organisation, colleagues, other managers,
unassigned coaches and admins get 404. The export job belongs to `hr`.

Rows are literal dicts (this module is imported by matrix.py, so it must not import it).
"""

from __future__ import annotations

SIGNED_IN = (
    "individual",
    "colleague",
    "manager",
    "other_manager",
    "coach",
    "unassigned_coach",
    "hr",
    "hr_other_org",
    "admin",
)


def _row(default: int, **overrides: int) -> dict[str, int]:
    row = {p: default for p in SIGNED_IN}
    row["anonymous"] = 302
    row["inactive"] = 302
    row.update(overrides)
    return row


# Who can see the agreed plan at all (everyone else: 404).
SEE = {"individual": 200, "manager": 200, "coach": 200, "hr": 200}
# They can see it, but the action is refused on an agreed plan.
SEE_BUT_NOT = {"individual": 403, "manager": 403, "coach": 403, "hr": 403}

MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "devplans:mine": {"GET": _row(200), "POST": _row(405)},
    "devplans:detail": {"GET": _row(404, **SEE), "POST": _row(405)},
    # An agreed plan asked to be edited says so (200) and offers Reopen to those who may; a
    # POST to it saves nothing (409: the same page, "Nothing has been saved").
    "devplans:edit": {
        "GET": _row(404, individual=200, manager=200, coach=200, hr=200),
        "POST": _row(404, individual=409, manager=409, coach=409, hr=409),
    },
    "devplans:sign": {"GET": _row(405), "POST": _row(404, **SEE_BUT_NOT)},
    # Reopening an agreed plan: the individual and current facilitators. GET asks for the reason;
    # an empty POST shows the form again with its error (200, nothing reopened).
    "devplans:reopen": {
        "GET": _row(404, individual=200, manager=200, coach=200, hr=403),
        "POST": _row(404, individual=200, manager=200, coach=200, hr=403),
    },
    # Completing the plan's conversation from the plan: the matrix plan has no conversation, so
    # those who can read the plan are sent back to it with a message (302); nothing changes.
    "devplans:complete_conversation": {
        "GET": _row(405),
        "POST": _row(404, individual=302, manager=302, coach=302, hr=302),
    },
    # Progress: the individual only (an empty POST re-renders the page with a message: 302).
    "devplans:progress": {
        "GET": _row(404, **{**SEE_BUT_NOT, "individual": 200}),
        "POST": _row(404, **{**SEE_BUT_NOT, "individual": 302}),
    },
    # Reviews: current facilitators (an empty POST re-renders the form with errors: 200).
    "devplans:review": {
        "GET": _row(404, **{**SEE_BUT_NOT, "manager": 200, "coach": 200}),
        "POST": _row(404, **{**SEE_BUT_NOT, "manager": 200, "coach": 200}),
    },
    # Check-ins between reviews: the individual and current facilitators, on the agreed plan (an
    # empty POST re-renders the form with its errors: 200). HR reads the plan, not check-ins.
    "devplans:check_in": {
        "GET": _row(404, **{**SEE_BUT_NOT, "individual": 200, "manager": 200, "coach": 200}),
        "POST": _row(404, **{**SEE_BUT_NOT, "individual": 200, "manager": 200, "coach": 200}),
    },
    "devplans:pdf": {"GET": _row(404, **SEE), "POST": _row(405)},
    # The person page (individual's history): their current line manager and assigned coach.
    # The individual themself and HR of the organisation may see the person, not the page: 403.
    "devplans:person": {
        "GET": _row(404, manager=200, coach=200, individual=403, hr=403),
        "POST": _row(405),
    },
    # HR pages: HR of any organisation (each sees only their own organisation's plans).
    "devplans:hr_list": {"GET": _row(403, hr=200, hr_other_org=200), "POST": _row(405)},
    "devplans:hr_csv": {"GET": _row(403, hr=200, hr_other_org=200), "POST": _row(405)},
    "devplans:hr_export": {
        "GET": _row(403, hr=200, hr_other_org=200),
        # Both HR users are first asked to confirm their password (302, scopegrowth.stepup);
        # tests/devplans/test_bulk_export.py follows what happens next.
        "POST": _row(403, hr=302, hr_other_org=302),
    },
    # Only the HR user who started the export may download it; for everyone else it does not
    # exist.
    "devplans:hr_export_download": {"GET": _row(404, hr=200), "POST": _row(405)},
}


def _plan(objects: dict) -> dict:
    return {"pk": objects["agreed_plan"].pk}


KWARGS: dict = {
    "devplans:detail": _plan,
    "devplans:edit": _plan,
    "devplans:sign": _plan,
    "devplans:reopen": _plan,
    "devplans:complete_conversation": _plan,
    "devplans:progress": _plan,
    "devplans:review": _plan,
    "devplans:check_in": _plan,
    "devplans:pdf": _plan,
    "devplans:hr_export_download": lambda objects: {"pk": objects["export_job"].pk},
    "devplans:person": lambda objects: {"pk": objects["people"].individual.pk},
}


def build_devplans_objects(people) -> dict:
    """An agreed plan of `individual` (facilitator `manager`) and a ready export by `hr`."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from devplans.models import ExportJob
    from devplans.services import export_storage
    from tests.devplans.factories import agreed_plan

    plan = agreed_plan(people.individual, people.manager, objectives=2)
    file_name = "matrix-export-file-0123456789abcdef.zip"
    export_storage().save(file_name, ContentFile(b"PK\x05\x06" + b"\0" * 18))  # an empty ZIP
    now = timezone.now()
    job = ExportJob.objects.create(
        requested_by=people.hr,
        plan_ids=[plan.pk],
        total=1,
        done=1,
        status=ExportJob.Status.READY,
        file_name=file_name,
        finished_at=now,
        expires_at=now + timedelta(hours=24),
    )
    return {"agreed_plan": plan, "export_job": job}


OBJECT_BUILDERS: list = [build_devplans_objects]
