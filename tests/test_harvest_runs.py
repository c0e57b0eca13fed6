"""Harvest runs against recorded answers of the sources, served on 127.0.0.1.

The document importer is replaced here by a stand-in that makes a small inquiry from the
listing (so these tests are about the harvester, whatever layouts the importer reads);
tests/test_harvest_import.py runs the real importer.
"""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from inquiries.harvest.importing import Imported
from inquiries.harvest.runs import SourceBusy, harvest
from inquiries.harvest.sources.base import Listing, SourceNotReady
from inquiries.harvest.sources.be import BerlinSource
from inquiries.harvest.sources.bt import BundestagSource
from inquiries.importers.base import DocumentError, new_record
from inquiries.services import upsert, workflow
from inquiries.models import (
    HarvestItem,
    HarvestItemStatus,
    HarvestRun,
    HarvestRunState,
    HarvestSource,
    Inquiry,
    InquiryState,
    SourceDocument,
)
from tests.harvest_support import FIXTURES, polite_client, serve_document, server

pytestmark = pytest.mark.django_db

DIP_PATH = "/api/v1/vorgangsposition"


@pytest.fixture
def client():
    # two tries: the runs' tests see a 5xx answer retried once
    polite = polite_client(retries=2)
    yield polite
    polite.close()


imported_names: list[str] = []


def stand_in_importer(name: str, data: bytes, listing: Listing, *, structured: bool) -> Imported:
    """An inquiry from the listing; a document reading "garbage" is refused like a bad PDF."""
    if data.startswith(b"garbage"):
        raise DocumentError(name, "neither text nor PDF")
    imported_names.append(name)
    record = new_record("BT" if "/" in listing.reference and listing.reference.startswith("21") else "BE", listing.reference, "minor", listing.title or "Titel")
    record["full_text"] = data.decode("utf-8", "replace")
    inquiry, created = upsert.upsert_inquiry(record, state=InquiryState.DRAFT)
    return Imported(inquiry, created, [], [])


def dip_positions(server) -> list[dict]:
    """The recorded DIP positions, their PDF addresses moved to the local server."""
    body = json.loads((FIXTURES / "bt" / "vorgangsposition.json").read_text(encoding="utf-8"))
    for position in body["documents"]:
        fundstelle = position["fundstelle"]
        fundstelle["pdf_url"] = fundstelle["pdf_url"].replace("https://dserver.bundestag.de", server.base_url)
    return body["documents"]


def serve_dip(server, pages: list[list[dict]], *, by_vorgang: dict[str, list[dict]] | None = None) -> None:
    """DIP's cursor paging: page n answers cursor "c<n>" and names "c<n+1>"; the last repeats its cursor."""

    def answer(request):
        if "f.vorgang" in request.query:
            return 200, {"Content-Type": "application/json"}, json.dumps({"documents": (by_vorgang or {})[request.query["f.vorgang"]]}).encode()
        index = int(request.query.get("cursor", "c0")[1:])
        documents = pages[index] if index < len(pages) else []
        cursor = f"c{index + 1}" if index + 1 < len(pages) else f"c{index}"
        body = {"numFound": sum(len(page) for page in pages), "documents": documents, "cursor": cursor}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    server.routes[DIP_PATH] = answer


def bt(server, client) -> BundestagSource:
    return BundestagSource(client, base_url=server.base_url, api_key="test-key")


def run_bt(server, client, **kwargs) -> HarvestRun:
    return harvest(bt(server, client), importer=stand_in_importer, **kwargs)


# --- DIP: paging, changes, a second run ----------------------------------------------------------


def test_a_vorgang_split_over_two_cursor_pages_becomes_one_inquiry(server, client):
    question, answer = dip_positions(server)
    serve_dip(server, [[question], [answer]], by_vorgang={"338265": [question, answer]})
    serve_document(server, "/btd/21/079/2107982.pdf", b"Antwort 21/7982")
    run = run_bt(server, client, since=datetime.date(2026, 8, 1))

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 1, 0)
    item = HarvestItem.objects.get(source="bt", external_id="338265")
    assert item.reference == "21/7982" and item.inquiry.reference == "21/7982"
    assert item.listing["askers"] == [
        {"name": "Dr. Alaa Alhamwi", "faction": "BÜNDNIS 90/DIE GRÜNEN"},
        {"name": "Dr. Julia Verlinden", "faction": "BÜNDNIS 90/DIE GRÜNEN"},
    ]
    assert item.listing["ministry"] == "Bundesministerium für Wirtschaft und Energie"
    assert (item.listing["asked_on"], item.listing["answered_on"]) == ("2026-08-13", "2026-09-10")
    # The window and the key went to DIP; the key in a header, not in the address.
    first = server.requests_to(DIP_PATH)[0]
    assert first.query["f.aktualisiert.start"] == "2026-08-01T00:00:00"
    assert first.query["f.vorgangstyp"] == "Kleine Anfrage"
    assert first.headers["authorization"] == "ApiKey test-key" and "apikey" not in first.query
    # Page 2 was asked for with page 1's cursor.
    assert [request.query.get("cursor") for request in server.requests_to(DIP_PATH) if "f.vorgang" not in request.query] == [None, "c1"]


def test_a_second_run_that_finds_nothing_new_changes_nothing(server, client):
    serve_dip(server, [dip_positions(server)])
    serve_document(server, "/btd/21/079/2107982.pdf", b"Antwort 21/7982")
    run_bt(server, client, since=datetime.date(2026, 8, 1))
    inquiry = Inquiry.objects.get(reference="21/7982")
    documents_before = len(server.requests_to("/btd/21/079/2107982.pdf"))

    second = run_bt(server, client, since=datetime.date(2026, 8, 1))

    assert (second.new_count, second.changed_count, second.unchanged_count) == (0, 0, 1)
    assert len(server.requests_to("/btd/21/079/2107982.pdf")) == documents_before  # not even fetched
    assert Inquiry.objects.get(pk=inquiry.pk).updated_at == inquiry.updated_at
    assert Inquiry.objects.count() == 1


def test_a_changed_entry_is_fetched_conditionally_and_reimported_when_the_document_changed(server, client):
    positions = dip_positions(server)
    serve_dip(server, [positions])
    serve_document(server, "/btd/21/079/2107982.pdf", b"Antwort 21/7982", etag='"1"')
    run_bt(server, client, since=datetime.date(2026, 8, 1))

    # DIP marks the Vorgang changed, but the PDF is the same: a 304, nothing imported.
    changed = copy.deepcopy(positions)
    changed[1]["aktualisiert"] = "2026-09-20T10:00:00+02:00"
    serve_dip(server, [changed])
    same = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert (same.changed_count, same.unchanged_count) == (0, 1)
    assert server.requests_to("/btd/21/079/2107982.pdf")[-1].headers["if-none-match"] == '"1"'

    # Then a corrected PDF with a new ETag: imported again, the same inquiry updated.
    changed[1]["aktualisiert"] = "2026-09-21T10:00:00+02:00"
    serve_document(server, "/btd/21/079/2107982.pdf", b"Antwort 21/7982, berichtigt", etag='"2"')
    corrected = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert (corrected.changed_count, corrected.new_count) == (1, 0)
    item = HarvestItem.objects.get(external_id="338265")
    assert (item.status, item.etag) == (HarvestItemStatus.CHANGED, '"2"')
    assert Inquiry.objects.get().full_text == "Antwort 21/7982, berichtigt"


def test_an_unanswered_vorgang_is_not_fetched_yet(server, client):
    question = dip_positions(server)[0]
    serve_dip(server, [[question]], by_vorgang={"338265": [question]})
    run = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 0, 0)
    assert not HarvestItem.objects.exists()


# --- failures: malformed answers, 4xx, robots.txt --------------------------------------------------


def test_a_malformed_document_is_reported_and_nothing_of_it_is_saved(server, client):
    serve_dip(server, [dip_positions(server)])
    serve_document(server, "/btd/21/079/2107982.pdf", b"garbage \x00\x01")
    run = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert (run.state, run.failed_count, run.new_count) == (HarvestRunState.FINISHED, 1, 0)
    assert run.errors == [{"url": f"{server.base_url}/btd/21/079/2107982.pdf", "message": "bt-2107982.pdf: neither text nor PDF"}]
    assert not Inquiry.objects.exists()
    item = HarvestItem.objects.get()
    assert item.status == HarvestItemStatus.FAILED and item.inquiry is None
    # A failed document keeps the watermark where it was, so the next run lists it again.
    assert HarvestSource.objects.get(code="bt").watermark is None


def test_a_malformed_listing_interrupts_the_run_with_its_address(server, client):
    server.static(DIP_PATH, b"<html>Wartungsarbeiten</html>")
    run = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert run.state == HarvestRunState.INTERRUPTED
    assert "not JSON" in run.errors[0]["message"] and DIP_PATH in run.errors[0]["url"]
    assert not HarvestItem.objects.exists()


def test_a_missing_document_is_a_failure_of_that_item_only(server, client):
    serve_dip(server, [dip_positions(server)])
    run = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert run.failed_count == 1 and "HTTP 404" in run.errors[0]["message"]
    assert len(server.requests_to("/btd/21/079/2107982.pdf")) == 1  # no retry on 4xx


def test_a_listing_forbidden_by_robots_txt_fails_the_run_and_says_so(server, client):
    server.static("/robots.txt", b"User-agent: *\nDisallow: /\n")
    serve_dip(server, [dip_positions(server)])
    run = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert run.state == HarvestRunState.FAILED
    assert "robots.txt" in run.errors[0]["message"]
    assert server.requests_to(DIP_PATH) == []


def test_without_a_key_the_bundestag_is_not_ready(server, client):
    with pytest.raises(SourceNotReady, match="DIP_API_KEY"):
        harvest(BundestagSource(client, base_url=server.base_url, api_key=""), importer=stand_in_importer)


# --- resuming and the lock ---------------------------------------------------------------------


def test_an_interrupted_run_is_continued_from_its_last_finished_page(server, client):
    positions = dip_positions(server)
    second_vorgang = copy.deepcopy(positions)
    for position in second_vorgang:
        position["vorgang_id"] = "338999"
    second_vorgang[1]["fundstelle"]["dokumentnummer"] = "21/7990"
    second_vorgang[1]["fundstelle"]["pdf_url"] = f"{server.base_url}/btd/21/079/2107990.pdf"
    serve_dip(server, [positions, second_vorgang])
    serve_document(server, "/btd/21/079/2107982.pdf", b"Antwort 21/7982")
    # The DIP server goes away after the first page.
    first_page = server.routes[DIP_PATH]
    server.routes[DIP_PATH] = lambda request: first_page(request) if "cursor" not in request.query else (503, {}, b"")
    interrupted = run_bt(server, client, since=datetime.date(2026, 8, 1))
    assert interrupted.state == HarvestRunState.INTERRUPTED and interrupted.new_count == 1
    assert interrupted.checkpoint == {"cursor": "c1"}

    serve_dip(server, [positions, second_vorgang])
    serve_document(server, "/btd/21/079/2107990.pdf", b"Antwort 21/7990")
    listing_requests = len(server.requests_to(DIP_PATH))
    resumed = run_bt(server, client)  # no window: continue the interrupted run
    assert resumed.resumed_from == interrupted
    assert (resumed.since, resumed.new_count, resumed.unchanged_count) == (datetime.date(2026, 8, 1), 1, 0)
    assert server.requests_to(DIP_PATH)[listing_requests].query["cursor"] == "c1"
    assert HarvestRun.objects.get(pk=interrupted.pk).state == HarvestRunState.RESUMED
    assert sorted(Inquiry.objects.values_list("reference", flat=True)) == ["21/7982", "21/7990"]


def test_two_runs_of_one_source_never_overlap(server, client):
    serve_dip(server, [dip_positions(server)])
    serve_document(server, "/btd/21/079/2107982.pdf", b"Antwort 21/7982")
    seen_busy = []

    def importer_that_starts_a_second_run(name, data, listing, *, structured):
        with pytest.raises(SourceBusy, match="still running"):
            run_bt(server, client, since=datetime.date(2026, 8, 1))
        seen_busy.append(True)
        return stand_in_importer(name, data, listing, structured=structured)

    run = harvest(bt(server, client), since=datetime.date(2026, 8, 1), importer=importer_that_starts_a_second_run)
    assert seen_busy == [True] and run.state == HarvestRunState.FINISHED
    assert HarvestRun.objects.count() == 1
    # Released at the end: the next run may start.
    assert HarvestSource.objects.get(code="bt").locked_by is None
    assert run_bt(server, client, since=datetime.date(2026, 8, 1)).state == HarvestRunState.FINISHED


def test_a_lock_left_by_a_crashed_run_expires_and_the_run_is_continued(server, client):
    serve_dip(server, [dip_positions(server)])
    serve_document(server, "/btd/21/079/2107982.pdf", b"Antwort 21/7982")
    crashed = HarvestRun.objects.create(source="bt", state=HarvestRunState.RUNNING, since=datetime.date(2026, 8, 1))
    HarvestSource.objects.create(code="bt", locked_by=crashed, locked_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))

    run = run_bt(server, client)

    assert (run.state, run.resumed_from, run.since, run.new_count) == (HarvestRunState.FINISHED, crashed, datetime.date(2026, 8, 1), 1)
    crashed.refresh_from_db()
    assert crashed.state == HarvestRunState.RESUMED
    assert crashed.errors == [{"url": "", "message": "the run ended without finishing (killed or crashed)"}]


# --- Berlin: ETag on the export, deletions at the source ----------------------------------------------


def berlin_export(server) -> bytes:
    xml = (FIXTURES / "be" / "pardok-sample.xml").read_text(encoding="utf-8")
    return xml.replace("https://pardok.parlament-berlin.de", server.base_url).encode()


def serve_berlin(server, export: bytes, etag: str = '"export-1"') -> None:
    serve_document(server, "/opendata/pardok-wp19.xml", export, etag=etag)
    for number in ("10006", "10004", "10002"):
        serve_document(server, f"/starweb/adis/citat/VT/19/SchrAnfr/S19-{number}.pdf", f"Schriftliche Anfrage 19/{number}".encode())


def test_berlin_imports_the_anfragen_of_the_export_and_asks_conditionally_next_time(server, client):
    serve_berlin(server, berlin_export(server))
    source = BerlinSource(client, base_url=server.base_url, periods=(19,))
    first = harvest(source, importer=stand_in_importer)
    assert (first.state, first.new_count, first.withdrawn_count) == (HarvestRunState.FINISHED, 3, 0)
    item = HarvestItem.objects.get(external_id="V-351634")
    assert item.listing["askers"] == [{"name": "Torsten Hofer", "faction": "SPD"}]
    assert item.listing["ministry"] == "Senatsverwaltung für Umwelt, Verkehr und Klimaschutz"
    assert item.listing["answered_on"] == "2021-11-19"

    second = harvest(BerlinSource(client, base_url=server.base_url, periods=(19,)), importer=stand_in_importer)
    assert (second.new_count, second.unchanged_count) == (0, 0)
    assert server.requests_to("/opendata/pardok-wp19.xml")[-1].headers["if-none-match"] == '"export-1"'


def test_a_vorgang_deleted_at_the_source_withdraws_its_draft(server, client):
    export = berlin_export(server)
    serve_berlin(server, export.replace(b"<VNr>V-351039</VNr>\n      <VFunktion>delete</VFunktion>\n      <VID>V-351039</VID>", b"<VID>V-351039</VID><VTyp>x</VTyp>"))
    harvest(BerlinSource(client, base_url=server.base_url, periods=(19,)), importer=stand_in_importer)
    published = HarvestItem.objects.get(external_id="V-351583").inquiry
    workflow.publish(published)

    # The next export deletes two Anfragen: a draft is withdrawn, the published one is left for review.
    deletions = b"".join(
        f"<Vorgang><VNr>{vid}</VNr><VFunktion>delete</VFunktion><VID>{vid}</VID></Vorgang>".encode() for vid in ("V-351557", "V-351583")
    )
    serve_berlin(server, export.replace(b"</Export>", deletions + b"</Export>"), etag='"export-2"')
    run = harvest(BerlinSource(client, base_url=server.base_url, periods=(19,)), importer=stand_in_importer)

    assert run.withdrawn_count == 2
    draft = HarvestItem.objects.get(external_id="V-351557")
    assert draft.status == HarvestItemStatus.WITHDRAWN
    assert draft.inquiry.state == InquiryState.WITHDRAWN
    kept = HarvestItem.objects.get(external_id="V-351583")
    assert kept.status == HarvestItemStatus.WITHDRAWN and kept.inquiry.state == InquiryState.PUBLISHED
    assert "published inquiry stays" in kept.error
    # A deletion of something never harvested (V-351039) is no news.
    assert not HarvestItem.objects.filter(external_id="V-351039").exists()


def test_a_broken_export_is_reported_and_nothing_is_saved(server, client):
    serve_berlin(server, berlin_export(server)[:2000])
    run = harvest(BerlinSource(client, base_url=server.base_url, periods=(19,)), importer=stand_in_importer)
    assert run.state == HarvestRunState.INTERRUPTED
    assert "not well-formed XML" in run.errors[0]["message"]
    assert not HarvestItem.objects.exists() and not SourceDocument.objects.exists()


# --- Thüringen: Parldok's JSON in its envelope ------------------------------------------------------


def serve_parldok(server, *, process: bytes | None = None) -> None:
    search = (FIXTURES / "th" / "parldok-search.json").read_bytes()
    server.routes["/parldok/Fulltext/Search"] = lambda request: (200, {"Content-Type": "application/json"}, search)
    recorded = process if process is not None else (FIXTURES / "th" / "parldok-process.json").read_bytes()
    server.routes["/parldok/Process/Document"] = lambda request: (200, {"Content-Type": "application/json"}, recorded)
    path = "/ParlDok/dokument/103169/8_1715_personal_und_arbeitskriterien_der_gedenkstaetten_buchenwald_und_mittelbau_dora"
    serve_document(server, path, b"Antwort 8/1715")


def thueringen(server, client):
    from inquiries.harvest.sources.th import ThueringenSource

    return ThueringenSource(client, base_url=f"{server.base_url}/parldok", web_url=f"{server.base_url}/ParlDok")


def test_thueringen_finds_the_answer_in_the_vorgang_of_a_listed_kleine_anfrage(server, client):
    serve_parldok(server)
    run = harvest(thueringen(server, client), since=datetime.date(2025, 6, 1), until=datetime.date(2025, 6, 30), importer=stand_in_importer)
    assert (run.state, run.new_count) == (HarvestRunState.FINISHED, 1)
    item = HarvestItem.objects.get()
    assert (item.external_id, item.reference) == ("parldok:102282", "8/1715")
    assert item.listing["askers"] == [{"name": "Thomas Benninghaus", "faction": "AfD"}]
    assert item.listing["ministry"] == "Ministerium für Bildung, Wissenschaft und Kultur"
    assert (item.listing["asked_on"], item.listing["answered_on"]) == ("2025-06-13", "2025-08-05")
    # The search went out as the application sends it: a form field "data" with the facet tags.
    search = json.loads(server.requests_to("/parldok/Fulltext/Search")[0].query["data"])
    assert {"type": 7, "id": "5", "label": "Kleine Anfrage", "ored": True} in search["tags"]
    assert {"type": 9, "id": "01.06.2025", "label": "01.06.2025", "field": "datefrom", "ored": True} in search["tags"]
    assert search["limit"] == {"Start": 0, "Length": 100}
    assert json.loads(server.requests_to("/parldok/Process/Document")[0].query["data"]) == {"devicekey": "", "id": 102282, "queryid": 366775}


def test_thueringen_reports_an_answer_it_does_not_understand(server, client):
    serve_parldok(server, process=b'{"success": false, "message": "Fehler"}')
    run = harvest(thueringen(server, client), since=datetime.date(2025, 6, 1), importer=stand_in_importer)
    assert run.state == HarvestRunState.INTERRUPTED
    assert "does not know" in run.errors[0]["message"] and run.errors[0]["url"].endswith("/parldok/Process/Document")


# --- Bayern: the RSS feed and the static PDFs ----------------------------------------------------------


def test_bayern_imports_the_schriftlichen_anfragen_of_the_feed_and_skips_bundled_plenum_questions(server, client):
    from inquiries.harvest.sources.by import BayernSource

    feed = (FIXTURES / "by" / "rss-anfragen.xml").read_bytes()
    serve_document(server, "/webangebot3/views/rssfeed/rssfeed.xhtml", feed, etag='"feed-1"')
    for number in ("0013327", "0013324"):
        serve_document(server, f"/www/ElanTextAblage_WP19/Drucksachen/Schriftliche%20Anfragen/19_{number}.pdf", f"Drucksache {number}".encode())
    run = harvest(BayernSource(client, base_url=server.base_url), importer=stand_in_importer)

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 2, 0)
    assert sorted(HarvestItem.objects.values_list("external_id", "reference")) == [("167495", "19/13324"), ("167496", "19/13327")]
    skipped = [error["message"] for error in run.errors]
    assert len(skipped) == 3 and all("19/13141" in message and "Anfragen zum Plenum" in message for message in skipped)
    assert server.requests_to("/webangebot3/views/rssfeed/rssfeed.xhtml")[0].query["art"] == "ANFRAGE"

    again = harvest(BayernSource(client, base_url=server.base_url), importer=stand_in_importer)
    assert (again.new_count, again.unchanged_count, again.errors) == (0, 0, [])  # the feed answered 304


def test_a_feed_that_is_not_rss_is_reported(server, client):
    from inquiries.harvest.sources.by import BayernSource

    server.static("/webangebot3/views/rssfeed/rssfeed.xhtml", b"<html><body>Wartung</body></html>")
    run = harvest(BayernSource(client, base_url=server.base_url), importer=stand_in_importer)
    assert run.state == HarvestRunState.INTERRUPTED and "not an RSS feed" in run.errors[0]["message"]


# --- the Parlamentsspiegel: the fallback list of all Länder ---------------------------------------------


def test_the_parlamentsspiegel_lists_each_vorgang_with_its_answer_document(server, client):
    from inquiries.harvest.sources.parlamentsspiegel import ParlamentsspiegelSource

    page = (FIXTURES / "parlamentsspiegel" / "suche-thueringen.html").read_bytes()
    page = page.replace(b"https://parldok.thueringer-landtag.de", server.base_url.encode())
    server.static("/suche", page)
    for number in ("1688", "1675"):
        serve_document(server, f"/ParlDok/dokument/08/art/Drs/num/{number}/jahr/2025/seite/1", f"Antwort 8/{number}".encode())

    run = harvest(
        ParlamentsspiegelSource(client, base_url=server.base_url, herkunft="THUE"),
        since=datetime.date(2025, 6, 1),
        until=datetime.date(2025, 7, 31),
        importer=stand_in_importer,
    )

    assert (run.state, run.new_count) == (HarvestRunState.FINISHED, 2)
    item = HarvestItem.objects.get(external_id="THUE_V52931")
    assert item.reference == "8/1688" and item.url.endswith("/num/1688/jahr/2025/seite/1")
    assert item.listing["askers"] == [{"name": "Nadine Hoffmann", "faction": "AfD"}]
    assert item.listing["ministry"] == "Ministerium für Umwelt, Energie, Naturschutz und Forsten"
    assert (item.listing["asked_on"], item.listing["answered_on"]) == ("2025-06-24", "2025-07-29")
    query = server.requests_to("/suche")[0].query
    assert (query["qyHerk"], query["qyZeitAb"], query["qyZeitBis"], query["page"], query["fqDTyp"]) == ("THUE", "01.06.2025", "31.07.2025", "0", "KlAnfr")


def test_a_changed_parlamentsspiegel_page_is_reported_not_taken_for_an_empty_land(server, client):
    from inquiries.harvest.sources.parlamentsspiegel import ParlamentsspiegelSource

    server.static("/suche", b"<html><body><main>Neues Design</main></body></html>")
    run = harvest(ParlamentsspiegelSource(client, base_url=server.base_url), since=datetime.date(2025, 6, 1), importer=stand_in_importer)
    assert run.state == HarvestRunState.INTERRUPTED and "markup may have changed" in run.errors[0]["message"]
