"""The search box's syntax, parsed once for both backends.

Web-search style, like PostgreSQL's ``websearch_to_tsquery``: words are all
required, ``"a phrase"`` in quotes, ``-word`` or ``-"a phrase"`` excludes, ``OR``
between two terms allows either. Words joined by punctuation ("Baden-Württemberg",
"17/6206") form a phrase. Anything else (unbalanced quotes, stray operators,
control characters, SQL) is read as words or dropped: parsing never fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from inquiries.search import text

# Bounds that keep a pasted essay from becoming a huge database query.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 24
MAX_PHRASE_WORDS = 12
MAX_WORD_CHARS = 60

_CHUNK = re.compile(r'(?P<neg>-*)"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')
_OR = {"or", "|"}


@dataclass(frozen=True)
class Term:
    """One word or a phrase (several words in this order)."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]


@dataclass(frozen=True)
class ParsedQuery:
    """All ``groups`` must match (each group: any of its terms); no ``excluded`` term may."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.excluded

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    def __str__(self) -> str:
        parts = [" OR ".join(str(term) for term in group) for group in self.groups]
        parts += [f"-{term}" for term in self.excluded]
        return " ".join(parts)


def _term(raw: str) -> Term | None:
    words = [word[:MAX_WORD_CHARS] for word in text.words(raw)][:MAX_PHRASE_WORDS]
    if not words or all(text.is_stopword(word) for word in words):
        # Stop words are not indexed by PostgreSQL's german configuration; dropping
        # them here keeps both backends alike.
        return None
    return Term(tuple(words))


def parse_query(raw: object) -> ParsedQuery:
    """Parse what a user typed into the search box. Never raises."""
    source = text.clean(str(raw) if raw is not None else "")[:MAX_QUERY_CHARS]
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for match in _CHUNK.finditer(source):
        if match.group("word") is not None:
            chunk = match.group("word")
            if chunk.lower() in _OR:
                join_next = bool(groups)
                continue
            negated = chunk.startswith("-")
            term = _term(chunk.lstrip("-"))
        else:
            negated = bool(match.group("neg"))
            term = _term(match.group("phrase"))
        if term is None:
            continue
        if negated:
            if term not in excluded:
                excluded.append(term)
        elif join_next and groups:
            if term not in groups[-1]:
                groups[-1].append(term)
        elif [term] not in groups:
            groups.append([term])
        join_next = False
        if len(groups) + len(excluded) >= MAX_TERMS:
            break
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))
