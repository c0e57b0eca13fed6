"""Pagination of every API list: page numbers for browsing, a cursor for complete exports.

- ``?page=3&page_size=100``: numbered pages in the list's ordering (``count`` is the total).
- ``?cursor=`` (empty to start) and then the ``next`` links: keyset pages over a
  fixed order that neither skip nor repeat rows while data changes underneath —
  by id, or by ``modified_at`` then id in sync lists (``modified_since``). Pages
  go forward only; ``count`` is null.

Numbered pages are counted by ``inquiries.paging``, as OParl's. Both cap ``page_size`` at ``MAX_PAGE_SIZE``. A sync list of inquiries merges
several tables (published inquiries and the tombstones of withdrawn and deleted
ones): ``Merged`` pages them together by their common keys.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from django.db.models import CharField, F, Q, QuerySet, Value
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from inquiries.paging import PageOutOfRange, numbered_page

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
CURSOR_PARAM = "cursor"
PAGE_PARAM = "page"
PAGE_SIZE_PARAM = "page_size"

BY_ID = ("pk",)
BY_CHANGE = ("modified_at", "pk")
# Keys holding ids (whole numbers); every other key holds a date-time.
ID_KEYS = {"pk", "item_id"}


@dataclass(frozen=True)
class Stream:
    """One table of a merged list: rows annotated with the keys, and how to load them."""

    name: str
    queryset: QuerySet
    load: Callable[[list[int]], dict[int, Any]]


@dataclass(frozen=True)
class Merged:
    """Rows of several tables as one list, ordered by ``keys`` (the last one is a unique id)."""

    streams: Sequence[Stream]
    keys: tuple[str, ...] = BY_CHANGE

    def _rows(self, after: tuple | None) -> QuerySet:
        parts = []
        for stream in self.streams:
            queryset = stream.queryset if after is None else stream.queryset.filter(keyset_after(self.keys, after))
            key_values = {f"k{index}": F(key) for index, key in enumerate(self.keys)}
            parts.append(
                queryset.order_by()
                .annotate(**key_values, stream=Value(stream.name, output_field=CharField()))
                .values_list(*key_values, "stream")
            )
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return rows.order_by(*(f"k{index}" for index in range(len(self.keys))))

    def count(self) -> int:
        return self._rows(None).count()

    def page(self, offset: int, size: int, after: tuple | None = None) -> list[tuple[tuple, Any]]:
        """``size`` items from ``offset`` (or after the key ``after``), each as (keys, object)."""
        rows = list(self._rows(after)[offset : offset + size])
        wanted: dict[str, list[int]] = {}
        for row in rows:
            wanted.setdefault(row[-1], []).append(row[-2])
        loaded = {stream.name: stream.load(wanted[stream.name]) for stream in self.streams if stream.name in wanted}
        return [(tuple(row[:-1]), loaded[row[-1]][row[-2]]) for row in rows]


def keyset_after(keys: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows after ``values`` in the ascending order of ``keys`` (a tuple comparison)."""
    condition = Q()
    for index in reversed(range(len(keys))):
        later = Q(**{f"{keys[index]}__gt": values[index]})
        condition = later if index == len(keys) - 1 else later | (Q(**{keys[index]: values[index]}) & condition)
    return condition


# --- cursors -------------------------------------------------------------------------------


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, datetime.datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(token: str, keys: Sequence[str]) -> tuple | None:
    """The key values in a cursor; None for the empty cursor (the first page)."""
    if not token:
        return None
    invalid = ValidationError({CURSOR_PARAM: ["Invalid cursor: use the `next` link of the previous page, or an empty cursor to start."]})
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise invalid
    decoded = []
    for key, value in zip(keys, values):
        if key in ID_KEYS:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
                raise invalid
        else:
            moment = parse_datetime(value) if isinstance(value, str) else None
            if moment is None or moment.tzinfo is None:
                raise invalid
            value = moment
        decoded.append(value)
    return tuple(decoded)


# --- the paginator -------------------------------------------------------------------------


def page_size(request: Request) -> int:
    raw = request.query_params.get(PAGE_SIZE_PARAM)
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError({PAGE_SIZE_PARAM: [f"A whole number from 1 to {MAX_PAGE_SIZE}."]}) from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({PAGE_SIZE_PARAM: [f"A whole number from 1 to {MAX_PAGE_SIZE}."]})
    return size


def page_number(request: Request) -> int:
    raw = request.query_params.get(PAGE_PARAM)
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except ValueError:
        raise ValidationError({PAGE_PARAM: ["A page number, 1 or more."]}) from None
    if number < 1:
        raise ValidationError({PAGE_PARAM: ["A page number, 1 or more."]})
    return number


class ApiPagination(BasePagination):
    """Numbered pages, or a cursor when the request has ``cursor``; see the module docstring.

    Views call ``paginate_queryset`` with a queryset (sorted already for numbered
    pages) or ``paginate_merged`` with a ``Merged`` list. ``keys`` is the keyset
    order used with a cursor: ``BY_ID`` or, in sync lists, ``BY_CHANGE``.
    """

    count: int | None = None

    def uses_cursor(self, request: Request, view: Any = None) -> bool:
        return CURSOR_PARAM in request.query_params and getattr(view, "cursor_pagination", True)

    def paginate_queryset(
        self,
        queryset: QuerySet,
        request: Request,
        view: Any = None,
        keys: tuple[str, ...] = BY_ID,
        count: int | None = None,
    ) -> list:
        """``count``, when the caller knows it, saves counting ``queryset`` for numbered pages."""
        self.request = request
        size = page_size(request)
        if self.uses_cursor(request, view):
            after = decode_cursor(request.query_params[CURSOR_PARAM], keys)
            rows = queryset.order_by(*keys)
            if after is not None:
                rows = rows.filter(keyset_after(keys, after))
            items = list(rows[: size + 1])
            self._cursor_links(items, size, lambda item: [getattr(item, "pk" if key == "pk" else key) for key in keys])
            return items[:size]
        self.count = queryset.count() if count is None else count
        offset = self._offset(page_number(request), size)
        return list(queryset[offset : offset + size])

    def paginate_known(self, request: Request, *, count: int, number: int, size: int) -> None:
        """The count and links of page ``number`` (of ``size``) whose items the view read
        itself (``selectors.listing.results``)."""
        self.request = request
        self.count = count
        self._offset(number, size)

    def paginate_merged(self, merged: Merged, request: Request) -> list:
        self.request = request
        size = page_size(request)
        if self.uses_cursor(request):
            after = decode_cursor(request.query_params[CURSOR_PARAM], merged.keys)
            pairs = merged.page(0, size + 1, after)
            self._cursor_links(pairs, size, lambda pair: list(pair[0]))
            return [item for _, item in pairs[:size]]
        self.count = merged.count()
        offset = self._offset(page_number(request), size)
        return [item for _, item in merged.page(offset, size)]

    def _offset(self, number: int, size: int) -> int:
        try:
            page = numbered_page(self.count, number, size)
        except PageOutOfRange as error:
            raise NotFound(str(error)) from None
        url = self.request.build_absolute_uri()
        self.next_link = replace_query_param(url, PAGE_PARAM, number + 1) if page.has_next else None
        if number <= 1:
            self.previous_link = None
        elif number == 2:
            self.previous_link = remove_query_param(url, PAGE_PARAM)
        else:
            self.previous_link = replace_query_param(url, PAGE_PARAM, number - 1)
        return page.offset

    def _cursor_links(self, items: list, size: int, key_of: Callable[[Any], list]) -> None:
        self.count = None
        self.previous_link = None
        self.next_link = None
        if len(items) > size:
            url = self.request.build_absolute_uri()
            self.next_link = replace_query_param(url, CURSOR_PARAM, encode_cursor(key_of(items[size - 1])))

    def get_paginated_response(self, data: list, **extra: Any) -> Response:
        return Response(
            {"count": self.count, "next": self.next_link, "previous": self.previous_link, **extra, "results": data}
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "Number of items on all pages; null with a cursor.",
                },
                "next": {"type": "string", "format": "uri", "nullable": True, "description": "Address of the next page; null on the last."},
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Address of the previous page; null on the first and with a cursor.",
                },
                "results": {**schema, "description": "The items of this page."},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        parameters = [
            {
                "name": PAGE_PARAM,
                "required": False,
                "in": "query",
                "description": "Page number (1 …) in the list's ordering; ignored with `cursor` (follow `next` instead).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": PAGE_SIZE_PARAM,
                "required": False,
                "in": "query",
                "description": f"Items per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
        if getattr(view, "cursor_pagination", True):
            parameters.append(
                {
                    "name": CURSOR_PARAM,
                    "required": False,
                    "in": "query",
                    "description": (
                        "Cursor pages for complete, stable exports: give it empty to start, then follow `next`. Ordered "
                        "by id, or by `modified_at` then id with `modified_since`, whatever `ordering` says; `page` is "
                        "ignored."
                    ),
                    "schema": {"type": "string"},
                }
            )
        return parameters
