"""Django's SQLite backend with two changes: the conversion of a statement's ``%s``
placeholders to SQLite's ``?`` is remembered per statement, and the statements that
``inquiries/prepared.py`` runs again and again go through a thinner cursor.

Django rewrites every statement with a regular expression before SQLite sees it, on every
run: 5-40 µs per statement, as much as SQLite spends answering the inquiry page's lookups by
key (its statement of 3,000 characters took 37 µs). The site runs the same few hundred
statements over and over (``inquiries/prepared.py`` compiles them once per connection), so
the conversion is kept, up to ``KEPT`` statements of at most ``LONGEST`` characters; the
result is the same string the expression makes.
"""

from __future__ import annotations

from typing import Any, Sequence

from django.db.backends.sqlite3 import base
from django.utils.asyncio import async_unsafe

KEPT = 1024
LONGEST = 16_000

_converted: dict[str, str] = {}


def converted(query: str) -> str:
    """``query`` with ``?`` for ``%s`` (and ``%`` for ``%%``), as Django's cursor makes it."""
    result = _converted.get(query)
    if result is None:
        result = base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")
        if len(query) <= LONGEST:
            if len(_converted) >= KEPT:
                _converted.clear()
            _converted[query] = result
    return result


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        return converted(query)


class PlainCursor:
    """``execute`` and ``fetchall`` straight on the connection's ``sqlite3`` cursor."""

    __slots__ = ("db", "cursor")

    def __init__(self, db: "DatabaseWrapper") -> None:
        self.db = db
        self.cursor = None

    def __enter__(self) -> "PlainCursor":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.cursor is not None:
            self.cursor.close()

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            self.cursor = self.db.connection.execute(converted(sql), params)

    def fetchall(self) -> list[tuple]:
        with self.db.wrap_database_errors:
            return self.cursor.fetchall()


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    @async_unsafe
    def prepared_cursor(self) -> Any:
        """A cursor for a statement that runs again and again with other parameters (above)."""
        if self.queries_logged or self.execute_wrappers:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        return PlainCursor(self)
