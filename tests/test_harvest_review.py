"""The harvest as editors meet it: the real importer, the admin pages, the review queue with
its bulk publish, auto-publishing, and ``manage.py harvest``."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from inquiries.harvest.importing import Imported, import_harvested, structured_precedence
from inquiries.harvest.sources.base import Listing
from inquiries.importers.document import parse_document
from inquiries.models import HarvestItem, HarvestItemStatus, HarvestRun, HarvestRunState, Inquiry, InquiryState, SourceDocument
from tests.admin_helpers import admin_url
from tests.workflow_factories import editor, inquiry_with_questions, publisher

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parent / "fixtures" / "documents" / "bw-17-5123-kleine-anfrage.txt"


def bw_listing(**overrides) -> Listing:
    values = {
        "external_id": "V-1",
        "reference": "17/5123",
        "title": "Unterrichtsausfall an beruflichen Schulen im Landkreis Ludwigsburg",
        "document_url": "https://landtag.example/17_5123.pdf",
    }
    values.update(overrides)
    return Listing(**values)


# --- the real importer, and the source's data taking precedence -----------------------------------


def test_the_source_takes_precedence_over_the_document_and_every_difference_is_listed():
    record = parse_document(DOCUMENT.name, DOCUMENT.read_bytes()).record
    listing = bw_listing(
        asked_on=datetime.date(2024, 3, 11), ministry="Ministerium für Finanzen", askers=[{"name": "Dr. Lena Hartmann", "faction": "CDU"}]
    )
    merged, disagreements = structured_precedence(record, listing)
    assert merged["asked_on"] == "2024-03-11"
    assert merged["answering_ministry"] == "Ministerium für Finanzen"
    assert merged["askers"] == [{"name": "Dr. Lena Hartmann", "faction": "CDU"}]
    assert {entry["field"] for entry in disagreements} == {"asked_on", "answering_ministry", "askers"}
    ministry = next(entry for entry in disagreements if entry["field"] == "answering_ministry")
    assert ministry["source"] == "Ministerium für Finanzen" and "Kultus" in ministry["document"]


def test_agreeing_data_leaves_the_record_as_parsed():
    record = parse_document(DOCUMENT.name, DOCUMENT.read_bytes()).record
    listing = bw_listing(ministry=record["answering_ministry"], askers=record["askers"])
    merged, disagreements = structured_precedence(record, listing)
    assert merged is record and disagreements == []


def test_a_harvested_document_is_kept_as_an_upload_is_and_becomes_a_draft_with_the_source_data():
    imported = import_harvested(
        "be-17_5123.pdf", DOCUMENT.read_bytes(), bw_listing(ministry="Ministerium für Finanzen"), structured=True
    )
    inquiry = Inquiry.objects.get(pk=imported.inquiry.pk)
    assert inquiry.state == InquiryState.DRAFT and imported.created
    assert inquiry.answering_ministry.name == "Ministerium für Finanzen"
    assert [entry["field"] for entry in imported.disagreements] == ["answering_ministry"]
    source = SourceDocument.objects.get(inquiry=inquiry)
    assert source.file.read() == DOCUMENT.read_bytes()
    assert source.parsed["listing"]["drucksache"] == "17/5123"


def test_a_document_of_another_drucksache_is_left_to_the_review():
    imported = import_harvested("x.pdf", DOCUMENT.read_bytes(), bw_listing(reference="17/9999", ministry="Ministerium für Finanzen"), structured=True)
    assert imported.disagreements == [{"field": "reference", "document": "17/5123", "source": "17/9999"}]
    assert "Kultus" in imported.inquiry.answering_ministry.name


# --- admin: runs, items, the review queue ---------------------------------------------------------------


@pytest.fixture
def harvested():
    inquiry = inquiry_with_questions(title="Abgerufene Anfrage")
    run = HarvestRun.objects.create(
        source="be", state=HarvestRunState.FINISHED, new_count=1, failed_count=1,
        errors=[{"url": "https://pardok.example/S19-1.pdf", "message": "HTTP 404"}],
    )
    HarvestItem.objects.create(
        source="be", external_id="V-1", reference=inquiry.reference, title=inquiry.title, inquiry=inquiry,
        status=HarvestItemStatus.NEW, last_run=run, disagreements=[{"field": "answered_on", "document": "2024-01-02", "source": "2024-01-03"}],
    )
    return inquiry, run


def test_the_runs_page_shows_counts_and_errors_read_only(client, harvested):
    _inquiry, run = harvested
    client.force_login(editor())
    listing = client.get(reverse("admin:inquiries_harvestrun_changelist"))
    assert listing.status_code == 200
    detail = client.get(reverse("admin:inquiries_harvestrun_change", args=[run.pk]))
    page = detail.content.decode()
    assert "https://pardok.example/S19-1.pdf" in page and "HTTP 404" in page
    assert client.post(reverse("admin:inquiries_harvestrun_change", args=[run.pk]), {}).status_code == 403


def test_the_items_page_shows_the_disagreements(client, harvested):
    inquiry, _run = harvested
    client.force_login(publisher())
    item = HarvestItem.objects.get()
    page = client.get(reverse("admin:inquiries_harvestitem_change", args=[item.pk])).content.decode()
    assert "answered_on: Quelle 2024-01-03 – Dokument 2024-01-02" in page
    assert client.get(reverse("admin:inquiries_harvestitem_changelist")).status_code == 200


def test_the_review_queue_lists_harvested_drafts_and_publishes_them_in_bulk(client, harvested):
    inquiry, _run = harvested
    other = inquiry_with_questions(title="Von Hand")
    client.force_login(publisher())
    queue = client.get(admin_url("changelist") + "?harvested=any&state__exact=draft")
    shown = [row.pk for row in queue.context["cl"].result_list]
    assert shown == [inquiry.pk]
    review = client.get(admin_url("changelist") + "?harvested=review")
    assert [row.pk for row in review.context["cl"].result_list] == [inquiry.pk]

    client.post(admin_url("changelist") + "?harvested=any", {"action": "publish_selected", "_selected_action": [inquiry.pk], "confirm": "yes"})
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED
    assert Inquiry.objects.get(pk=other.pk).state == InquiryState.DRAFT


def test_editors_cannot_publish_from_the_review_queue(client, harvested):
    inquiry, _run = harvested
    client.force_login(editor())
    client.post(admin_url("changelist") + "?harvested=any", {"action": "publish_selected", "_selected_action": [inquiry.pk], "confirm": "yes"})
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.DRAFT


# --- auto-publishing --------------------------------------------------------------------------------


def test_complete_structured_drafts_are_published_where_the_setting_allows(settings):
    from inquiries.harvest import runs
    from inquiries.harvest.sources.be import BerlinSource

    inquiry = inquiry_with_questions(title="Vollständig")
    source = BerlinSource(client=None)
    settings.HARVEST_AUTO_PUBLISH = []
    runs._maybe_publish(source, Imported(inquiry, True, extraction_complete=True))
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.DRAFT
    settings.HARVEST_AUTO_PUBLISH = ["be"]
    runs._maybe_publish(source, Imported(inquiry, True, warnings=["answered_on: not found"], extraction_complete=True))
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.DRAFT
    # The importer abstained on a field: its draft waits for an editor.
    runs._maybe_publish(source, Imported(inquiry, True, extraction_complete=False))
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.DRAFT
    runs._maybe_publish(source, Imported(inquiry, True, extraction_complete=True))
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED


# --- the command -------------------------------------------------------------------------------------


def test_harvest_list_names_every_source_and_its_state(settings):
    settings.DIP_API_KEY = ""
    HarvestRun.objects.create(source="be", state=HarvestRunState.INTERRUPTED, errors=[{"url": "https://x", "message": "connection failed"}])
    out = io.StringIO()
    call_command("harvest", "--list", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line and not line.startswith(" ")}
    assert set(lines) == {"bt", "be", "by", "mv", "th", "hb", "parlamentsspiegel"}
    assert "needs key" in lines["bt"]
    assert "unreachable" in lines["be"] and "https://x: connection failed" in out.getvalue()
    assert all("ready (not run yet)" in lines[code] for code in ("th", "by", "mv", "parlamentsspiegel"))
    assert "answers unverified" in lines["hb"]
    # Bremen's known limit is said where its state is shown.
    assert "answers are searched as Dokumenttyp 'Kleine Anfrage und Antwort des Senats'" in out.getvalue()
    settings.DIP_API_KEY = "public-key"
    HarvestRun.objects.create(source="bt", state=HarvestRunState.FINISHED)
    out = io.StringIO()
    call_command("harvest", "--list", stdout=out)
    assert any(line.startswith("bt") and "working" in line for line in out.getvalue().splitlines())


def test_harvest_refuses_to_run_without_a_contact(settings):
    settings.HARVEST_USER_AGENT = ""
    with pytest.raises(CommandError, match="HARVEST_CONTACT"):
        call_command("harvest", "--source", "be")


def test_harvest_reports_a_source_that_is_not_ready(settings):
    settings.HARVEST_USER_AGENT = "Test (redaktion@example.org)"
    settings.DIP_API_KEY = ""
    with pytest.raises(CommandError, match="bt: DIP_API_KEY is not set"):
        call_command("harvest", "--source", "bt", stdout=io.StringIO())
    assert not HarvestRun.objects.exists()


def test_harvest_rejects_a_bad_date(settings):
    settings.HARVEST_USER_AGENT = "Test (redaktion@example.org)"
    with pytest.raises(CommandError, match="not a date"):
        call_command("harvest", "--source", "bt", "--since", "gestern")


def test_harvest_runs_a_source_and_prints_its_counts(settings, monkeypatch):
    from inquiries.harvest.sources.be import BerlinSource
    from tests.harvest_support import FIXTURES, start_server

    server, stop = start_server()
    try:
        export = (FIXTURES / "be" / "pardok-sample.xml").read_bytes().replace(b"https://pardok.parlament-berlin.de", server.base_url.encode())
        server.static("/opendata/pardok-wp19.xml", export)
        for number in ("10006", "10004", "10002"):
            server.static(f"/starweb/adis/citat/VT/19/SchrAnfr/S19-{number}.pdf", DOCUMENT.read_bytes())
        monkeypatch.setattr(BerlinSource, "default_base_url", server.base_url)
        settings.HARVEST_USER_AGENT = "Test (redaktion@example.org)"
        settings.HARVEST_DELAY_MS = 0
        out, err = io.StringIO(), io.StringIO()
        call_command("harvest", "--source", "be", stdout=out, stderr=err)
    finally:
        stop()
    # The server hands out one test document (BW 17/5123) for all three Anfragen: each is kept
    # for review, with the Drucksache the listing names and the one the document names.
    assert "be: run #" in out.getvalue() and "abgeschlossen" in out.getvalue()
    assert "no export for Wahlperiode 20 (HTTP 404)" in err.getvalue()
    assert server.seen[0].path == "/robots.txt"
    assert all(request.headers["user-agent"] == "Test (redaktion@example.org)" for request in server.seen)
    items = HarvestItem.objects.filter(source="be")
    assert items.count() == 3
    assert all(item.disagreements[0]["field"] == "reference" for item in items)


def test_harvest_list_says_when_a_source_is_refused_by_robots_txt(settings):
    HarvestRun.objects.create(
        source="by", state=HarvestRunState.FAILED, errors=[{"url": "https://www.bayern.landtag.de/x", "message": "refused by the host's robots.txt"}]
    )
    out = io.StringIO()
    call_command("harvest", "--list", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("by "))
    assert "refused (robots.txt)" in line


# --- progress: a bar on a terminal, plain lines in a log ----------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_and_a_log_gets_plain_lines(caplog):
    from inquiries.management.commands.harvest import ProgressReporter

    listing = bw_listing(reference="17/5123")
    terminal = Terminal()
    with caplog.at_level("INFO", logger="inquiries.harvest"):
        bar = ProgressReporter("be", terminal)
        bar.item(listing, "new")
        bar.item(listing, "unchanged")
        bar.message("be: continuing run #3")
        bar.close()
    assert "\rbe: 2 inquiries" in terminal.getvalue() and "17/5123 unchanged" in terminal.getvalue()
    assert "be: continuing run #3" in terminal.getvalue()
    assert caplog.records == []  # nothing doubled into the log on a terminal

    log_stream = io.StringIO()
    with caplog.at_level("INFO", logger="inquiries.harvest"):
        plain = ProgressReporter("be", log_stream)
        plain.item(listing, "new")
        plain.message("be: continuing run #3")
        plain.close()
    assert log_stream.getvalue() == ""  # no bar, no carriage returns
    assert [record.getMessage() for record in caplog.records] == ["V-1 17/5123: new", "be: continuing run #3"]
