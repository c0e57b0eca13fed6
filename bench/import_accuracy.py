"""Per-field accuracy of the document importer, per parliament, over the development set.

    python bench/import_accuracy.py                       # tests/fixtures + ../shared/documents
    python bench/import_accuracy.py --corpus DIR          # another tests/fixtures-like folder (documents/<CODE>/, expected/<CODE>/)
    python bench/import_accuracy.py --details             # every field that is not right, document by document
    python bench/import_accuracy.py --fields              # also the share right per field, per parliament

The development set is every ``documents/<CODE>/<name>.txt|.pdf`` with a hand-checked
``expected/<CODE>/<name>.json`` (rules in ``tests/fixtures/expected/FORMAT.md``), plus the
documents of ``../shared/documents`` with the values listed in the ``.meta.json`` beside
them. Each document is parsed as ``manage.py import_document`` would (layout recognised
from the text, no listing applied), and each expected field is scored:

- right: equal after the normalisation of FORMAT.md (prefix rules for long texts);
- abstained: the importer left the field empty (and says so in the record's
  ``extraction`` block) where the document prints it;
- wrong: the importer gave a value that differs.

A benchmark, not a test: it prints the table and judges nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_NORM = re.compile(r"[\s\-‐‑–—\u00ad\"„“”‚‘’']")
_JOINT_LEAD = re.compile(
    r"^(?:Die\s+Fragen\s+.{1,80}?\s+werden\s+[^.]{0,80}?(?:gemeinsam|zusammen|zusammenhängend)\s+beant-?\s*wortet\.|"
    r"(?:Antwort\s+)?zu\s+(?:den\s+)?(?:Fragen?\s+)?[\d\s.,a-z)undbis]+:|Antwort\s*:)\s*",
    re.IGNORECASE,
)
PREFIX_FIELDS = ("explanation", "government_preface")


def norm(value: Any) -> str:
    return _NORM.sub("", str(value or ""))


def ministry_norm(name: Any) -> str:
    """FORMAT.md: a leading "Ministerin"/"Minister" reads as "Ministerium"."""
    return norm(re.sub(r"^(?:Ministerin|Minister)\b", "Ministerium", str(name or "")))


def no_titles(name: str) -> str:
    return re.sub(r"\b(?:Dr|Prof)\.\s*(?:h\.\s*c\.\s*)?(?:med\.\s*|rer\.\s*nat\.\s*|phil\.\s*)?", "", name).strip()


@dataclass
class Score:
    right: int = 0
    abstained: int = 0
    wrong: int = 0
    documents: int = 0
    failed: int = 0
    misses: list[str] = field(default_factory=list)
    # field ("title", "questions[].answer" …) → [right, scored]
    by_field: dict[str, list[int]] = field(default_factory=dict)

    def add(self, outcome: str, where: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        key = re.sub(r"\[[^\]]*\]", "[]", where.rsplit(" ", 1)[-1])
        tally = self.by_field.setdefault(key, [0, 0])
        tally[0] += outcome == "right"
        tally[1] += 1
        if outcome != "right":
            self.misses.append(f"{where}: {outcome}")

    @property
    def total(self) -> int:
        return self.right + self.abstained + self.wrong


def outcome(actual: Any, right: bool) -> str:
    if right:
        return "right"
    return "abstained" if actual in (None, "", [], {}) else "wrong"


def compare_full(record: dict[str, Any], want: dict[str, Any], score: Score, name: str, notes: dict[str, Any] | None = None) -> None:
    """A record against an expected record of FORMAT.md."""
    stems = [norm(stem) for stem in ((notes or {}).get("question_stems") or {}).values()] if isinstance((notes or {}).get("question_stems"), dict) else [
        norm(stem) for stem in (notes or {}).get("question_stems") or [] if isinstance(stem, str)
    ]
    for key in ("parliament", "term", "reference", "kind"):
        score.add(outcome(record.get(key), record.get(key) == want.get(key)), f"{name} {key}")
    score.add(outcome(record.get("title"), norm(record.get("title")) == norm(want.get("title"))), f"{name} title")
    for key in ("asked_on", "answered_on"):
        if want.get(key) is None:
            continue  # not printed: any value is not counted wrong, nor right
        score.add(outcome(record.get(key), record.get(key) == want[key]), f"{name} {key}")
    got = [(norm(a["name"]), a.get("faction")) for a in record.get("askers") or []]
    wanted = [(norm(a["name"]), a.get("faction")) for a in want.get("askers") or []]
    score.add(outcome(record.get("askers") if wanted else record.get("askers") or None, got == wanted), f"{name} askers")
    score.add(outcome(record.get("factions"), set(record.get("factions") or []) == set(want.get("factions") or [])), f"{name} factions")
    score.add(
        outcome(record.get("answering_ministry"), ministry_norm(record.get("answering_ministry")) == ministry_norm(want.get("answering_ministry"))),
        f"{name} answering_ministry",
    )
    if want.get("consulted_ministries") or record.get("consulted_ministries"):
        score.add(
            outcome(
                record.get("consulted_ministries"),
                {norm(m) for m in record.get("consulted_ministries") or []} == {norm(m) for m in want.get("consulted_ministries") or []},
            ),
            f"{name} consulted_ministries",
        )
    for key in PREFIX_FIELDS:
        expected_text, actual_text = want.get(key), record.get(key)
        right = norm(actual_text).startswith(norm(expected_text)) if expected_text else not actual_text
        score.add(outcome(actual_text, right), f"{name} {key}")
    actual_questions = {q["number"]: q for q in record.get("questions") or []}
    wanted_numbers = [q["number"] for q in want.get("questions") or []]
    score.add(outcome(record.get("questions"), [q["number"] for q in record.get("questions") or []] == wanted_numbers), f"{name} questions")
    for question in want.get("questions") or []:
        got_question = actual_questions.get(question["number"]) or {}
        text = got_question.get("text")
        got_text = norm(text)
        for stem in stems:
            if stem and got_text.startswith(stem) and not norm(question["text"]).startswith(stem):
                got_text = got_text[len(stem):]
        score.add(outcome(text, bool(text) and got_text.startswith(norm(question["text"]))), f"{name} questions[{question['number']}].text")
        answer = got_question.get("answer")
        if question.get("answer"):
            stripped = _JOINT_LEAD.sub("", answer or "")
            right = bool(answer) and (norm(stripped).startswith(norm(question["answer"])) or norm(answer).startswith(norm(question["answer"])))
        else:
            right = not answer
        score.add(outcome(answer, right), f"{name} questions[{question['number']}].answer")
    if want.get("related_references"):
        score.add(
            outcome(record.get("related_references"), set(want["related_references"]) <= set(record.get("related_references") or [])),
            f"{name} related_references",
        )


def compare_meta(record: dict[str, Any], meta: dict[str, Any], score: Score, name: str) -> None:
    """A record against the values listed in a shared/documents ``.meta.json``."""
    from inquiries.importers import german
    from inquiries.names import ministry_key

    reference = meta.get("reference") or (meta.get("drucksache") or "").replace(" ", "")
    if reference:
        score.add(outcome(record.get("reference"), record.get("reference") == reference), f"{name} reference")
    if meta.get("parliament"):
        score.add(outcome(record.get("parliament"), record.get("parliament") == meta["parliament"]), f"{name} parliament")
    if meta.get("kind"):
        score.add(outcome(record.get("kind"), record.get("kind") == meta["kind"]), f"{name} kind")
    if meta.get("title"):
        score.add(outcome(record.get("title"), norm(record.get("title")) == norm(meta["title"])), f"{name} title")
    askers = meta.get("askers")
    if isinstance(askers, list):
        got = [norm(no_titles(a["name"])) for a in record.get("askers") or []]
        score.add(outcome(record.get("askers"), got == [norm(no_titles(a)) for a in askers]), f"{name} askers")
    elif isinstance(askers, str):
        score.add(outcome(record.get("askers"), norm(german.askers_label(record.get("askers") or [])) == norm(askers)), f"{name} askers")
    if isinstance(meta.get("factions"), list):
        score.add(outcome(record.get("factions"), set(record.get("factions") or []) == set(meta["factions"])), f"{name} factions")
    body = meta.get("answering_ministry") or meta.get("answering_body")
    if body:
        got = record.get("answering_ministry")
        score.add(outcome(got, bool(got) and ministry_key(got) == ministry_key(body)), f"{name} answering_ministry")
    answered = german.parse_date(meta.get("answered_on") or "") or (
        meta.get("answered_on") and __import__("datetime").date.fromisoformat(meta["answered_on"])
    )
    if answered:
        score.add(outcome(record.get("answered_on"), record.get("answered_on") == answered.isoformat()), f"{name} answered_on")
    if isinstance(meta.get("question_count"), int):
        # The listing counts the numbered questions; sub-questions ("1a") are not counted there.
        mains = {re.match(r"\d+", question["number"]).group(0) for question in record.get("questions") or [] if re.match(r"\d+", question["number"])}
        score.add(outcome(record.get("questions"), len(mains) == meta["question_count"]), f"{name} questions")


def development_set(corpora: list[Path], shared: Path | None) -> list[tuple[str, Path, dict[str, Any], str]]:
    """(parliament, document, expected, "full"|"meta"), one per paper; the hand-checked expectation wins."""
    found: dict[tuple[str, str], tuple[str, Path, dict[str, Any], str]] = {}
    for corpus in corpora:
        for expected_path in sorted((corpus / "expected").glob("*/*.json")):
            code = expected_path.parent.name
            document = next(
                (p for p in (corpus / "documents" / code).glob(f"{expected_path.stem}.*") if p.suffix in {".txt", ".pdf"}), None
            )
            if document is None:
                continue
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            want = {**expected["record"], "_notes": expected.get("expected_notes") or {}}
            found[(want["parliament"], want["reference"])] = (want["parliament"], document, want, "full")
    if shared is not None:
        for meta_path in sorted(shared.rglob("*.meta.json")):
            document = meta_path.with_name(meta_path.name.replace(".meta.json", ".txt"))
            if not document.is_file():
                continue
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            code = meta.get("parliament") or meta_path.parent.name.upper()
            reference = meta.get("reference") or (meta.get("drucksache") or "").replace(" ", "")
            found.setdefault((code, reference), (code, document, meta, "meta"))
    return sorted(found.values(), key=lambda item: (item[0], item[1].name))


def measure(items: list[tuple[str, Path, dict[str, Any], str]]) -> dict[str, Score]:
    from inquiries.importers.base import DocumentError
    from inquiries.importers.document import parse_document

    scores: dict[str, Score] = defaultdict(Score)
    for code, document, want, how in items:
        score = scores[code]
        score.documents += 1
        try:
            record = parse_document(document.name, document.read_bytes()).record
        except DocumentError as error:
            score.failed += 1
            score.misses.append(f"{document.name}: refused ({error.problem})")
            record = {}
        if how == "full":
            compare_full(record, want, score, document.name, want.get("_notes"))
        else:
            compare_meta(record, want, score, document.name)
    return scores


FIELD_ORDER = (
    "parliament", "term", "reference", "kind", "title", "asked_on", "answered_on", "askers", "factions",
    "answering_ministry", "consulted_ministries", "explanation", "government_preface", "questions",
    "questions[].text", "questions[].answer", "related_references",
)


def print_fields(scores: dict[str, Score]) -> None:
    """One row per field, one column per parliament: right/scored ("–" where nothing was scored)."""
    codes = sorted(scores)
    known = [key for key in FIELD_ORDER if any(key in scores[code].by_field for code in codes)]
    known += sorted({key for code in codes for key in scores[code].by_field} - set(known))
    print()
    print(f"{'field':<22}" + "".join(f"{code:>9}" for code in codes) + f"{'all':>11}")
    for key in known:
        cells, right, total = [], 0, 0
        for code in codes:
            tally = scores[code].by_field.get(key)
            if tally:
                right, total = right + tally[0], total + tally[1]
                cells.append(f"{tally[0]}/{tally[1]}")
            else:
                cells.append("–")
        print(f"{key:<22}" + "".join(f"{cell:>9}" for cell in cells) + f"{right / total:>11.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", type=Path, help="folder with documents/<CODE>/ and expected/<CODE>/ (repeatable)")
    parser.add_argument("--shared", type=Path, help="shared/documents folder (default: ../shared/documents)")
    parser.add_argument("--no-shared", action="store_true", help="leave shared/documents out")
    parser.add_argument("--details", action="store_true", help="list every field that is not right")
    parser.add_argument("--fields", action="store_true", help="print the share right per field and parliament")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    corpora = options.corpus or [ROOT / "tests" / "fixtures"]
    shared = None if options.no_shared else (options.shared or next(
        (p / "documents" for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if (p / "documents").is_dir()), None
    ))
    scores = measure(development_set(corpora, shared))
    print(f"{'parliament':<10} {'docs':>4} {'refused':>7} {'fields':>6} {'right':>6} {'abstained':>9} {'wrong':>6} {'accuracy':>8}")
    total = Score()
    for code in sorted(scores):
        score = scores[code]
        share = score.right / score.total if score.total else 0
        print(f"{code:<10} {score.documents:>4} {score.failed:>7} {score.total:>6} {score.right:>6} {score.abstained:>9} {score.wrong:>6} {share:>8.1%}")
        for key in ("right", "abstained", "wrong", "documents", "failed"):
            setattr(total, key, getattr(total, key) + getattr(score, key))
    share = total.right / total.total if total.total else 0
    print(f"{'all':<10} {total.documents:>4} {total.failed:>7} {total.total:>6} {total.right:>6} {total.abstained:>9} {total.wrong:>6} {share:>8.1%}")
    if options.fields:
        print_fields(scores)
    if options.details:
        for code in sorted(scores):
            for miss in scores[code].misses:
                print(f"{code}: {miss}")


if __name__ == "__main__":
    main()
