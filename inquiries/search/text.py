"""How German text becomes search terms; shared by both backends and the query parser.

Words are runs of letters and digits (Unicode categories L and N), exactly the
tokens of SQLite's ``unicode61 categories 'L* N*'`` tokenizer, so that the
SQLite index can hold one analysed term per word of the original text and its
``snippet()`` marks the right words. Analysis is German Snowball stemming
(``snowballstemmer``), which also folds umlauts and ß ("Württemberg",
"Wuerttemberg" and "Wurttemberg" all become ``wurttemberg``; "Straße" and
"Strasse" become ``strass``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import snowballstemmer

WORD = re.compile(r"[^\W_]+")
# Control and format characters (NUL, bidi marks, lone surrogates …) never belong in
# indexed text or queries; the highlighter also uses two of them as its markers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")

_STEMMER = snowballstemmer.stemmer("german")


def clean(text: str) -> str:
    """Text as stored for searching: NFC, without control characters."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))


def words(text: str) -> list[str]:
    """The words of ``text`` in order (the same split as the SQLite tokenizer)."""
    return WORD.findall(text)


@functools.lru_cache(maxsize=200_000)
def term(word: str) -> str:
    """The search term of one word: compatibility-normalised, lower case, stemmed.

    Always exactly one non-empty run of letters/digits, so the SQLite index gets
    one term per word of the original text.
    """
    normalised = "".join(WORD.findall(unicodedata.normalize("NFKC", word).lower())) or word.lower()
    return _STEMMER.stemWord(normalised) or normalised


def terms(text: str) -> str:
    """The analysed form of ``text``: one term per word, separated by whitespace.

    Whitespace never occurs inside a word, so the text is split there first (in C)
    and each whitespace-separated chunk, punctuation and all, is analysed once and
    cached: a bulk import spends most of its indexing time here otherwise.
    """
    return " ".join(map(_chunk_terms, text.split()))


@functools.lru_cache(maxsize=500_000)
def _chunk_terms(chunk: str) -> str:
    return " ".join(map(term, WORD.findall(chunk)))


def _load_stopwords() -> frozenset[str]:
    path = Path(__file__).with_name("german_stopwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


STOPWORDS = _load_stopwords()

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# "ue" after q is no umlaut (Quelle, Bequemlichkeit), as in Snowball's German stemmer.
_CONTRACTIONS = ((re.compile("ae"), "ä"), (re.compile("oe"), "ö"), (re.compile("(?<!q)ue"), "ü"))


def spellings(word: str) -> list[str]:
    """The ways a German word may be printed: as typed, with umlauts spelled out
    ("württemberg" → "wuerttemberg") and with spelled-out umlauts contracted
    ("wuerttemberg" → "württemberg"); lower case, without duplicates.

    PostgreSQL's ``german`` stemmer folds ä/ö/ü and ß but not "ue"; a query
    asks for all spellings so that both printings are found.
    """
    lower = word.lower()
    contracted = lower
    for digraph, umlaut in _CONTRACTIONS:
        contracted = digraph.sub(umlaut, contracted)
    return list(dict.fromkeys([lower, lower.translate(_UMLAUTS), contracted]))


def is_stopword(word: str) -> bool:
    return any(spelling in STOPWORDS for spelling in spellings(word))
