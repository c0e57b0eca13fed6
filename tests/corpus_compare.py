"""Reference implementation of the comparison rules in tests/fixtures/expected/FORMAT.md.

``compare(expected_file_content, actual_record)`` returns, per field (and per question), whether a
parser's inquiry.v1 record matches the hand-checked expected record. The benchmark of the importer
counts these; the corpus tests use them to check that every expected record matches itself.
"""

from __future__ import annotations

import re
from typing import Any

_IGNORED = re.compile(r"[\s\-\u00ad\u2010\u2011\u2012\u2013\u2014\"'\u201e\u201c\u201d\u201a\u2018\u2019\u00ab\u00bb]")
# "Die Fragen 4 bis 7 werden (aufgrund des Sachzusammenhangs) gemeinsam beantwortet." and the
# answer labels that some parliaments print before the text ("Zu 1.:", "Zu Frage 3:", "Antwort:").
_LEADING_LABEL = re.compile(
    r"^\s*(?:(?:Die\s+)?Fragen?\s[^.]{0,120}?(?:gemeinsam|zusammen|zusammenhängend)\s+be-?\s*antwortet\.?"
    r"|Zu\s+(?:den\s+)?(?:Fragen?\s+)?\d[\d.,a-z\s]*?(?:und\s+\d[\d.a-z\s]*)?:"
    r"|Antwort(?:\s+zu\s+Frage\s+[\d.a-z]+)?\s*[:.])\s*",
    re.IGNORECASE,
)
_MINISTER = re.compile(r"^(Ministerin|Minister)(?=für|des|der)")


def norm(text: str | None) -> str:
    """Whitespace, dashes, soft hyphens and quote marks removed; case kept."""
    return _IGNORED.sub("", text or "")


def _strip_labels(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _LEADING_LABEL.sub("", text, count=1)
    return text


def is_prefix(expected: str | None, actual: str | None) -> bool:
    if expected is None:
        return actual is None or actual == ""
    return norm(actual).startswith(norm(expected))


def _ministry(name: str | None) -> str:
    return _MINISTER.sub("Ministerium", norm(name))


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, bool]:
    """Field → matches, for one document; ``expected`` is the content of an expected/<CODE>/*.json file."""
    want, notes = expected["record"], expected.get("expected_notes", {})
    result: dict[str, bool] = {}
    for key in ("parliament", "term", "reference", "kind"):
        result[key] = actual.get(key) == want[key]
    result["title"] = norm(actual.get("title")) == norm(want["title"])
    for key in ("asked_on", "answered_on"):
        # null = not printed: a parser that found a date there is not counted wrong.
        result[key] = want[key] is None or actual.get(key) == want[key]
    got_askers = actual.get("askers") or []
    result["askers"] = [norm(a.get("name")) for a in got_askers] == [norm(a["name"]) for a in want["askers"]] and [
        a.get("faction") for a in got_askers
    ] == [a["faction"] for a in want["askers"]]
    result["factions"] = set(actual.get("factions") or []) == set(want["factions"])
    result["answering_ministry"] = _ministry(actual.get("answering_ministry")) == _ministry(want["answering_ministry"])
    result["consulted_ministries"] = {norm(m) for m in actual.get("consulted_ministries") or []} == {
        norm(m) for m in want["consulted_ministries"]
    }
    for key in ("explanation", "government_preface"):
        result[key] = is_prefix(want[key], actual.get(key))
    got_questions = actual.get("questions") or []
    result["question_numbers"] = [q.get("number") for q in got_questions] == [q["number"] for q in want["questions"]]
    stems = notes.get("question_stems", {})
    by_number = {q.get("number"): q for q in got_questions}
    for q in want["questions"]:
        got = by_number.get(q["number"]) or {}
        text = got.get("text") or ""
        stem = stems.get(re.match(r"\d+", q["number"]).group(0), "")
        result[f"questions[{q['number']}].text"] = is_prefix(q["text"], text) or (
            bool(stem) and norm(text).startswith(norm(stem) + norm(q["text"]))
        )
        answer = got.get("answer")
        result[f"questions[{q['number']}].answer"] = is_prefix(
            q["answer"], _strip_labels(answer) if answer is not None else None
        )
    wanted_refs = set(want.get("related_references") or [])
    result["related_references"] = wanted_refs <= set(actual.get("related_references") or [])
    return result
