"""``import_document``: saving, keeping the original, updating in place, matching names."""

from __future__ import annotations

import pytest

from inquiries.models import (
    Faction,
    Inquiry,
    InquiryState,
    Membership,
    Ministry,
    MinistryRole,
    Parliament,
    Person,
    Question,
    SourceDocument,
)
from inquiries.services.documents import import_document, reparse_documents
from inquiries.services.reference import get_or_create_parliament
from inquiries.services.workflow import publish
from tests.importer_cases import DOCUMENTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def seed_bytes(shared_dir):
    return (shared_dir / "documents" / "bw-17-6206-antwort.txt").read_bytes()


def test_import_saves_a_draft_with_everything_the_document_says(seed_bytes):
    result = import_document("bw-17-6206-antwort.txt", seed_bytes)
    inquiry = result.inquiry
    assert result.created and result.parser == "bw_letter" and result.warnings == []
    assert (inquiry.parliament.code, inquiry.reference, inquiry.state) == ("BW", "17/6206", InquiryState.DRAFT)
    assert [link.person.full_name for link in inquiry.asker_links.all()] == ["Nico Weinmann"]
    assert inquiry.asker_links.get().faction.short_name == "FDP/DVP"
    assert inquiry.answering_ministry.name == "Ministerium des Inneren, für Digitalisierung und Kommunen"
    roles = [(link.role, link.ministry.name) for link in inquiry.ministry_links.order_by("role", "position")]
    assert roles == [
        (MinistryRole.CONSULTED, "Ministerium für Finanzen"),
        (MinistryRole.COPIED, "Staatsministerium"),
        (MinistryRole.COPIED, "Ministerium für Finanzen"),
    ]
    assert (inquiry.signed_by.full_name, inquiry.signed_by_role) == ("Thomas Strobl", "Minister des Inneren, für Digitalisierung und Kommunen")
    assert inquiry.questions.count() == 9
    assert inquiry.full_text == seed_bytes.decode("utf-8")


def test_original_and_parser_output_are_kept(seed_bytes, media):
    result = import_document("bw-17-6206-antwort.txt", seed_bytes)
    source = result.source_document
    assert source.inquiry == result.inquiry and source.parser == "bw_letter"
    assert source.original_name == "bw-17-6206-antwort.txt"
    with source.file.open("rb") as handle:
        assert handle.read() == seed_bytes
    assert result.inquiry.document.name == source.file.name
    assert source.parsed["record"]["reference"] == "17/6206" and "full_text" not in source.parsed["record"]
    assert source.text == seed_bytes.decode("utf-8")


def test_dry_run_saves_nothing(seed_bytes, media):
    result = import_document("bw-17-6206-antwort.txt", seed_bytes, dry_run=True)
    assert result.record["reference"] == "17/6206" and result.inquiry is None
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists() and not any(media.iterdir())


def test_reimport_updates_in_place_without_duplicates(seed_bytes):
    first = import_document("bw-17-6206-antwort.txt", seed_bytes)
    question_ids = list(first.inquiry.questions.values_list("pk", flat=True))
    counts = (Person.objects.count(), Ministry.objects.count(), Faction.objects.count(), Membership.objects.count())
    # A corrected version of the same paper: same reference, one answer changed.
    corrected = seed_bytes.replace("monatlich 3.180,00 Euro".encode(), "monatlich 3.200,00 Euro".encode())
    second = import_document("bw-17-6206-antwort-korrigiert.txt", corrected)
    assert not second.created and second.inquiry.pk == first.inquiry.pk
    assert list(second.inquiry.questions.values_list("pk", flat=True)) == question_ids
    assert "3.200,00 Euro" in Question.objects.get(inquiry=second.inquiry, number="5").answer
    assert (Person.objects.count(), Ministry.objects.count(), Faction.objects.count(), Membership.objects.count()) == counts
    assert Inquiry.objects.count() == 1 and SourceDocument.objects.count() == 2
    assert second.inquiry.document.name == second.source_document.file.name
    # The same file again reuses its kept original.
    import_document("bw-17-6206-antwort.txt", seed_bytes)
    assert SourceDocument.objects.count() == 2


def test_reimport_keeps_the_state_of_a_published_inquiry(seed_bytes):
    inquiry = import_document("a.txt", seed_bytes).inquiry
    publish(inquiry)
    import_document("a.txt", seed_bytes, state=InquiryState.DRAFT)
    inquiry.refresh_from_db()
    assert inquiry.state == InquiryState.PUBLISHED


def test_new_inquiry_can_be_published_at_once(seed_bytes):
    inquiry = import_document("a.txt", seed_bytes, state=InquiryState.PUBLISHED).inquiry
    assert inquiry.state == InquiryState.PUBLISHED and inquiry.published_at is not None


def test_names_match_existing_people_ministries_and_factions_in_any_form(shared_dir):
    bw = get_or_create_parliament("BW")
    Ministry.objects.create(parliament=bw, name="Ministerium für Kultus, Jugend und Sport", slug="km")
    Faction.objects.create(parliament=bw, short_name="CDU", name="Fraktion der CDU", slug="cdu")
    Person.objects.create(first_name="Lena", last_name="Hartmann", slug="lena-hartmann")
    result = import_document("a.txt", (DOCUMENTS / "bw-17-5123-kleine-anfrage.txt").read_bytes())
    assert Ministry.objects.filter(parliament=bw).count() == 2  # Kultus (matched) and Finanzen (new)
    assert Faction.objects.filter(parliament=bw).count() == 1
    hartmann = Person.objects.get(last_name="Hartmann")
    assert hartmann.title == "Dr." and result.inquiry.askers.filter(pk=hartmann.pk).exists()

    ni = shared_dir / "documents" / "ni"
    import_document("b.txt", (ni / "ni-19-11134.txt").read_bytes())
    import_document("c.txt", (ni / "ni-19-11251.txt").read_bytes())
    social = Ministry.objects.filter(parliament=Parliament.objects.get(code="NI"), name__contains="Soziales")
    assert [ministry.name for ministry in social] == ["Niedersächsisches Ministerium für Soziales, Arbeit, Gesundheit und Gleichstellung"]


def test_reparse_documents_parses_every_kept_original_again(seed_bytes, shared_dir):
    import_document("bw-17-6206-antwort.txt", seed_bytes)
    path = shared_dir / "documents" / "ni" / "ni-19-11134.txt"
    listing = {"source_url": "https://example.org/19-11134.pdf"}
    import_document(path.name, path.read_bytes(), listing=listing)
    Question.objects.filter(inquiry__reference="17/6206", number="1").update(answer="von Hand verdorben")
    outcomes = reparse_documents()
    assert [outcome.record["reference"] for _, outcome in outcomes] == ["17/6206", "19/11134"]
    assert Question.objects.get(inquiry__reference="17/6206", number="1").answer.startswith("Die Polizei Baden-Württemberg")
    # The listing kept with the document is used again.
    assert Inquiry.objects.get(reference="19/11134").source_url == "https://example.org/19-11134.pdf"
    assert Inquiry.objects.count() == 2


def test_reparse_reports_a_lost_original(seed_bytes, media):
    source = import_document("bw-17-6206-antwort.txt", seed_bytes).source_document
    (media / source.file.name).unlink()
    [(kept, outcome)] = reparse_documents()
    assert kept == source and "the kept original file is missing" in str(outcome)
