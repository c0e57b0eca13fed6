"""The open-data exchange format inquiry.v1: validation, conversion from models, and the one
exporter (order and spelling of the records) of the JSONL export and the dumps; the API's
inquiry detail is the same record."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).resolve().parent / "formats" / "inquiry.v1.schema.json"
FORMAT = "inquiry.v1"
# The kinds of inquiry.v1 (the schema's enum, and ``choices.InquiryKind`` for parsers without Django).
KINDS = ("minor", "major", "written")
# Papers in their parliament's order; reference and id break ties, so the order is total
# and the same data gives the same file.
EXPORT_ORDER = ("parliament__code", "term__number", "reference_number", "reference", "pk")
# The inquiry's own columns its record shows (``record_of``).
RECORD_COLUMNS = (
    "reference", "kind", "title", "asked_on", "answered_on", "signed_by_role", "explanation",
    "government_preface", "related_references", "topics", "full_text", "source_url",
)
# Rows fetched per round trip; their questions and askers are prefetched per chunk.
EXPORT_CHUNK_SIZE = 500


class RecordError(ValueError):
    """A record that does not match inquiry.v1; the message says where and what."""


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate_record(record: Any) -> None:
    """Raise ``RecordError`` naming the first problem of an inquiry.v1 record."""
    if not isinstance(record, dict):
        raise RecordError("record is not a JSON object")
    errors = sorted(validator().iter_errors(record), key=lambda error: list(error.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(part) for part in error.absolute_path) or "(record)"
        raise RecordError(f"{where}: {error.message}")


def check_record_rules(record: dict[str, Any]) -> None:
    """Raise ``RecordError`` where a schema-valid record breaks a rule of the database.

    The reference must belong to the term, the answer cannot come before the question,
    question numbers are unique, and texts must fit their columns.
    """
    if record["reference"].split("/", 1)[0] != str(record["term"]):
        raise RecordError(f"reference: {record['reference']} does not belong to term {record['term']}")
    asked_on, answered_on = record.get("asked_on"), record.get("answered_on")
    if asked_on and answered_on and answered_on < asked_on:
        raise RecordError(f"answered_on: {answered_on} is before asked_on {asked_on}")
    questions = record.get("questions") or []
    numbers = {question["number"] for question in questions}
    if len(numbers) < len(questions):
        duplicates = sorted(number for number in numbers if sum(q["number"] == number for q in questions) > 1)
        raise RecordError(f"questions: number {duplicates[0]} appears twice")
    for index, question in enumerate(questions):
        answer = question.get("answer") or ""
        for number, table in enumerate(question.get("tables") or []):
            span = table.get("span")
            if span and not 0 <= span[0] < span[1] <= len(answer):
                raise RecordError(f"questions/{index}/tables/{number}/span: {span} is not a range of the answer's {len(answer)} characters")
    limit = _column_limits()
    signer = record.get("signed_by") or {}
    values = [
        ("title", record["title"], limit["title"]),
        ("source_url", record.get("source_url"), limit["url"]),
        ("answering_ministry", record.get("answering_ministry"), limit["ministry"]),
        ("signed_by/name", signer.get("name"), limit["name"]),
        ("signed_by/role", signer.get("role"), limit["role"]),
    ]
    values += [(f"questions/{index}/number", question["number"], limit["number"]) for index, question in enumerate(questions)]
    for index, asker in enumerate(record.get("askers") or []):
        values += [(f"askers/{index}/name", asker["name"], limit["name"]), (f"askers/{index}/faction", asker.get("faction"), limit["faction"])]
    values += [(f"factions/{index}", name, limit["faction"]) for index, name in enumerate(record.get("factions") or [])]
    for key in ("consulted_ministries", "copied_to"):
        values += [(f"{key}/{index}", name, limit["ministry"]) for index, name in enumerate(record.get(key) or [])]
    for where, value, most in values:
        if value and len(value) > most:
            raise RecordError(f"{where}: longer than {most} characters")


@lru_cache(maxsize=1)
def _column_limits() -> dict[str, int]:
    """Lengths of the columns that record values go into."""
    from inquiries.models import Faction, Inquiry, Ministry, Person, Question

    def length(model, name: str) -> int:
        return model._meta.get_field(name).max_length

    return {
        "title": length(Inquiry, "title"),
        "url": length(Inquiry, "source_url"),
        "role": length(Inquiry, "signed_by_role"),
        "ministry": length(Ministry, "name"),
        "number": length(Question, "number"),
        "faction": length(Faction, "short_name"),
        # A whole printed name is at most as long as the longest of its parts may be.
        "name": length(Person, "last_name"),
    }


def question_to_record(question) -> dict[str, Any]:
    """One question of an inquiry.v1 record, with the kind of its answer (derived from
    the answer's text by ``inquiries.answer_kinds``; an import derives it again) and its
    tables, only where it has some (load with ``with_detail_related()``)."""
    from inquiries.answer_tables import table_to_record

    return question_record(
        question.number,
        question.text,
        question.answer,
        question.answer_kind,
        question.refusal_reason,
        [table_to_record(table) for table in question.tables.all()],
    )


def question_record(
    number: str, text: str, answer: str, answer_kind: str, refusal_reason: str, tables: list[dict[str, Any]]
) -> dict[str, Any]:
    """A question of an inquiry.v1 record from its columns (the tables as ``table_record`` makes them)."""
    record: dict[str, Any] = {
        "number": number,
        "text": text,
        "answer": answer or None,
        "answer_kind": answer_kind or None,
        "refusal_reason": refusal_reason or None,
    }
    if tables:
        record["tables"] = tables
    return record


def inquiry_to_record(inquiry, *, include_full_text: bool = True) -> dict[str, Any]:
    """The inquiry as an inquiry.v1 record (load with ``with_detail_related()``)."""
    links = list(inquiry.ministry_links.all())
    signer = inquiry.signed_by
    return record_of(
        parliament=inquiry.parliament.code,
        term=inquiry.term.number,
        inquiry={name: getattr(inquiry, name) for name in RECORD_COLUMNS if include_full_text or name != "full_text"},
        askers=[(link.person.full_name, link.faction.short_name if link.faction else None) for link in inquiry.asker_links.all()],
        factions=[faction.short_name for faction in inquiry.factions.all()],
        answering_ministry=inquiry.answering_ministry.name if inquiry.answering_ministry else None,
        ministries=[(link.role, link.ministry.name) for link in links],
        signer=signer.full_name if signer else None,
        questions=[question_to_record(question) for question in inquiry.questions.all()],
        include_full_text=include_full_text,
    )


def record_of(
    *,
    parliament: str,
    term: int,
    inquiry: dict[str, Any],
    askers: list[tuple[str, str | None]],
    factions: list[str],
    answering_ministry: str | None,
    ministries: list[tuple[str, str]],
    signer: str | None,
    questions: list[dict[str, Any]],
    include_full_text: bool = True,
) -> dict[str, Any]:
    """The inquiry.v1 record, in its order and spelling, from what it shows: ``inquiry`` holds
    the inquiry's ``RECORD_COLUMNS`` by name, ``askers``
    (name, faction) in their order, ``ministries`` (role, name) by role and position, ``signer``
    the signer's printed name. The one place the record is put together: the export, the dumps
    and the API detail (``api.selectors.inquiry_record``) all call it."""
    asked_on, answered_on = inquiry["asked_on"], inquiry["answered_on"]
    record: dict[str, Any] = {
        "format": FORMAT,
        "parliament": parliament,
        "term": term,
        "reference": inquiry["reference"],
        "kind": inquiry["kind"],
        "title": inquiry["title"],
        "asked_on": asked_on.isoformat() if asked_on else None,
        "answered_on": answered_on.isoformat() if answered_on else None,
        "askers": [{"name": name, "faction": faction} for name, faction in askers],
        "factions": sorted(factions),
        "answering_ministry": answering_ministry,
        "consulted_ministries": [name for role, name in ministries if role == "consulted"],
        "copied_to": [name for role, name in ministries if role == "copied"],
        "signed_by": {"name": signer, "role": inquiry["signed_by_role"] or None} if signer is not None else None,
        "explanation": inquiry["explanation"] or None,
        "government_preface": inquiry["government_preface"] or None,
        "questions": questions,
        "related_references": list(inquiry["related_references"]),
        "topics": list(inquiry["topics"]),
    }
    if include_full_text:
        record["full_text"] = inquiry["full_text"] or None
    record["source_url"] = inquiry["source_url"] or None
    return record


def record_json(record: dict[str, Any]) -> str:
    """A record as one line of inquiry.v1 JSON Lines: UTF-8 as is, no blanks between tokens."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def exported_records(inquiries) -> Iterator[dict[str, Any]]:
    """The records of ``inquiries`` in ``EXPORT_ORDER``, read in chunks."""
    for inquiry in inquiries.with_detail_related().order_by(*EXPORT_ORDER).iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield inquiry_to_record(inquiry)


def write_records(
    inquiries, stream: IO[str], *, progress: Callable[[Iterable[dict[str, Any]]], Iterable[dict[str, Any]]] = lambda items: items
) -> int:
    """Write ``inquiries`` as inquiry.v1 lines to ``stream``; returns how many."""
    count = 0
    for record in progress(exported_records(inquiries)):
        stream.write(record_json(record) + "\n")
        count += 1
    return count
