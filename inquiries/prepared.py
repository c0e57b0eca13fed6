"""Queries compiled to SQL once per database connection, then run with other keys.

Turning a queryset into SQL (joins, columns, converters) costs Django far more CPU than
running a small query by primary key: for the API's inquiry record about 0.3 ms per query,
against some 0.05 ms for SQLite to answer it. A read that runs the same queries for every
request with another key can compile them once: ``PreparedQuery(build)`` calls
``build(*placeholders)`` for a ``values_list`` queryset the first time a connection runs
it, keeps its SQL, parameters and converters, and from then on only swaps the keys into the
parameters. The rows come back as the queryset would give them (the same converters: dates,
aware datetimes, JSON), as tuples. On PostgreSQL the statement is also prepared on the
server once per connection (``portal/postgresql/base.py``: parsed and planned once), where
the backend offers ``prepared_cursor()``.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Callable

from django.db import connections, router
from django.db.models import QuerySet


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # Where each key goes in ``params`` (a union has it once per part).
    slots: tuple[tuple[int, ...], ...]
    compiler: Any
    converters: dict
    columns: int | None


class PreparedQuery:
    """``build(*keys)`` → a ``values_list`` queryset filtered by ``keys`` with exact lookups;
    ``placeholders`` are values that appear nowhere else among the query's parameters
    (each may appear several times: every place it is found takes the key)."""

    def __init__(self, build: Callable[..., QuerySet], placeholders: tuple[Any, ...]) -> None:
        self.build = build
        self.placeholders = placeholders
        # Per connection object: its compiler (and so its converters) belongs to that connection.
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._model = None

    def _compile(self, using: str) -> _Compiled:
        queryset = self.build(*self.placeholders)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = []
        for placeholder in self.placeholders:
            # isinstance: PostgreSQL's backend wraps a bigint parameter in psycopg's ``Int8``, an int.
            found = [index for index, value in enumerate(params) if isinstance(value, type(placeholder)) and value == placeholder]
            if not found:
                raise ValueError(f"the placeholder {placeholder!r} is not a parameter of {sql}")
            slots.append(tuple(found))
        fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        columns = compiler.col_count if compiler.has_extra_select else None
        return _Compiled(sql, tuple(params), tuple(slots), compiler, compiler.get_converters(fields), columns)

    def rows(self, *keys: Any) -> list[tuple]:
        if self._model is None:
            self._model = self.build(*self.placeholders).model
        using = router.db_for_read(self._model)
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(using)
        params = list(compiled.params)
        for slots, key in zip(compiled.slots, keys, strict=True):
            for slot in slots:
                params[slot] = key
        with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.columns is not None:
            rows = [row[: compiled.columns] for row in rows]
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return [tuple(row) for row in rows]



_BY_IDS: dict[tuple[str, int], PreparedQuery] = {}
# Ids are read in blocks of this many placeholders (unused ones are 0, which no row has).
ID_SLOTS = 25


def rows_by_ids(name: str, build: Callable[..., QuerySet], ids: list[int]) -> list[tuple]:
    """The rows of ``build(*ids)`` (a ``values_list`` filtered by ``__in`` the ids), compiled
    once per connection for each ``name`` and block of ``ID_SLOTS`` ids. The placeholders are
    negative, which no id is; ``build`` must use no other negative number as a parameter."""
    size = max(ID_SLOTS, -(-len(ids) // ID_SLOTS) * ID_SLOTS)
    prepared = _BY_IDS.get((name, size))
    if prepared is None:
        prepared = _BY_IDS.setdefault((name, size), PreparedQuery(build, tuple(range(-1, -size - 1, -1))))
    return prepared.rows(*ids, *[0] * (size - len(ids)))
