"""Messages (``portal/messages.py``): the storage is made only when a request uses it, and a
message waits through pages that do not show it, as with Django's own middleware."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.messages.middleware import MessageMiddleware
from django.test import Client
from django.utils.functional import empty

from portal.messages import LazyMessageMiddleware
from tests.site_world import build_world

pytestmark = pytest.mark.django_db


def test_it_is_django_s_middleware_in_the_settings(settings):
    assert "portal.messages.LazyMessageMiddleware" in settings.MIDDLEWARE
    assert "django.contrib.messages.middleware.MessageMiddleware" not in settings.MIDDLEWARE
    assert issubclass(LazyMessageMiddleware, MessageMiddleware)  # the admin's check (admin.E409) accepts it


def test_a_public_page_makes_no_storage_and_sets_no_cookie():
    world = build_world()
    response = Client().get(world.main.get_absolute_url())
    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty
    assert "messages" not in response.cookies


def test_a_message_waits_through_public_pages_until_a_page_shows_it():
    world = build_world()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.create_superuser("chefin", "chefin@example.org", "x"))
    added = client.post("/admin/auth/group/add/", {"name": "Lektorat"})
    assert added.status_code == 302 and "messages" in added.cookies  # the cookie storage holds it
    # Pages in between neither show, consume nor rewrite it.
    for address in (world.main.get_absolute_url(), "/", "/api/v1/inquiries/"):
        between = client.get(address)
        assert between.status_code == 200 and "messages" not in between.cookies
        assert "Lektorat" not in between.content.decode()
    shown = client.get(added["Location"])
    assert '<li class="success">' in shown.content.decode() and "Lektorat" in shown.content.decode()
    assert shown.cookies["messages"].value == ""  # shown once, then the cookie is cleared
    again = client.get(added["Location"])
    assert '<li class="success">' not in again.content.decode()
