"""The reads every request repeats are prepared on PostgreSQL's server once per connection
(``portal/postgresql/base.py``, ``inquiries/prepared.py``), and can be turned off for poolers."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from portal import env
from tests.site_world import build_world

pytestmark = pytest.mark.django_db


def _prepared_statements(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [sql.replace("%s", "$1")])
        return cursor.fetchone()[0]


def _titles():
    from inquiries.models import Inquiry
    from inquiries.prepared import PreparedQuery

    return PreparedQuery(lambda pk: Inquiry.objects.filter(pk=pk).values_list("title", "asked_on"), (-1,))


def test_a_prepared_read_is_one_statement_on_the_server_for_keys_of_every_size():
    world = build_world()
    titles = _titles()
    # Keys that psycopg would send as smallint, integer and bigint: one statement for all.
    for key in (world.main.pk, 40_000, 5_000_000_000, world.late.pk):
        expected = [(inquiry.title, inquiry.asked_on) for inquiry in (world.main, world.late) if inquiry.pk == key]
        assert titles.rows(key) == expected
    if connection.vendor == "postgresql":
        sql = titles._compiled[connections["default"]].sql
        assert _prepared_statements(sql) == 1
    else:
        # SQLite's module keeps its statements compiled already; the backend's prepared cursor
        # is only a thinner one (portal/sqlite3/base.py).
        with connection.prepared_cursor() as cursor:
            assert type(cursor).__name__ == "PlainCursor"


def test_prepared_reads_count_as_queries_and_turned_off_prepare_nothing(monkeypatch, django_assert_num_queries):
    world = build_world()
    titles = _titles()
    with django_assert_num_queries(2) as captured:
        titles.rows(world.main.pk)
        titles.rows(world.late.pk)
    # The debug cursor records each statement with its key, prepared or not.
    assert [str(world.main.pk) in query["sql"] for query in captured.captured_queries] == [True, False]
    if connection.vendor == "postgresql":
        monkeypatch.delitem(connection.settings_dict["OPTIONS"], "prepare_threshold")
        from inquiries.models import Inquiry
        from inquiries.prepared import PreparedQuery

        unprepared = PreparedQuery(lambda pk: Inquiry.objects.filter(pk=pk).values_list("reference"), (-1,))
        assert unprepared.rows(world.main.pk) == [(world.main.reference,)]
        assert _prepared_statements(unprepared._compiled[connections["default"]].sql) == 0


def test_prepared_statements_are_on_for_postgresql_unless_turned_off(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://postgres@127.0.0.1:5432/portal")
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    assert env.get_database("X_DB", "")["OPTIONS"]["prepare_threshold"] == 5
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    assert "prepare_threshold" not in env.get_database("X_DB", "").get("OPTIONS", {})
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "sometimes")
    with pytest.raises(Exception, match="DATABASE_PREPARED_STATEMENTS"):
        env.get_database("X_DB", "")
