"""Huge uploads are refused early with the limit they broke, and no parse outlives its time budget."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries.importers import document, limits
from inquiries.importers.base import DocumentError
from inquiries.importers.text import join_paragraphs, join_two, join_wrapped, reflow
from inquiries.models import Inquiry, SourceDocument
from inquiries.services import documents
from tests.admin_helpers import admin_url
from tests.pdfs import make_pdf
from tests.workflow_factories import editor

FIXTURE = Path(__file__).parent / "fixtures" / "documents" / "bw-17-5123-kleine-anfrage.txt"
MARK = "Die Wirkung dieser Maßnahmen wird im Schuljahr 2024/2025 ausgewertet."


def padded(lines: int) -> bytes:
    """A real answer whose last answer runs on for ``lines`` short lines (the upload of issue 18)."""
    seed = FIXTURE.read_text(encoding="utf-8")
    filler = "\n".join(f"Wort {index % 997}" for index in range(lines))
    return seed.replace(MARK, f"{MARK[:-1]}\n{filler}.").encode("utf-8")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_a_million_lines_are_refused_by_the_default_limit_naming_file_and_setting():
    with pytest.raises(DocumentError) as caught:
        documents.import_document("riesig.txt", padded(1_000_000))
    message = str(caught.value)
    assert message.startswith("riesig.txt: too many lines: 1,000,1")
    assert "the limit is 100,000 (DOCUMENT_MAX_LINES)" in message
    assert "signed_by" not in message
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists()


@pytest.mark.django_db
def test_the_line_limit_is_a_setting(settings):
    settings.DOCUMENT_MAX_LINES = 300
    with pytest.raises(DocumentError, match=r"^lang\.txt: too many lines: .* the limit is 300 \(DOCUMENT_MAX_LINES\)"):
        documents.import_document("lang.txt", padded(400))
    settings.DOCUMENT_MAX_LINES = 0  # off
    result = documents.import_document("lang.txt", padded(400))
    assert result.record["reference"] == "17/5123"


@pytest.mark.django_db
def test_a_document_within_the_limits_parses_as_before(settings):
    settings.DOCUMENT_MAX_LINES = 1_000
    result = documents.import_document("normal.txt", padded(20))
    assert result.inquiry.reference == "17/5123" and result.inquiry.questions.count() >= 4


@pytest.mark.django_db
def test_a_pdf_with_too_many_pages_is_refused_before_its_text_is_read(settings):
    settings.DOCUMENT_MAX_PAGES = 5
    data = make_pdf([f"Seite {number}" for number in range(1, 8)])
    with pytest.raises(DocumentError, match=r"^dick\.pdf: too many pages: 7 pages, the limit is 5 \(DOCUMENT_MAX_PAGES\)"):
        documents.import_document("dick.pdf", data)
    assert not SourceDocument.objects.exists()


@pytest.mark.django_db
def test_a_parse_past_its_time_budget_is_stopped_with_a_clear_error(settings, monkeypatch):
    settings.DOCUMENT_PARSE_SECONDS = 1
    # A parser that never ends (a stand-in for a pathological input); the helper inherits it.
    class Endless:
        def parse(self, text: str, *, name: str) -> None:
            time.sleep(3600)

    monkeypatch.setattr(document, "detect_parser", lambda text, *, name: Endless())
    with pytest.raises(DocumentError, match=r"^haengt\.txt: parsing took longer than 1 s and was stopped \(DOCUMENT_PARSE_SECONDS\)"):
        documents.import_document("haengt.txt", padded(5))
    assert not Inquiry.objects.exists()


def test_errors_and_results_come_back_from_the_helper_as_they_were(settings):
    settings.DOCUMENT_PARSE_SECONDS = 30

    def refuse() -> None:
        raise DocumentError("x.txt", "not an answer")

    def fail() -> None:
        raise KeyError("bug")

    assert limits.within_budget("x.txt", lambda: {"questions": [1, 2]}) == {"questions": [1, 2]}
    with pytest.raises(DocumentError) as caught:
        limits.within_budget("x.txt", refuse)
    assert (caught.value.name, caught.value.problem) == ("x.txt", "not an answer")
    with pytest.raises(KeyError, match="bug"):
        limits.within_budget("x.txt", fail)


@pytest.mark.django_db
def test_the_admin_upload_names_the_limit_instead_of_a_server_error(client, settings):
    settings.DOCUMENT_MAX_LINES = 1_000
    client.force_login(editor())
    upload = SimpleUploadedFile("riesig.txt", padded(5_000), content_type="text/plain")
    response = client.post(admin_url("upload"), {"document": upload, "format": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "riesig.txt" in html and "too many lines" in html and "DOCUMENT_MAX_LINES" in html
    assert not Inquiry.objects.exists()


# --- the joining helpers give what they gave before, built in linear time --------------------------


def test_join_two_looks_at_the_end_of_the_text_before():
    long = "x" * 1000
    assert join_two(f"{long} Informa-", "tionen") == f"{long} Informationen"
    assert join_two(f"{long} so-", "wie") == f"{long} sowie"
    assert join_two(f"{long} Bürokratie-", "und Dokumentation") == f"{long} Bürokratie- und Dokumentation"
    assert join_two(f"{long} EU-", "Kommission") == f"{long} EU-Kommission"
    assert join_two(f"{long} 2026-", "2030") == f"{long} 2026-2030"
    assert join_two(f"{long} (Takt", ").") == f"{long} (Takt)."


def test_join_wrapped_and_reflow_keep_hyphenation_tables_and_paragraphs():
    lines = ["Die Informa-", "tionen der EU-", "Kommission und so-", "wie  bisher", "1 2 3 4", "5 6 7 8", "Ende."]
    assert join_wrapped(lines) == "Die Informationen der EU-Kommission und sowie bisher\n1 2 3 4\n5 6 7 8\nEnde."
    assert join_wrapped(["a", "b"] * 3) == "a b a b a b"
    assert reflow(["Kurz.", "Danach folgt ein Absatz,", "der weiter-", "geht."], width=45000) == "Kurz.\n\nDanach folgt ein Absatz, der weitergeht."
    assert join_paragraphs(["Fragen:", "– eins", "– zwei", "Schluss"]) == "Fragen:\n– eins\n– zwei\n\nSchluss"
