"""/hr/people/import/: upload, preview, apply in the background (issue 18 part 1)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scopegrowth.models import PeopleImport, User
from scopegrowth.people_import import apply as importing
from tests.scopegrowth.test_people_import import TRUST, csv_file

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, **extra):
    return client.post(
        "/hr/people/import/",
        {"file": SimpleUploadedFile("people.csv", content, "text/csv"), **extra},
    )


def test_hr_uploads_previews_and_applies_in_the_background(
    people, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    hr = client_for("hr")
    response = upload(hr, csv_file(*TRUST))
    assert response.status_code == 302
    job = PeopleImport.objects.get()
    assert job.status == PeopleImport.Status.PREVIEW
    page = hr.get(response["Location"]).content.decode()
    assert "Created" in page
    assert "Aisha Rahman (E2)" in page
    assert not User.objects.filter(employee_number="E2").exists()

    queued = []
    monkeypatch.setattr("scopegrowth.tasks.apply_people_import.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert hr.post(f"/hr/people/import/{job.pk}/apply/").status_code == 302
    assert queued == [job.pk]
    job.refresh_from_db()
    assert job.status == PeopleImport.Status.QUEUED
    assert "Refresh to see progress" in hr.get(f"/hr/people/import/{job.pk}/").content.decode()

    importing.run(job.pk)  # the task body
    job.refresh_from_db()
    assert job.status == PeopleImport.Status.DONE
    assert bytes(job.content) == b""  # the staff file is not kept
    assert User.objects.get(employee_number="E2").organisation == people.hr.organisation
    assert hr.post(f"/hr/people/import/{job.pk}/apply/").status_code == 302
    job.refresh_from_db()
    assert job.status == PeopleImport.Status.DONE  # applying twice does nothing


def test_a_bad_file_shows_every_row_error_and_cannot_be_applied(people, client_for):
    hr = client_for("hr")
    response = upload(hr, csv_file(*TRUST, "E9,X,Y,x@example.org,,,,,E404,,"))
    job = PeopleImport.objects.get()
    assert job.status == PeopleImport.Status.INVALID
    page = hr.get(response["Location"]).content.decode()
    assert "Line 5: their line manager E404 is not in the file or in ScopeGrowth" in page
    assert "Apply the file" not in page
    hr.post(f"/hr/people/import/{job.pk}/apply/")
    job.refresh_from_db()
    assert job.status == PeopleImport.Status.INVALID
    assert not User.objects.filter(employee_number="E2").exists()


def test_a_second_import_while_one_runs_is_refused(people, client_for):
    hr = client_for("hr")
    upload(hr, csv_file(*TRUST))
    upload(hr, csv_file(*TRUST))
    first, second = PeopleImport.objects.order_by("pk")
    hr.post(f"/hr/people/import/{first.pk}/apply/")
    response = hr.post(f"/hr/people/import/{second.pk}/apply/", follow=True)
    assert "Another people file for your organisation is being applied" in response.content.decode()
    second.refresh_from_db()
    assert second.status == PeopleImport.Status.PREVIEW


def test_a_file_that_went_stale_fails_whole_and_says_why(people, client_for):
    hr = client_for("hr")
    upload(hr, csv_file(*TRUST))
    job = PeopleImport.objects.get()
    hr.post(f"/hr/people/import/{job.pk}/apply/")
    # Someone else takes an email of the file before the worker runs.
    User.objects.create_user(
        "tom@example.org",
        None,
        full_name="Tom H",
        organisation=people.hr.organisation,
        employee_number="OTHER",
    )
    importing.run(job.pk)
    job.refresh_from_db()
    assert job.status == PeopleImport.Status.FAILED
    assert not User.objects.filter(employee_number="E2").exists()
    page = hr.get(f"/hr/people/import/{job.pk}/").content.decode()
    assert "Nothing was changed" in page
    assert "tom@example.org belongs to employee number OTHER" in page


def test_hr_of_another_organisation_cannot_see_or_apply_the_file(people, client_for):
    upload(client_for("hr"), csv_file(*TRUST))
    job = PeopleImport.objects.get()
    other = client_for("hr_other_org")
    assert other.get(f"/hr/people/import/{job.pk}/").status_code == 404
    assert other.post(f"/hr/people/import/{job.pk}/apply/").status_code == 404
    job.refresh_from_db()
    assert job.status == PeopleImport.Status.PREVIEW


def test_the_preview_page_query_count_does_not_grow(people, client_for, django_assert_num_queries):
    hr = client_for("hr")

    def rows(n):
        return [f"E{i},P,{i},p{i}@example.org,,,Dir,Team,{'E0' if i else ''},," for i in range(n)]

    counts = []
    for n in (20, 40):
        upload(hr, csv_file(*rows(n)))
        job = PeopleImport.objects.first()
        hr.get(f"/hr/people/import/{job.pk}/")  # warm-up
        with django_assert_num_queries(
            5
        ) as captured:  # no session writes; roles with unread updates
            hr.get(f"/hr/people/import/{job.pk}/")
        counts.append(len(captured))
    assert counts[0] == counts[1]
