"""A kept PostgreSQL connection is checked at most once a second (``portal/postgresql/base.py``):
Django's health check is a round trip of its own at the start of every request.

Each test opens its own connection through the portal's backend to the server's ``postgres``
database, whatever database the suite runs on (CI's PostgreSQL serves both runs)."""

from __future__ import annotations

import pytest
from django.db import Error

from portal import env
from portal.postgresql import base

SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def wrapper(monkeypatch, django_db_blocker):
    monkeypatch.setenv("X_HEALTH_DB", SERVER)
    settings = env.get_database("X_HEALTH_DB", "")
    # What Django's ConnectionHandler fills in for a configured database.
    for key, value in {"ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "TIME_ZONE": None, "TEST": {}}.items():
        settings.setdefault(key, value)
    connection = base.DatabaseWrapper(settings, alias="health")
    checks = []
    usable = connection.is_usable

    def counted() -> bool:
        checks.append(1)
        return usable()

    monkeypatch.setattr(connection, "is_usable", counted)
    connection.checks = checks
    # Outside the test database: a connection of its own, which pytest-django would refuse.
    with django_db_blocker.unblock():
        yield connection
        connection.close()


def _request(connection) -> int:
    """What one request does with the connection: Django's start-of-request bookkeeping, then a read."""
    connection.close_if_unusable_or_obsolete()
    with connection.prepared_cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int, monkeypatch) -> None:
    monkeypatch.setenv("X_OTHER_DB", SERVER)
    other = base.DatabaseWrapper(env.get_database("X_OTHER_DB", "") | {"ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "TIME_ZONE": None, "TEST": {}}, alias="other")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def test_a_connection_checked_within_the_delay_is_not_checked_again(wrapper):
    assert wrapper.settings_dict["CONN_HEALTH_CHECKS"] is True
    pid = _request(wrapper)  # opened: known to work, no check
    for _ in range(5):
        assert _request(wrapper) == pid
    assert wrapper.checks == []
    # Once the delay has passed the next request checks it, once.
    wrapper.alive_at -= base.HEALTH_CHECK_DELAY
    assert _request(wrapper) == pid
    assert _request(wrapper) == pid
    assert wrapper.checks == [1]


def test_a_connection_that_died_is_replaced_once_the_delay_has_passed(wrapper, monkeypatch):
    pid = _request(wrapper)
    _terminate(pid, monkeypatch)
    wrapper.alive_at -= base.HEALTH_CHECK_DELAY
    new_pid = _request(wrapper)
    assert new_pid != pid
    assert wrapper.checks == [1]


def test_a_connection_that_died_within_the_delay_fails_one_request_then_is_replaced(wrapper, monkeypatch):
    pid = _request(wrapper)
    _terminate(pid, monkeypatch)
    # The cost of the delay: the request right after a server-side end within the second fails
    # (the site answers 503, portal/middleware.py); Django then checks and closes the connection.
    with pytest.raises(Error):
        _request(wrapper)
    wrapper.close_if_unusable_or_obsolete()  # the end of that request
    assert _request(wrapper) != pid
