"""External object lists of OParl: pages with ``data``, ``pagination`` and ``links``.

One list can span several querysets (an OParl Organization list holds factions
and ministries); ``ObjectList`` reads them one after the other, so a page costs
one count and at most one fetch (plus its prefetches) per queryset, whatever
its size.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from inquiries.oparl.selectors import ChangeWindow
from inquiries.paging import numbered_page

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PAGE_PARAMETER = "page"
# OParl's name for the page size a client asks for (a server need not follow it).
SIZE_PARAMETER = "elementsPerPage"
WINDOW_PARAMETERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadListRequest(ValueError):
    """A list parameter that cannot be understood; the message names it."""


@dataclass(frozen=True)
class Part:
    """A queryset in an object list, and how to turn one page's worth of its rows into objects."""

    rows: QuerySet
    serialize: Callable[[list[Any]], list[dict[str, Any]]]


class ObjectList:
    """Several querysets read as one list, in the order given."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self.parts = list(parts)
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [part.rows.count() for part in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def _slices(self, start: int, stop: int) -> Iterator[tuple[Part, int, int]]:
        offset = 0
        for part, size in zip(self.parts, self.counts()):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                yield part, low, high
            offset += size

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("an object list can only be sliced")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        objects: list[dict[str, Any]] = []
        for part, low, high in self._slices(start, stop):
            objects.extend(part.serialize(list(part.rows[low:high])))
        return objects


def _moment(name: str, raw: str) -> datetime.datetime:
    # An unencoded "+" of the UTC offset arrives as a space; take it back.
    text = re.sub(r"\s(\d{2}:?\d{2})$", r"+\1", raw.strip())
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            value = datetime.datetime.combine(day, datetime.time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise BadListRequest(f"{name}: {raw!r} is not a date-time such as 2024-01-31T12:00:00+01:00")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def change_window(params: QueryDict) -> ChangeWindow:
    """The created/modified filters of a list request."""
    return ChangeWindow(**{name: _moment(name, params[name]) for name in WINDOW_PARAMETERS if params.get(name)})


def _positive_int(params: QueryDict, name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise BadListRequest(f"{name}: {raw!r} is not a whole number of at least 1")
    return value


def _page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params[PAGE_PARAMETER] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def list_page(request: HttpRequest, objects: ObjectList) -> dict[str, Any]:
    """One page of ``objects`` as an OParl list (``inquiries.paging``); raises ``EmptyPage`` past the end."""
    size = min(_positive_int(request.GET, SIZE_PARAMETER, DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    number = _positive_int(request.GET, PAGE_PARAMETER, 1)
    page = numbered_page(objects.count(), number, size)
    links = {"first": _page_url(request, 1), "self": _page_url(request, number), "last": _page_url(request, page.pages)}
    if page.has_previous:
        links["prev"] = _page_url(request, number - 1)
    if page.has_next:
        links["next"] = _page_url(request, number + 1)
    return {
        "data": objects[page.offset : page.end] if page.count else [],
        "pagination": {
            "totalElements": page.count,
            "elementsPerPage": size,
            "currentPage": number,
            "totalPages": page.pages,
        },
        "links": links,
    }


__all__ = ["BadListRequest", "EmptyPage", "ObjectList", "Part", "change_window", "list_page"]
