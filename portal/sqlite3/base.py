"""Django's SQLite backend with one change: the conversion of a statement's ``%s``
placeholders to SQLite's ``?`` is remembered per statement.

Django rewrites every statement with a regular expression before SQLite sees it, on every
run: 5-40 µs per statement, as much as SQLite spends answering the inquiry page's lookups by
key (its statement of 3,000 characters took 37 µs). The site runs the same few hundred
statements over and over (``inquiries/prepared.py`` compiles them once per connection), so
the conversion is kept, up to ``KEPT`` statements of at most ``LONGEST`` characters; the
result is the same string the expression makes.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base

KEPT = 1024
LONGEST = 16_000

_converted: dict[str, str] = {}


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is not None or len(query) > LONGEST:
            return super().convert_query(query, param_names=param_names)
        converted = _converted.get(query)
        if converted is None:
            converted = super().convert_query(query)
            if len(_converted) >= KEPT:
                _converted.clear()
            _converted[query] = converted
        return converted


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
