"""The low findings of issue 18: a busy database, a refused login target, the address in mails."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse

from portal.middleware import is_database_busy
from tests.conftest import REPO_DIR
from tests.workflow_factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "ein-langes-Passwort-2024"


def _locked(request):
    raise OperationalError("database is locked")


def _bad_sql(request):
    raise OperationalError("no such column: nonsense")


urlpatterns = [
    path("write/", _locked),
    path("bad-sql/", _bad_sql),
    path("fine/", lambda request: HttpResponse("ok")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_locked_database_in_a_view_is_a_friendly_503_with_retry_after():
    client = Client(raise_request_exception=False)
    response = client.get("/write/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "gleich wieder da" in response.content.decode()
    assert client.get("/fine/").status_code == 200
    assert client.get("/bad-sql/").status_code == 500  # a bug stays a bug


def test_a_locked_database_while_the_login_saves_its_session_is_a_503(monkeypatch):
    """The write of the issue: the session save after a correct admin login, in a middleware."""
    UserFactory(username="redakteurin", password=PASSWORD, is_staff=True)

    def locked(self, must_create=False):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", locked)
    monkeypatch.setattr(SessionStore, "create", lambda self: locked(self))
    client = Client(raise_request_exception=False)
    response = client.post(reverse("admin:login"), {"username": "redakteurin", "password": PASSWORD})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "gleich wieder da" in response.content.decode()


def test_only_a_lock_counts_as_busy():
    assert is_database_busy(OperationalError("database is locked"))
    assert is_database_busy(OperationalError("database table is locked: inquiries_inquiry"))
    assert not is_database_busy(OperationalError("no such table: x"))
    assert not is_database_busy(ValueError("database is locked"))
    assert not is_database_busy(None)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_login_whose_next_is_refused_lands_on_the_admin_index(client, target):
    UserFactory(username="redakteur", password=PASSWORD, is_staff=True)
    response = client.post(f"{reverse('admin:login')}?next={target}", {"username": "redakteur", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_login_keeps_a_next_on_this_site(client):
    UserFactory(username="redakteur", password=PASSWORD, is_staff=True)
    target = reverse("admin:inquiries_inquiry_changelist")
    response = client.post(reverse("admin:login"), {"username": "redakteur", "password": PASSWORD, "next": target})
    assert response["Location"] == target


def _make_run(*arguments: str, **environment: str) -> str:
    """The command ``make run`` would start the server with (``make -n`` runs nothing)."""
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "HOST", "PORT", "MAKEFLAGS"}}
    result = subprocess.run(
        ["make", "-n", "run", *arguments], cwd=REPO_DIR, env={**env, **environment}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if "runserver" in line]
    return line


@pytest.mark.parametrize(
    ("arguments", "site_url", "address"),
    [
        ((), "http://127.0.0.1:8000", "127.0.0.1:8000"),
        (("PORT=8123",), "http://127.0.0.1:8123", "127.0.0.1:8123"),
        (("HOST=0.0.0.0", "PORT=9000"), "http://127.0.0.1:9000", "0.0.0.0:9000"),
        (("HOST=::1",), "http://[::1]:8000", "[::1]:8000"),
    ],
)
def test_mail_links_under_make_run_use_the_address_it_serves(arguments, site_url, address):
    line = _make_run(*arguments)
    assert re.search(rf"SITE_URL='{re.escape(site_url)}' .*runserver {re.escape(address)}$", line), line


def test_an_explicit_site_url_wins_under_make_run():
    assert "SITE_URL='https://anfragen.example.org'" in _make_run("PORT=8123", SITE_URL="https://anfragen.example.org")
