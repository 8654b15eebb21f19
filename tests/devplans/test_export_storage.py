"""Export files go through Django's storage API (issue 17, item 7): the default private folder,
and a storage that is not the local disk (InMemoryStorage standing in for S3 or Azure Blob), so
that any web or worker host can write, join and serve them."""

from __future__ import annotations

import importlib
import io
import stat
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from devplans import services
from devplans.export_storage import PrivateExportStorage, export_storage
from devplans.models import ExportJob
from scopegrowth.models import AuditEvent
from tests.devplans.factories import agreed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_plans(people, settings):
    settings.PLAN_EXPORT_PART_SIZE = 1  # three plans make three parts
    return [
        agreed_plan(people.individual, people.manager),
        agreed_plan(people.colleague, people.manager),
        agreed_plan(people.other_report, people.other_manager),
    ]


@pytest.fixture
def in_memory(settings):
    """A storage with nothing on this host's disk, as S3 or Azure Blob would be."""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return export_storage()


def fake_pdf(plan) -> bytes:
    return f"%PDF-1.4 {plan.individual.full_name}".encode()


def local_files(settings) -> list[str]:
    root = settings.PRIVATE_STORAGE_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_the_default_storage_is_the_private_folder_read_when_used(settings, tmp_path):
    assert settings.STORAGES["exports"]["BACKEND"] == "devplans.export_storage.PrivateExportStorage"
    storage = export_storage()
    assert isinstance(storage, PrivateExportStorage)
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "elsewhere"  # a test (or host) moves it
    name = storage.save("A" * 43 + ".zip", ContentFile(b"PK"))
    path = tmp_path / "elsewhere" / "exports" / name
    assert path.read_bytes() == b"PK"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)  # never under a URL


def test_a_whole_split_export_is_built_downloaded_and_purged_with_nothing_on_local_disk(
    client_for, people, three_plans, in_memory, settings, django_capture_on_commit_callbacks
):
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    with (
        mock.patch("devplans.tasks.build_plan_export_part.delay") as part_delay,
        mock.patch("devplans.pdf.render_plan_pdf", side_effect=fake_pdf),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.plan_export_build(job_id=job.pk) is True
        assert part_delay.call_count == 3
        for part in (2, 0, 1):  # any order; the last one joins the parts from the storage
            assert services.plan_export_build_part(job_id=job.pk, part=part) is True
    job.refresh_from_db()
    assert (job.status, job.parts, job.done) == (ExportJob.Status.READY, 3, 3)
    assert in_memory.listdir("") == ([], [job.file_name])  # the parts are gone
    assert local_files(settings) == []  # nothing on the local private folder

    response = client_for("hr").get(reverse("devplans:hr_export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="development-plans-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body) == in_memory.size(job.file_name)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert [name[:5] for name in archive.namelist()] == ["0001-", "0002-", "0003-"]
    assert archive.read(archive.namelist()[0]) == fake_pdf(three_plans[0])
    assert AuditEvent.objects.filter(action="plans_export_download").count() == 1

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        assert services.plan_exports_purge() == 1  # deleted through the storage
    assert in_memory.listdir("") == ([], [])
    assert local_files(settings) == []


def test_a_failed_export_leaves_nothing_in_the_storage(people, three_plans, in_memory, settings):
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    with mock.patch("devplans.tasks.build_plan_export_part.delay"):
        services.plan_export_build(job_id=job.pk)
    with mock.patch("devplans.pdf.render_plan_pdf", side_effect=fake_pdf):
        services.plan_export_build_part(job_id=job.pk, part=0)
    assert len(in_memory.listdir("")[1]) == 1
    with mock.patch("devplans.pdf.render_plan_pdf", side_effect=RuntimeError("boom")):
        services.plan_export_build_part(job_id=job.pk, part=1)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert in_memory.listdir("") == ([], [])
    assert local_files(settings) == []


def test_an_expired_file_left_in_the_storage_is_purged_but_a_live_part_is_kept(
    people, three_plans, in_memory
):
    job, _ = services.plan_export_start(actor=people.hr, filters={})
    with mock.patch("devplans.tasks.build_plan_export_part.delay"):
        services.plan_export_build(job_id=job.pk)
    with mock.patch("devplans.pdf.render_plan_pdf", side_effect=fake_pdf):
        services.plan_export_build_part(job_id=job.pk, part=0)
    in_memory.save("Orphan_orphan_orphan_orphan-part0003.zip", ContentFile(b"PK"))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert services.plan_exports_purge() == 1
    job.refresh_from_db()
    assert in_memory.listdir("")[1] == [f"{job.file_name.removesuffix('.zip')}-part0000.zip"]


# =============================================================================
# Choosing the backend from the environment
# =============================================================================


@pytest.fixture
def storage_settings(monkeypatch):
    from scopegrowth.settings import storage

    for name in ("EXPORT_STORAGE_BACKEND", "EXPORT_S3_BUCKET", "EXPORT_AZURE_CONTAINER"):
        monkeypatch.delenv(name, raising=False)

    def load():
        return importlib.reload(storage)

    yield monkeypatch, load
    monkeypatch.undo()
    importlib.reload(storage)


def test_s3_compatible_storage_is_chosen_from_the_environment(storage_settings):
    from storages.backends.s3 import S3Storage

    env, load = storage_settings
    env.setenv("EXPORT_STORAGE_BACKEND", "s3")
    env.setenv("EXPORT_S3_BUCKET", "scopegrowth-exports")
    env.setenv("EXPORT_S3_ENDPOINT_URL", "https://minio.example.org")
    config = load().EXPORT_STORAGE
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    backend = S3Storage(**config["OPTIONS"])  # the options are ones the backend knows
    assert (backend.bucket_name, backend.location) == ("scopegrowth-exports", "exports")
    assert backend.endpoint_url == "https://minio.example.org"
    assert backend.default_acl == "private"


def test_azure_is_chosen_from_the_environment(storage_settings):
    # Installed with the app (pinned), so choosing Azure never fails on an ImportError.
    from storages.backends.azure_storage import AzureStorage

    env, load = storage_settings
    env.setenv("EXPORT_STORAGE_BACKEND", "azure")
    env.setenv("EXPORT_AZURE_CONTAINER", "scopegrowth-exports")
    config = load().EXPORT_STORAGE
    assert config["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert config["OPTIONS"]["azure_container"] == "scopegrowth-exports"
    backend = AzureStorage(**config["OPTIONS"])  # the options are ones the backend knows
    assert backend.azure_container == "scopegrowth-exports"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EXPORT_STORAGE_BACKEND": "s3"}, "EXPORT_S3_BUCKET must be set"),
        ({"EXPORT_STORAGE_BACKEND": "azure"}, "EXPORT_AZURE_CONTAINER must be set"),
        ({"EXPORT_STORAGE_BACKEND": "ftp"}, "use 'local', 's3' or 'azure'"),
    ],
)
def test_a_wrong_storage_setting_stops_start_up(storage_settings, env, message):
    monkeypatch, load = storage_settings
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        load()
