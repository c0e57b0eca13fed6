"""Searching the engine's index (``engine.py``): queries, filters, results, counts, facets, snippets.

The search box's syntax (``query.py``) becomes a tantivy query: every group must
match, each term in any of the three fields (title weighted above questions above
answers, BM25 per field), a phrase as a phrase query, ``-term`` as must-not. Each
word is analysed by the index's own analyser (keeping stop words) in each of its
spellings (``text.spellings``), so "Wuerttemberg" and "Württemberg" find each other.

Every filter of an ``InquiryQuery`` (``inquiries/query.py``) is a clause on a fast field, so the list
page, the search page and the API search are answered from the index alone: ranked
or sorted ids, the exact total, every facet's counts.
"""

from __future__ import annotations

import copy
import datetime
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import tantivy
from django.utils import timezone

from inquiries.choices import InquiryKind
from inquiries.search import engine, snippets, text
from inquiries.search.query import ParsedQuery, Term

if TYPE_CHECKING:
    from inquiries.query import InquiryQuery

FIELDS = (("title", 10.0), ("questions", 4.0), ("answers", 1.0))
MAX_SPELLINGS = 8
EXCERPT_CHARS = 180
TITLE_CHARS = 2000

# With stop words: a phrase counts their places, and the snippets' chooser cuts a text into
# fragments over all its words (``snippets``).
_analyzer = engine.analyzer(stop_words=False)
Occur = tantivy.Occur


def _analysed(word: str) -> list[str]:
    """The index terms one query word may stand for (one per spelling, without repeats)."""
    variants: list[str] = []
    for spelling in text.spellings(word):
        tokens = _analyzer.analyze(spelling)
        if tokens:
            joined = " ".join(tokens)
            if joined not in variants:
                variants.append(joined)
    return variants


def _positioned(combination: Sequence[str], stop: Sequence[bool]) -> list[tuple[int, str]]:
    """(position, index term) of a phrase's words, one spelling each: a stop word holds its
    place without being looked for, as PostgreSQL's ``to_tsquery`` makes "Ausstattung der
    Feuerwehren" 'ausstatt' <2> 'feuerwehr'. (Checking the positions of a word found in
    nearly every document is most of a phrase's cost: 14 → 6 ms over 1,000,000 inquiries.)"""
    positioned: list[tuple[int, str]] = []
    at = 0
    for analysed, is_stop in zip(combination, stop):
        for token in analysed.split():
            if not is_stop:
                positioned.append((at, token))
            at += 1
    return positioned


def _combinations(term: Term) -> list[list[tuple[int, str]]] | None:
    """The (position, index term) lists a search term asks for, one per combination of its
    words' spellings (at most ``MAX_SPELLINGS``); None when a word has no index term."""
    alternatives = [_analysed(word) for word in term.words]
    if not all(alternatives):
        return None
    stop = [text.is_stopword(word) for word in term.words] if term.is_phrase else [False] * len(term.words)
    return [_positioned(combination, stop) for combination in itertools.islice(itertools.product(*alternatives), MAX_SPELLINGS)]


def _term_query(schema: tantivy.Schema, term: Term, field: str) -> tantivy.Query | None:
    combinations = _combinations(term)
    if combinations is None:
        return None
    queries = []
    for positioned in combinations:
        if len(positioned) == 1:
            queries.append(tantivy.Query.term_query(schema, field, positioned[0][1]))
        else:
            queries.append(tantivy.Query.phrase_query(schema, field, positioned))
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(Occur.Should, query) for query in queries])


def _any_field(schema: tantivy.Schema, term: Term, *, boosted: bool = True) -> tantivy.Query | None:
    parts = []
    for field, boost in FIELDS:
        query = _term_query(schema, term, field)
        if query is not None:
            parts.append((Occur.Should, tantivy.Query.boost_query(query, boost) if boosted else query))
    return tantivy.Query.boolean_query(parts) if parts else None


def _any_term(schema: tantivy.Schema, terms: Iterable[Term]) -> tantivy.Query | None:
    parts = [(Occur.Should, query) for query in (_any_field(schema, term) for term in terms) if query is not None]
    return tantivy.Query.boolean_query(parts) if parts else None


def text_clauses(schema: tantivy.Schema, parsed: ParsedQuery) -> list[tuple[Any, tantivy.Query]]:
    """Clauses of the search words: one Must per group, one MustNot per exclusion."""
    clauses = []
    for group in parsed.groups:
        query = _any_term(schema, group)
        clauses.append((Occur.Must, query if query is not None else tantivy.Query.empty_query()))
    for term in parsed.excluded:
        query = _any_field(schema, term, boosted=False)
        if query is not None:
            clauses.append((Occur.MustNot, query))
    return clauses


def positive_query(schema: tantivy.Schema, parsed: ParsedQuery) -> tantivy.Query | None:
    return _any_term(schema, parsed.positive_terms)


# --- filters ------------------------------------------------------------------------------


# Up to this many values a filter is a union of each value's postings, beyond a term set.
_FEW_VALUES = 32


def one_of(schema: tantivy.Schema, field: str, values: Iterable[Any]) -> tantivy.Query:
    """Documents with any of ``values`` in ``field``. One value is a term query: its postings
    are skipped through beside the search words' instead of first gathered into a set of
    documents (search + parliament + kind over 1,000,000 inquiries: 12.0 → 8.8 ms)."""
    wanted = sorted(set(values))
    if not wanted:
        return tantivy.Query.empty_query()
    if len(wanted) == 1:
        return tantivy.Query.term_query(schema, field, wanted[0])
    if len(wanted) <= _FEW_VALUES:
        # A union of each value's postings intersects faster than a term set: a faction of
        # two ids beside the words and three other filters at 100,000, 1.55 → 1.06 ms a pass,
        # ranked 1.95 → 1.63 ms. The term set scores 1.0 per match; so does this.
        either = tantivy.Query.boolean_query([(Occur.Should, tantivy.Query.term_query(schema, field, value)) for value in wanted])
        return tantivy.Query.const_score_query(either, 1.0)
    return tantivy.Query.term_set_query(schema, field, wanted)


# Fields of which every document holds exactly one value of a closed set (the database's
# check constraint): a filter on them may name the values it leaves out instead.
_EVERY_VALUE = {"kind": tuple(InquiryKind.values)}


def _field_filter(searcher: tantivy.Searcher | None, schema: tantivy.Schema, field: str, values: Iterable[Any]) -> tantivy.Query:
    """``one_of``, or for a field of ``_EVERY_VALUE`` every document but those with the other
    values when fewer documents hold those: intersecting the words with the postings of a
    value nearly every document has walks them all (most inquiries are Kleine Anfragen;
    "Polizei" + kind=minor at 1,000,000: 11.5 ms, as an exclusion 4.4, the words alone 4.4).
    Either form adds the same to the score of every match, so the order of relevance is the same."""
    wanted = set(values)
    every = _EVERY_VALUE.get(field)
    if searcher is None or every is None or not wanted:
        return one_of(schema, field, wanted)
    rest = [value for value in every if value not in wanted]
    # Document frequencies count deleted documents too: they only choose the cheaper form.
    left_out = sum(searcher.doc_freq(field, value) for value in rest)
    if left_out >= sum(searcher.doc_freq(field, value) for value in wanted if value in every):
        return one_of(schema, field, wanted)
    if not left_out:
        return tantivy.Query.all_query()
    return tantivy.Query.boolean_query([(Occur.Must, tantivy.Query.all_query()), (Occur.MustNot, one_of(schema, field, rest))])


def day_range(schema: tantivy.Schema, field: str, low: int | None, high: int | None) -> tantivy.Query:
    """Documents with a day in ``field`` from ``low`` to ``high`` (ordinals, inclusive; None: open)."""
    return tantivy.Query.range_query(schema, field, tantivy.FieldType.Integer, low, high)


def _answered_by(schema: tantivy.Schema, day: int) -> tantivy.Query:
    return day_range(schema, "answered", None, day)


def status_query(schema: tantivy.Schema, status: str, today: datetime.date) -> tantivy.Query:
    """The clause of a deadline status, as ``InquiryQuerySet.answered/open/overdue``."""
    day = today.toordinal()
    answered = _answered_by(schema, day)
    if status == "answered":
        return answered
    overdue = tantivy.Query.boolean_query([(Occur.Must, day_range(schema, "due", None, day - 1)), (Occur.MustNot, answered)])
    if status == "overdue":
        return overdue
    return tantivy.Query.boolean_query([(Occur.Must, tantivy.Query.all_query()), (Occur.MustNot, answered), (Occur.MustNot, overdue)])


def chosen_values(query: InquiryQuery) -> dict[str, tuple[str, list[Any]]]:
    """Per set filter of values on a field of the index (the facets' filters but the status,
    and the person): (field, the values a match has one of)."""
    from inquiries import facet_names

    chosen: dict[str, tuple[str, list[Any]]] = {}
    if query.parliaments:
        chosen["parliament"] = ("parliament", facet_names.current().parliament_ids(list(query.parliaments)))
    if query.term is not None:
        chosen["term"] = ("term", facet_names.current().term_ids(query.term))
    if query.kinds:
        chosen["kind"] = ("kind", list(query.kinds))
    for name, field, items in (("faction", "factions", query.factions), ("person", "people", query.people), ("ministry", "ministry", query.ministries)):
        if items:
            chosen[name] = (field, [item.pk for item in items])
    return chosen


def filter_clauses(
    schema: tantivy.Schema, query: InquiryQuery, today: datetime.date, searcher: tantivy.Searcher | None = None
) -> dict[str, tantivy.Query]:
    """A clause per set parameter of ``query`` (the search words and the ordering aside);
    with ``searcher``, a filter on a value most of its documents have is an exclusion of the others."""
    clauses = {name: _field_filter(searcher, schema, field, values) for name, (field, values) in chosen_values(query).items()}
    if query.answer_kinds:
        clauses["answer_kind"] = one_of(schema, "answer_kinds", query.answer_kinds)
    if query.status:
        clauses["status"] = status_query(schema, query.status, today)
    for name, field, span in (("asked", "asked", query.asked), ("answered", "answered", query.answered)):
        if span is not None and (span.start is not None or span.stop is not None):
            low = timezone.localdate(span.start).toordinal() if span.start is not None else None
            high = timezone.localdate(span.stop).toordinal() if span.stop is not None else None
            clauses[name] = day_range(schema, field, low, high)
    if query.modified_since is not None:
        clauses["modified_since"] = tantivy.Query.range_query(
            schema, "updated", tantivy.FieldType.Integer, engine.epoch_micros(query.modified_since), None
        )
    return clauses


def combined(schema: tantivy.Schema, parsed: ParsedQuery, filters: dict[str, tantivy.Query], *, without: Iterable[str] = ()) -> tantivy.Query:
    """The search words and every filter but those named ``without``."""
    skip = set(without)
    clauses = text_clauses(schema, parsed)
    clauses += [(Occur.Must, query) for name, query in filters.items() if name not in skip]
    if not any(occur == Occur.Must for occur, _ in clauses):
        clauses.insert(0, (Occur.Must, tantivy.Query.all_query()))
    if len(clauses) == 1:
        return clauses[0][1]
    return tantivy.Query.boolean_query(clauses)


# --- results ------------------------------------------------------------------------------

# Hits fetched past a page to order equal scores as the database would (newest answer first).
_TIE_MARGIN = 20


# Orderings by a day, newest first, and the indexed day field each sorts by (nulls last).
_NEWEST_FIRST = {"-answered": "answered", "-asked": "asked"}
# Days back from today that a newest-first page of every document looks within, wider each time.
_WINDOW_DAYS = (31, 183, 730, 2922)


def _newest_window(schema: tantivy.Schema, searcher: tantivy.Searcher, top: int, sort: str, today: datetime.date) -> tantivy.Query | None:
    """The documents of the days since some day back from today, at least ``top`` of them,
    for an ordering newest first over every document; None when no such window is
    narrower than all of them.

    Sorting every document by a column reads it whole (7.5 ms for 1,000,000 inquiries);
    a count of a recent range of days on the day's index reads a fraction of that (0.4–0.9
    ms). Every document outside the window has an older day or none, so it sorts after
    every one inside: the first ``top`` of the window are the first ``top`` of all. (With
    search words or filters the range has to be intersected with the matches, which costs
    more than the sort it saves: 5 → 40 ms for one parliament's half of the index.)"""
    field = _NEWEST_FIRST.get(sort)
    if field is None:
        return None
    for days in _WINDOW_DAYS:
        window = day_range(schema, field, today.toordinal() - days, None)
        if searcher.search(window, 1, count=True).count >= top:
            return window
    return None


def ranked(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    bottom: int,
    top: int,
    *,
    sort: str | None,
    located: dict[int, Any] | None = None,
    every_document: tantivy.Schema | None = None,
) -> tuple[list[tuple[int, float]], int]:
    """(id, rank) of results ``bottom`` to ``top`` and the total: by relevance when ``sort``
    is None, else in the order of that ``Sort`` key (rank 0). ``located``, if given, gets
    each returned id's address in ``searcher`` (for ``highlights``, which then needs no search).

    ``every_document``: the schema, when ``query`` matches every document of the index;
    its total is then the index's size, and a page newest first is read from a window of
    recent days (``_newest_window``)."""
    # No result lies past the index's last document, and tantivy reserves room for every place
    # up to ``top`` at once: a page number read from a URL asked it for 100 GB, and aborted.
    top = min(top, searcher.num_docs)
    if every_document is not None and top <= bottom:
        return [], searcher.num_docs
    if top <= bottom:
        return [], searcher.search(query, 1, count=True).count
    if sort is not None:
        window = _newest_window(every_document, searcher, top, sort, timezone.localdate()) if every_document is not None else None
        result = searcher.search(
            window if window is not None else query,
            top - bottom,
            count=window is None,
            order_by_field=engine.sort_field(sort),
            offset=bottom,
            order=tantivy.Order.Asc,
        )
        addresses = [address for _key, address in result.hits]
        ids = searcher.fast_field_values("id", addresses)
        if located is not None:
            located.update(zip(ids, addresses))
        return [(pk, 0.0) for pk in ids], result.count if window is None else searcher.num_docs
    result = searcher.search(query, top + _TIE_MARGIN, count=True)
    scored = result.hits  # best first
    # Equal scores are ordered by the answer's date; the other hits keep their places, so only
    # the runs of equal scores that reach into the page are read and ordered (the sort is
    # stable): a page far down a search reads its own hits, not every one above it.
    low, high = bottom, min(top, len(scored))
    if low >= high:
        return [], result.count
    while low > 0 and scored[low - 1][0] == scored[low][0]:
        low -= 1
    while high < len(scored) and scored[high][0] == scored[high - 1][0]:
        high += 1
    window = scored[low:high]
    addresses = [address for _score, address in window]
    ids = searcher.fast_field_values("id", addresses)
    order = searcher.fast_field_values(engine.sort_field("-answered"), addresses)
    hits = sorted(zip(ids, (score for score, _ in window), order, addresses), key=lambda hit: (-hit[1], hit[2]))
    page = hits[bottom - low : top - low]
    if located is not None:
        located.update((pk, address) for pk, _score, _order, address in page)
    return [(pk, float(score)) for pk, score, _order, _address in page], result.count


def published_window(schema: tantivy.Schema, after: datetime.datetime | None, until: datetime.datetime | None) -> tantivy.Query:
    """Inquiries published after ``after`` and up to ``until`` (either end open)."""
    low = engine.published_micros(after) + 1 if after is not None else None
    high = engine.published_micros(until) if until is not None else None
    return tantivy.Query.range_query(schema, "published", tantivy.FieldType.Integer, low, high)


def by_publication(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query, limit: int, *, oldest_first: bool = False
) -> tuple[list[int], int]:
    """Ids of the first ``limit`` matches in order of publication, newest first (equal
    times: higher id first) or ``oldest_first`` (lower id first), as the database's
    ``ORDER BY published_at, id``; and the number of matches.

    The index reads the top ``limit`` by publication time alone; times equal to the last
    one read may go on past it (an import publishes thousands at one moment), so those
    are read once more by id, in the same direction."""
    order = tantivy.Order.Asc if oldest_first else tantivy.Order.Desc
    limit = min(limit, max(1, searcher.num_docs))  # (room is reserved for ``limit`` at once: ``ranked``)
    result = searcher.search(query, limit, count=True, order_by_field="published", order=order)
    if not result.hits:
        return [], result.count
    addresses = [address for _key, address in result.hits]
    hits = list(zip([key for key, _ in result.hits], searcher.fast_field_values("id", addresses)))
    last = hits[-1][0]
    tied_past_end = len(hits) == limit and result.count > limit
    if tied_past_end:
        hits = [hit for hit in hits if hit[0] != last]
    hits.sort(key=lambda hit: (hit[0], hit[1]), reverse=not oldest_first)
    ids = [pk for _key, pk in hits]
    if tied_past_end:
        same_time = tantivy.Query.range_query(schema, "published", tantivy.FieldType.Integer, last, last)
        tied = searcher.search(
            tantivy.Query.boolean_query([(Occur.Must, query), (Occur.Must, same_time)]),
            limit - len(ids),
            count=False,
            order_by_field="id",
            order=order,
        )
        ids += [pk for pk, _address in tied.hits]
    return ids, result.count


def all_ids(searcher: tantivy.Searcher, query: tantivy.Query) -> list[tuple[int, float]]:
    """(id, score) of every match, best first (the fallback for callers that need a queryset)."""
    count = searcher.search(query, 1, count=True).count
    if not count:
        return []
    result = searcher.search(query, count, count=False)
    ids = searcher.fast_field_values("id", [address for _score, address in result.hits])
    return [(pk, float(score)) for pk, (score, _address) in zip(ids, result.hits)]


def count(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    return searcher.search(query, 1, count=True).count


def without(query: tantivy.Query, *fields: str) -> tantivy.Query:
    """The matches of ``query`` that have none of ``fields``."""
    return tantivy.Query.boolean_query([(Occur.Must, query), *((Occur.MustNot, tantivy.Query.exists_query(field)) for field in fields)])


def _year_spans(searcher: tantivy.Searcher, query: tantivy.Query, field: str) -> dict[int, int]:
    """Matches of ``query`` per year of the day in ``field`` (a day ordinal); those without one are not counted."""
    span = day_span(searcher, query, field)
    if span is None:
        return {}
    first, last = (datetime.date.fromordinal(day).year for day in span)
    ranges = [{"from": datetime.date(year, 1, 1).toordinal(), "to": datetime.date(year + 1, 1, 1).toordinal()} for year in range(first, last + 1)]
    buckets = searcher.aggregate(query, {"years": {"range": {"field": field, "ranges": ranges}}})["years"]["buckets"]
    counts = {}
    for bucket in buckets:
        if "from" in bucket and "to" in bucket and bucket["doc_count"]:
            counts[datetime.date.fromordinal(int(bucket["from"])).year] = bucket["doc_count"]
    return counts


def year_counts(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[int | None, int]:
    """Matches of ``query`` per year of the day asked, else the day answered (None: neither),
    as ``selectors.base.year_counts`` counts them: a pass for the span of the days and one
    that counts them by year, over the matches with a day asked and then over the few without."""
    counts: dict[int | None, int] = dict(_year_spans(searcher, query, "asked"))
    for year, n in _year_spans(searcher, without(query, "asked"), "answered").items():
        counts[year] = counts.get(year, 0) + n
    undated = count(searcher, without(query, "asked", "answered"))
    if undated:
        counts[None] = undated
    return counts


@dataclass(frozen=True)
class AnswerFigures:
    """Of some answered inquiries: how many took how many days (days → inquiries), their
    answers (questions answered in any way) and those refused in whole or in part."""

    days: dict[int, int]
    answers: int
    refused: int


_FIGURES = {
    "days": {"terms": {"field": "answer_days", "size": 100_000}},
    "answers": {"sum": {"field": "answer_count"}},
    "refused": {"sum": {"field": "refused_count"}},
}


def _figures(result: dict[str, Any]) -> AnswerFigures:
    return AnswerFigures(
        days={int(bucket["key"]): bucket["doc_count"] for bucket in result["days"].get("buckets", [])},
        answers=int(result["answers"].get("value") or 0),
        refused=int(result["refused"].get("value") or 0),
    )


def answer_figures(searcher: tantivy.Searcher, query: tantivy.Query) -> AnswerFigures:
    """``AnswerFigures`` of the matches of ``query``, in one pass (the days of those that have them)."""
    return _figures(searcher.aggregate(query, _FIGURES))


def answer_figures_by_ministry(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[int, AnswerFigures]:
    """``AnswerFigures`` per answering ministry of the matches of ``query``, in one pass."""
    result = searcher.aggregate(query, {"ministry": {"terms": {"field": "ministry", "size": 100_000}, "aggs": _FIGURES}})
    return {int(bucket["key"]): _figures(bucket) for bucket in result["ministry"].get("buckets", [])}


def month_counts(searcher: tantivy.Searcher, query: tantivy.Query, field: str, months: Sequence[datetime.date]) -> dict[int, list[int]]:
    """Per value of the ``factions`` field, the matches of ``query`` whose day in ``field`` lies in
    each of ``months`` (first days, in order, without gaps), aligned with ``months``."""
    if not months:
        return {}
    following = (months[-1] + datetime.timedelta(days=32)).replace(day=1)
    bounds = [month.toordinal() for month in months] + [following.toordinal()]
    ranges = [{"from": low, "to": high} for low, high in itertools.pairwise(bounds)]
    spec = {"months": {"range": {"field": field, "ranges": ranges}, "aggs": {"factions": {"terms": {"field": "factions", "size": 100_000}}}}}
    index = {low: position for position, low in enumerate(bounds[:-1])}
    counts: dict[int, list[int]] = {}
    for bucket in searcher.aggregate(query, spec)["months"].get("buckets", []):
        position = index.get(int(bucket["from"])) if "from" in bucket and "to" in bucket else None
        if position is None:
            continue
        for value in bucket.get("factions", {}).get("buckets", []):
            counts.setdefault(int(value["key"]), [0] * len(months))[position] += value["doc_count"]
    return counts


def day_span(searcher: tantivy.Searcher, query: tantivy.Query, field: str) -> tuple[int, int] | None:
    """The first and last day (ordinals) in ``field`` of the matches of ``query``, if any has one."""
    spread = searcher.aggregate(query, {"spread": {"stats": {"field": field}}})["spread"]
    return (int(spread["min"]), int(spread["max"])) if spread.get("count") else None


def all_of(*queries: tantivy.Query) -> tantivy.Query:
    """Documents that match every one of ``queries``."""
    return tantivy.Query.boolean_query([(Occur.Must, query) for query in queries])


# The key of ``terms_counts``'s deadline statuses (no field of the index is named so).
STATUSES = "deadline statuses"


def _status_aggregations(today: datetime.date) -> dict[str, Any]:
    """Aggregations that count the deadline statuses as ``status_query`` selects them:
    answered by today; due before today and not answered by then (overdue); every
    match (the total, of which the rest is open: a filter on every document counts
    them without reading a column, a third of the cost of a ``value_count``)."""
    answered = {"range": {"field": "answered", "ranges": [{"to": today.toordinal() + 1}]}}
    return {
        "status_answered": answered,
        "status_due": {"range": {"field": "due", "ranges": [{"to": today.toordinal()}]}, "aggs": {"answered": answered}},
        "status_total": {"filter": "*"},
    }


def _below(result: dict[str, Any]) -> dict[str, Any]:
    """The bucket of a range aggregation's one range (``to`` only), beside which it answers
    the rest; an index without segments answers no buckets at all."""
    return next((bucket for bucket in result.get("buckets", []) if "from" not in bucket), {"doc_count": 0})


def _counting(fields: Sequence[str], statuses_on: datetime.date | None) -> dict[str, Any]:
    spec: dict[str, Any] = {field: {"terms": {"field": field, "size": 100_000}} for field in fields}
    if statuses_on is not None:
        spec.update(_status_aggregations(statuses_on))
    return spec


def _counted(result: dict[str, Any], fields: Sequence[str], statuses_on: datetime.date | None) -> dict[str, dict[Any, int]]:
    counts = {field: {bucket["key"]: bucket["doc_count"] for bucket in result.get(field, {}).get("buckets", [])} for field in fields}
    if statuses_on is not None:
        counts[STATUSES] = {status: _in_status(result, (), status)[0] for status in ("answered", "overdue", "open")}
    return counts


def terms_counts(
    searcher: tantivy.Searcher, query: tantivy.Query, fields: Sequence[str], *, statuses_on: datetime.date | None = None
) -> dict[str, dict[Any, int]]:
    """Per field, value → number of matching inquiries (exact: every value, no size cut),
    in one pass over the matches; with ``statuses_on`` also, under ``STATUSES``, status →
    number of matches (``DeadlineStatus`` values) on that day."""
    if not fields and statuses_on is None:
        return {}
    return _counted(searcher.aggregate(query, _counting(fields, statuses_on)), fields, statuses_on)


@dataclass(frozen=True)
class Cell:
    """The matches with one value of each of the fields a ``cells`` call splits by."""

    values: tuple[Any, ...]
    matches: int
    counts: dict[str, dict[Any, int]]


# The key of the filter aggregation within each of ``cells``' cells.
_WITHIN = "within"


def values_filter(field: str, values: Iterable[int]) -> str:
    """A filter aggregation's query (its query string) for documents with any of ``values`` (numbers) in ``field``."""
    return " OR ".join(f"{field}:{int(value)}" for value in sorted(set(values)))


def cells(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    levels: Sequence[str],
    fields: Sequence[str],
    *,
    statuses_on: datetime.date | None = None,
    status: str | None = None,
    within: str | None = None,
    around: Sequence[str] = (),
) -> list[Cell]:
    """The matches of ``query`` split by their values of the single-valued fields ``levels``
    (a terms aggregation within another), each cell with ``terms_counts`` of ``fields`` (and
    the statuses) within it, in one pass over the matches. Cells are disjoint, so the counts
    of any set of them add up: a facet whose filter is set counts the cells of every other
    filter's values, without a pass that intersects the words with those filters.

    With ``status`` (a deadline status on the day ``statuses_on``) a cell's ``matches`` and
    its counts of ``fields`` are those of its matches in that status, its statuses' counts
    those of all its matches: the status splits each cell as well.

    With ``within`` (a filter, ``values_filter``) a cell's matches, counts and statuses are
    those of its matches that also pass the filter, and the ``around`` fields are counted over
    all its matches (in ``status``, if given): a facet whose own filter is left out of ``query``
    is counted in the same pass as those that filter applies to."""
    if status is None:
        leaf = _counting(fields, statuses_on)
    else:
        assert statuses_on is not None, "a status is one on a day"
        leaf = _status_split(_counting(fields, None), status, statuses_on)
    if within is not None:
        outer = _counting(around, None)
        leaf = {
            _WITHIN: {"filter": within, **({"aggs": leaf} if leaf else {})},
            **(outer if status is None else _status_split(outer, status, statuses_on)),
        }
    spec = leaf
    for field in reversed(levels):
        spec = {field: {"terms": {"field": field, "size": 100_000}, **({"aggs": spec} if spec else {})}}
    found: list[Cell] = []

    def cell(values: tuple[Any, ...], result: dict[str, Any]) -> Cell:
        inner = result.get(_WITHIN, {"doc_count": 0}) if within is not None else result
        if status is None:
            matches, counts = inner["doc_count"], _counted(inner, fields, statuses_on)
        else:
            matches, counts = _in_status(inner, fields, status)
            counts.update(_counted(inner, (), statuses_on))
        if within is not None:
            counts.update(_counted(result, around, None) if status is None else _in_status(result, around, status)[1])
        return Cell(values, matches, counts)

    def split(result: dict[str, Any], depth: int, values: tuple[Any, ...]) -> None:
        for bucket in result.get(levels[depth], {}).get("buckets", []):
            if depth + 1 < len(levels):
                split(bucket, depth + 1, (*values, bucket["key"]))
            else:
                found.append(cell((*values, bucket["key"]), bucket))

    result = searcher.aggregate(query, spec)
    if levels:
        split(result, 0, ())
    elif within is not None:
        # (An index without segments answers no aggregations at all.)
        found.append(cell((), {_WITHIN: {"doc_count": 0}, **result}))
    else:
        found.append(cell((), {**result, "doc_count": int(result.get("status_total", {}).get("doc_count") or 0)}))
    return found


def _status_split(counting: dict[str, Any], status: str, today: datetime.date) -> dict[str, Any]:
    """``_status_aggregations`` with ``counting`` within the buckets that ``_in_status`` adds
    up or takes away for ``status``: answered (A); overdue = due (D) less due and answered
    (DA); open = all less A less D plus DA."""
    spec = copy.deepcopy(_status_aggregations(today))
    if counting:
        if status in ("answered", "open"):
            spec["status_answered"]["aggs"] = copy.deepcopy(counting)
        if status in ("overdue", "open"):
            spec["status_due"]["aggs"].update(copy.deepcopy(counting))
            spec["status_due"]["aggs"]["answered"]["aggs"] = copy.deepcopy(counting)
        if status == "open":
            spec.update(copy.deepcopy(counting))
    return spec


def _in_status(result: dict[str, Any], fields: Sequence[str], status: str) -> tuple[int, dict[str, dict[Any, int]]]:
    """(matches, ``fields``' counts) of the matches of ``result`` (``_status_split``) in ``status``."""
    answered = _below(result.get("status_answered", {}))
    due = _below(result.get("status_due", {}))
    due_answered = _below(due["answered"]) if "answered" in due else {"doc_count": 0}
    total = int(result.get("status_total", {}).get("doc_count") or 0)
    parts: list[tuple[int, dict[str, Any]]] = {
        "answered": [(1, answered)],
        "overdue": [(1, due), (-1, due_answered)],
        "open": [(1, {**result, "doc_count": total}), (-1, answered), (-1, due), (1, due_answered)],
    }[status]
    matches = sum(sign * part["doc_count"] for sign, part in parts)
    counts: dict[str, dict[Any, int]] = {field: {} for field in fields}
    for sign, part in parts:
        for field, per_value in _counted(part, fields, None).items():
            for value, number in per_value.items():
                counts[field][value] = counts[field].get(value, 0) + sign * number
    return matches, {field: {value: number for value, number in per_value.items() if number} for field, per_value in counts.items()}


# --- highlights -------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """Where a page's inquiries are in one state of the index: id → document address in ``searcher``."""

    searcher: tantivy.Searcher
    schema: tantivy.Schema
    addresses: dict[int, Any]


def _marked(fragment: str, ranges: Sequence[tuple[int, int]], start: str, stop: str) -> str:
    """``fragment`` with ``start``/``stop`` around the byte ranges tantivy highlighted (whole
    words: their bounds are those of characters, so the bytes are decoded once, marks and all)."""
    raw = fragment.encode("utf-8")
    opening, closing = start.encode("utf-8"), stop.encode("utf-8")
    parts, at = [], 0
    for low, high in sorted(ranges):
        if low < at:
            continue
        parts += [raw[at:low], opening, raw[low:high], closing]
        at = high
    parts.append(raw[at:])
    return b"".join(parts).decode("utf-8", "replace")


def _snippet(fragment: snippets.Fragment, full: str, start: str, stop: str, *, whole: bool) -> str:
    if not fragment.highlighted:
        return ""
    if whole:
        return _marked(full, [(begin + fragment.start, end + fragment.start) for begin, end in fragment.highlighted], start, stop)
    marked = _marked(fragment.text, fragment.highlighted, start, stop)
    return ("…" if fragment.start > 0 else "") + marked + ("…" if fragment.stop < fragment.size else "")


def _tantivy_fragment(generator: tantivy.SnippetGenerator, document: tantivy.Document, full: str) -> snippets.Fragment:
    """The fragment tantivy's own generator chooses (it analyses the whole text)."""
    snippet = generator.snippet_from_doc(document)
    ranges = [(span.start, span.end) for span in snippet.highlighted()]
    if not ranges:
        return snippets.EMPTY
    bounds = snippet.fragment_range()
    low, high = (bounds.start, bounds.end) if hasattr(bounds, "start") else (bounds[0], bounds[1])
    return snippets.Fragment(snippet.fragment(), ranges, low, high, len(full.encode("utf-8")))


# Each word of a text a snippet may mark (lower-cased, UTF-8), analysed as the index analyses it
# and lower-cased, as tantivy's snippets compare: a page's texts share most of their words with
# other pages'.
_WORDS_KEPT = 100_000
_known_words: dict[bytes, str] = {}


def _analysed_token(word: bytes) -> str:
    term = " ".join(_analyzer.analyze(word.decode("utf-8"))).lower()
    if len(_known_words) >= _WORDS_KEPT:
        _known_words.clear()
    _known_words[word] = term
    return term


def snippet_terms(parsed: ParsedQuery) -> set[str]:
    """The index terms of ``positive_query`` (as its ``query_terms``): what a snippet may mark."""
    return {
        token
        for term in parsed.positive_terms
        for positioned in (_combinations(term) or [])
        for _position, token in positioned
    }


class _Excerpts:
    """The snippets of one field for one query: chosen by ``snippets.Chooser``, or by tantivy's
    own generator (made when first needed) for a text the chooser leaves to it. (The chooser
    cuts fragments over every word; tantivy's generator over the words the index's analyser
    keeps, without stop words, so for those few texts a fragment may begin or end a stop word
    later or earlier.)"""

    def __init__(self, searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query, field: str, chars: int, terms: Iterable[str]):
        self.searcher, self.schema, self.query, self.field, self.chars = searcher, schema, query, field, chars
        weights = {}
        for term in terms:
            doc_freq = searcher.doc_freq(field, term)
            if doc_freq > 0:
                weights[term] = snippets.term_weight(doc_freq)
        self.chooser = snippets.Chooser(weights, chars, _known_words, _analysed_token)
        self.generator: tantivy.SnippetGenerator | None = None

    def fragments(self, documents: Sequence[tantivy.Document], texts: Sequence[str]) -> list[snippets.Fragment]:
        """The fragment of each of ``texts``, this field's text of the document beside it."""
        chosen = self.chooser.best_of(texts)
        for at, fragment in enumerate(chosen):
            if fragment is None:
                if self.generator is None:
                    self.generator = tantivy.SnippetGenerator.create(self.searcher, self.query, self.schema, self.field)
                    self.generator.set_max_num_chars(self.chars)
                chosen[at] = _tantivy_fragment(self.generator, documents[at], texts[at])
        return chosen


def highlights(
    parsed: ParsedQuery, inquiry_ids: Sequence[int], start: str, stop: str, *, located: Located | None = None
) -> dict[int, tuple[str, str, str]]:
    """(title, questions excerpt, answers excerpt) with marks, for each of the given inquiries.

    ``located``: a searcher and the addresses of inquiries in it (as ``ranked`` found
    them); when it holds every one asked for, their documents are read there without a search."""
    if located is not None and all(pk in located.addresses for pk in inquiry_ids):
        searcher, schema = located.searcher, located.schema
        pairs = [(pk, located.addresses[pk]) for pk in dict.fromkeys(inquiry_ids)]
    else:
        searcher, schema, _index = engine.searcher()
        pairs = None
    query = positive_query(schema, parsed)
    if query is None or not inquiry_ids:
        return {}
    if pairs is None:
        found = searcher.search(one_of(schema, "id", inquiry_ids), len(set(inquiry_ids)), count=False)
        addresses = [address for _score, address in found.hits]
        pairs = list(zip(searcher.fast_field_values("id", addresses), addresses)) if addresses else []
    if not pairs:
        return {}
    terms = snippet_terms(parsed)
    excerpts = {
        field: _Excerpts(searcher, schema, query, field, chars, terms)
        for field, chars in (("title", TITLE_CHARS), ("questions", EXCERPT_CHARS), ("answers", EXCERPT_CHARS))
    }
    documents = [searcher.doc(address) for _pk, address in pairs]
    # The texts of a page are marked up together, field by field; the answers (4 KB on
    # average) are made Python strings only where the questions hold no match.
    titles = [document.get_first("title") or "" for document in documents]
    questions = [document.get_first("questions") or "" for document in documents]
    marked_titles = [
        _snippet(fragment, full, start, stop, whole=True) for fragment, full in zip(excerpts["title"].fragments(documents, titles), titles)
    ]
    marked_questions = [
        _snippet(fragment, full, start, stop, whole=False)
        for fragment, full in zip(excerpts["questions"].fragments(documents, questions), questions)
    ]
    marked_answers = [""] * len(documents)
    unmatched = [at for at, marked in enumerate(marked_questions) if not marked]
    if unmatched:
        answers = [documents[at].get_first("answers") or "" for at in unmatched]
        fragments = excerpts["answers"].fragments([documents[at] for at in unmatched], answers)
        for at, fragment, full in zip(unmatched, fragments, answers):
            marked_answers[at] = _snippet(fragment, full, start, stop, whole=False)
    return {
        int(pk): (title or full_title, question, answer)
        for (pk, _address), title, full_title, question, answer in zip(pairs, marked_titles, titles, marked_questions, marked_answers)
    }
