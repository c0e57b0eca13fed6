"""“Meinten Sie …?”: a spelling correction drawn from the search index's own vocabulary.

``suggest(query)`` returns the query with each rare or unknown word replaced by a word
that is in the index and one edit away (a letter left out, added, changed, or two letters
swapped; two for words of eight letters or more), or None. Each database backend fills in a ``Backend`` (below): how a word becomes an index term,
how many inquiries hold given terms, which terms lie near a term, and how a term is
printed in a *published* inquiry. SQLite looks the few hundred strings one edit away up
in the FTS5 term dictionary (an fts5vocab table), and reads a range of it for two edits;
PostgreSQL runs ts_stat over at most 2,000 documents its GIN index finds by the word's
first two letters. Nothing reads the whole vocabulary per request. A search engine
backend adds its own ``Backend``: the embedded engine (``SEARCH_ENGINE=tantivy``) reads
its term dictionaries, looking the strings one edit away up and a prefix range for two.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from django.db import connection

from inquiries.search import text
from inquiries.search.query import parse_query

# Words shorter than this are not corrected (too many neighbours, too little to go on).
MIN_LENGTH = 4
# A word is taken for misspelt when fewer inquiries hold it than this …
RARE = 3
# … and a neighbour is only suggested when this many times as many hold it.
MORE_COMMON = 5
_ALPHABET = "abcdefghijklmnopqrstuvwxyzäöüß"


def edits(term: str) -> set[str]:
    """Every string one edit away: deletion, adjacent transposition, substitution, insertion."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + letter + right[1:] for left, right in splits if right for letter in _ALPHABET}
    inserts = {left + letter + right for left, right in splits for letter in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {term}


def _candidates(term: str) -> set[str]:
    return {candidate for candidate in edits(term) if len(candidate) >= MIN_LENGTH - 1}


def distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b`` (optimal string alignment: adjacent swaps count once)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, right in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            if i > 1 and j > 1 and left == b[j - 2] and a[i - 2] == right:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# Long words may be two edits off; those are found among the terms that share their
# first letters (a range of the term dictionary) instead of by generating every string.
TWO_EDITS_FROM = 8
_SHARED_PREFIX = 3
# --- SQLite: an fts5vocab table over the FTS5 index ----------------------------------------


def _sqlite_frequencies(terms: Sequence[str]) -> dict[str, int]:
    from inquiries.search.sqlite import TABLE

    vocab = f"{TABLE}_vocab"
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        # A per-connection table: fts5vocab reads the FTS5 index's term dictionary itself.
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} USING fts5vocab(main, {TABLE}, 'row')")
        terms = list(terms)
        for start in range(0, len(terms), 500):
            chunk = terms[start : start + 500]
            cursor.execute(f"SELECT term, doc FROM temp.{vocab} WHERE term IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.update(cursor.fetchall())
    return found


def _sqlite_neighbours(term: str) -> dict[str, int]:
    """Terms two edits from ``term`` that share its first letters, with their counts."""
    from inquiries.search.sqlite import TABLE

    prefix = term[:_SHARED_PREFIX]
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{TABLE}_vocab USING fts5vocab(main, {TABLE}, 'row')")
        cursor.execute(
            f"SELECT term, doc FROM temp.{TABLE}_vocab WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s",
            [prefix, upper, len(term) - 2, len(term) + 2],
        )
        return {found: count for found, count in cursor.fetchall() if distance(term, found) <= 2}


def _sqlite_analyse(word: str) -> str:
    return text.term(word)


def _sqlite_surface_word(term: str) -> str | None:
    from inquiries.search.sqlite import CONTENT, TABLE

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.title, d.questions, d.answers FROM {TABLE} f"
            f" JOIN {CONTENT} d ON d.inquiry_id = f.rowid"
            " JOIN inquiries_inquiry i ON i.id = d.inquiry_id AND i.state = 'published'"
            f" WHERE {TABLE} MATCH %s LIMIT 1",
            ['"' + term + '"'],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return next((word for field in row for word in text.words(field or "") if text.term(word) == term), None)


# --- PostgreSQL: the stored tsvectors and their GIN index ----------------------------------


def _postgres_frequencies(terms: Sequence[str]) -> dict[str, int]:
    from inquiries.search.postgres import CONTENT

    terms = [term for term in terms if text.WORD.fullmatch(term)]
    if not terms:
        return {}
    query = " | ".join(terms)
    # ts_stat over the documents holding any candidate (the GIN index finds them), at most
    # SAMPLE of them: enough to tell a common word from a rare one.
    inner = f"SELECT vector FROM {CONTENT} WHERE vector @@ to_tsquery('simple', '{query}') LIMIT {_POSTGRES_SAMPLE}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, ndoc FROM ts_stat(%s) WHERE word = ANY(%s)", [inner, terms])
        return dict(cursor.fetchall())


_POSTGRES_SAMPLE = 2000


def _postgres_neighbours(term: str) -> dict[str, int]:
    """Lexemes near ``term`` that share its first two letters, with their (sampled) counts:
    ts_stat over at most SAMPLE documents that the GIN index finds by prefix."""
    from inquiries.search.postgres import CONTENT

    prefix = term[:2]
    if not text.WORD.fullmatch(prefix):
        return {}
    inner = f"SELECT vector FROM {CONTENT} WHERE vector @@ to_tsquery('simple', '{prefix}:*') LIMIT {_POSTGRES_SAMPLE}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat(%s) WHERE word LIKE %s AND length(word) BETWEEN %s AND %s",
            [inner, prefix.replace("%", "") + "%", len(term) - 2, len(term) + 2],
        )
        rows = cursor.fetchall()
    allowed = 2 if len(term) >= TWO_EDITS_FROM else 1
    return {word: count for word, count in rows if word != term and distance(term, word) <= allowed}


def _postgres_analyse(word: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM unnest(to_tsvector('german', %s)) LIMIT 1", [word])
        row = cursor.fetchone()
    return row[0] if row else ""


def _postgres_surface_word(term: str) -> str | None:
    from inquiries.search.postgres import CONTENT

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.title, d.questions, d.answers FROM {CONTENT} d"
            " JOIN inquiries_inquiry i ON i.id = d.inquiry_id AND i.state = 'published'"
            " WHERE d.vector @@ to_tsquery('simple', %s) LIMIT 1",
            [term],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        words = list(dict.fromkeys(word for field in row for word in text.words(field or "")))
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n)"
            " WHERE to_tsvector('german', w) @@ to_tsquery('simple', %s) ORDER BY n LIMIT 1",
            [words, term],
        )
        found = cursor.fetchone()
    return found[0] if found else None


# --- the search engine: its term dictionaries (title, questions, answers) -----------------

_ENGINE_FIELDS = ("title", "questions", "answers")


@functools.lru_cache(maxsize=1)
def _engine_analyzer():
    from inquiries.search import engine

    return engine.analyzer()


def _engine_analyse(word: str) -> str:
    terms = _engine_analyzer().analyze(word)
    return terms[0] if len(terms) == 1 else ""


def _engine_frequencies(terms: Sequence[str]) -> dict[str, int]:
    from inquiries.search import engine

    searcher, _schema, _index = engine.searcher()
    found: dict[str, int] = {}
    for term in terms:
        # Inquiries holding the term in any field: at least its most frequent field's count.
        count = max(searcher.doc_freq(field, term) for field in _ENGINE_FIELDS)
        if count:
            found[term] = count
    return found


def _engine_neighbours(term: str) -> dict[str, int]:
    """Terms near ``term`` among those that share its first letters (a range of the term dictionary)."""
    from inquiries.search import engine

    searcher, _schema, _index = engine.searcher()
    allowed = 2 if len(term) >= TWO_EDITS_FROM else 1
    found: dict[str, int] = {}
    for field in _ENGINE_FIELDS:
        for candidate, count in searcher.terms_with_prefix(field, term[:_SHARED_PREFIX]):
            if abs(len(candidate) - len(term)) <= allowed and candidate != term and distance(term, candidate) <= allowed:
                found[candidate] = max(found.get(candidate, 0), count)
    return found


def _engine_surface_word(term: str) -> str | None:
    import tantivy

    from inquiries.search import engine

    searcher, schema, _index = engine.searcher()
    query = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, term)) for field in _ENGINE_FIELDS])
    hits = searcher.search(query, 1).hits
    if not hits:
        return None
    stored = searcher.doc(hits[0][1])
    analyse = _engine_analyzer().analyze
    for field in _ENGINE_FIELDS:
        for value in stored.get_all(field):
            for word in text.words(value or ""):
                if analyse(word) == [term]:
                    return word
    return None


# --- the interface -------------------------------------------------------------------------

@dataclass(frozen=True)
class Backend:
    """What a search backend tells the suggestions."""

    # A word → its index term.
    analyse: Callable[[str], str]
    # Index terms → how many inquiries hold each (terms not in the index are left out).
    frequencies: Callable[[Sequence[str]], dict[str, int]]
    # Index term → the word as printed in a published inquiry, or None.
    surface_word: Callable[[str], str | None]
    # Index term → terms near it with their counts (from the term dictionary or a sample).
    neighbours: Callable[[str], dict[str, int]]
    # Whether single edits are found by looking every generated string up (cheap point
    # lookups in SQLite's term dictionary) before ``neighbours`` is asked.
    lookup_edits: bool


_BACKENDS: dict[str, Backend] = {
    "sqlite": Backend(_sqlite_analyse, _sqlite_frequencies, _sqlite_surface_word, _sqlite_neighbours, lookup_edits=True),
    "postgresql": Backend(_postgres_analyse, _postgres_frequencies, _postgres_surface_word, _postgres_neighbours, lookup_edits=False),
}
_ENGINE = Backend(_engine_analyse, _engine_frequencies, _engine_surface_word, _engine_neighbours, lookup_edits=True)


def _backend() -> Backend:
    from inquiries import search

    return _ENGINE if search.uses_engine() else _BACKENDS[connection.vendor]


def correct_word(word: str) -> str | None:
    """A better-known word of the index for ``word``, as printed; None if it is fine or unknown."""
    if len(word) < MIN_LENGTH or not word.isalpha() or text.is_stopword(word):
        return None
    backend = _backend()
    term = backend.analyse(word)
    if not term:
        return None
    counts = backend.frequencies([term, *sorted(_candidates(term))] if backend.lookup_edits else [term])
    own = counts.pop(term, 0)
    if own >= RARE:
        return None
    if not counts and (len(term) >= TWO_EDITS_FROM or not backend.lookup_edits):
        counts = {found: count for found, count in backend.neighbours(term).items() if found != term}
    ranked = sorted(((count, candidate) for candidate, count in counts.items() if count >= max(1, own) * MORE_COMMON), reverse=True)
    for _count, candidate in ranked[:3]:
        printed = backend.surface_word(candidate)
        if printed:
            return printed.lower() if word.islower() else printed
    return None


def suggest(query: str) -> str | None:
    """The query with its misspelt words corrected, or None when there is nothing to correct."""
    parsed = parse_query(query)
    replacements: dict[str, str] = {}
    for term in parsed.positive_terms:
        if term.is_phrase:
            continue
        for word in term.words:
            better = correct_word(word)
            if better and better.lower() != word.lower():
                replacements[word] = better
    if not replacements:
        return None
    corrected = query
    for word, better in replacements.items():
        corrected = re.sub(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", better, corrected)
    return " ".join(corrected.split())
