"""Issue 17 item 3: a bulk export never stays "Building". The database row is the truth: the
minute's sweep sends again the work of a job with no progress (a killed worker, a part lost with
Redis's data, a lost publish), HR sees "Retrying", then the ZIP or a failure with "try again"
within ten minutes. Time moves with time-machine."""

from __future__ import annotations

import stat
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from devplans import export_build, services
from devplans.models import ExportJob
from tests.devplans.factories import agreed_plan
from tests.devplans.helpers import page_text, stored_export
from tests.services import drop_database_connection

pytestmark = pytest.mark.django_db

URL = reverse("devplans:hr_export")


@pytest.fixture
def three_plans(people, settings):
    settings.PLAN_EXPORT_PART_SIZE = 1  # three plans make three parts
    return [
        agreed_plan(people.individual, people.manager),
        agreed_plan(people.colleague, people.manager),
        agreed_plan(people.other_report, people.other_manager),
    ]


@pytest.fixture
def part_delay():
    with mock.patch("devplans.tasks.build_plan_export_part.delay") as patched:
        yield patched


@pytest.fixture
def delay():
    with mock.patch("devplans.tasks.build_plan_export.delay") as patched:
        yield patched


def split_job(people, capture) -> ExportJob:
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    with capture(execute=True):
        services.plan_export_build(job_id=job.pk)
    job.refresh_from_db()
    return job


def sweep(capture) -> dict[str, int]:
    with capture(execute=True):
        return services.plan_exports_sweep()


def status_cell(client) -> str:
    return page_text(client.get(URL))


def test_parts_lost_with_a_worker_are_sent_again_and_hr_sees_retrying_then_the_zip(
    client_for, people, three_plans, part_delay, settings, django_capture_on_commit_callbacks
):
    job = split_job(people, django_capture_on_commit_callbacks)
    assert services.plan_export_build_part(job_id=job.pk, part=0) is True
    part_delay.reset_mock()  # parts 1 and 2 died with their worker (or with Redis's data)
    hr = client_for("hr")

    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        assert sweep(django_capture_on_commit_callbacks)["resent"] == 0  # still in its window
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.PLAN_EXPORT_STALL_SECONDS + 1)
    ):
        assert sweep(django_capture_on_commit_callbacks) == {
            "resent": 1,
            "failed": 0,
            "moved-on": 0,
        }
        assert sweep(django_capture_on_commit_callbacks)["resent"] == 0  # once, not per sweep
        assert sorted(c.args for c in part_delay.call_args_list) == [(job.pk, 1), (job.pk, 2)]
        job.refresh_from_db()
        assert (job.retries, job.done) == (1, 1)  # part 0's plan is kept, not rendered again
        assert "Retrying: 1 of 3" in status_cell(hr)
        with mock.patch("devplans.pdf.render_plan_pdf", return_value=b"%PDF-1.4 t") as render:
            services.plan_export_build_part(job_id=job.pk, part=1)
            services.plan_export_build_part(job_id=job.pk, part=2)
        assert render.call_count == 2
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY
    assert len(zipfile.ZipFile(stored_export(job.file_name)).namelist()) == 3
    assert "Ready" in status_cell(hr)


def test_an_export_nobody_works_on_fails_with_try_again_within_ten_minutes(
    client_for, people, three_plans, part_delay, settings, django_capture_on_commit_callbacks
):
    """Beat sweeps every minute; the workers are gone for good. HR sees "Retrying" within three
    minutes and a clear failure within ten, and may start a new export at once."""
    job = split_job(people, django_capture_on_commit_callbacks)
    start, hr = timezone.now(), client_for("hr")
    first_retry = failed = None
    for minute in range(1, 11):
        with time_machine.travel(start + timedelta(minutes=minute)):
            sweep(django_capture_on_commit_callbacks)
            text = status_cell(hr)
        if first_retry is None and "Retrying" in text:
            first_retry = minute
        if "Failed" in text:
            failed = minute
            break
    assert first_retry is not None, text
    assert first_retry <= 3
    assert failed is not None, text
    assert failed <= 10
    assert "Try again" in text
    assert "Building" not in text
    job.refresh_from_db()
    assert (job.status, job.file_name) == (ExportJob.Status.FAILED, "")
    assert not list((settings.PRIVATE_STORAGE_ROOT / "exports").glob("*"))  # nothing left
    with time_machine.travel(start + timedelta(minutes=failed)):
        _, created = services.plan_export_start(actor=people.hr, filters={})
    assert created  # new exports are no longer refused


def test_a_one_task_build_whose_worker_died_is_claimed_again(
    people, delay, settings, django_capture_on_commit_callbacks
):
    agreed_plan(people.individual, people.manager)
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    # The worker claimed it and died writing (SIGKILL: no handler ran), leaving a partial file.
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, file_name="A" * 43 + ".zip", started_at=timezone.now()
    )
    folder = settings.PRIVATE_STORAGE_ROOT / "tmp"  # temporary files: local disk, not storage
    folder.mkdir(parents=True)
    partial = folder / ("A" * 43 + ".0123456789abcdef.tmp")
    partial.write_bytes(b"PK half")
    delay.reset_mock()
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert sweep(django_capture_on_commit_callbacks)["resent"] == 1
    delay.assert_called_once_with(job.pk)
    assert not partial.exists()  # the dead writer's half-written file is gone
    job.refresh_from_db()
    assert (job.status, job.retries) == (ExportJob.Status.PENDING, 1)
    assert services.plan_export_build(job_id=job.pk) is True
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY


def test_a_lost_publish_is_sent_again(people, delay, django_capture_on_commit_callbacks):
    agreed_plan(people.individual, people.manager)
    job, _ = services.plan_export_start(actor=people.hr, filters={})  # the broker was down
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        sweep(django_capture_on_commit_callbacks)
    assert delay.call_args_list[-1].args == (job.pk,)


def test_a_stale_writer_cannot_finish_or_fail_the_attempt_sent_after_it(people, delay):
    agreed_plan(people.individual, people.manager)
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, retries=1)
    export_build._finish_failed(job.pk, "boom", attempt=0)
    export_build._finish_ready(job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING


def test_a_partial_file_is_private_while_it_is_written(people, settings):
    agreed_plan(people.individual, people.manager)
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    modes = []

    def render(plan):
        folder = settings.PRIVATE_STORAGE_ROOT / "tmp"
        modes.extend(stat.S_IMODE(path.stat().st_mode) for path in folder.glob("*.tmp"))
        return b"%PDF-1.4 test"

    with mock.patch("devplans.pdf.render_plan_pdf", side_effect=render):
        services.plan_export_build(job_id=job.pk)
    assert modes == [0o600]
    job.refresh_from_db()
    assert stat.S_IMODE(stored_export(job.file_name).stat().st_mode) == 0o600
    assert not list((settings.PRIVATE_STORAGE_ROOT / "tmp").iterdir())  # removed once stored


# =============================================================================
# The database connection drops while a part is written
# =============================================================================


@pytest.mark.django_db(transaction=True)
def test_a_part_whose_database_connection_dropped_records_it_on_a_new_connection(
    client_for, people, three_plans, part_delay, django_capture_on_commit_callbacks
):
    job = split_job(people, django_capture_on_commit_callbacks)
    part_delay.reset_mock()

    def render(plan):
        drop_database_connection()  # the progress update after this PDF meets a dead connection
        return b"%PDF-1.4 test"

    with mock.patch("devplans.pdf.render_plan_pdf", side_effect=render):
        assert services.plan_export_build_part(job_id=job.pk, part=1) is True
    job.refresh_from_db()  # the handler reconnected: nothing is left "Building" unrecorded
    if connection.vendor == "postgresql":  # OperationalError: sent again at once, not failed
        assert (job.status, job.retries) == (ExportJob.Status.RUNNING, 1)
        assert sorted(c.args for c in part_delay.call_args_list) == [
            (job.pk, 0),
            (job.pk, 1),
            (job.pk, 2),
        ]
        assert "Retrying" in status_cell(client_for("hr"))
    else:  # SQLite reports a closed connection as a programming error: failed, "try again"
        assert job.status == ExportJob.Status.FAILED
        assert "Try again" in job.error
