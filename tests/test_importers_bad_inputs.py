"""Documents that cannot be imported fail with one clear message naming the file, and save nothing."""

from __future__ import annotations

import os

import pytest

from inquiries.importers.base import DocumentError
from inquiries.importers.document import parse_document
from inquiries.models import Inquiry, Person, SourceDocument
from inquiries.services.documents import import_document
from tests.importer_cases import DOCUMENTS
from tests.pdfs import make_pdf

KLEINE_ANFRAGE = (DOCUMENTS / "bw-17-5402-kleine-anfrage.txt").read_text(encoding="utf-8")


def _damaged_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ngarbage that is no PDF structure\n%%EOF\n"


BAD_DOCUMENTS = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\n \t\n", "empty file"),
    "binary.txt": (os.urandom(4096) + b"\x00" * 64, "binary file"),
    "truncated.pdf": (make_pdf(KLEINE_ANFRAGE.split("\f"))[:1500], "truncated PDF"),
    "encrypted.pdf": (make_pdf(KLEINE_ANFRAGE.split("\f"), password="geheim"), "encrypted PDF"),
    "damaged.pdf": (_damaged_pdf(), "damaged PDF"),
    "scan.pdf": (make_pdf(["", ""]), "PDF without text"),
    "unknown-layout.txt": ((DOCUMENTS / "unknown-layout.txt").read_bytes(), "unknown layout"),
}


def test_a_question_paper_without_answers_is_a_draft_with_every_answer_abstained():
    # Refused whole before; now the common reading gives what can be read and names the holes.
    data = KLEINE_ANFRAGE.split("Antwort\n\nMit Schreiben")[0].encode()
    result = parse_document("no-answers.txt", data)
    assert result.parser == "common"
    assert result.warnings[0].startswith("layout: read with the common reading, as the bw_drucksache parser refused it (no answer")
    extraction = result.record["extraction"]
    assert extraction["complete"] is False
    assert [question["answer"] for question in result.record["questions"]] == [None, None, None]
    assert {"answered_on", "questions[0].answer", "questions[1].answer", "questions[2].answer"} <= set(extraction["abstained"])


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_bad_document_gives_one_clear_error_naming_the_file(name):
    data, problem = BAD_DOCUMENTS[name]
    with pytest.raises(DocumentError) as error:
        parse_document(name, data)
    message = str(error.value)
    assert message.startswith(f"{name}: ")
    assert problem in message
    assert "\n" not in message


def test_forced_format_that_does_not_exist():
    with pytest.raises(DocumentError, match="unknown format 'xy'"):
        parse_document("a.txt", KLEINE_ANFRAGE.encode(), format="xy")


def test_forced_format_of_another_layout_says_what_is_missing():
    with pytest.raises(DocumentError, match="no running header 'Niedersächsischer Landtag"):
        parse_document("a.txt", KLEINE_ANFRAGE.encode(), format="ni")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_nothing_is_saved_for_a_bad_document(name, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DocumentError):
        import_document(name, BAD_DOCUMENTS[name][0])
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists() and not Person.objects.exists()
    assert not any(tmp_path.iterdir())


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused_before_parsing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_MAX_BYTES = 10_000
    junk = os.urandom(50_000)
    with pytest.raises(DocumentError, match=r"junk\.pdf: file too large: 50000 bytes, the limit is 10000"):
        import_document("junk.pdf", junk)
    assert not SourceDocument.objects.exists()


@pytest.mark.django_db
def test_record_the_database_would_refuse_is_a_document_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The answer dated before the question: the record is refused, and nothing is left behind.
    text = KLEINE_ANFRAGE.replace("Mit Schreiben vom 6. Mai 2024", "Mit Schreiben vom 6. Mai 2023")
    with pytest.raises(DocumentError, match="answered_on: 2023-05-06 is before asked_on 2024-04-10"):
        import_document("a.txt", text.encode())
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
