"""What kind of answer a question got, told from its text by transparent rules.

The rules are data (``inquiries/answer_kinds.yaml``): a classified annex
("VS – Nur für den Dienstgebrauch"), a refusal of all or part of the answer with the
reason named near it (confidentiality, effort, the "Kernbereich exekutiver
Eigenverantwortung", no responsibility), a reference to another answer or paper ("Auf
die Antwort zu Frage 1 wird verwiesen"), otherwise a full answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from inquiries.choices import AnswerKind, RefusalReason

RULES = Path(__file__).resolve().parent / "answer_kinds.yaml"
_JOINT_LEAD = re.compile(r"^Die\s+Fragen\s+.{1,80}?\s+werden\s+[^.]{0,80}?(?:gemeinsam|zusammen|zusammenhängend)\s+beantwortet\.\s*", re.IGNORECASE)
# Where one sentence ends and the next begins: the whitespace after ".", "!" or "?" before a
# capital or an opening quote (the mark stays with its sentence, see ``_sentences``).
_SENTENCE_END = re.compile(r"[.!?](\s+)(?=[A-ZÄÖÜ„\"])")


@dataclass(frozen=True)
class Rules:
    classified: tuple[re.Pattern[str], ...]
    refusal: tuple[re.Pattern[str], ...]
    refusal_any: re.Pattern[str]
    classified_any: re.Pattern[str]
    reasons: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    reference: tuple[re.Pattern[str], ...]
    reference_max_chars: int
    refusal_max_sentences: int
    classified_keywords: tuple[str, ...] = ()
    reason_keywords: tuple[str, ...] = ()
    reference_keywords: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))

    def compiled(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern, re.IGNORECASE | re.DOTALL) for pattern in patterns)

    return Rules(
        classified=compiled(data["classified"]),
        refusal=compiled(data["refusal"]),
        # One pass over the whole text first: most answers refuse nothing.
        refusal_any=re.compile("|".join(f"(?:{pattern})" for pattern in data["refusal"]), re.IGNORECASE | re.DOTALL),
        classified_any=re.compile("|".join(f"(?:{pattern})" for pattern in data["classified"]), re.IGNORECASE | re.DOTALL),
        reasons=tuple((reason, compiled(patterns)) for reason, patterns in data["reasons"].items()),
        reference=compiled(data["reference"]),
        reference_max_chars=int(data["reference_max_chars"]),
        refusal_max_sentences=int(data["refusal_max_sentences"]),
        classified_keywords=tuple(data["classified_keywords"]),
        reason_keywords=tuple(data["reason_keywords"]),
        reference_keywords=tuple(data["reference_keywords"]),
    )


def classify(answer: str | None) -> tuple[str, str]:
    """(``AnswerKind``, ``RefusalReason``) of an answer text."""
    text = _folded(answer or "")
    if not text:
        return AnswerKind.NONE, RefusalReason.NONE
    return _classify(text)


def _folded(text: str) -> str:
    """``text`` with every run of whitespace one space and none at either end: exactly
    ``" ".join(text.split())``.

    A bulk import classifies every answer, and most are folded already: two scans in C
    tell so, and the text is returned as it is instead of split into words and joined
    again (less than half the time). ``isprintable()`` is false for every whitespace
    character but the space (they are all control characters or separators; a test
    checks every code point), so a printable text without two spaces in a row and
    without a space at either end has nothing to fold. Any other text is folded.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _sentences(text: str) -> list[str]:
    r"""``text`` split into sentences: as ``re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])", text)``
    (the whitespace between two sentences dropped), a third faster: the pattern starts
    with the mark, which the regular expression engine skips to, where a look-behind is
    tried at every character."""
    sentences = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        sentences.append(text[start : end.start(1)])
        start = end.end(1)
    sentences.append(text[start:])
    return sentences


# The same answers and sentences come back again and again ("Auf die Antwort zu Frage 1 wird
# verwiesen.", the boilerplate of a ministry): a bulk import classifies each text once. (Small
# caches, a few MB in a web worker: larger ones were no faster on 50,000 generated records.)
@lru_cache(maxsize=4_096)
def _classify(text: str) -> tuple[str, str]:
    text = _JOINT_LEAD.sub("", text)
    found = rules()
    lower = text.lower()
    if any(word in lower for word in found.classified_keywords) and found.classified_any.search(text):
        return AnswerKind.CLASSIFIED, _reason(text) or RefusalReason.CONFIDENTIALITY
    # A refusal counts only with its reason, named in the refusing sentence or the one
    # before it; only sentences near a word of a reason are tried (the rest cannot count).
    if any(word in lower for word in found.reason_keywords):
        sentences = _sentences(text)
        near = sorted({
            neighbour
            for index, sentence in enumerate(sentences)
            if _names_a_reason(sentence)
            for neighbour in (index, index + 1)
            if neighbour < len(sentences)
        })
        for index in near:
            if _refuses(sentences[index]):
                reason = _reason(" ".join(sentences[max(0, index - 1):index + 1]))
                if reason is not None:
                    whole = len(sentences) <= found.refusal_max_sentences
                    return (AnswerKind.REFUSED if whole else AnswerKind.PARTLY_REFUSED), reason
    if (
        len(text) <= found.reference_max_chars
        and any(word in lower for word in found.reference_keywords)
        and any(pattern.search(text) for pattern in found.reference)
    ):
        return AnswerKind.REFERENCE, RefusalReason.NONE
    return AnswerKind.FULL, RefusalReason.NONE


@lru_cache(maxsize=16_384)
def _names_a_reason(sentence: str) -> bool:
    """Whether a word of a reason occurs in ``sentence``."""
    lower = sentence.lower()
    return any(word in lower for word in rules().reason_keywords)


@lru_cache(maxsize=16_384)
def _refuses(sentence: str) -> bool:
    """Whether ``sentence`` withholds (part of) the answer (any refusal rule matches it)."""
    return rules().refusal_any.search(sentence) is not None


def _reason(text: str) -> str | None:
    for reason, patterns in rules().reasons:
        if any(pattern.search(text) for pattern in patterns):
            return reason
    return None
