"""A related table's rows as one JSON column of the row they belong to.

A page that shows one inquiry with its askers, groups, ministries and questions read each
related table in a statement of its own: on PostgreSQL every statement is a round trip, and
on both databases each costs a cursor call's Python. ``rows_of`` reads them instead as one
column of the inquiry's own statement: a correlated subquery that aggregates the rows into a
JSON array (``JSON_GROUP_ARRAY`` on SQLite, ``JSON_AGG`` on PostgreSQL), which ``sorted_rows``
turns back into tuples. SQLite before 3.44 cannot order an aggregate, so the rows come in no
order: a caller selects the keys of its order as the last columns and sorts by them.

For a page of many rows (the list's 25) the correlated subqueries cost SQLite more than
reading the related rows of all of them by id (``listing_rows``): measured, not assumed.
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

from django.db.models import Aggregate, Func, OuterRef, QuerySet, Subquery, TextField


class _JSONRow(Func):
    function = "JSON_ARRAY"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_BUILD_ARRAY", **extra_context)


class JSONRows(Aggregate):
    """The group's rows as one JSON array (text) of arrays of the ``columns``, in no order.
    Text, numbers, booleans and NULL only: what ``json.loads`` gives back unchanged."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def __init__(self, *columns: Any) -> None:
        super().__init__(_JSONRow(*columns))

    def as_postgresql(self, compiler, connection, **extra_context):
        # json, not jsonb (no binary form built only to be printed again); as text, so that
        # psycopg hands it over as SQLite's driver does.
        sql, params = self.as_sql(compiler, connection, function="JSON_AGG", **extra_context)
        return f"CAST({sql} AS text)", params


def rows_of(queryset: QuerySet, *columns: Any, link: str = "inquiry_id") -> Subquery:
    """The rows of ``queryset`` whose ``link`` is the outer row's primary key, as a JSON
    column (NULL when there are none)."""
    return Subquery(
        queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(rows=JSONRows(*columns)).values("rows")
    )


def sorted_rows(value: str | None, width: int, *keys: int) -> list[tuple]:
    """A column of ``rows_of`` as tuples of their first ``width`` values, sorted by the values
    at ``keys`` (``[]`` for none)."""
    rows = json.loads(value) if value else []
    if keys:
        rows.sort(key=itemgetter(*keys))
    return [tuple(row[:width]) for row in rows]
