"""SQLite backend: an FTS5 table over ``SearchDocument``, ranked with ``bm25()``.

FTS5 has no German stemmer, so the terms are analysed in Python
(``text.terms``): the FTS table indexes one analysed term per word of the
original text, while its external content — the original text — is what
``snippet()`` and ``highlight()`` read. Because both have the same words in the
same order, the marks land on the original words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from inquiries.search import text
from inquiries.search.documents import SearchText
from inquiries.search.query import ParsedQuery, Term

TABLE = "inquiries_search_fts"
CONTENT = "inquiries_searchdocument"
# Column weights for bm25(): a word in the title counts most, then questions, then answers.
WEIGHTS = (10.0, 4.0, 1.0)
SNIPPET_TOKENS = 24

_INSTALL = [
    # categories 'L* N*': the same words as text.WORD; the tokenizer's own folding
    # (case, diacritics) applies to stored terms and queries alike.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        title, questions, answers,
        content='{CONTENT}', content_rowid='inquiry_id',
        tokenize="unicode61 categories 'L* N*'"
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON {CONTENT} BEGIN
        INSERT INTO {TABLE}(rowid, title, questions, answers)
        VALUES (new.inquiry_id, new.title_terms, new.questions_terms, new.answers_terms);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON {CONTENT} BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, title, questions, answers)
        VALUES ('delete', old.inquiry_id, old.title_terms, old.questions_terms, old.answers_terms);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE ON {CONTENT} BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, title, questions, answers)
        VALUES ('delete', old.inquiry_id, old.title_terms, old.questions_terms, old.answers_terms);
        INSERT INTO {TABLE}(rowid, title, questions, answers)
        VALUES (new.inquiry_id, new.title_terms, new.questions_terms, new.answers_terms);
    END""",
]

_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


# FTS5 merges its index segments as it grows; merging when eight (not four) segments of a
# size have piled up saves about a sixth of the indexing time of a bulk import, while a
# query reads at most twice as many segments.
_CONFIGURE = [f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('automerge', 8)"]


def install(schema_editor) -> None:
    for statement in _INSTALL:
        schema_editor.execute(statement)
    configure(schema_editor)


def configure(schema_editor) -> None:
    """Settings of the FTS5 table (kept in the database)."""
    for statement in _CONFIGURE:
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    for statement in _UNINSTALL:
        schema_editor.execute(statement)


class _Executor:
    """What ``install``/``uninstall`` need of a schema editor, on a plain cursor."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor

    def execute(self, statement: str) -> None:
        self.cursor.execute(statement)


def clear(*, using: BaseDatabaseWrapper | None = None) -> None:
    """Empty the index (documents and FTS5 table) in one go: the FTS5 table and its triggers
    are dropped, the documents deleted without a trigger per row, and both made anew."""
    with (using or connection).cursor() as cursor:
        executor = _Executor(cursor)
        uninstall(executor)
        cursor.execute(f"DELETE FROM {CONTENT}")
        install(executor)


def reclaim(*, using: BaseDatabaseWrapper | None = None) -> None:
    """Give the pages freed by ``clear`` back to the file system (SQLite keeps them otherwise)."""
    with (using or connection).cursor() as cursor:
        cursor.execute("VACUUM")


def prepare(document: SearchText) -> SearchText:
    """The document with its terms analysed (the Python half of indexing; needs no database)."""
    if document.analysed is not None:
        return document
    return replace(document, analysed=(text.terms(document.title), text.terms(document.questions), text.terms(document.answers)))


def write(documents: Sequence[SearchText], *, using: BaseDatabaseWrapper | None = None) -> None:
    """Replace the index entries of these inquiries (the triggers update FTS5)."""
    with (using or connection).cursor() as cursor:
        _delete(cursor, [document.inquiry_id for document in documents])
        cursor.executemany(
            f"INSERT INTO {CONTENT} (inquiry_id, title, questions, answers, title_terms, questions_terms, answers_terms)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                (document.inquiry_id, document.title, document.questions, document.answers, *prepare(document).analysed)
                for document in documents
            ],
        )


def delete(inquiry_ids: Sequence[int], *, using: BaseDatabaseWrapper | None = None) -> None:
    with (using or connection).cursor() as cursor:
        _delete(cursor, inquiry_ids)


def _delete(cursor, inquiry_ids: Sequence[int]) -> None:
    if inquiry_ids:
        placeholders = ", ".join(["%s"] * len(inquiry_ids))
        cursor.execute(f"DELETE FROM {CONTENT} WHERE inquiry_id IN ({placeholders})", list(inquiry_ids))


# --- queries -------------------------------------------------------------------------


def _fts_term(term: Term) -> str:
    # Each term is letters/digits only, so quoting it as an FTS5 string is safe.
    return '"' + " ".join(text.term(word) for word in term.words) + '"'


def _fts_any(terms: Iterable[Term]) -> str:
    return "(" + " OR ".join(_fts_term(term) for term in terms) + ")"


def match_expression(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH expression of a query that has at least one group."""
    expression = " AND ".join(_fts_any(group) for group in parsed.groups)
    for term in parsed.excluded:
        expression = f"({expression}) NOT {_fts_term(term)}"
    return expression


def any_expression(terms: Sequence[Term]) -> str:
    return _fts_any(terms)


def matching_ids(expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression])


class _Fts(Expression):
    """SQL on the FTS5 table joined through ``Inquiry.search_hit``, under its alias.

    The alias is read off the compiled column reference, so the expression stays
    right when Django relabels the query as a subquery.
    """

    def __init__(self, template: str, params: Sequence = (), output_field=None) -> None:
        super().__init__(output_field=output_field)
        self.template, self.params, self.column = template, tuple(params), F("search_hit__title")

    def get_source_expressions(self) -> list:
        return [self.column]

    def set_source_expressions(self, expressions: list) -> None:
        (self.column,) = expressions

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, _ = compiler.compile(self.column)
        # FTS5's hidden column, named after the table, under the join's alias.
        hidden = f"{column_sql.rsplit('.', 1)[0]}.{connection.ops.quote_name(TABLE)}"
        return self.template.format(table=hidden), self.params


class Match(_Fts):
    """``<fts> MATCH expression``: the inquiry's index entry matches."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, expression: str) -> None:
        super().__init__("{table} MATCH %s", [expression], output_field=BooleanField())


class Bm25Rank(_Fts):
    """``-bm25()`` of the matching entry (higher is better); only valid beside ``Match``."""

    def __init__(self) -> None:
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        super().__init__(f"-bm25({{table}}, {weights})", output_field=FloatField())


def search(parsed: ParsedQuery, queryset: QuerySet) -> QuerySet:
    # One FTS5 pass finds and ranks the hits: the index drives the join to the inquiries.
    # (``search_hit__isnull=False`` makes the join an inner one, which MATCH needs.)
    return queryset.filter(Match(match_expression(parsed)), search_hit__isnull=False).annotate(search_rank=Bm25Rank())


def exclude_any(terms: Sequence[Term], queryset: QuerySet) -> QuerySet:
    return queryset.exclude(pk__in=matching_ids(any_expression(terms)))


def highlights(parsed: ParsedQuery, inquiry_ids: Sequence[int], start: str, stop: str) -> dict[int, tuple[str, str, str]]:
    """(title, questions excerpt, answers excerpt) with marks, for each of the given inquiries."""
    expression = any_expression(parsed.positive_terms)
    placeholders = ", ".join(["%s"] * len(inquiry_ids))
    sql = (
        f"SELECT rowid, highlight({TABLE}, 0, %s, %s),"
        f" snippet({TABLE}, 1, %s, %s, '…', {SNIPPET_TOKENS}),"
        f" snippet({TABLE}, 2, %s, %s, '…', {SNIPPET_TOKENS})"
        f" FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, stop, start, stop, start, stop, expression, *inquiry_ids])
        return {row[0]: (row[1] or "", row[2] or "", row[3] or "") for row in cursor.fetchall()}
