"""The facets of the inquiry list and search: counts beside each value of parliament,
term, kind, faction, ministry and status, from the database (grouped counts and one
statement for the factions) or from the search engine's index."""

from __future__ import annotations

import functools
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.translation import get_language, gettext as _

from inquiries import facet_names
from inquiries.choices import DeadlineStatus, InquiryKind
from inquiries.models import Faction, Inquiry
from inquiries.names import fold
from inquiries.query import FACET_PARAMETERS, InquiryQuery
from inquiries.querysets import InquiryQuerySet
from inquiries.selectors.base import on_or_today, public_inquiries


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    # Extra parameters a link to this value sets (e.g. the parliament of a faction).
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


def _codes(codes: Iterable[str]) -> str:
    return ", ".join(sorted(set(codes)))


# What a row of the grouped count is keyed by: every facet but the faction one is a sum over these.
_FACET_COLUMNS = ("parliament__code", "parliament__name", "term__number", "kind", "answering_ministry__slug", "answering_ministry__name")


def _grouped_counts(inquiries: QuerySet[Inquiry]) -> list[dict[str, Any]]:
    """Counts of ``inquiries`` per combination of the facet columns, with the three
    deadline statuses counted alongside: one pass over the matches for five facets."""
    today = on_or_today(None)
    return list(
        inquiries.values(*_FACET_COLUMNS)
        .annotate(
            count=Count("pk"),
            answered=Count("pk", filter=InquiryQuerySet.answered_condition(today)),
            open=Count("pk", filter=InquiryQuerySet.open_condition(today)),
            overdue=Count("pk", filter=InquiryQuerySet.overdue_condition(today)),
        )
        .order_by()
    )


def inquiry_facets(query: InquiryQuery) -> list[Facet]:
    """Counts beside each value of parliament, term, kind, faction, ministry and status.

    Each facet counts the published inquiries that match every other parameter of
    ``query`` but not its own, so the
    numbers say what choosing that value would give. Facets whose own parameters are
    not in use count over the same inquiries and share one grouped query; the
    faction facet (through two link tables) has its own.
    """
    active = query.active
    grouped: dict[frozenset[str], list[dict[str, Any]]] = {}

    def base(name: str) -> QuerySet[Inquiry]:
        # Filters join only to-one relations or use subqueries, so rows never repeat.
        return query.filter(public_inquiries(), without=FACET_PARAMETERS[name]).order_by()

    def rows(name: str) -> list[dict[str, Any]]:
        key = frozenset(FACET_PARAMETERS[name] & active)
        if key not in grouped:
            grouped[key] = _grouped_counts(base(name))
        return grouped[key]

    parliament_counts: dict[str, list] = {}
    for row in rows("parliament"):
        parliament_counts.setdefault(row["parliament__code"], [row["parliament__name"], 0])[1] += row["count"]
    term_counts: dict[int, list] = {}
    for row in rows("term"):
        entry = term_counts.setdefault(row["term__number"], [set(), 0])
        entry[0].add(row["parliament__code"])
        entry[1] += row["count"]
    kind_counts: dict[str, int] = {}
    for row in rows("kind"):
        kind_counts[row["kind"]] = kind_counts.get(row["kind"], 0) + row["count"]
    per_faction = faction_counts(base("faction"), matches=sum(row["count"] for row in rows("faction")))
    ministry_rows = [
        (row["answering_ministry__slug"], row["answering_ministry__name"], row["parliament__code"], row["count"])
        for row in rows("ministry")
        if row["answering_ministry__slug"] is not None
    ]
    status_rows = rows("status")
    status_counts = {status.value: sum(row[status.value] for row in status_rows) for status in DeadlineStatus}
    return _facet_list(query, parliament_counts, term_counts, kind_counts, per_faction, ministry_rows, status_counts)


@functools.lru_cache(maxsize=4096)
def _folded(name: str) -> str:
    # The sort key of a parliament's or ministry's name: the same few dozen names on every
    # page, folded once per process instead of some twenty times a page.
    return fold(name)


@functools.lru_cache(maxsize=16)
def _value_labels(language: str | None) -> tuple[dict[str, str], dict[str, str], str]:
    # The kinds' and statuses' labels and the terms' label format, translated once per
    # language and process (the catalogues do not change while it runs), not on every page.
    return (
        {kind.value: str(kind.label) for kind in InquiryKind},
        {status.value: str(status.label) for status in DeadlineStatus},
        _("%(number)s. Wahlperiode (%(parliaments)s)"),
    )


def _facet_list(
    query: InquiryQuery,
    parliament_counts: dict[str, list],
    term_counts: dict[int, list],
    kind_counts: dict[str, int],
    per_faction: dict[int, int],
    ministry_rows: list[tuple[str, str, str, int]],
    status_counts: dict[str, int],
    known: dict[int, tuple[str, str, str]] | None = None,
) -> list[Facet]:
    """The facets from their counts: parliament code → [name, count], term number →
    [parliament codes, count], kind → count, faction id → count, (ministry slug, name,
    parliament code, count) rows, status → count; as the database or the engine counted them.
    ``known``: faction id → (slug, short name, parliament code), read here if not given."""

    chosen_parliaments = {code.upper() for code in query.parliaments}
    parliaments = [
        FacetValue(code.lower(), name, count, code in chosen_parliaments)
        for code, (name, count) in sorted(parliament_counts.items(), key=lambda item: (_folded(item[1][0]), item[0]))
    ]

    kind_labels, status_labels, term_label = _value_labels(get_language())
    chosen_term = query.term
    terms = [
        FacetValue(
            str(number),
            term_label % {"number": number, "parliaments": _codes(codes)},
            count,
            number == chosen_term,
        )
        for number, (codes, count) in sorted(term_counts.items(), reverse=True)
    ]

    chosen_kinds = set(query.kinds)
    kinds = [
        FacetValue(kind.value, kind_labels[kind.value], kind_counts.get(kind.value, 0), kind.value in chosen_kinds)
        for kind in InquiryKind
        if kind.value in kind_counts or kind.value in chosen_kinds
    ]

    # A faction counts an inquiry it is listed on or that one of its members asked
    # (the rule of InquiryQuerySet.by_faction), grouped by slug like the filter.
    chosen_factions = {faction.slug for faction in query.factions}
    faction_groups: dict[str, dict[str, Any]] = {}
    if known is None:
        known = {
            faction.pk: (faction.slug, faction.short_name, faction.parliament.code)
            for faction in Faction.objects.filter(pk__in=per_faction).select_related("parliament")
        }
    for pk in sorted((pk for pk in per_faction if pk in known), key=lambda pk: (known[pk][1], pk)):
        slug, short_name, code = known[pk]
        group = faction_groups.setdefault(slug, {"label": short_name, "codes": set(), "count": 0})
        group["codes"].add(code)
        group["count"] += per_faction[pk]
    factions = [
        FacetValue(slug, f"{group['label']} ({_codes(group['codes'])})", group["count"], slug in chosen_factions)
        for slug, group in faction_groups.items()
    ]

    # Grouped by slug (one per parliament at most), named as the first name in German order.
    chosen_ministries = {ministry.slug for ministry in query.ministries}
    ministry_groups: dict[str, dict[str, Any]] = {}
    for slug, name, code, count in sorted(ministry_rows, key=lambda row: (_folded(row[1]), row[0])):
        group = ministry_groups.setdefault(slug, {"label": name, "codes": set(), "count": 0})
        group["codes"].add(code)
        group["count"] += count
    ministries = [
        FacetValue(slug, f"{group['label']} ({_codes(group['codes'])})", group["count"], slug in chosen_ministries)
        for slug, group in ministry_groups.items()
    ]

    chosen_status = query.status
    statuses = [
        FacetValue(status.value, status_labels[status.value], status_counts.get(status.value, 0), status.value == chosen_status)
        for status in DeadlineStatus
    ]

    return [
        Facet("parliament", _("Parlament"), parliaments),
        Facet("term", _("Wahlperiode"), terms),
        Facet("kind", _("Art"), kinds),
        Facet("faction", _("Fraktion"), factions),
        Facet("ministry", _("antwortendes Ministerium"), ministries),
        Facet("status", _("Stand"), statuses),
    ]


def engine_parts(query: InquiryQuery) -> tuple[Any, Any, Any, dict[str, Any]]:
    """(searcher, schema, parsed query, filter clauses) of ``query``, made once per query
    object (so once per request): its count, facets and page then read one state of the index."""
    parts = query.__dict__.get("_engine_parts")
    if parts is None:
        from inquiries.search import engine, engine_search

        searcher, schema, _index = engine.searcher()
        parts = (searcher, schema, query.parsed, engine_search.filter_clauses(schema, query, on_or_today(None), searcher))
        # Beside the query's fields, not one of them: equality and the cache key ignore it.
        query.__dict__["_engine_parts"] = parts
    return parts


# The facets the engine counts, each over a fast field of its index.
_ENGINE_FACET_FIELDS = {"parliament": "parliament", "term": "term", "kind": "kind", "faction": "factions", "ministry": "ministry"}


def engine_facets(query: InquiryQuery) -> list[Facet]:
    """``inquiry_facets`` from the search engine's index (``engine_facets_later``, waited for)."""
    return engine_facets_later(query)()


def engine_facets_later(query: InquiryQuery) -> Callable[[], list[Facet]]:
    """``inquiry_facets`` from the search engine's index, started now and counted on the
    engine's threads (``search.threads``) while the caller goes on; the returned function
    waits for the counts and makes the facets (in the caller's thread: the names come
    from the database).

    A count per value of each facet's fast field over the matches of every other
    parameter, one aggregation per set of parameters left out (one for a search or list
    without facet filters), the deadline statuses and the total counted in the same pass
    over the matches. A search with two facet filters or more counts those on a field of
    one value per inquiry (``_SPLIT_BY``), the status "answered" and the facets without a
    filter in one pass (``_split_counts``): search + four filters over 1,000,000 inquiries
    48.8 → 23.0 ms of CPU (five passes → two)."""
    from inquiries.search import engine_search, threads

    searcher, schema, parsed, filters = engine_parts(query)
    today = on_or_today(None)
    groups: dict[frozenset[str], list[str]] = {}
    for name in [*_ENGINE_FACET_FIELDS, "status"]:
        groups.setdefault(frozenset(FACET_PARAMETERS[name] & set(filters)), []).append(name)
    # Split where a pass would intersect search words with the filters again; without words
    # the filters' own postings are cheaper to go through than every inquiry split by values.
    split = len(groups) > 2 and bool(parsed.positive_terms)
    split_by = [name for name in _SPLIT_BY if name in filters] if split else []
    # Most inquiries are answered: that filter keeps most matches and costs a pass almost as
    # much as none, so the cells split by it. Open and overdue ones are few; as a filter they
    # make the other passes cheap (at 1,000,000: "open" 12.9 ms as a filter, 21.7 split).
    status = query.status if split and query.status == "answered" and "status" in filters else None
    together = {*split_by, *(["status"] if status else [])}
    # The faction facet counts without its own filter: rather than a pass of its own that
    # intersects the words with the other filters again, the split pass leaves the faction
    # filter out too and applies it within each cell, beside the cells' factions counted without it.
    folded = bool(together) and groups.get(frozenset({"faction"})) == ["faction"]
    pending: list[tuple[list[str], Future]] = []
    for left_out, names in groups.items():
        if together and (not left_out or left_out <= together or (folded and left_out == {"faction"})):
            continue
        fields = [_ENGINE_FACET_FIELDS[name] for name in names if name in _ENGINE_FACET_FIELDS]
        statuses_on = today if "status" in names else None
        matches = engine_search.combined(schema, parsed, filters, without=left_out)
        if statuses_on is not None and fields and not parsed.positive_terms:
            # Without words a pass walks postings or every document, which costs little beside
            # counting each match's values: the statuses are counted on another engine thread,
            # beside the fields (the list of 1,000,000, one visitor: 25.8 → 19.1 ms, p50 in-process).
            field_names = [name for name in names if name != "status"]
            pending.append((field_names, threads.submit(functools.partial(engine_search.terms_counts, searcher, matches, fields))))
            pending.append((["status"], threads.submit(functools.partial(engine_search.terms_counts, searcher, matches, [], statuses_on=statuses_on))))
            continue
        pending.append((names, threads.submit(functools.partial(engine_search.terms_counts, searcher, matches, fields, statuses_on=statuses_on))))
    if together:
        chosen = engine_search.chosen_values(query)
        counted = [name for left_out, names in groups.items() if not left_out or left_out <= together for name in names]
        matches = engine_search.combined(schema, parsed, filters, without=together | ({"faction"} if folded else set()))
        within = engine_search.values_filter("factions", chosen["faction"][1]) if folded else None
        work = functools.partial(
            _split_counts, searcher, matches, {name: set(chosen[name][1]) for name in split_by}, groups.get(frozenset(), []), today, status,
            within=within,
        )
        if folded:
            counted.append("faction")
        pending.append((counted, threads.submit(work)))

    def finish() -> list[Facet]:
        counts: dict[str, dict[Any, int]] = {}
        status_counts: dict[str, int] = {}
        for names, future in pending:
            aggregated = future.result()
            for name in names:
                if name in _ENGINE_FACET_FIELDS:
                    counts[name] = aggregated[_ENGINE_FACET_FIELDS[name]]
            if "status" in names:
                status_counts = aggregated[engine_search.STATUSES]
        return _engine_facet_list(query, counts, status_counts)

    return finish


# Facet filters on a field with one value per inquiry: their facets and those without a filter
# come from one pass split by their values (``engine_search.cells``) instead of a pass each.
_SPLIT_BY = ("parliament", "term", "kind", "ministry")


def _split_counts(
    searcher: Any, matches: Any, chosen: dict[str, set[Any]], unfiltered: list[str], today: date, status: str | None, *, within: str | None = None
) -> dict[str, dict[Any, int]]:
    """Counts of the facets ``chosen`` filters (facet name → the values chosen, a field of one
    value per inquiry each), of the deadline statuses if ``status`` is chosen, and of the facets
    without a filter (``unfiltered``), from the cells of ``matches`` (every filter but these) by
    those fields' values and statuses (``engine_search.cells``): a facet adds up the cells in
    every other filter's chosen values by its own value; a facet without a filter adds up its
    counts in the cells of every chosen value.

    ``within``: the faction filter (``engine_search.values_filter``), left out of ``matches``:
    every count above is of the matches that pass it, and the factions' counts (the faction
    facet) add up each cell of every chosen value without it."""
    from inquiries.search import engine_search

    levels = list(chosen)
    fields = [_ENGINE_FACET_FIELDS[name] for name in unfiltered if name in _ENGINE_FACET_FIELDS]
    statuses_on = today if status or "status" in unfiltered else None
    counts: dict[str, dict[Any, int]] = {_ENGINE_FACET_FIELDS[name]: {} for name in levels}
    counts.update({field: {} for field in fields})
    statuses = {"answered": 0, "overdue": 0, "open": 0}
    around = [_ENGINE_FACET_FIELDS["faction"]] if within is not None else []
    counts.update({field: {} for field in around})
    found = engine_search.cells(
        searcher, matches, [_ENGINE_FACET_FIELDS[name] for name in levels], fields,
        statuses_on=statuses_on, status=status, within=within, around=around,
    )
    for cell in found:
        outside = [name for name, value in zip(levels, cell.values) if value not in chosen[name]]
        if len(outside) > 1:
            continue
        if cell.matches:
            for name, value in zip(levels, cell.values):
                if outside in ([], [name]):
                    per_value = counts[_ENGINE_FACET_FIELDS[name]]
                    per_value[value] = per_value.get(value, 0) + cell.matches
        if not outside:
            for field in [*fields, *around]:
                for value, number in cell.counts[field].items():
                    counts[field][value] = counts[field].get(value, 0) + number
            if statuses_on is not None:
                for name, number in cell.counts[engine_search.STATUSES].items():
                    statuses[name] += number
    if statuses_on is not None:
        counts[engine_search.STATUSES] = statuses
    return counts


def _engine_facet_list(query: InquiryQuery, counts: dict[str, dict[Any, int]], status_counts: dict[str, int]) -> list[Facet]:
    names = facet_names.current()
    parliament_counts = {names.parliaments[pk][0]: [names.parliaments[pk][1], count] for pk, count in counts["parliament"].items() if pk in names.parliaments}
    term_counts: dict[int, list] = {}
    for pk, count in counts["term"].items():
        if pk in names.terms:
            number, code = names.terms[pk]
            entry = term_counts.setdefault(number, [set(), 0])
            entry[0].add(code)
            entry[1] += count
    ministry_rows = [(*names.ministries[pk], count) for pk, count in counts["ministry"].items() if pk in names.ministries]
    per_faction = {int(pk): count for pk, count in counts["faction"].items()}
    return _facet_list(query, parliament_counts, term_counts, dict(counts["kind"]), per_faction, ministry_rows, status_counts, names.factions)


# instead of 170 ms on PostgreSQL; 115 instead of 160 ms for a word in every inquiry).
_FACTION_LINKS_FILTERED_UP_TO = 20_000


def faction_counts(inquiries: QuerySet[Inquiry], *, matches: int) -> dict[int, int]:
    """Faction id → how many of ``inquiries`` (``matches`` of them) it is listed on or one
    of its members asked.

    Counted in the database in one statement, each (faction, inquiry) pair once. For a
    few matches, the UNION of the pairs of just the matching inquiries. For many, every
    listed pair and the askers' pairs that are not listed as well, told apart by an
    anti-join on the listed pairs' unique index: cheaper than a UNION that sorts or
    hashes every pair of both kinds (bare list at 100,000 inquiries on PostgreSQL: 111
    instead of 246–394 ms), but for a few matches PostgreSQL plans it in parallel, and
    starting the workers costs more than the count (14 instead of 1 ms).
    """
    from inquiries.models import Asker

    matching_sql, params = inquiries.order_by().values("pk").query.sql_with_params()
    listed, asked = Inquiry.factions.through._meta.db_table, Asker._meta.db_table
    if matches <= _FACTION_LINKS_FILTERED_UP_TO:
        sql = (
            "SELECT links.faction_id, COUNT(*) FROM ("
            f" SELECT faction_id, inquiry_id FROM {listed} WHERE inquiry_id IN ({matching_sql})"
            f" UNION SELECT faction_id, inquiry_id FROM {asked} WHERE faction_id IS NOT NULL AND inquiry_id IN ({matching_sql})"
            ") links GROUP BY links.faction_id"
        )
        params = (*params, *params)
    else:
        sql = (
            "SELECT links.faction_id, COUNT(*) FROM ("
            f" SELECT l.faction_id, l.inquiry_id FROM {listed} l"
            f" UNION ALL SELECT DISTINCT a.faction_id, a.inquiry_id FROM {asked} a WHERE a.faction_id IS NOT NULL"
            f" AND NOT EXISTS (SELECT 1 FROM {listed} o WHERE o.inquiry_id = a.inquiry_id AND o.faction_id = a.faction_id)"
            f") links WHERE links.inquiry_id IN ({matching_sql}) GROUP BY links.faction_id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())
