"""What every signed-in request pays (issue 20): the session row and the signed-in person are
read with SQL built once per process, and the header's addresses are found once per process.
Each must give exactly what Django's own lookup gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.template import engines
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from scopegrowth.models import User
from scopegrowth.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_person_by_id_is_djangos_get():
    person = UserFactory()
    found = User.objects.get(pk=person.pk)
    assert found == person
    assert found.email == person.email
    assert User.objects.get(pk=person.pk).last_login == person.last_login
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=person.pk + 1000)
    assert User.objects.get(email=person.email) == person  # any other lookup: Django's


def test_live_session_row_only():
    store = SessionStore()
    store["x"] = 1
    store.save()
    assert SessionStore(store.session_key).load() == {"x": 1}
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_route_and_asset_match_url_and_static(rf):
    template = engines["django"].from_string(
        "{% load front_end %}{% route 'updates' %}|{% route 'no-such-route' %}|"
        "{% route 'account_logout' as out %}{{ out }}|{% asset 'build/js/app.js' %}"
    )
    rendered = template.render({}, request=rf.get("/"))
    assert rendered == (
        f"{reverse('updates')}||{reverse('account_logout')}|{static('build/js/app.js')}"
    )
