"""Django's PostgreSQL backend with one addition: ``prepared_cursor()``, whose statements
PostgreSQL parses and plans once per connection.

Django binds parameters on the client: every statement reaches the server as text with its
values in it, and PostgreSQL parses and plans it anew each time. The site's reads that run
on every request (``inquiries/prepared.py``: the inquiry page's parts, the API's record,
the list and feed rows) are the same SQL with other keys. Through ``prepared_cursor()``
each is sent once as a named prepared statement (psycopg's ``prepare=True``, kept per
connection, at most ``prepared_max`` = 100 of them, the oldest deallocated), and from then
on only its parameters. Every other statement keeps Django's client-side binding.

``DATABASE_PREPARED_STATEMENTS=false`` (``portal/env.py``) turns it off for a connection
pooler that cannot keep named statements (PgBouncer in transaction mode before 1.21, or
without ``max_prepared_statements``): the cursor is then Django's own.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.backends.postgresql import base, operations
from psycopg.types.numeric import Int8

# Set from DATABASE_PREPARED_STATEMENTS; absent (or None) means Django's client-side binding only.
OPTION = "prepare_threshold"
# Seconds for which a connection that passed its health check (or was just opened) is reused
# without another: PgBouncer's ``server_check_delay``. Django checks a kept connection with a
# query at the start of every request, a round trip of its own (the inquiry page has one
# more); under load a worker's connection was checked a few milliseconds before. A server
# restarted within this second costs the worker's next request an error, after which Django
# opens a new connection, as without the check.
HEALTH_CHECK_DELAY = 1.0


class PreparingCursor(base.ServerBindingCursor):
    """Binds on the server and prepares each statement on its first run.

    psycopg sends a Python int as the smallest integer type that holds it, and a prepared
    statement is kept per statement *and* parameter types: ids below and above 32,768 (and
    the zeros that pad a block of ids) would make a statement of their own for each mix.
    Every int is sent as bigint instead, which PostgreSQL compares with any integer column
    through its indexes.
    """

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None) -> Any:
        if params is not None:
            params = [Int8(value) if type(value) is int else value for value in params]
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str | None:
        # What the debug cursor and CaptureQueriesContext record: a prepared statement has no
        # client-side text, so it is composed here as Django does for server-side binding.
        if isinstance(cursor, PreparingCursor):
            try:
                return self.compose_sql(sql, params)
            except base.Database.errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    # When the connection was last known to work (opened, or passed a health check).
    alive_at = float("-inf")

    def connect(self) -> None:
        super().connect()
        self.alive_at = time.monotonic()

    def close_if_health_check_failed(self) -> None:
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        now = time.monotonic()
        if now - self.alive_at >= HEALTH_CHECK_DELAY:
            super().close_if_health_check_failed()
            if self.connection is not None:
                self.alive_at = now
        self.health_check_done = True

    def prepared_cursor(self) -> Any:
        """A cursor for a statement that runs again and again with other parameters; a
        plain one when prepared statements are off."""
        if self.settings_dict["OPTIONS"].get(OPTION) is None:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))
