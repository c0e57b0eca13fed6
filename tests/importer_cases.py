"""The documents of the importer tests and their expected records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DOCUMENTS = FIXTURES / "documents"
EXPECTED = FIXTURES / "expected"

NI_DOCUMENTS = [
    "ni-19-11134", "ni-19-11139", "ni-19-11188", "ni-19-11199", "ni-19-11206",
    "ni-19-11219", "ni-19-11239", "ni-19-11251", "ni-19-11267", "ni-19-11271",
]
BW_DOCUMENTS = ["bw-17-5123-kleine-anfrage", "bw-17-5310-grosse-anfrage", "bw-17-5402-kleine-anfrage"]


def expected(stem: str) -> dict[str, Any]:
    """{"record": …, "warnings": […]} for the document ``stem``."""
    return json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))


def without_full_text(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in {"full_text", "extraction"}}


# Derived from the answer's text on export (inquiries/answer_kinds.py); the shared
# example records were written before inquiry.v1 carried them.
DERIVED_QUESTION_FIELDS = ("answer_kind", "refusal_reason")


def without_derived(record: dict[str, Any]) -> dict[str, Any]:
    """The record without the fields an export derives from the answers."""
    questions = [{key: value for key, value in question.items() if key not in DERIVED_QUESTION_FIELDS} for question in record.get("questions") or []]
    return {**record, "questions": questions}


def assert_same_record(actual: dict[str, Any], wanted: dict[str, Any]) -> None:
    """Field by field (and question by question), so that a failure names the field."""
    actual = without_full_text(actual)
    assert list(actual) == list(wanted)
    for key, value in wanted.items():
        if key == "questions":
            assert [q["number"] for q in actual[key]] == [q["number"] for q in value]
            for got, want in zip(actual[key], value):
                # Tables are checked against hand-read ones in test_answer_tables_importer.py.
                got = {name: part for name, part in got.items() if name != "tables"}
                assert got == want, f"question {want['number']}"
        else:
            assert actual[key] == value, key
