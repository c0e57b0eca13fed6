"""The excerpts ``snippets.Chooser`` picks against tantivy's own ``SnippetGenerator``, text by text:
used by tests/test_snippets.py and bench/snippet_check.py (a whole corpus)."""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any, Sequence

import tantivy

from inquiries.search import engine_search
from inquiries.search.query import parse_query

FIELDS = (("title", engine_search.TITLE_CHARS), ("questions", engine_search.EXCERPT_CHARS), ("answers", engine_search.EXCERPT_CHARS))


@dataclass
class Comparison:
    """Texts compared, of them with marks, texts the chooser left to tantivy, and every
    difference as (query, field, the text's start, ours, tantivy's)."""

    compared: int = 0
    marked: int = 0
    handed: int = 0
    differences: list[tuple[str, str, str, Any, Any]] = dataclass_field(default_factory=list)


def compare(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query_text: str, documents: Sequence[tantivy.Document],
    comparison: Comparison, *, page: int | None = None, singly: int = 0,
) -> None:
    """Adds to ``comparison`` the excerpts of ``documents`` for ``query_text`` in each field,
    chosen in pages of ``page`` texts as the search page does (all at once without it). The
    first ``singly`` texts of each field are chosen one at a time too: a difference from the
    page's choice counts as a difference."""
    parsed = parse_query(query_text)
    query = engine_search.positive_query(schema, parsed)
    if query is None:
        return
    terms = engine_search.snippet_terms(parsed)
    for field, chars in FIELDS:
        ours = engine_search._Excerpts(searcher, schema, query, field, chars, terms)
        theirs = tantivy.SnippetGenerator.create(searcher, query, schema, field)
        theirs.set_max_num_chars(chars)
        texts = [document.get_first(field) or "" for document in documents]
        size = page or max(1, len(texts))
        for start in range(0, len(texts), size):
            chosen = ours.chooser.best_of(texts[start : start + size])
            if start == 0:
                for full, together in zip(texts[:singly], chosen):
                    if ours.chooser.best(full) != together:
                        comparison.differences.append((query_text, field, full[:80], together, "alone: different"))
            for document, full, fragment in zip(documents[start : start + size], texts[start : start + size], chosen):
                if fragment is None:
                    comparison.handed += 1
                    continue
                reference = engine_search._tantivy_fragment(theirs, document, full)
                comparison.compared += 1
                comparison.marked += bool(reference.highlighted)
                if (fragment.highlighted or reference.highlighted) and fragment != reference:
                    comparison.differences.append((query_text, field, full[:80], fragment, reference))
