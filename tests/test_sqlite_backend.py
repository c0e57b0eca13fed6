"""portal/sqlite3: Django's SQLite backend, remembering each statement's placeholder conversion."""

from __future__ import annotations

import datetime
import sqlite3

import pytest

from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangosCursor

from portal.sqlite3 import base


def test_a_remembered_conversion_is_the_one_django_makes(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "_converted", {})
    connection = sqlite3.connect(tmp_path / "x.sqlite3")
    ours, djangos = connection.cursor(base.SQLiteCursorWrapper), connection.cursor(DjangosCursor)
    statements = [
        "SELECT %s, %s",
        "SELECT 'a%%b' LIKE %s ESCAPE '\\'",
        "SELECT %s WHERE 1 = %s AND 'x%%' LIKE 'x%%'",
        "SELECT 1",
    ]
    for statement in statements * 2:
        assert ours.convert_query(statement) == djangos.convert_query(statement)
    assert set(base._converted) == set(statements)
    # Named parameters are converted as Django converts them, not remembered.
    assert ours.convert_query("SELECT %(a)s", param_names=["a"]) == "SELECT :a"
    assert set(base._converted) == set(statements)
    ours.execute("SELECT %s || 'b%%', %s", ["a", 2])
    assert ours.fetchall() == [("ab%", 2)]
    connection.close()


def test_it_keeps_a_bounded_number_of_short_statements(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "_converted", {})
    monkeypatch.setattr(base, "KEPT", 3)
    connection = sqlite3.connect(tmp_path / "x.sqlite3")
    cursor = connection.cursor(base.SQLiteCursorWrapper)
    for n in range(10):
        assert cursor.convert_query(f"SELECT %s + {n}") == f"SELECT ? + {n}"
        assert len(base._converted) <= 3
    long = "SELECT %s" + " " * base.LONGEST
    assert cursor.convert_query(long) == "SELECT ?" + " " * base.LONGEST
    assert long not in base._converted
    connection.close()


def test_the_sites_sqlite_databases_use_it(monkeypatch, tmp_path, django_db_blocker):
    from django.db.utils import ConnectionHandler

    from portal import env

    monkeypatch.setenv("X_DB", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    connection = ConnectionHandler({"default": env.get_database("X_DB", "sqlite:///x.sqlite3")})["default"]
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            assert isinstance(cursor.cursor, base.SQLiteCursorWrapper)
            cursor.execute("SELECT %s, 'a%%'", [1])
            assert cursor.fetchall() == [(1, "a%")]
        connection.close()


# --- prepared_cursor: the thin cursor of the reads compiled once (inquiries/prepared.py) ---


@pytest.fixture
def sqlite_connection(monkeypatch, tmp_path, django_db_blocker):
    """A connection of the site's SQLite backend to a file of its own (on any test database)."""
    from django.db.utils import ConnectionHandler

    from portal import env

    monkeypatch.setenv("X_DB", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    connection = ConnectionHandler({"default": env.get_database("X_DB", "sqlite:///x.sqlite3")})["default"]
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE paper (id integer PRIMARY KEY, title text, asked_on date, sent timestamp)")
            cursor.execute("INSERT INTO paper VALUES (1, '100 %% sicher', '2024-02-29', '2024-02-29 10:11:12'), (2, 'b', NULL, NULL)")
        yield connection
        connection.close()


def test_the_prepared_cursor_gives_the_rows_django_s_cursor_gives(sqlite_connection):
    statement = "SELECT id, title, asked_on, sent, 'a%%' FROM paper WHERE id >= %s AND title LIKE %s ORDER BY id"
    for key, pattern in ((1, "100%"), (0, "%"), (3, "%")):
        with sqlite_connection.cursor() as cursor:
            cursor.execute(statement, [key, pattern])
            djangos = cursor.fetchall()
        with sqlite_connection.prepared_cursor() as cursor:
            assert isinstance(cursor, base.PlainCursor)
            cursor.execute(statement, [key, pattern])
            assert cursor.fetchall() == djangos
    assert djangos == []
    with sqlite_connection.prepared_cursor() as cursor:
        cursor.execute(statement, [1, "100%"])
        assert cursor.fetchall() == [(1, "100 %% sicher", datetime.date(2024, 2, 29), datetime.datetime(2024, 2, 29, 10, 11, 12), "a%")]


def test_counted_queries_go_through_django_s_cursor(sqlite_connection):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(sqlite_connection) as captured:
        with sqlite_connection.prepared_cursor() as cursor:
            assert not isinstance(cursor, base.PlainCursor)
            cursor.execute("SELECT title FROM paper WHERE id = %s", [1])
            assert cursor.fetchall() == [("100 %% sicher",)]
    assert [query["sql"] for query in captured.captured_queries] == ["SELECT title FROM paper WHERE id = 1"]
    calls = []

    def wrapper(execute, sql, params, many, context):
        calls.append(sql)
        return execute(sql, params, many, context)

    with sqlite_connection.execute_wrapper(wrapper), sqlite_connection.prepared_cursor() as cursor:
        cursor.execute("SELECT %s", [8])
        assert cursor.fetchall() == [(8,)]
    assert calls == ["SELECT %s"]


def test_errors_and_broken_transactions_as_with_django_s_cursor(sqlite_connection):
    from django.db import DatabaseError
    from django.db.transaction import TransactionManagementError

    with pytest.raises(DatabaseError) as raised, sqlite_connection.prepared_cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table WHERE id = %s", [1])
    assert type(raised.value).__module__ == "django.db.utils"  # Django's error, not sqlite3's
    # In an atomic block after a failed statement, Django refuses any query until the rollback.
    sqlite_connection.needs_rollback = True
    with pytest.raises(TransactionManagementError), sqlite_connection.prepared_cursor() as cursor:
        cursor.execute("SELECT %s", [1])
    sqlite_connection.needs_rollback = False
    # A closed connection is opened again, as by Django's cursor.
    sqlite_connection.close()
    with sqlite_connection.prepared_cursor() as cursor:
        cursor.execute("SELECT count(*) FROM paper WHERE id > %s", [0])
        assert cursor.fetchall() == [(2,)]
