"""Baden-Württemberg: the seed letter and the (made-up) printed papers, whole records compared."""

from __future__ import annotations

import json

import pytest

from inquiries.importers.document import parse_document
from tests.importer_cases import BW_DOCUMENTS, DOCUMENTS, assert_same_record, expected, without_full_text
from tests.pdfs import make_pdf


@pytest.fixture
def seed(shared_dir):
    path = shared_dir / "documents" / "bw-17-6206-antwort.txt"
    return path, parse_document(path.name, path.read_bytes())


def test_seed_letter_gives_the_example_record_in_every_field_but_full_text(seed, shared_dir):
    path, result = seed
    example = json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert result.parser == "bw_letter"
    assert_same_record(result.record, without_full_text(example))
    assert result.warnings == []
    assert result.record["full_text"] == path.read_text(encoding="utf-8")


def test_seed_letter_joins_the_paragraph_broken_by_the_page_break_and_drops_markup(seed):
    _, result = seed
    first_answer = result.record["questions"][0]["answer"]
    assert "Das Ipai und die Polizei BW beabsichtigen, eine Partnerschaft" in first_answer
    texts = [q["text"] for q in result.record["questions"]] + [q["answer"] for q in result.record["questions"]]
    assert not any("*" in text or text.startswith("- ") for text in texts)
    assert result.record["questions"][7]["text"].startswith("Welchen Beitrag erhofft sie sich")


@pytest.mark.parametrize("stem", BW_DOCUMENTS)
def test_printed_paper_gives_the_expected_record(stem):
    path = DOCUMENTS / f"{stem}.txt"
    result = parse_document(path.name, path.read_bytes())
    want = expected(stem)
    assert result.parser == "bw_drucksache"
    assert_same_record(result.record, want["record"])
    assert result.warnings == want["warnings"]


@pytest.mark.parametrize("stem", BW_DOCUMENTS)
def test_printed_paper_as_pdf_reads_like_its_text(stem):
    text = (DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8")
    result = parse_document(f"{stem}.pdf", make_pdf(text.split("\f")))
    assert_same_record(result.record, expected(stem)["record"])


def test_several_askers_sub_questions_joint_answers_and_an_unanswered_question():
    record = parse_document("a.txt", (DOCUMENTS / "bw-17-5123-kleine-anfrage.txt").read_bytes()).record
    assert record["askers"] == [{"name": "Dr. Lena Hartmann", "faction": "CDU"}, {"name": "Jonas Keller", "faction": "CDU"}]
    questions = {q["number"]: q for q in record["questions"]}
    assert list(questions) == ["1", "2", "3a", "3b", "4", "5"]
    assert questions["1"]["answer"] == questions["2"]["answer"]
    assert questions["1"]["answer"].startswith("Die Fragen 1 und 2 werden")
    assert questions["3b"]["text"] == "Wie viele davon konnten bis zum 1. Februar 2024 besetzt werden?"
    assert questions["3b"]["answer"].endswith("bis dahin wird der Unterricht durch Mehrarbeit und Vertretungsverträge gesichert.")
    assert questions["5"]["answer"] is None
    everything = json.dumps(without_full_text(record), ensure_ascii=False)
    assert "Recyclingpapier" not in everything and "Drucksache 17 / 5123" not in everything


def test_grosse_anfrage_of_a_faction():
    record = parse_document("b.txt", (DOCUMENTS / "bw-17-5310-grosse-anfrage.txt").read_bytes()).record
    assert (record["kind"], record["factions"], record["askers"]) == ("major", ["SPD"], [])
    assert record["government_preface"].startswith("Der Ausbau der Ganztagsbetreuung")
    assert record["questions"][3]["text"].split("\n")[1:] == ["a) beim Ausbau der Räume,", "b) bei der Gewinnung von Personal?"]
    assert record["questions"][1]["answer"] == record["questions"][2]["answer"]  # "Zu 2. bis 3.:"
