"""The search page's excerpts: the fragment tantivy's ``SnippetGenerator`` chooses, found without
analysing the whole text.

tantivy 0.27 (``snippet/mod.rs``: ``search_fragments``, ``select_best_fragment_combination``) runs
the field's analyser over the whole text to choose an excerpt: the tokens (runs of Unicode
alphanumerics, offsets in UTF-8 bytes) are cut greedily from the start into fragments of at most
``max_num_chars`` bytes (a fragment starts at a token and takes every next token that ends within
the limit; one token longer than that is a fragment of its own); each token whose analysed,
lower-cased form is one of the query's terms adds that term's weight, 1 / (1 + its document
frequency) in f32, to its fragment; the fragment of the highest sum wins, the earliest on ties.
The analyser (stemmer, folding) is 3–4 ms of CPU for the 25 questions texts of a search page,
nearly all of the snippets' cost, because every token is stemmed to find the few that match.

This module makes the same choice from a few passes of C over the text's UTF-8 bytes:

* Candidates: a token can only be analysed into a term that begins with its own first letter,
  lower-cased, when that letter is ASCII (the German stemmer only cuts endings, contracts "ae",
  "oe", "ue" and folds umlauts and ß, none of which touches an ASCII first letter; ASCII folding
  leaves ASCII as it is). So only tokens that start with a term's first letter, or with a
  non-ASCII character, are analysed, one word at a time and cached per process; the rest
  cannot match.
* Fragments: the greedy cut needs nothing but token bounds: one regular expression over a map
  of word and non-word bytes (``bytes.translate``) cuts the text as ``search_fragments`` does.
  The fragments' sums are compared in double precision; sums closer than ``_CLOSE`` are added
  again in f32, token by token, as tantivy adds them.

Whatever differs from that reading is left to tantivy itself (``Chooser.best`` answers
``None``): a text with whitespace at either end (``snippet_from_doc`` trims it, shifting every
offset). Words are tokenised exactly as tantivy's simple tokenizer does (``is_word_char``:
Rust's ``char::is_alphanumeric``, which holds for more characters than Python's ``isalnum``);
tests compare the results with tantivy's own.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import struct
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

# Characters Rust's ``char::is_alphanumeric`` (tantivy's simple tokenizer) counts as word
# characters and Python's ``str.isalnum`` does not (combining vowel signs of Indic, Arabic and
# Hebrew script, letters of newer Unicode versions …): code points and ranges, hexadecimal.
# ``tests/test_snippets.py`` derives the set from tantivy's tokenizer and compares.
_RUST_ONLY = """
0345 0363-036f 05b0-05bd 05bf 05c1-05c2 05c4-05c5 05c7 0610-061a 064b-0657 0659-065f 0670 06d6-06dc 06e1-06e4
06e7-06e8 06ed 0711 0730-073f 07a6-07b0 0816-0817 081b-0823 0825-0827 0829-082c 088f 0897 08d4-08df 08e3-08e9
08f0-0903 093a-093b 093e-094c 094e-094f 0955-0957 0962-0963 0981-0983 09be-09c4 09c7-09c8 09cb-09cc 09d7
09e2-09e3 0a01-0a03 0a3e-0a42 0a47-0a48 0a4b-0a4c 0a51 0a70-0a71 0a75 0a81-0a83 0abe-0ac5 0ac7-0ac9 0acb-0acc
0ae2-0ae3 0afa-0afc 0b01-0b03 0b3e-0b44 0b47-0b48 0b4b-0b4c 0b56-0b57 0b62-0b63 0b82 0bbe-0bc2 0bc6-0bc8
0bca-0bcc 0bd7 0c00-0c04 0c3e-0c44 0c46-0c48 0c4a-0c4c 0c55-0c56 0c5c 0c62-0c63 0c81-0c83 0cbe-0cc4 0cc6-0cc8
0cca-0ccc 0cd5-0cd6 0cdc 0ce2-0ce3 0cf3 0d00-0d03 0d3e-0d44 0d46-0d48 0d4a-0d4c 0d57 0d62-0d63 0d81-0d83
0dcf-0dd4 0dd6 0dd8-0ddf 0df2-0df3 0e31 0e34-0e3a 0e4d 0eb1 0eb4-0eb9 0ebb-0ebc 0ecd 0f71-0f83 0f8d-0f97
0f99-0fbc 102b-1036 1038 103b-103e 1056-1059 105e-1060 1062-1064 1067-106d 1071-1074 1082-108d 108f 109a-109d
1712-1713 1732-1733 1752-1753 1772-1773 17b6-17c8 1885-1886 18a9 1920-192b 1930-1938 1a17-1a1b 1a55-1a5e
1a61-1a74 1abf-1ac0 1acc-1ace 1b00-1b04 1b35-1b43 1b80-1b82 1ba1-1ba9 1bac-1bad 1be7-1bf1 1c24-1c36 1c89-1c8a
1dd3-1df4 24b6-24e9 2de0-2dff a674-a67b a69e-a69f a7cb-a7cf a7d2 a7d4 a7da-a7dc a7f1 a802 a80b a823-a827
a880-a881 a8b4-a8c3 a8c5 a8ff a926-a92a a947-a952 a980-a983 a9b4-a9bf a9e5 aa29-aa36 aa43 aa4c-aa4d aa7b-aa7d
aab0 aab2-aab4 aab7-aab8 aabe aaeb-aaef aaf5 abe3-abea fb1e 10376-1037a 105c0-105f3 10940-10959 10a01-10a03
10a05-10a06 10a0c-10a0f 10d24-10d27 10d40-10d65 10d69 10d6f-10d85 10eab-10eac 10ec2-10ec7 10efa-10efc
11000-11002 11038-11045 11073-11074 11080-11082 110b0-110b8 110c2 11100-11102 11127-11132 11145-11146
11180-11182 111b3-111bf 111ce-111cf 1122c-11234 11237 1123e-11241 112df-112e8 11300-11303 1133e-11344
11347-11348 1134b-1134c 11357 11362-11363 11380-11389 1138b 1138e 11390-113b5 113b7-113c0 113c2 113c5
113c7-113ca 113cc-113cd 113d1 113d3 11435-11441 11443-11445 114b0-114c1 115af-115b5 115b8-115be 115dc-115dd
11630-1163e 11640 116ab-116b5 116d0-116e3 1171d-1172a 1182c-11838 11930-11935 11937-11938 1193b-1193c 11940
11942 119d1-119d7 119da-119df 119e4 11a01-11a0a 11a35-11a39 11a3b-11a3e 11a51-11a5b 11a8a-11a97 11b60-11b67
11bc0-11be0 11bf0-11bf9 11c2f-11c36 11c38-11c3e 11c92-11ca7 11ca9-11cb6 11d31-11d36 11d3a 11d3c-11d3d
11d3f-11d41 11d43 11d47 11d8a-11d8e 11d90-11d91 11d93-11d96 11db0-11ddb 11de0-11de9 11ef3-11ef6 11f00-11f10
11f12-11f3a 11f3e-11f40 11f50-11f59 1342f 13441-13446 13460-143fa 16100-1612e 16130-16139 16d40-16d6c
16d70-16d79 16ea0-16eb8 16ebb-16ed3 16f4f 16f51-16f87 16f8f-16f92 16ff0-16ff6 187f8-187ff 18cff 18d09-18d1e
18d80-18df2 1b132 1b155 1bc9e 1ccf0-1ccf9 1d2c0-1d2d3 1df25-1df2a 1e000-1e006 1e008-1e018 1e01b-1e021
1e023-1e024 1e026-1e02a 1e030-1e06d 1e08f 1e4d0-1e4eb 1e4f0-1e4f9 1e5d0-1e5ed 1e5f0-1e5fa 1e6c0-1e6de
1e6e0-1e6f5 1e6fe-1e6ff 1e947 1f130-1f149 1f150-1f169 1f170-1f189 2b739-2b73f 2cea2-2cead 2ebf0-2ee5d
31350-33479
"""


def _ranges(spec: str) -> tuple[list[int], list[int]]:
    lows, highs = [], []
    for item in spec.split():
        low, _, high = item.partition("-")
        lows.append(int(low, 16))
        highs.append(int(high or low, 16))
    return lows, highs


_LOWS, _HIGHS = _ranges(_RUST_ONLY)


@functools.lru_cache(maxsize=4096)
def is_word_char(char: str) -> bool:
    """Whether tantivy's simple tokenizer counts ``char`` as part of a word."""
    if char.isalnum():
        return True
    code = ord(char)
    at = bisect.bisect_right(_LOWS, code) - 1
    return at >= 0 and code <= _HIGHS[at]


# Bytes to a map of words: ASCII letters and digits and the other bytes of a non-ASCII
# character are b"a", the first byte of a non-ASCII character b"L" (to find the words that start
# with one), anything else b" " (non-ASCII characters that are not word characters are blanked
# out before). ASCII bytes, to drop them and keep a text's non-ASCII characters.
_WORD_MAP = bytes(
    ord("L") if byte >= 0xC0 else ord("a") if byte >= 0x80 or chr(byte).isalnum() else ord("|") if byte == 0 else ord(" ") for byte in range(256)
)
_ASCII = bytes(range(128))
# In the map of words: a token that starts with a non-ASCII character.
_NON_ASCII_FIRST = re.compile(rb"L(?<![aL].)[aL]*")
# Non-ASCII characters that may not be word characters (Python's ``isalnum`` holds for fewer).
_NOT_ALNUM = re.compile(r"[^\w]")
# Between the texts of one ``Chooser.best_of``: no word character, and never in indexed text
# (``text.clean``); a text that holds it is left to tantivy.
_SEPARATOR, _SEPARATOR_BYTE = "\x00", b"\x00"
_f32 = struct.Struct("<f")


def f32(value: float) -> float:
    """``value`` rounded to the nearest f32, as tantivy's ``Score``. (A sum or quotient of two
    f32 values computed in double precision and rounded once is the correctly rounded f32.)"""
    return _f32.unpack(_f32.pack(value))[0]


def term_weight(doc_freq: int) -> float:
    """A term's weight in a fragment, as ``SnippetGenerator::create``: 1 / (1 + doc_freq) in f32."""
    return f32(1.0 / f32(1.0 + f32(float(doc_freq))))


@dataclass(frozen=True)
class Fragment:
    """The chosen fragment, as tantivy's ``Snippet``: its text, the byte ranges of its marked
    words within it, and its byte range in the whole text."""

    text: str
    highlighted: list[tuple[int, int]]
    start: int
    stop: int
    # The whole text's length in bytes.
    size: int


# A byte of a non-ASCII character; word bytes of a lower-cased, blanked text (``Chooser.best``).
_NON_ASCII = rb"[\x80-\xff]"
_WORD_BYTE = rb"[a-z0-9\x80-\xff]"
# How many of a term's first letters a candidate's must spell out.
_PREFIX = 5
# Scores within this share of the best are compared again in f32, exactly as tantivy adds them.
_CLOSE = 1e-4


def _spelled(term: str, at: int) -> bytes:
    """A pattern for the lower-cased bytes that follow a candidate's letters ``term[:at]``: the
    next letters of the term (each a, o, u perhaps followed by an e, which the stemmer contracts
    with it), until a non-ASCII character, which may be folded into anything."""
    if at >= min(len(term), _PREFIX) or not term[at].isascii():
        return b""
    letter = re.escape(term[at]).encode()
    either_e = b"e?" if term[at] in "aou" else b""
    return b"(?:" + _NON_ASCII + b"|" + letter + either_e + _spelled(term, at + 1) + b")"


def candidates_pattern(terms: Iterable[str]) -> re.Pattern[bytes] | None:
    """Tokens of a lower-cased, blanked text (``Chooser.best``) that start with an ASCII letter
    or digit and may be analysed into one of ``terms``: their first letters spell a term's (see
    the module's docstring). A token starts at a byte not preceded by a word byte. One group
    around the whole token, for ``split``; None when no term starts with an ASCII letter."""
    branches: dict[str, set[bytes]] = {}
    for term in terms:
        if term and term[0].isascii() and term == term.lower():
            either_e = b"e?" if term[0] in "aou" else b""
            branches.setdefault(term[0], set()).add(either_e + _spelled(term, 1))
    if not branches:
        return None
    alternatives = [
        re.escape(letter).encode() + b"(?<!" + _WORD_BYTE + b".)(?:" + b"|".join(sorted(rests)) + b")"
        for letter, rests in sorted(branches.items())
    ]
    return re.compile(b"((?:" + b"|".join(alternatives) + b")" + _WORD_BYTE + b"*)", re.DOTALL)


class Chooser:
    """Chooses fragments of at most ``max_bytes`` for ``weights`` (analysed term → weight, the
    terms of the query on one field that occur in the index), as a ``SnippetGenerator``.
    ``analysed``: a lower-cased word (UTF-8) → its analysed form, lower-cased, which it keeps
    in ``known`` (shared by the choosers of a process: most words recur on other pages)."""

    def __init__(self, weights: Mapping[str, float], max_bytes: int, known: Mapping[bytes, str], analysed: Callable[[bytes], str]) -> None:
        self.weights = dict(weights)
        self.max_bytes = max_bytes
        self.known, self.analysed = known, analysed
        self._candidates = candidates_pattern(self.weights)
        # ``search_fragments``'s cut of the map of words (``_WORD_MAP``), one fragment a match:
        # from a token (or the text's start), the most bytes up to the limit that end outside
        # a token (the tokens that end within it), or one token longer than the limit alone;
        # then the blanks up to the next token, where the next fragment starts.
        # The separator between texts (b"|") ends a text's last fragment.
        self._fragments = re.compile(b"(?:[ aL]{1,%d}(?:(?<![aL])|(?![aL]))|[aL]+) *\\|?" % max_bytes)

    def best(self, text: str) -> Fragment | None:
        """The fragment tantivy would choose in ``text``: a ``Fragment`` with no marks when no
        word matches; None when tantivy has to be asked (see the module's docstring)."""
        return self.best_of([text])[0]

    def best_of(self, texts: Sequence[str]) -> list[Fragment | None]:
        """``best`` of each of ``texts``, in a few passes over all of them together (a page's
        texts of one field): each pass is one call into C, whatever the number of texts."""
        chosen: list[Fragment | None] = [EMPTY] * len(texts)
        if not self.weights:
            return chosen
        taken = []
        for at, text in enumerate(texts):
            if text and (text[0].isspace() or text[-1].isspace() or _SEPARATOR in text):
                chosen[at] = None
            elif text:
                taken.append(at)
        if not taken:
            return chosen
        joined = _SEPARATOR.join(texts[at] for at in taken)
        raw = joined.encode("utf-8")
        plain = raw
        ascii_only = joined.isascii()
        if not ascii_only:
            # Non-ASCII characters that are no word characters (quotes, dashes) become blanks,
            # so that every byte of a non-ASCII character left belongs to a word.
            for char in set(_NOT_ALNUM.findall(raw.translate(None, _ASCII).decode("utf-8"))):
                if not is_word_char(char):
                    coded = char.encode("utf-8")
                    plain = plain.replace(coded, b" " * len(coded))
        lowered = plain.lower()
        words = lowered.translate(_WORD_MAP)
        # [text before, candidate, text between, candidate, …, text after]: the candidates'
        # offsets are the running sums of the pieces' lengths (no Python step per word).
        pieces = self._candidates.split(lowered) if self._candidates is not None else [lowered]
        offsets = list(itertools.accumulate(map(len, pieces)))
        starts, stops, weights = self._weighed(pieces[1::2], offsets[0:-1:2], offsets[1::2])
        if not ascii_only:
            others = self._non_ascii_first(words)
            more = self._weighed([lowered[low:high] for low, high in others], [low for low, _high in others], [high for _low, high in others])
            if more[0]:
                merged = sorted([*zip(starts, stops, weights), *zip(*more)])
                starts, stops, weights = [item[0] for item in merged], [item[1] for item in merged], [item[2] for item in merged]
        if not starts:
            return chosen
        self._choose_each(raw, words, starts, stops, weights, taken, chosen)
        return chosen

    def _weighed(self, tokens: list[bytes], starts: list[int], stops: list[int]) -> tuple[list[int], list[int], list[float]]:
        """(starts, stops, weights) of the candidates that match a term."""
        known = self.known
        terms = list(map(known.get, tokens))
        if None in terms:
            for at, token in enumerate(tokens):
                if terms[at] is None:
                    # The analyser lower-cases first: the lower-cased bytes are analysed alike.
                    term = known.get(token)
                    terms[at] = term if term is not None else self.analysed(token)
        weights = list(map(self.weights.get, terms, itertools.repeat(0.0)))
        if all(weights):
            return starts, stops, weights
        return list(itertools.compress(starts, weights)), list(itertools.compress(stops, weights)), [weight for weight in weights if weight]

    @staticmethod
    def _non_ascii_first(words: bytes) -> list[tuple[int, int]]:
        """(start, end) of the tokens that start with a non-ASCII character: any may be analysed
        into any term (folding), so each is a candidate."""
        return [found.span() for found in _NON_ASCII_FIRST.finditer(words)]

    def _choose_each(
        self, raw: bytes, words: bytes, starts: list[int], stops: list[int], weights: list[float], taken: list[int], chosen: list
    ) -> None:
        """The best fragment of ``search_fragments``'s greedy cut (``_fragments``) of each text
        of ``raw`` (the texts ``taken`` of ``chosen``, one after another) that holds a match."""
        # Every fragment of every text: a fragment ends at its text's end, and the separator
        # after it is its last byte, so each text's first fragment starts where the text does.
        bounds = list(itertools.accumulate(map(len, self._fragments.findall(words)), initial=0))
        # Where each text starts (and, one byte before, where the one before it ends).
        firsts = list(itertools.accumulate((len(part) + 1 for part in raw.split(_SEPARATOR_BYTE)), initial=0))
        # Per text, its first fragment; per fragment, the matches before it and their sum.
        text_fragments = list(map(functools.partial(bisect.bisect_left, bounds), firsts))
        before = list(map(functools.partial(bisect.bisect_left, starts), bounds))
        running = [0.0, *itertools.accumulate(weights)]
        sums = list(map(operator.sub, map(running.__getitem__, before[1:]), map(running.__getitem__, before[:-1])))
        for number, at in enumerate(taken):
            first, past_last = text_fragments[number], min(text_fragments[number + 1], len(sums))
            low, high = firsts[number], firsts[number + 1] - 1
            if before[past_last] == before[first]:
                continue  # no match in this text
            top = max(sums[first:past_last])
            close = [each for each in range(first, past_last) if sums[each] >= top * (1 - _CLOSE) and before[each + 1] > before[each]]
            if len(close) > 1:
                leading = weights[before[close[0]] : before[close[0] + 1]]
                if any(weights[before[each] : before[each + 1]] != leading for each in close):
                    # tantivy adds the weights in f32, token by token: sums this close may order otherwise.
                    exact = []
                    for each in close:
                        score = 0.0
                        for weight in weights[before[each] : before[each + 1]]:
                            score = f32(score + weight)
                        exact.append(score)
                    highest = max(exact)
                    close = [each for each, score in zip(close, exact) if score == highest]
            best = close[0]  # the earliest of the best
            start, following, taken_from, taken_to = bounds[best], bounds[best + 1], before[best], before[best + 1]
            stop = words.rfind(b"a", start, following) + 1
            marked = [(begin - start, end - start) for begin, end in zip(starts[taken_from:taken_to], stops[taken_from:taken_to])]
            chosen[at] = Fragment(raw[start:stop].decode("utf-8"), marked, start - low, stop - low, high - low)


EMPTY = Fragment("", [], 0, 0, 0)
