"""Published inquiries counted per parliament, term, faction, person or ministry: the numbers
beside each row of the home page, the index pages of people, groups and ministries, the
statistics and the API's lists.

With the search engine (the default) a count is one aggregation over a fast field of its
index, which holds the published inquiries and only those, as the facets are counted; with
the database's own search, one grouped statement. (A correlated count per listed row reads
the inquiries of every row at each request: at 1,000,000 inquiries the ministries' page took
~55 s uncached on SQLite, the groups' ~9 s.)
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Iterable

from django.db.models import Count

from inquiries import search
from inquiries.models import Asker, Term
from inquiries.querysets import InquiryQuerySet
from inquiries.selectors.base import on_or_today, public_inquiries, year_counts

if TYPE_CHECKING:
    from inquiries.query import InquiryQuery

# What is counted → the index's field, and the inquiry's column for the grouped statement.
# A faction counts the inquiries it is listed on or one of its members asked (``by_faction``).
_ENGINE_FIELDS = {"parliament": "parliament", "term": "term", "faction": "factions", "person": "people", "ministry": "ministry"}
_COLUMNS = {"parliament": "parliament_id", "term": "term_id", "ministry": "answering_ministry_id"}


def published_per(what: str, *, among: Iterable[int] | None = None, answered_on: datetime.date | None = None) -> dict[int, int]:
    """Id of each ``what`` (a key of ``_ENGINE_FIELDS``) → how many published inquiries it has
    (asked, for a person or faction; to answer, for a ministry); only those answered by
    ``answered_on`` when given. ``among``: only these ids are wanted (others may be left
    out). Ids without any are left out."""
    if what not in _ENGINE_FIELDS:
        raise ValueError(f"cannot count published inquiries per {what!r}")
    wanted = None if among is None else sorted({int(pk) for pk in among})
    if wanted is not None and not wanted:
        return {}
    if search.uses_engine():
        return _engine_counts(_ENGINE_FIELDS[what], wanted, answered_on)
    return _database_counts(what, wanted, answered_on)


def with_inquiry_counts(rows: Iterable[Any], what: str) -> list[Any]:
    """``rows`` (parliaments, terms, people … of ``what``) with ``inquiry_count``: the published
    inquiries of each, counted for just these rows (a page of a list, not every row there is)."""
    rows = list(rows)
    found = published_per(what, among=[row.pk for row in rows])
    for row in rows:
        row.inquiry_count = found.get(row.pk, 0)
    return rows


def terms_with_inquiries(*ordering: str) -> list[Term]:
    """The terms that have published inquiries, with their parliament and ``inquiry_count``,
    in the database's ``ordering`` (none given: in no order)."""
    per_term = published_per("term")
    terms = list(Term.objects.select_related("parliament").filter(pk__in=per_term).order_by(*ordering))
    for term in terms:
        term.inquiry_count = per_term[term.pk]
    return terms


def answered_per_ministry(*, on: datetime.date | None = None) -> dict[int, int]:
    """Ministry id → the published inquiries it has answered by ``on`` (today)."""
    return published_per("ministry", answered_on=on_or_today(on))


def published_by_status(*, on: datetime.date | None = None) -> dict[str, int]:
    """How many published inquiries there are ("total") and how many of them are answered,
    open and overdue on ``on`` (today), keyed by ``DeadlineStatus`` value."""
    on = on_or_today(on)
    if search.uses_engine():
        import tantivy

        from inquiries.search import engine, engine_search

        searcher, _schema, _index = engine.searcher()
        by_status = engine_search.terms_counts(searcher, tantivy.Query.all_query(), [], statuses_on=on)[engine_search.STATUSES]
    else:
        by_status = public_inquiries().aggregate(
            answered=Count("pk", filter=InquiryQuerySet.answered_condition(on)),
            open=Count("pk", filter=InquiryQuerySet.open_condition(on)),
            overdue=Count("pk", filter=InquiryQuerySet.overdue_condition(on)),
        )
    return {**by_status, "total": sum(by_status.values())}


def per_year(query: InquiryQuery) -> list[dict[str, Any]]:
    """The published inquiries ``query`` selects per year (of the day asked, else answered),
    oldest first, ``year`` None (undated) last: ``selectors.base.year_counts`` of its matches."""
    if not search.uses_engine():
        from inquiries.selectors.listing import matching

        return year_counts(matching(query))
    from inquiries.search import engine_search
    from inquiries.selectors.facets import engine_parts

    searcher, schema, parsed, filters = engine_parts(query)
    counted = engine_search.year_counts(searcher, engine_search.combined(schema, parsed, filters))
    return [{"year": year, "count": counted[year]} for year in sorted(counted, key=lambda year: (year is None, year or 0))]


def _engine_counts(field: str, wanted: list[int] | None, answered_on: datetime.date | None) -> dict[int, int]:
    import tantivy

    from inquiries.search import engine, engine_search

    searcher, schema, _index = engine.searcher()
    clauses = []
    if answered_on is not None:
        clauses.append(engine_search.status_query(schema, "answered", answered_on))
    if wanted is not None:
        clauses.append(engine_search.one_of(schema, field, wanted))
    query = engine_search.all_of(*clauses) if clauses else tantivy.Query.all_query()
    counts = engine_search.terms_counts(searcher, query, [field])[field]
    # A multi-valued field (people, factions) counts the other values of the matches too.
    keep = set(wanted) if wanted is not None else None
    return {int(value): count for value, count in counts.items() if keep is None or int(value) in keep}


def _database_counts(what: str, wanted: list[int] | None, answered_on: datetime.date | None) -> dict[int, int]:
    inquiries = public_inquiries()
    if answered_on is not None:
        inquiries = inquiries.answered(answered_on)
    if what == "faction":
        from inquiries.selectors.facets import faction_counts

        keep = set(wanted) if wanted is not None else None
        return {pk: n for pk, n in faction_counts(inquiries, matches=inquiries.count()).items() if keep is None or pk in keep}
    if what == "person":
        askers = Asker.objects.filter(InquiryQuerySet.published_condition("inquiry"))
        if answered_on is not None:
            askers = askers.filter(inquiry__in=inquiries)
        if wanted is not None:
            askers = askers.filter(person_id__in=wanted)
        rows = askers.order_by().values("person_id").annotate(n=Count("inquiry_id", distinct=True)).values_list("person_id", "n")
        return dict(rows)
    column = _COLUMNS[what]
    if wanted is not None:
        inquiries = inquiries.filter(**{f"{column}__in": wanted})
    rows = inquiries.exclude(**{column: None}).order_by().values(column).annotate(n=Count("pk")).values_list(column, "n")
    return dict(rows)
