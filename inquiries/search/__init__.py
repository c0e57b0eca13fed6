"""Full-text search over inquiries: one interface, a backend per database vendor.

- ``update_index(inquiry_ids)``: (re)index these inquiries after a write
  (called through ``services.changes.inquiries_changed``); ``prepare(document)`` does
  the database-free part of indexing in advance.
- ``search(query, queryset)``: the matching inquiries of ``queryset``, annotated
  with ``search_rank`` (higher is better), so filters, facets and ordering chain on.
- ``highlights(query, inquiries)``: marked-up title and excerpt of the inquiries
  on one page, in one query.
- ``parse_query(text)``: the search box's syntax; never raises.

Two engines (``settings.SEARCH_ENGINE``):

- ``tantivy`` (default): an embedded search engine, an index derived from the
  database (``engine.py``: change log, catch-up, rebuild; ``engine_search.py``:
  queries, facets, snippets). The list, search and API search pages are answered
  from it alone (``selectors``); ``search()`` below also works for any queryset.
- ``database``: PostgreSQL (``postgres.py``: stored tsvector, configuration
  ``german``, GIN index) or SQLite (``sqlite.py``: FTS5 with German Snowball
  stemming done in Python).

What is searchable is decided in ``documents.py``, the analysis in ``text.py``.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from types import ModuleType
from typing import Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import FloatField, QuerySet, Value
from django.utils.safestring import SafeString, mark_safe

from inquiries.search import documents
from inquiries.search.query import ParsedQuery, Term, parse_query
from inquiries.search.suggest import suggest

__all__ = [
    "Highlight",
    "ParsedQuery",
    "Term",
    "clear_database_index",
    "highlights",
    "parse_query",
    "prepare",
    "rebuild_index",
    "refresh",
    "search",
    "suggest",
    "update_index",
]

# Markers the databases put around matched words; control characters never
# occur in indexed text (text.clean), so they cannot be confused with content.
_START, _STOP = "\x02", "\x03"


def uses_engine() -> bool:
    """Whether the search engine (not the database's own full-text search) answers searches."""
    return settings.SEARCH_ENGINE == "tantivy"


def backend(using: BaseDatabaseWrapper | None = None) -> ModuleType:
    vendor = (using or connection).vendor
    if vendor == "postgresql":
        from inquiries.search import postgres

        return postgres
    if vendor == "sqlite":
        from inquiries.search import sqlite

        return sqlite
    raise NotImplementedError(f"full-text search is not available for the {vendor} database")


# --- indexing -----------------------------------------------------------------------


def update_index(inquiry_ids: Sequence[int], *, known: Sequence[documents.SearchText] = ()) -> None:
    """Bring the index entries of these inquiries up to date; removes deleted ones.

    ``known`` are searchable texts the caller has just written (a bulk import builds
    them from its records): they are indexed as given instead of being read back.
    """
    ids = sorted(set(inquiry_ids))
    if not ids:
        return
    if uses_engine():
        log_changes(ids)
        return
    search_backend = backend()
    wanted = set(ids)
    given = {document.inquiry_id: document for document in known if document.inquiry_id in wanted}
    found: set[int] = set(given)
    # One transaction: outside one, every row written would be a commit of its own.
    with transaction.atomic():
        ready = list(given.values())
        for start in range(0, len(ready), documents.CHUNK_SIZE):
            search_backend.write(ready[start : start + documents.CHUNK_SIZE])
        for chunk in documents.documents([pk for pk in ids if pk not in given]):
            search_backend.write(chunk)
            found.update(document.inquiry_id for document in chunk)
        search_backend.delete([pk for pk in ids if pk not in found])


def refresh(known=None, known_up_to: int = 0) -> None:
    """Bring the engine's index up to date with the change log now (a no-op for the
    database backends, which are written in the writer's transaction).

    ``known``/``known_up_to``: what a bulk writer has just committed (``engine.catch_up``).
    """
    if uses_engine():
        from inquiries.search import engine

        engine.catch_up(known, known_up_to)


def log_changes(inquiry_ids: Sequence[int]) -> None:
    """Add these inquiries to the search engine's change log, in the caller's transaction:
    every index applies them before it next answers (``engine.catch_up``)."""
    from inquiries.search.models import SearchChange

    # The rows bulk_create would write (in order, 500 a statement), without a model object
    # each and without reading their ids back: a bulk import logs every inquiry it writes.
    table = connection.ops.quote_name(SearchChange._meta.db_table)
    column = connection.ops.quote_name(SearchChange._meta.get_field("inquiry_id").column)
    ids = [int(pk) for pk in inquiry_ids]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(f"INSERT INTO {table} ({column}) VALUES {', '.join(['(%s)'] * len(chunk))}", chunk)


def _inquiry_deleted(sender: type, instance: object, **kwargs: object) -> None:
    if uses_engine():
        log_changes([instance.pk])


def connect() -> None:
    """Log deleted inquiries for the engine, whoever deletes them (``InquiriesConfig.ready``)."""
    from django.db.models.signals import post_delete

    from inquiries.models import Inquiry

    post_delete.connect(_inquiry_deleted, sender=Inquiry, dispatch_uid="inquiries.search.inquiry_deleted")


def prepare(document: documents.SearchText) -> documents.SearchText:
    """``document`` with the analysis the backend would otherwise make while writing it.

    Needs no database connection, so a bulk import can run it in a helper process
    alongside the one that writes. The engine analyses while indexing: nothing to do.
    """
    if uses_engine():
        return document
    return backend().prepare(document)


def clear_database_index(*, reclaim: bool = False) -> int:
    """Empty the database's own search index (the search documents with SQLite's FTS5 table
    or PostgreSQL's tsvector and GIN index), which only ``SEARCH_ENGINE=database`` reads;
    returns how many documents it held. With the engine nothing writes it any more, but a
    database filled under the database backend keeps it, about as large as the text itself.
    ``reclaim``: give the space back to the file system (SQLite: ``VACUUM``, which rewrites
    the file). ``rebuild_index`` with the database backend fills it again.
    """
    from inquiries.search.models import SearchDocument

    held = SearchDocument.objects.count()
    if held:
        with transaction.atomic():
            backend().clear()
    if reclaim:
        backend().reclaim()
    return held


def rebuild_index(*, using: BaseDatabaseWrapper | None = None, inquiry_model=None, question_model=None) -> int:
    """Index every inquiry anew; returns how many. Used by the migration and the command.

    With the engine (and not called from a migration), its index is rebuilt: the
    published inquiries, into a new directory swapped in at the end.
    """
    if uses_engine() and inquiry_model is None and using is None:
        from inquiries.search import engine

        return engine.rebuild()
    if inquiry_model is None:
        from inquiries.models import Inquiry

        inquiry_model = Inquiry
    search_backend = backend(using)
    ids = list(inquiry_model.objects.values_list("pk", flat=True))
    count = 0
    for chunk in documents.documents(ids, inquiry_model=inquiry_model, question_model=question_model):
        search_backend.write(chunk, using=using)
        count += len(chunk)
    return count


# --- searching ----------------------------------------------------------------------


def _parsed(query: str | ParsedQuery) -> ParsedQuery:
    return query if isinstance(query, ParsedQuery) else parse_query(query)


def search(query: str | ParsedQuery, queryset: QuerySet) -> QuerySet:
    """The inquiries of ``queryset`` that match ``query``, annotated with ``search_rank``.

    An empty query (nothing searchable in it) leaves ``queryset`` as it is; a query
    of exclusions only keeps everything that contains none of them.
    """
    parsed = _parsed(query)
    if uses_engine():
        return _engine_search(parsed, queryset)
    if not parsed.groups:
        if parsed.excluded:
            queryset = backend().exclude_any(parsed.excluded, queryset)
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    return backend().search(parsed, queryset)


# Ranks carried into SQL for this many of the best matches; the rest rank 0. Pages of
# the site and the API take their results from the engine directly (``selectors``);
# this path serves feeds, alerts and other callers that need a queryset.
_RANKED_IN_SQL = 500


def _id_filter(queryset: QuerySet, ids: Sequence[int], *, exclude: bool = False) -> QuerySet:
    if len(ids) <= 500:
        return queryset.exclude(pk__in=ids) if exclude else queryset.filter(pk__in=ids)
    # Integers written out: no limit on bound parameters (SQLite's is 32,766).
    table = queryset.model._meta.db_table
    listed = ",".join(str(int(pk)) for pk in ids)
    return queryset.extra(where=[f'"{table}"."id" {"NOT IN" if exclude else "IN"} ({listed})'])


def _engine_search(parsed: ParsedQuery, queryset: QuerySet) -> QuerySet:
    from django.db.models import Case, When

    from inquiries.search import engine, engine_search

    if parsed.is_empty:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    searcher, schema, _index = engine.searcher()
    if not parsed.groups:
        query = engine_search.combined(schema, ParsedQuery(groups=(tuple(parsed.excluded),)), {})
        excluded = [pk for pk, _score in engine_search.all_ids(searcher, query)]
        # Drafts and withdrawn inquiries are not in the index: excluding by what it
        # finds keeps them, as the database backends do; visibility is the queryset's.
        return _id_filter(queryset, excluded, exclude=True).annotate(search_rank=Value(0.0, output_field=FloatField()))
    hits = engine_search.all_ids(searcher, engine_search.combined(schema, parsed, {}))
    rank = Case(
        *(When(pk=pk, then=Value(score)) for pk, score in hits[:_RANKED_IN_SQL]),
        default=Value(0.0),
        output_field=FloatField(),
    ) if hits else Value(0.0, output_field=FloatField())
    return _id_filter(queryset, [pk for pk, _score in hits]).annotate(search_rank=rank)


@dataclass(frozen=True)
class Highlight:
    """Where an inquiry matched: its title with marks if the title matched, and an
    excerpt of its questions (``field="question"``) or else its answers (``"answer"``)."""

    title: SafeString | None = None
    field: str | None = None
    excerpt: SafeString | None = None


def _marked(fragment: str) -> SafeString | None:
    """HTML of a fragment from the database, with ``<mark>`` for matched words; None without match."""
    if _START not in fragment:
        return None
    # ``html.escape`` of the plain text escapes what Django's ``escape`` does, without its lazy
    # check per call (a page marks some hundred fragments).
    marked = html.escape(fragment.strip()).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only our own <mark> added


def _highlight_keys(parsed: ParsedQuery, ids: Sequence[int]) -> dict[int, str]:
    from inquiries import versions

    words = hashlib.sha256(str(parsed).encode("utf-8", "surrogateescape")).hexdigest()
    version = versions.current()
    return {pk: f"highlight:{version}:{words}:{pk}" for pk in ids}


def highlights(query: str | ParsedQuery, inquiries: Iterable, *, located: object = None) -> dict[int, Highlight]:
    """The highlights of these inquiries (objects or ids), keyed by id, in one query.

    Marking up the texts is the costly part of a page of results, so each inquiry's
    highlight is kept in the cache per query and data version (AGGREGATE_CACHE_SECONDS).
    ``located``: where the search engine found these inquiries (``engine_search.Located``),
    so it reads them there without searching for them again.
    """
    parsed = _parsed(query)
    ids = [getattr(inquiry, "pk", inquiry) for inquiry in inquiries]
    if not parsed.groups or not ids:
        return {}
    seconds = settings.AGGREGATE_CACHE_SECONDS
    keys = _highlight_keys(parsed, ids) if seconds > 0 else {}
    cached = cache.get_many(list(keys.values())) if keys else {}
    result = {pk: cached[keys[pk]] for pk in ids if keys.get(pk) in cached}
    missing = [pk for pk in ids if pk not in result]
    if not missing:
        return result
    found = {}
    if uses_engine():
        from inquiries.search import engine_search

        marked = engine_search.highlights(parsed, missing, _START, _STOP, located=located)
    else:
        marked = backend().highlights(parsed, missing, _START, _STOP)
    for pk, (title, questions, answers) in marked.items():
        excerpt_field, excerpt = next(
            ((name, marked) for name, marked in (("question", _marked(questions)), ("answer", _marked(answers))) if marked),
            (None, None),
        )
        found[pk] = Highlight(title=_marked(title), field=excerpt_field, excerpt=excerpt)
    if keys:
        cache.set_many({keys[pk]: highlight for pk, highlight in found.items()}, seconds)
    return {**result, **found}
