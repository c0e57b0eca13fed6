"""The open-data exchange format inquiry.v1: validation and conversion from models."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).resolve().parent / "formats" / "inquiry.v1.schema.json"
FORMAT = "inquiry.v1"


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


def inquiry_to_record(inquiry, *, include_full_text: bool = True) -> dict[str, Any]:
    """The inquiry as an inquiry.v1 record (load with ``with_detail_related()``)."""
    links = list(inquiry.ministry_links.all())
    record: dict[str, Any] = {
        "format": FORMAT,
        "parliament": inquiry.parliament.code,
        "term": inquiry.term.number,
        "reference": inquiry.reference,
        "kind": inquiry.kind,
        "title": inquiry.title,
        "asked_on": inquiry.asked_on.isoformat() if inquiry.asked_on else None,
        "answered_on": inquiry.answered_on.isoformat() if inquiry.answered_on else None,
        "askers": [
            {"name": link.person.full_name, "faction": link.faction.short_name if link.faction else None}
            for link in inquiry.asker_links.all()
        ],
        "factions": sorted(faction.short_name for faction in inquiry.factions.all()),
        "answering_ministry": inquiry.answering_ministry.name if inquiry.answering_ministry else None,
        "consulted_ministries": [link.ministry.name for link in links if link.role == "consulted"],
        "copied_to": [link.ministry.name for link in links if link.role == "copied"],
        "signed_by": (
            {"name": inquiry.signed_by.full_name, "role": inquiry.signed_by_role or None} if inquiry.signed_by else None
        ),
        "explanation": inquiry.explanation or None,
        "government_preface": inquiry.government_preface or None,
        "questions": [
            {"number": question.number, "text": question.text, "answer": question.answer or None}
            for question in inquiry.questions.all()
        ],
        "related_references": list(inquiry.related_references),
        "topics": list(inquiry.topics),
    }
    if include_full_text:
        record["full_text"] = inquiry.full_text or None
    record["source_url"] = inquiry.source_url or None
    return record
