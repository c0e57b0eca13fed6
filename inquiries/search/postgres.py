"""PostgreSQL backend: a stored, GIN-indexed ``tsvector`` (configuration ``german``).

Weights: title A, questions B, answers C; ranked with ``ts_rank`` (SearchRank),
highlighted with ``ts_headline`` (SearchHeadline). PostgreSQL's German stemmer
folds ä/ö/ü and ß itself; the query asks for every spelling of a word
(``text.spellings``) so that "Wuerttemberg" also finds "Württemberg". The
query is composed from the parsed words (letters and digits only) and the
operators of ``to_tsquery``, so it is always valid.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, QuerySet

from inquiries.search import text
from inquiries.search.documents import SearchText
from inquiries.search.query import ParsedQuery, Term

CONFIG = "german"
CONTENT = "inquiries_searchdocument"
HEADLINE_WORDS = 24

_INSTALL = [
    # Every full-text query of the site: `vector @@ tsquery` in search() and exclude_any().
    f"CREATE INDEX IF NOT EXISTS search_document_vector_gin ON {CONTENT} USING gin (vector)",
]
_UNINSTALL = ["DROP INDEX IF EXISTS search_document_vector_gin"]

_VECTOR = (
    "setweight(to_tsvector('german'::regconfig, %s), 'A')"
    " || setweight(to_tsvector('german'::regconfig, %s), 'B')"
    " || setweight(to_tsvector('german'::regconfig, %s), 'C')"
)


def install(schema_editor) -> None:
    for statement in _INSTALL:
        schema_editor.execute(statement)


def configure(schema_editor) -> None:
    """Nothing to set: the GIN index needs no settings."""


def uninstall(schema_editor) -> None:
    for statement in _UNINSTALL:
        schema_editor.execute(statement)


def clear(*, using: BaseDatabaseWrapper | None = None) -> None:
    """Empty the index: ``TRUNCATE`` frees the documents, their vectors and the GIN index at once."""
    with (using or connection).cursor() as cursor:
        # Deferred foreign-key checks of this transaction's writes would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {CONTENT}")


def reclaim(*, using: BaseDatabaseWrapper | None = None) -> None:
    """Nothing to do: ``TRUNCATE`` has given the space back already."""


def prepare(document: SearchText) -> SearchText:
    """As it is: PostgreSQL analyses the text itself (``to_tsvector``)."""
    return document


def write(documents: Sequence[SearchText], *, using: BaseDatabaseWrapper | None = None) -> None:
    """Insert or replace the index entries of these inquiries."""
    with (using or connection).cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {CONTENT} (inquiry_id, title, questions, answers, title_terms, questions_terms, answers_terms, vector)"
            f" VALUES (%s, %s, %s, %s, '', '', '', {_VECTOR})"
            " ON CONFLICT (inquiry_id) DO UPDATE SET title = EXCLUDED.title, questions = EXCLUDED.questions,"
            " answers = EXCLUDED.answers, vector = EXCLUDED.vector",
            [
                (d.inquiry_id, d.title, d.questions, d.answers, d.title, d.questions, d.answers)
                for d in documents
            ],
        )


def delete(inquiry_ids: Sequence[int], *, using: BaseDatabaseWrapper | None = None) -> None:
    if inquiry_ids:
        with (using or connection).cursor() as cursor:
            cursor.execute(f"DELETE FROM {CONTENT} WHERE inquiry_id = ANY(%s)", [list(inquiry_ids)])


# --- queries -------------------------------------------------------------------------


def _word(word: str) -> str:
    return "(" + " | ".join(text.spellings(word)) + ")"


def _term(term: Term) -> str:
    return "(" + " <-> ".join(_word(word) for word in term.words) + ")"


def _any(terms: Iterable[Term]) -> str:
    return "(" + " | ".join(_term(term) for term in terms) + ")"


def tsquery(parsed: ParsedQuery) -> str:
    """The to_tsquery text of a query that has at least one group."""
    parts = [_any(group) for group in parsed.groups]
    parts += [f"!{_term(term)}" for term in parsed.excluded]
    return " & ".join(parts)


def _query(raw: str) -> SearchQuery:
    return SearchQuery(raw, search_type="raw", config=CONFIG)


def search(parsed: ParsedQuery, queryset: QuerySet) -> QuerySet:
    query = _query(tsquery(parsed))
    return queryset.filter(search_document__vector=query).annotate(
        search_rank=SearchRank(F("search_document__vector"), query)
    )


def exclude_any(terms: Sequence[Term], queryset: QuerySet) -> QuerySet:
    from inquiries.search.models import SearchDocument

    matches = SearchDocument.objects.filter(vector=_query(_any(terms))).values("inquiry_id")
    return queryset.exclude(pk__in=matches)


def highlights(parsed: ParsedQuery, inquiry_ids: Sequence[int], start: str, stop: str) -> dict[int, tuple[str, str, str]]:
    """(title, questions excerpt, answers excerpt) with marks, for each of the given inquiries."""
    from inquiries.search.models import SearchDocument

    query = _query(_any(parsed.positive_terms))
    marks = {"config": CONFIG, "start_sel": start, "stop_sel": stop}
    excerpt = {**marks, "max_words": HEADLINE_WORDS, "min_words": HEADLINE_WORDS // 2, "max_fragments": 2, "fragment_delimiter": " … "}
    rows = (
        SearchDocument.objects.filter(pk__in=inquiry_ids)
        .annotate(
            title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
            questions_marked=SearchHeadline("questions", query, **excerpt),
            answers_marked=SearchHeadline("answers", query, **excerpt),
        )
        .values_list("pk", "title_marked", "questions_marked", "answers_marked")
    )
    return {pk: (title or "", questions or "", answers or "") for pk, title, questions, answers in rows}
