"""Niedersachsen: the ten answers of shared/documents/ni, whole records compared, and checked
against the Landtag's own listing (.meta.json) and against the text itself."""

from __future__ import annotations

import json
import re

import pytest

from inquiries.importers.document import parse_document
from inquiries.importers.german import askers_label, parse_date
from inquiries.names import ministry_key
from tests.importer_cases import NI_DOCUMENTS, assert_same_record, expected
from tests.pdfs import make_pdf


def _document(shared_dir, stem):
    path = shared_dir / "documents" / "ni" / f"{stem}.txt"
    listing = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    return path, listing


@pytest.mark.parametrize("stem", NI_DOCUMENTS)
def test_document_gives_the_expected_record(shared_dir, stem):
    path, listing = _document(shared_dir, stem)
    result = parse_document(path.name, path.read_bytes(), listing=listing)
    want = expected(stem)
    assert result.parser == "ni"
    assert_same_record(result.record, want["record"])
    assert result.warnings == want["warnings"]


@pytest.mark.parametrize("stem", NI_DOCUMENTS)
def test_text_alone_agrees_with_the_landtags_listing(shared_dir, stem):
    path, listing = _document(shared_dir, stem)
    record = parse_document(path.name, path.read_bytes()).record
    assert record["reference"] == listing["drucksache"]
    assert record["title"] == listing["title"]
    assert record["source_url"] is None  # only the listing knows the address
    if listing["askers"]:
        assert askers_label(record["askers"]) == listing["askers"]
        assert ministry_key(record["answering_ministry"]) == ministry_key(listing["answering_body"])
        assert record["answered_on"] == parse_date(listing["answered_on"]).isoformat()


def _squeeze(text: str) -> str:
    """Letters and digits only: compares text across line breaks and hyphenation; a footnote
    mark "[1]" is the digit the document prints."""
    text = re.sub(r"\[(\d{1,2})\]", r"\1", text)
    return re.sub(r"[\W_]", "", text)


@pytest.mark.parametrize("stem", NI_DOCUMENTS)
def test_every_question_and_answer_paragraph_stands_in_the_document(shared_dir, stem):
    path, _ = _document(shared_dir, stem)
    source = _squeeze(path.read_text(encoding="utf-8"))
    record = expected(stem)["record"]
    for question in record["questions"]:
        assert _squeeze(question["text"]) in source, question["number"]
        # Beginning and end of each paragraph (a paragraph may run over a page break).
        for paragraph in (question["answer"] or "").split("\n\n"):
            if not paragraph.startswith("["):  # footnotes stood at the bottom of the page
                squeezed = _squeeze(paragraph)
                assert squeezed[:60] in source and squeezed[-60:] in source, question["number"]


def test_questions_are_numbered_one_by_one_and_all_answered(shared_dir):
    for stem in NI_DOCUMENTS:
        record = expected(stem)["record"]
        numbers = [q["number"] for q in record["questions"]]
        if stem == "ni-19-11219":  # two sections of requests in the resolution
            assert numbers == [f"I.{n}" for n in range(1, 6)] + [f"II.{n}" for n in range(1, 15)]
        else:
            assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
        assert all(q["answer"] for q in record["questions"]), stem


def test_prefaces_dates_and_question_paper(shared_dir):
    path, listing = _document(shared_dir, "ni-19-11199")
    result = parse_document(path.name, path.read_bytes(), listing=listing)
    record = result.record
    assert record["explanation"].startswith("Am 17. April 2026 hat das Ministerium")
    assert record["government_preface"].startswith("Der Schutz der natürlichen Lebensgrundlagen")
    assert (record["asked_on"], record["answered_on"]) == ("2026-06-15", "2026-07-16")
    assert result.extra["received_on"] == "2026-06-01"
    assert record["related_references"][0] == "19/10889"
    assert record["askers"] == [{"name": "MUDr. PhDr. / Univ.Prag Jozef Rakicky", "faction": None}]
    # The footnotes moved from the page bottom to the end of the text they belong to.
    assert record["explanation"].endswith("mikroplastik-im-abwasser-128975.html")
    assert "[5] Vgl. https://" in record["explanation"]


def test_pdf_reads_like_its_text(shared_dir):
    path, listing = _document(shared_dir, "ni-19-11134")
    text = path.read_text(encoding="utf-8")
    pages = re.split(r"\n(?=Niedersächsischer Landtag – 19)", text)
    result = parse_document("ni-19-11134.pdf", make_pdf(pages), listing=listing)
    assert_same_record(result.record, expected("ni-19-11134")["record"])
