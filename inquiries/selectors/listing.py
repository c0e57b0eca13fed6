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
from inquiries.inquiry_entries import InquiryEntry, inquiry_entries
from inquiries.models import Inquiry
from inquiries.selectors.base import on_or_today, public_inquiries
from inquiries.query import InquiryQuery, Sort
from inquiries.selectors.facets import Facet, engine_facets_later, engine_parts, inquiry_facets


# --- list, search and facets (the inquiry list page, feeds and later the API) ---------


def inquiry_search_base() -> QuerySet[Inquiry]:
    """What the list/search FilterSet starts from: every published inquiry."""
    return public_inquiries()


def matching(query: InquiryQuery, queryset: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    """The published inquiries (of ``queryset`` if given) that match ``query``, unordered:
    what the feeds and the alerts read, and what the pages below come from."""
    return query.filter(inquiry_search_base() if queryset is None else queryset)


def ordered_matching(query: InquiryQuery, queryset: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    """``matching`` in the order ``query`` asks for."""
    return query.ordered(matching(query, queryset))


@dataclass(frozen=True)
class ListSummary:
    """What a list or search shows beside its page: the number of results and the facets."""

    count: int
    facets: list[Facet]


def _aggregate_key(kind: str, query: InquiryQuery, *extra: str) -> str:
    """A cache key for ``kind`` of the results of ``query``: the data version, today
    (open and overdue change at midnight), ``extra`` and every parameter that selects."""
    parts = [versions.current(), on_or_today(None).isoformat(), *extra, query.key_text]
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


def _summary_of(facets: list[Facet]) -> ListSummary:
    # The three statuses split the results without overlap; each is counted over
    # the results without the status parameter, so chosen or all of them make the total.
    statuses = next(facet for facet in facets if facet.name == "status")
    return ListSummary(count=sum(value.count for value in statuses.selected or statuses.values), facets=facets)


def _summary(query: InquiryQuery) -> ListSummary:
    return _summary_of(engine_facets_later(query)() if search.uses_engine() else inquiry_facets(query))


def inquiry_summary(query: InquiryQuery) -> ListSummary:
    """The number of results and the facets of ``query``.

    Computed once per data version, day, language and set of parameters, then taken
    from Django's cache for every page, ordering and format of the same results: the
    counts read every match, the page only its rows. The data version changes in the
    transaction of every write, so no app server serves counts of older data.
    """
    return _cached_aggregate(lambda: _aggregate_key("listsummary", query, get_language() or ""), lambda: _summary(query))


def inquiry_summary_later(query: InquiryQuery) -> Callable[[], ListSummary]:
    """``inquiry_summary``, started now: with the search engine its counts are made on the
    engine's threads while the caller reads its page; the returned function waits for them."""
    seconds = settings.AGGREGATE_CACHE_SECONDS
    if not search.uses_engine():
        summary = inquiry_summary(query)
        return lambda: summary
    name = _aggregate_key("listsummary", query, get_language() or "") if seconds > 0 else None
    cached = cache.get(name) if name is not None else None
    if cached is not None:
        return lambda: cached
    facets_later = engine_facets_later(query)

    def finish() -> ListSummary:
        summary = _summary_of(facets_later())
        if name is not None:
            cache.set(name, summary, seconds)
        return summary

    return finish


def inquiry_count(query: InquiryQuery) -> int:
    """The number of results of ``query``, cached like ``inquiry_summary``."""
    if search.uses_engine():
        return _cached_aggregate(lambda: _aggregate_key("listcount", query), lambda: len(EngineResults(query)))
    return _cached_aggregate(lambda: _aggregate_key("listcount", query), lambda: matching(query).count())


class EngineResults:
    """The results of ``query`` as the search engine orders them: a
    slice is one query of the index for just those (id, rank) pairs, ``len()`` the
    exact total. Pages of the list, the search and the API search come from it."""

    def __init__(self, query: InquiryQuery) -> None:
        self.query = query
        self._count: int | None = None
        # Where the last slice's inquiries are in the index, for their highlights.
        self.located: Any = None

    def __len__(self) -> int:
        if self._count is None:
            from inquiries.search import engine_search

            searcher, schema, parsed, filters = engine_parts(self.query)
            every = parsed.is_empty and not filters
            self._count = searcher.num_docs if every else engine_search.count(searcher, engine_search.combined(schema, parsed, filters))
        return self._count

    def __getitem__(self, span: slice) -> list[tuple[int, float]]:
        from inquiries.search import engine_search

        searcher, schema, parsed, filters = engine_parts(self.query)
        query = engine_search.combined(schema, parsed, filters)
        sort = self.query.sort
        self.located = engine_search.Located(searcher, schema, {})
        # The index holds every published inquiry and only those: without words or filters, all of it.
        results, self._count = engine_search.ranked(
            searcher, query, span.start or 0, span.stop or 0, sort=None if sort == Sort.RELEVANCE else sort,
            located=self.located.addresses, every_document=schema if parsed.is_empty and not filters else None,
        )
        return results


# The first results of a search kept in order (ten pages of the site, five of the API):
# ranking orders every match, a page reads only its own rows by id.
SEARCH_RESULTS_KEPT = 250


def search_results_head(query: InquiryQuery) -> list[tuple[int, float]] | None:
    """(id, rank) of the first ``SEARCH_RESULTS_KEPT`` results of ``query`` with
    search words, in the order asked for; cached like ``inquiry_summary``. None for a list
    without search words (its pages come off an index) or with the cache turned off.

    With the search engine, every page comes from its index (``EngineResults``).
    """
    if search.uses_engine():
        return EngineResults(query)
    if not query.text or settings.AGGREGATE_CACHE_SECONDS <= 0:
        return None
    return _cached_aggregate(
        lambda: _aggregate_key("resulthead", query, query.sort),
        lambda: list(ordered_matching(query).values_list("pk", "search_rank")[:SEARCH_RESULTS_KEPT]),
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


@dataclass(frozen=True)
class Results:
    """One page of the results of a query, with what is shown beside it.

    ``rows``: the page's rows in order (``listing_rows.ListRow``, or inquiries when asked
    for instances); ``total``: every match; ``facets``: the facet counts (empty unless
    asked for); ``highlights``: row id → ``search.Highlight`` for the search words;
    ``number``: the page shown, ``per_page`` its size.
    """

    rows: list[Any]
    total: int
    facets: list[Facet]
    highlights: dict[int, Any]
    number: int
    per_page: int


def results(
    query: InquiryQuery,
    *,
    page: int | None = None,
    per_page: int = 25,
    with_facets: bool = True,
    strict: bool = False,
    instances: QuerySet[Inquiry] | None = None,
) -> Results:
    """Page ``page`` (``query.page`` unless given) of ``query``'s results, their number,
    facets and highlights: the one read of the list page, the search and the API search.

    The number and facets are cached per data version (``inquiry_summary``); the page's
    ids come from the kept first results of a search or the engine's index where they
    can, else from the ordered matches. A page past the end is the last one, a page
    below 1 too (as Django's ``Paginator.get_page``); with ``strict`` it raises
    ``paging.PageOutOfRange`` instead. ``instances``: read the rows as inquiries of this
    queryset, loaded for the API's list, instead of as plain list rows.
    """
    from inquiries import listing_rows
    from inquiries.paging import numbered_page

    if search.uses_engine():
        return _engine_results(query, query.page if page is None else page, per_page, with_facets=with_facets, strict=strict, instances=instances)
    if with_facets:
        summary = inquiry_summary(query)
        total, facets = summary.count, summary.facets
    else:
        total, facets = inquiry_count(query), []
    number = query.page if page is None else page
    if strict:
        number = numbered_page(total, number, per_page).number
    else:
        last = max(1, -(-total // per_page))
        number = last if number < 1 or number > last else number
    bottom = (number - 1) * per_page
    top = min(bottom + per_page, total)
    head = search_results_head(query)
    kept = kept_results(head, bottom, top, total)
    if instances is not None:
        if kept is not None:
            rows = inquiries_in_order(kept, instances)
        else:
            rows = list(ordered_matching(query, instances).with_list_related()[bottom:top]) if top > bottom else []
    else:
        if kept is None:
            kept = list(listing_rows.ranked_ids(ordered_matching(query))[bottom:top]) if top > bottom else []
        rows = listing_rows.list_rows(kept)
    located = head.located if isinstance(head, EngineResults) else None
    return Results(rows, total, facets, search.highlights(query.parsed, rows, located=located), number, per_page)


# An index holds fewer than 2**31 documents (tantivy's ids are 32 bits).
_ENGINE_DOCUMENTS_MAX = 2**31


def _engine_results(
    query: InquiryQuery, number: int, per_page: int, *, with_facets: bool, strict: bool, instances: QuerySet[Inquiry] | None
) -> Results:
    """``results`` off the engine's index: the facets are counted on its threads while this
    thread ranks the page (which gives the exact total too), reads its rows and their
    snippets; a page out of range is found by that total and read again (rarely)."""
    from inquiries import listing_rows
    from inquiries.paging import numbered_page

    summary_later = inquiry_summary_later(query) if with_facets else None
    head = EngineResults(query)

    def page_of(wanted: int) -> list[tuple[int, float]]:
        bottom = (wanted - 1) * per_page
        # A page beyond what an index can hold is past the end, and its offset would not convert.
        if wanted < 1 or bottom + per_page >= _ENGINE_DOCUMENTS_MAX:
            return []
        return head[bottom : bottom + per_page]

    kept = page_of(number)
    total = len(head)
    if strict:
        checked = numbered_page(total, number, per_page).number
    else:
        last = max(1, -(-total // per_page))
        checked = last if number < 1 or number > last else number
    if checked != number:
        number, kept = checked, page_of(checked)
    rows = inquiries_in_order(kept, instances) if instances is not None else listing_rows.list_rows(kept)
    highlights = search.highlights(query.parsed, rows, located=head.located)
    facets = summary_later().facets if summary_later is not None else []
    return Results(rows, total, facets, highlights, number, per_page)


def ordered_ids(query: InquiryQuery, bottom: int, top: int) -> list[int]:
    """Ids of results ``bottom`` to ``top`` of ``query`` in the order it asks for (the API's
    numbered list pages): off the engine's index, the kept first results of a search, or
    the ordered matches in SQL."""
    if top <= bottom:
        return []
    from inquiries import listing_rows

    kept = kept_results(search_results_head(query), bottom, top, top)
    if kept is None:
        kept = listing_rows.ranked_ids(ordered_matching(query))[bottom:top]
    return [row[0] if isinstance(row, tuple) else row for row in kept]


def ordered_page(query: InquiryQuery, bottom: int, size: int) -> tuple[list[int], int]:
    """Ids of the ``size`` results from ``bottom`` of ``query`` in the order it asks for, and the
    exact total (the API's numbered pages). The engine's ranking counts every match anyway, so
    one search of its index gives both; else the (cached) count and the ids in SQL."""
    if search.uses_engine():
        results = EngineResults(query)
        # A page beyond what an index can hold is past the end, and its offset would not convert.
        rows = results[bottom : bottom + size] if 0 < size and bottom + size < _ENGINE_DOCUMENTS_MAX else []
        return [pk for pk, _rank in rows], len(results)
    total = inquiry_count(query)
    return ordered_ids(query, bottom, min(bottom + size, total)), total


# --- feeds and digests: in order of publication -------------------------------------------


def _publication_order(queryset: QuerySet[Inquiry], *, oldest_first: bool = False) -> QuerySet[Inquiry]:
    if oldest_first:
        return queryset.order_by("published_at", "pk")
    return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")


def by_publication(
    query: InquiryQuery,
    size: int,
    *,
    after: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    oldest_first: bool = False,
    counted: bool = False,
) -> tuple[list[int], int | None]:
    """Ids of the first ``size`` matches of ``query`` in order of publication (newest first,
    equal times by the higher id; or ``oldest_first``, by the lower id), of those published
    after ``after`` and up to ``until`` when given; and, if ``counted``, how many match.

    With the search engine, a search, a filter or a window reads just these ids off its
    index (the N newest matches, ``engine_search.by_publication``) instead of every match
    as ``id IN (…)`` in SQL; everything else, and the database backend, reads them in SQL,
    a feed of all inquiries off the index on (state, published_at, id).
    """
    windowed = after is not None or until is not None
    if search.uses_engine() and (query.active or windowed):
        from inquiries.search import engine_search

        searcher, schema, parsed, filters = engine_parts(query)
        clauses = dict(filters)
        if windowed:
            clauses["published"] = engine_search.published_window(schema, after, until)
        combined = engine_search.combined(schema, parsed, clauses)
        return engine_search.by_publication(searcher, schema, combined, size, oldest_first=oldest_first)
    matches = matching(query)
    if after is not None:
        matches = matches.filter(published_at__gt=after)
    if until is not None:
        matches = matches.filter(published_at__lte=until)
    ids = list(_publication_order(matches, oldest_first=oldest_first).values_list("pk", flat=True)[:size])
    return ids, (matches.count() if counted else None)


def feed_entries(query: InquiryQuery, *, size: int) -> list[InquiryEntry]:
    """The newest ``size`` published matches of ``query`` (a search feed), newest first."""
    ids, _count = by_publication(query, size)
    return inquiry_entries(ids)


