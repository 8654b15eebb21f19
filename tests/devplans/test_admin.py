"""The admin site edits the initiative catalogue; plan content is never registered there."""

from __future__ import annotations

import pytest
from django.contrib import admin

from devplans.models import ExportJob, Initiative, Objective, Plan, ProgressNote, Review

pytestmark = pytest.mark.django_db


def test_only_the_catalogue_is_in_the_admin():
    registered = set(admin.site._registry)
    assert Initiative in registered
    assert not registered & {Plan, Objective, ProgressNote, Review, ExportJob}


def test_admin_sees_the_seeded_catalogue(client_for):
    response = client_for("admin").get("/admin/devplans/initiative/")
    assert response.status_code == 200
    for name in ("Coaching", "Reverse mentoring", "Action learning sets"):
        assert name in response.content.decode()


def test_an_initiative_is_retired_not_deleted(client_for):
    coaching = Initiative.objects.get(name="Coaching")
    response = client_for("admin").post(f"/admin/devplans/initiative/{coaching.pk}/delete/")
    assert response.status_code == 403
    assert Initiative.objects.filter(pk=coaching.pk).exists()
