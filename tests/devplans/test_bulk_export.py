"""Bulk export: a ZIP of PDFs built in the background, private to the HR user who asked."""

from __future__ import annotations

import io
import os
import sqlite3
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from devplans import services
from devplans.models import ExportJob
from scopegrowth.models import AuditEvent
from tests.devplans.factories import agreed_plan
from tests.devplans.helpers import page_text, pdf_text, stored_export
from tests.factories import PASSWORD, UserFactory
from tests.services import set_transport_options
from tests.workers import celery_worker

pytestmark = pytest.mark.django_db

URL = reverse("devplans:hr_export")
REAUTHENTICATE = "/accounts/reauthenticate/"
ROOT = Path(__file__).resolve().parents[2]


def download_url(job: ExportJob) -> str:
    return reverse("devplans:hr_export_download", args=[job.pk])


@pytest.fixture
def plans(people):
    return [
        agreed_plan(people.individual, people.manager),
        agreed_plan(people.colleague, people.manager),
    ]


@pytest.fixture
def delay():
    with mock.patch("devplans.tasks.build_plan_export.delay") as patched:
        yield patched


def confirm_password(client) -> None:
    """Step-up: a bulk export needs the password confirmed in the last five minutes."""
    assert client.post(REAUTHENTICATE, {"password": PASSWORD}).status_code == 302


def start(client, django_capture_on_commit_callbacks, **filters):
    confirm_password(client)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, filters, follow=True)


def test_an_export_asks_for_the_password_again_then_starts(
    client_for, plans, delay, django_capture_on_commit_callbacks
):
    client = client_for("hr")
    asked = client.post(URL, {"name": "hughes"})
    assert asked["Location"].startswith(REAUTHENTICATE)
    reason = "You are about to export the development plans of many people."
    assert reason in page_text(client.get(asked["Location"]))
    assert not ExportJob.objects.exists()
    delay.assert_not_called()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(asked["Location"], {"password": PASSWORD}, follow=True)

    # The export that was asked for, with its filters, starts once the password is confirmed.
    assert "Your export of 1 plan has started." in page_text(confirmed)
    job = ExportJob.objects.get()
    assert job.filters == {"name": "hughes"}
    delay.assert_called_once_with(job.pk)
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert client.post(URL, {})["Location"].startswith(REAUTHENTICATE)
    assert ExportJob.objects.count() == 1


def test_hr_starts_an_export_and_sees_its_progress(
    client_for, people, plans, delay, django_capture_on_commit_callbacks
):
    response = start(client_for("hr"), django_capture_on_commit_callbacks)
    text = page_text(response)
    assert "Your export of 2 plans has started. This page shows its progress." in text
    assert "Waiting to start" in text
    html = response.content.decode()
    assert 'id="export-jobs" data-active="true"' in html  # the table updates itself (JS)
    assert "devplans/export-progress.js" in html
    assert "refresh the page" in text  # and without JavaScript, a link
    job = ExportJob.objects.get()
    assert (job.requested_by, job.total, job.status) == (people.hr, 2, ExportJob.Status.PENDING)
    assert sorted(job.plan_ids) == sorted(p.pk for p in plans)
    delay.assert_called_once_with(job.pk)  # the id only, never plan text


def test_the_export_page_shows_the_filters_and_count(client_for, plans):
    response = client_for("hr").get(URL, {"name": "hughes"})
    text = page_text(response)
    assert "Name contains: hughes" in text
    assert "1 plan matches these filters." in text


def test_an_export_of_zero_plans_is_refused_with_a_message(
    client_for, plans, delay, django_capture_on_commit_callbacks
):
    response = start(client_for("hr"), django_capture_on_commit_callbacks, name="nobody")
    assert response.status_code == 200
    assert "No agreed plans match these filters, so there is nothing to export." in page_text(
        response
    )
    assert not ExportJob.objects.exists()
    delay.assert_not_called()


def test_asking_twice_gives_the_same_job(
    client_for, plans, delay, django_capture_on_commit_callbacks
):
    client = client_for("hr")
    start(client, django_capture_on_commit_callbacks, name="a")
    response = start(client, django_capture_on_commit_callbacks, name="a")
    assert "That export is already being built: its progress is shown below." in page_text(response)
    assert ExportJob.objects.count() == 1
    assert delay.call_count == 1


def test_another_export_while_one_is_building_is_refused(
    client_for, plans, delay, django_capture_on_commit_callbacks
):
    client = client_for("hr")
    start(client, django_capture_on_commit_callbacks)
    response = start(client, django_capture_on_commit_callbacks, name="hughes")
    assert "Your earlier export is still being built." in page_text(response)
    assert ExportJob.objects.count() == 1


def test_too_many_plans_for_one_export(
    client_for, plans, delay, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("devplans.export_services.EXPORT_MAX_PLANS", 1)
    response = start(client_for("hr"), django_capture_on_commit_callbacks)
    assert "More than 1 plans match these filters" in page_text(response)
    assert not ExportJob.objects.exists()


def test_exports_are_limited_per_hour(
    client_for, people, plans, delay, django_capture_on_commit_callbacks
):
    for _ in range(services.EXPORTS_PER_HOUR):
        ExportJob.objects.create(requested_by=people.hr, status=ExportJob.Status.READY)
    response = start(client_for("hr"), django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "You have started 5 exports in the last hour" in page_text(response)
    assert ExportJob.objects.count() == services.EXPORTS_PER_HOUR
    delay.assert_not_called()


def test_the_task_builds_a_zip_of_one_pdf_per_plan(client_for, people, plans):
    job, created = services.plan_export_start(actor=people.hr, filters={})
    assert created
    assert services.plan_export_build(job_id=job.pk) is True
    assert services.plan_export_build(job_id=job.pk) is False  # a redelivery does nothing
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY
    assert (job.done, job.total) == (2, 2)
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    path = stored_export(job.file_name)
    assert path.is_file()
    assert path.stat().st_mode & 0o077 == 0
    page = page_text(client_for("hr").get(URL))
    assert "Ready" in page
    assert "Download ZIP" in page

    response = client_for("hr").get(download_url(job))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="development-plans-')
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert names == ["0001-plan-aisha-rahman-v1.pdf", "0002-plan-tom-hughes-v1.pdf"]
    assert "Tom Hughes" in pdf_text(archive.read("0002-plan-tom-hughes-v1.pdf"))
    event = AuditEvent.objects.get(action="plans_export_download")
    assert (event.actor, event.object_id) == (people.hr, job.pk)


def test_only_the_hr_user_who_started_it_can_download(client_for, people, plans):
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    services.plan_export_build(job_id=job.pk)
    UserFactory(email="hr2@example.org", is_hr=True, team=None, organisation=people.hr.organisation)
    for persona in ("hr_other_org", "individual", "manager", "admin"):
        assert client_for(persona).get(download_url(job)).status_code == 404
    from django.test import Client

    other_hr = Client()
    other_hr.force_login(
        UserFactory._meta.model.objects.get(email="hr2@example.org"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    assert other_hr.get(download_url(job)).status_code == 404
    assert not AuditEvent.objects.filter(action="plans_export_download").exists()


def test_a_hr_user_who_lost_the_role_exports_nothing(people, plans):
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    people.hr.is_hr = False
    people.hr.save()
    services.plan_export_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.file_name == ""


def test_a_failure_is_shown_and_leaves_no_file(client_for, people, plans, settings):
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    with mock.patch("devplans.pdf.render_plan_pdf", side_effect=RuntimeError("boom")):
        services.plan_export_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    # Nothing stored, no temporary file left.
    assert not [p for p in settings.PRIVATE_STORAGE_ROOT.rglob("*") if p.is_file()]
    assert "The export could not be built" in page_text(client_for("hr").get(URL))


def test_after_a_day_the_export_expires_and_the_purge_deletes_it(client_for, people, plans):
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    services.plan_export_build(job_id=job.pk)
    job.refresh_from_db()
    path = stored_export(job.file_name)
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        response = client_for("hr").get(download_url(job), follow=True)
        assert "This export has expired: exports are kept for 24 hours." in page_text(response)
        assert services.plan_exports_purge() == 1
        assert services.plan_exports_purge() == 0  # idempotent
    assert not path.exists()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED
    assert job.file_name == ""


# =============================================================================
# Large exports: parts rendered by every free worker, joined by the last one
# =============================================================================


@pytest.fixture
def three_plans(plans, people, settings):
    settings.PLAN_EXPORT_PART_SIZE = 1  # so three plans make three parts
    return [*plans, agreed_plan(people.other_report, people.other_manager)]


@pytest.fixture
def part_delay():
    with mock.patch("devplans.tasks.build_plan_export_part.delay") as patched:
        yield patched


def split_job(people, django_capture_on_commit_callbacks) -> ExportJob:
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    with django_capture_on_commit_callbacks(execute=True):
        assert services.plan_export_build(job_id=job.pk) is True
    job.refresh_from_db()
    return job


def export_files(settings) -> list[str]:
    return sorted(path.name for path in (settings.PRIVATE_STORAGE_ROOT / "exports").iterdir())


def test_a_large_export_is_split_into_parts_and_the_last_part_joins_them(
    client_for, people, three_plans, part_delay, settings, django_capture_on_commit_callbacks
):
    job = split_job(people, django_capture_on_commit_callbacks)
    assert (job.status, job.parts, job.total) == (ExportJob.Status.RUNNING, 3, 3)
    # One task per part, each carrying ids only.
    assert sorted(c.args for c in part_delay.call_args_list) == [
        (job.pk, 0),
        (job.pk, 1),
        (job.pk, 2),
    ]

    # Parts finish in any order; until the last one, there is nothing to download.
    assert services.plan_export_build_part(job_id=job.pk, part=2) is True
    assert services.plan_export_build_part(job_id=job.pk, part=0) is True
    job.refresh_from_db()
    assert (job.status, job.done) == (ExportJob.Status.RUNNING, 2)
    assert "2 of 3" in page_text(client_for("hr").get(URL))
    early = client_for("hr").get(download_url(job), follow=True)
    assert "This export is not ready yet." in page_text(early)

    assert services.plan_export_build_part(job_id=job.pk, part=1) is True
    job.refresh_from_db()
    assert (job.status, job.done) == (ExportJob.Status.READY, 3)
    assert export_files(settings) == [job.file_name]  # the parts are gone

    response = client_for("hr").get(download_url(job))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [
        "0001-plan-aisha-rahman-v1.pdf",
        f"0002-plan-{people.other_report.full_name.lower().replace(' ', '-')}-v1.pdf",
        "0003-plan-tom-hughes-v1.pdf",
    ]
    for name, person in zip(
        archive.namelist(), (people.individual, people.other_report, people.colleague), strict=True
    ):
        assert person.full_name in pdf_text(archive.read(name))


def test_a_redelivered_part_renders_nothing_and_the_zip_is_joined_once(
    people, three_plans, part_delay, django_capture_on_commit_callbacks
):
    job = split_job(people, django_capture_on_commit_callbacks)
    assert services.plan_export_build_part(job_id=job.pk, part=0) is True
    with mock.patch("devplans.pdf.render_plan_pdf") as render:
        assert services.plan_export_build_part(job_id=job.pk, part=0) is False
    render.assert_not_called()
    services.plan_export_build_part(job_id=job.pk, part=1)
    with mock.patch("devplans.export_build.join_zips") as join:
        # Two deliveries of the last part race to join: the claim lets only one through.
        services.plan_export_build_part(job_id=job.pk, part=2)
        services.plan_export_build_part(job_id=job.pk, part=2)
    assert join.call_count == 1


def test_a_failing_part_fails_the_whole_export_and_leaves_no_file(
    client_for, people, three_plans, part_delay, settings, django_capture_on_commit_callbacks
):
    job = split_job(people, django_capture_on_commit_callbacks)
    services.plan_export_build_part(job_id=job.pk, part=0)
    with mock.patch("devplans.pdf.render_plan_pdf", side_effect=RuntimeError("boom")):
        services.plan_export_build_part(job_id=job.pk, part=1)
    job.refresh_from_db()
    assert (job.status, job.file_name) == (ExportJob.Status.FAILED, "")
    assert export_files(settings) == []
    # The parts still queued find the job failed and do nothing.
    assert services.plan_export_build_part(job_id=job.pk, part=2) is False
    assert export_files(settings) == []
    assert "The export could not be built" in page_text(client_for("hr").get(URL))


def test_the_purge_deletes_files_left_by_a_dead_worker_but_not_a_live_export(
    people, three_plans, part_delay, settings, django_capture_on_commit_callbacks
):
    job = split_job(people, django_capture_on_commit_callbacks)
    services.plan_export_build_part(job_id=job.pk, part=0)
    folder = settings.PRIVATE_STORAGE_ROOT / "exports"
    orphans = [
        folder / "Orphan_orphan_orphan_orphan-part0003.zip",
        settings.PRIVATE_STORAGE_ROOT / "tmp" / "Orphan_orphan_orphan_orphan.0123456789abcdef.tmp",
    ]
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    for path in [*orphans, *folder.glob("*")]:
        path.touch()
        os.utime(path, (two_days_ago, two_days_ago))

    assert services.plan_exports_purge() == 2
    assert not any(path.exists() for path in orphans)
    assert export_files(settings) == [f"{Path(job.file_name).stem}-part0000.zip"]


def test_the_page_is_for_hr_only(client_for, plans):
    for persona in ("individual", "manager", "admin"):
        assert client_for(persona).get(URL).status_code == 403
        assert client_for(persona).post(URL).status_code == 403
    assert not ExportJob.objects.exists()


# =============================================================================
# End to end: the view enqueues on commit, a real worker process builds the ZIP
# =============================================================================


@pytest.fixture
def worker_env(tmp_path, settings):
    """A private broker folder (or the CI Redis) shared by this process and the worker."""
    from scopegrowth import settings as project_settings
    from scopegrowth.celery import app

    env = {
        **os.environ,
        "SCOPEGROWTH_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    old_options = dict(app.conf.broker_transport_options or {})
    if not project_settings.REDIS_URL:
        broker = tmp_path / "var" / "celery" / "broker"
        for sub in ("out", "processed", "control"):
            (broker / sub).mkdir(parents=True, exist_ok=True)
        set_transport_options(
            {
                **old_options,
                "data_folder_in": str(broker / "out"),
                "data_folder_out": str(broker / "out"),
                "processed_folder": str(broker / "processed"),
                "control_folder": str(broker / "control"),
            }
        )
    _reset_broker_pools(app)  # no pooled connection may keep the old folders
    yield env
    set_transport_options(old_options)
    _reset_broker_pools(app)


def _reset_broker_pools(app) -> None:
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def _worker_database_url(tmp_path) -> tuple[str, object]:
    """A DATABASE_URL for the worker that sees this test's data, and how to read a job back.

    PostgreSQL (CI): the test database itself (this test commits, so the worker sees its rows).
    SQLite: the test database is in memory, so it is copied to a file the worker opens.
    """
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

        def read(job_id):
            return ExportJob.objects.values("status", "done", "total", "file_name", "parts").get(
                pk=job_id
            )

        return url, read
    path = tmp_path / "worker.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])

    def read(job_id):
        with sqlite3.connect(path, timeout=20) as db_file:
            row = db_file.execute(
                "SELECT status, done, total, file_name, parts FROM devplans_exportjob WHERE id = ?",
                [job_id],
            ).fetchone()
        return dict(zip(("status", "done", "total", "file_name", "parts"), row, strict=True))

    return f"sqlite:///{path}", read


@pytest.mark.django_db(transaction=True)
def test_end_to_end_a_real_worker_builds_the_zip(client_for, people, worker_env, tmp_path):
    plans = [
        agreed_plan(people.individual, people.manager),
        agreed_plan(people.colleague, people.manager),
        agreed_plan(people.other_report, people.other_manager),
    ]
    client = client_for("hr")
    confirm_password(client)
    response = client.post(URL, {}, follow=True)  # commits, then publishes the id
    assert "Your export of 3 plans has started" in page_text(response)
    job = ExportJob.objects.get()
    database_url, read = _worker_database_url(tmp_path)
    # Two plans a part: the worker splits the job, renders both parts and joins them.
    env = {**worker_env, "DATABASE_URL": database_url, "PLAN_EXPORT_PART_SIZE": "2"}
    with celery_worker(env) as worker:
        worker.wait_for(lambda: read(job.pk)["status"] not in ("pending", "running"), seconds=120)
    state = read(job.pk)
    assert state["status"] == "ready", (state, worker.output())
    assert (state["done"], state["total"], state["parts"]) == (3, 3, 2)
    assert os.listdir(stored_export(state["file_name"]).parent) == [state["file_name"]]
    archive = zipfile.ZipFile(stored_export(state["file_name"]))
    names = archive.namelist()
    assert [name[:5] for name in names] == ["0001-", "0002-", "0003-"]
    assert len(names) == len(plans) == 3
    texts = [pdf_text(archive.read(name)) for name in names]
    for person in (people.individual, people.colleague, people.other_report):
        assert any(person.full_name in text for text in texts), person.full_name


@pytest.mark.django_db(transaction=True)
def test_end_to_end_a_killed_worker_part_is_sent_again_by_the_sweep(
    people, worker_env, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 17 item 3 with real processes: a worker is SIGKILLed while rendering a part; a
    second worker renders the other parts; the sweep (time moved past the stall window) sends
    the dead part again, and the ZIP is ready without waiting out a visibility timeout."""
    from django.db import connection

    for person, manager in (
        (people.individual, people.manager),
        (people.colleague, people.manager),
        (people.other_report, people.other_manager),
    ):
        agreed_plan(person, manager)
    db = connection.settings_dict
    if connection.vendor == "sqlite":  # transaction=True: the test database is a shared file
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url, _ = _worker_database_url(tmp_path)
    marker = tmp_path / "rendering"
    env = {**worker_env, "DATABASE_URL": database_url, "PLAN_EXPORT_PART_SIZE": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.plan_export_start(actor=people.hr, filters={})
    slow = {**env, "SLOW_RENDER_MARKER": str(marker)}
    with celery_worker(slow, app="tests.devplans.slow_render") as doomed:
        assert doomed.wait_for(marker.exists), "the worker never began to render"
        doomed.process.kill()
        doomed.process.wait(timeout=10)
    job.refresh_from_db()
    assert (job.status, job.parts, job.done) == (ExportJob.Status.RUNNING, 3, 0)

    with celery_worker(env) as worker:
        # The two parts still queued are rendered; the killed one's message is gone for now.
        worker.wait_for(lambda: ExportJob.objects.get(pk=job.pk).done >= 2, seconds=120)
        time.sleep(1)
        job.refresh_from_db()
        assert (job.status, job.done) == (ExportJob.Status.RUNNING, 2), worker.output()
        later = timezone.now() + timedelta(seconds=settings.PLAN_EXPORT_STALL_SECONDS + 1)
        with time_machine.travel(later, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                assert services.plan_exports_sweep()["resent"] == 1
        ready = worker.wait_for(
            lambda: ExportJob.objects.get(pk=job.pk).status != ExportJob.Status.RUNNING,
            seconds=120,
        )
    job.refresh_from_db()
    assert ready, worker.output()
    assert (job.status, job.retries, job.done) == (ExportJob.Status.READY, 1, 3)
    archive = zipfile.ZipFile(stored_export(job.file_name))
    assert [name[:5] for name in archive.namelist()] == ["0001-", "0002-", "0003-"]
    assert os.listdir(stored_export(job.file_name).parent) == [job.file_name]
