"""Saarland: the answer to Anfrage 15/1217 (Drucksache 15/1284)."""

from __future__ import annotations

from inquiries.importers.document import parse_document
from tests.importer_cases import assert_same_record, expected


def _parse(shared_dir):
    path = shared_dir / "documents" / "sl-15-1284-answer.txt"
    return parse_document(path.name, path.read_bytes())


def test_document_gives_the_expected_record(shared_dir):
    result = _parse(shared_dir)
    want = expected("sl-15-1284-answer")
    assert result.parser == "sl"
    assert_same_record(result.record, want["record"])
    assert result.warnings == want["warnings"]


def test_unnumbered_questions_take_their_numbers_from_the_answers(shared_dir):
    record = _parse(shared_dir).record
    assert (record["reference"], record["related_references"]) == ("15/1284", ["15/1217"])
    assert record["askers"] == [{"name": "Michael Neyses", "faction": "B90/Grüne"}]
    questions = {q["number"]: q for q in record["questions"]}
    assert list(questions) == [str(n) for n in range(1, 11)]
    assert questions["3"]["text"].startswith("Welche Gründe gaben den Ausschlag")
    assert questions["1"]["answer"] == questions["3"]["answer"]  # "Zu den Fragen 1 und 3:"
    assert questions["10"]["answer"] == questions["6"]["answer"]  # "Zu den Fragen 6, 7, 8 und 10:"
    assert questions["2"]["answer"].endswith("Die Vlexx GmbH ist Teil dieses Verkehrskonzerns.")
    assert "Inbetriebsetzungskonzept" in questions["5"]["answer"]
