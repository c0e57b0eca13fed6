"""portal/sqlite3: Django's SQLite backend, remembering each statement's placeholder conversion."""

from __future__ import annotations

import sqlite3

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
