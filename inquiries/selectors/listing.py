"""Reads of the inquiry list, the search, the feeds and the API's list: the filtered base,
the cached number of results and facets, the ranked pages and the feed entries."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any, Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, QuerySet
from django.utils.translation import get_language

from inquiries import search, versions
from inquiries.models import Inquiry
from inquiries.selectors.base import on_or_today, public_inquiries
from inquiries.selectors.facets import Facet, engine_facets, engine_parts, inquiry_facets


# --- list, search and facets (the inquiry list page, feeds and later the API) ---------


def inquiry_search_base() -> QuerySet[Inquiry]:
    """What the list/search FilterSet starts from: every published inquiry."""
    return public_inquiries()


@dataclass(frozen=True)
class ListSummary:
    """What a list or search shows beside its page: the number of results and the facets."""

    count: int
    facets: list[Facet]


# Parameters that change neither the results' number nor the facets.
_NOT_SUMMARISED = frozenset({"ordering"})


def _key_value(value: Any) -> str:
    """A cleaned filter value as stable text, whatever order or objects it came in."""
    if isinstance(value, slice):
        return f"{_key_value(value.start)}..{_key_value(value.stop)}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (QuerySet, list, tuple, set, frozenset)):
        return ",".join(sorted(str(getattr(item, "pk", item)) for item in value))
    return "" if value is None else str(value)


def _aggregate_key(kind: str, filterset: Any, *extra: str) -> str:
    """A cache key for ``kind`` of the results of ``filterset``: the data version, today
    (open and overdue change at midnight), ``extra`` and every parameter that selects."""
    data = filterset.form.cleaned_data
    parts = [versions.current(), on_or_today(None).isoformat(), *extra]
    parts += [f"{name}={_key_value(data[name])}" for name in sorted(data) if name not in _NOT_SUMMARISED]
    return f"{kind}:" + hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _cached_aggregate(key: Callable[[], str], compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in Django's cache under ``key()`` (AGGREGATE_CACHE_SECONDS)."""
    seconds = settings.AGGREGATE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    name = key()
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, seconds)
    return value


def _summary(filterset: Any) -> ListSummary:
    facets = engine_facets(filterset) if search.uses_engine() else inquiry_facets(filterset)
    # The three statuses split the results without overlap; each is counted over
    # the results without the status parameter, so chosen or all of them make the total.
    statuses = next(facet for facet in facets if facet.name == "status")
    return ListSummary(count=sum(value.count for value in statuses.selected or statuses.values), facets=facets)


def inquiry_summary(filterset: Any) -> ListSummary:
    """The number of results and the facets of a valid ``InquiryFilterSet``.

    Computed once per data version, day, language and set of parameters, then taken
    from Django's cache for every page, ordering and format of the same results: the
    counts read every match, the page only its rows. The data version changes in the
    transaction of every write, so no app server serves counts of older data.
    """
    return _cached_aggregate(lambda: _aggregate_key("listsummary", filterset, get_language() or ""), lambda: _summary(filterset))


def inquiry_count(filterset: Any) -> int:
    """The number of results of a valid ``InquiryFilterSet``, cached like ``inquiry_summary``."""
    if search.uses_engine():
        return _cached_aggregate(lambda: _aggregate_key("listcount", filterset), lambda: len(EngineResults(filterset)))
    return _cached_aggregate(lambda: _aggregate_key("listcount", filterset), lambda: filterset.qs.count())


class EngineResults:
    """The results of a valid ``InquiryFilterSet`` as the search engine orders them: a
    slice is one query of the index for just those (id, rank) pairs, ``len()`` the
    exact total. Pages of the list, the search and the API search come from it."""

    def __init__(self, filterset: Any) -> None:
        self.filterset = filterset
        self._count: int | None = None

    def _query(self):
        from inquiries.search import engine_search

        searcher, schema, parsed, filters = engine_parts(self.filterset)
        return searcher, engine_search.combined(schema, parsed, filters)

    def __len__(self) -> int:
        if self._count is None:
            from inquiries.search import engine_search

            searcher, query = self._query()
            self._count = engine_search.count(searcher, query)
        return self._count

    def __getitem__(self, span: slice) -> list[tuple[int, float]]:
        from inquiries.filters import Sort
        from inquiries.search import engine_search

        searcher, query = self._query()
        sort = self.filterset.sort
        results, self._count = engine_search.ranked(
            searcher, query, span.start or 0, span.stop or 0, sort=None if sort == Sort.RELEVANCE else sort
        )
        return results


# The first results of a search kept in order (ten pages of the site, five of the API):
# ranking orders every match, a page reads only its own rows by id.
SEARCH_RESULTS_KEPT = 250


def search_results_head(filterset: Any) -> list[tuple[int, float]] | None:
    """(id, rank) of the first ``SEARCH_RESULTS_KEPT`` results of a valid filterset with
    search words, in the order asked for; cached like ``inquiry_summary``. None for a list
    without search words (its pages come off an index) or with the cache turned off.

    With the search engine, every page comes from its index (``EngineResults``).
    """
    if search.uses_engine():
        return EngineResults(filterset)
    if not filterset.search_text or settings.AGGREGATE_CACHE_SECONDS <= 0:
        return None
    return _cached_aggregate(
        lambda: _aggregate_key("resulthead", filterset, filterset.sort),
        lambda: list(filterset.qs.values_list("pk", "search_rank")[:SEARCH_RESULTS_KEPT]),
    )


def kept_results(head: list[tuple[int, float]] | None, bottom: int, top: int, count: int) -> list[tuple[int, float]] | None:
    """Results ``bottom`` to ``top`` (of ``count``) from ``head``, the kept first results
    (``search_results_head``), or None when they do not all lie among them."""
    if isinstance(head, EngineResults):
        return head[bottom:top]
    if head is None or (top > len(head) and len(head) < count):
        return None
    return head[bottom:top]


def inquiries_in_order(results: list[tuple[int, float]], queryset: QuerySet[Inquiry] | None = None) -> list[Inquiry]:
    """The inquiries of ``results`` ((id, rank) pairs) from ``queryset`` (published inquiries
    unless given), in that order, with ``search_rank`` and loaded like a page of the list."""
    rows = (public_inquiries() if queryset is None else queryset).with_list_related().in_bulk([pk for pk, _rank in results])
    ordered = []
    for pk, rank in results:
        if pk in rows:
            rows[pk].search_rank = rank
            ordered.append(rows[pk])
    return ordered


# Up to this many matches the links of just the matching inquiries are read (two index
# passes); beyond it, reading every link once and filtering at the end is cheaper
# (measured at 100,000 inquiries: 25 instead of 85 ms for a rare word on SQLite, 100


def inquiry_feed(inquiries: QuerySet[Inquiry], *, size: int) -> QuerySet[Inquiry]:
    """The newest published entries of a feed over ``inquiries``, loaded for their entries."""
    return (
        inquiries.prefetch_related(None)
        .with_list_related()
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:size]
    )
