"""Harvest runs through the real document importer (``services.documents.import_document``, the path of
the admin upload), one source after another: the recorded listing of each source, served on
127.0.0.1, names a real test document of tests/fixtures/documents/<CODE>/ (renumbered to that
document's Drucksache where needed, as tests/fixtures/harvest/README.md says), which the
server hands out as the source's PDF.

Also here: the interface's data taking precedence over the document with every difference
listed, an answer withdrawn at the source, and a failed import leaving no file behind.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.urls import reverse

from inquiries.harvest import importing
from inquiries.harvest.importing import import_harvested
from inquiries.harvest.runs import harvest
from inquiries.harvest.sources.base import Listing
from inquiries.harvest.sources.be import BerlinSource
from inquiries.harvest.sources.bt import BundestagSource
from inquiries.harvest.sources.by import BayernSource
from inquiries.harvest.sources.hb import BremenSource
from inquiries.harvest.sources.mv import MecklenburgVorpommernSource
from inquiries.harvest.sources.parlamentsspiegel import ParlamentsspiegelSource
from inquiries.harvest.sources.th import ThueringenSource
from inquiries.importers.base import DocumentError
from inquiries.importers.document import parse_document
from inquiries.models import HarvestItem, HarvestItemStatus, HarvestRunState, Inquiry, InquiryState, SourceDocument
from inquiries.services import documents, workflow
from tests.admin_helpers import admin_url
from tests.harvest_support import DOCUMENTS, FIXTURES, client, serve_document, server
from tests.workflow_factories import publisher

pytestmark = pytest.mark.django_db

DIP_PATH = "/api/v1/vorgangsposition"




@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HARVEST_AUTO_PUBLISH = []
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def document(code: str, name: str) -> bytes:
    return (DOCUMENTS / code / name).read_bytes()


def parsed(code: str, name: str) -> dict:
    """What the importer itself reads from a test document (the layouts are other tests' business)."""
    return parse_document(name, document(code, name)).record


def kept_original(inquiry: Inquiry) -> bytes:
    with SourceDocument.objects.get(inquiry=inquiry).file.open("rb") as handle:
        return handle.read()


def differences(item: HarvestItem) -> dict[str, dict]:
    return {entry["field"]: entry for entry in item.disagreements}


# --- Bundestag: DIP's data over the PDF's ------------------------------------------------------------


def dip_positions(server, *, answer_number: str = "21/283") -> list[dict]:
    """The recorded Vorgang 338265, its answer renumbered to a test document's Drucksache."""
    body = json.loads((FIXTURES / "bt" / "vorgangsposition.json").read_text(encoding="utf-8"))
    question, answer = body["documents"]
    question["fundstelle"]["pdf_url"] = f"{server.base_url}/btd/21/075/2107563.pdf"
    answer["fundstelle"]["dokumentnummer"] = answer_number
    answer["fundstelle"]["pdf_url"] = f"{server.base_url}/btd/21/002/2100283.pdf"
    return [question, answer]


def serve_dip(server, positions: list[dict]) -> None:
    def answer(request):
        return 200, {"Content-Type": "application/json"}, json.dumps({"documents": positions, "cursor": "c0", "numFound": len(positions)}).encode()

    server.routes[DIP_PATH] = answer


def run_bt(server, client):
    return harvest(BundestagSource(client, base_url=server.base_url, api_key="test-key"), since=datetime.date(2026, 8, 1))


def test_bundestag_end_to_end_with_the_real_importer_and_dips_data_taking_precedence(server, client, media):
    serve_dip(server, dip_positions(server))
    serve_document(server, "/btd/21/002/2100283.pdf", document("BT", "bt-21-283.txt"))
    run = run_bt(server, client)

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 1, 0)
    inquiry = Inquiry.objects.get(parliament__code="BT", reference="21/283")
    assert inquiry.state == InquiryState.DRAFT and inquiry.questions.count() > 0
    # The original is kept as an upload is kept, with the listing it came with.
    assert kept_original(inquiry) == document("BT", "bt-21-283.txt")
    assert SourceDocument.objects.get(inquiry=inquiry).parsed["listing"]["source_url"].endswith("/btd/21/002/2100283.pdf")
    # DIP's askers and dates beat the PDF's; the ministry agreed, so it is no difference.
    assert sorted(asker.last_name for asker in inquiry.askers.all()) == ["Alhamwi", "Verlinden"]
    assert inquiry.answered_on == datetime.date(2026, 9, 10)
    assert inquiry.answering_ministry.name == "Bundesministerium für Wirtschaft und Energie"
    item = HarvestItem.objects.get(source="bt")
    listed = differences(item)
    assert set(listed) == {"askers", "answered_on"}
    assert listed["answered_on"] == {"field": "answered_on", "document": parsed("BT", "bt-21-283.txt")["answered_on"], "source": "2026-09-10"}
    assert {asker["name"] for asker in listed["askers"]["document"]} >= {"Enrico Komning", "Leif-Erik Holm"}
    assert len(stored_files(media)) == 1

    # A second run finds nothing new and changes nothing.
    before = Inquiry.objects.get(pk=inquiry.pk).updated_at
    second = run_bt(server, client)
    assert (second.new_count, second.changed_count, second.unchanged_count) == (0, 0, 1)
    assert Inquiry.objects.get(pk=inquiry.pk).updated_at == before
    assert (Inquiry.objects.count(), SourceDocument.objects.count(), len(stored_files(media))) == (1, 1, 1)


def test_an_answer_withdrawn_at_the_source_withdraws_its_draft(server, client):
    positions = dip_positions(server)
    serve_dip(server, positions)
    serve_document(server, "/btd/21/002/2100283.pdf", document("BT", "bt-21-283.txt"))
    run_bt(server, client)

    # DIP lists the Vorgang again (changed), its Antwort position gone, also when asked for the Vorgang.
    question = dict(positions[0], aktualisiert="2026-09-30T10:00:00+02:00")
    serve_dip(server, [question])
    run = run_bt(server, client)

    assert run.withdrawn_count == 1
    item = HarvestItem.objects.get(source="bt")
    assert item.status == HarvestItemStatus.WITHDRAWN and "führt die Antwort nicht mehr" in item.error
    inquiry = Inquiry.objects.get(pk=item.inquiry_id)
    assert inquiry.state == InquiryState.WITHDRAWN and "führt die Antwort nicht mehr" in inquiry.withdrawn_reason
    # Said once: the next run does not count it again.
    assert run_bt(server, client).withdrawn_count == 0


def test_a_published_answer_withdrawn_at_the_source_stays_public_and_waits_in_the_review_queue(server, client, settings):
    positions = dip_positions(server)
    serve_dip(server, positions)
    serve_document(server, "/btd/21/002/2100283.pdf", document("BT", "bt-21-283.txt"))
    run_bt(server, client)
    inquiry = HarvestItem.objects.get(source="bt").inquiry
    workflow.publish(inquiry)

    serve_dip(server, [dict(positions[0], aktualisiert="2026-09-30T10:00:00+02:00")])
    run = run_bt(server, client)

    assert run.withdrawn_count == 1
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED
    item = HarvestItem.objects.get(source="bt")
    assert "The published inquiry stays until an editor decides." in item.error
    web = __import__("django.test", fromlist=["Client"]).Client()
    web.force_login(publisher())
    queue = web.get(admin_url("changelist") + "?harvested=review")
    assert [row.pk for row in queue.context["cl"].result_list] == [inquiry.pk]
    page = web.get(reverse("admin:inquiries_harvestitem_change", args=[item.pk])).content.decode()
    assert "führt die Antwort nicht mehr" in page


def test_verify_asks_dip_for_each_harvested_vorgang_and_a_404_withdraws_its_draft(server, client):
    serve_dip(server, dip_positions(server))
    serve_document(server, "/btd/21/002/2100283.pdf", document("BT", "bt-21-283.txt"))
    run_bt(server, client)
    source = BundestagSource(client, base_url=server.base_url, api_key="test-key")

    # Still there: DIP answers the Vorgang; nothing changes.
    server.static("/api/v1/vorgang/338265", b'{"id": "338265"}', headers={"Content-Type": "application/json"})
    kept = harvest(source, since=datetime.date(2026, 9, 25), verify=True)
    assert (kept.state, kept.withdrawn_count) == (HarvestRunState.FINISHED, 0)
    assert server.requests_to("/api/v1/vorgang/338265")[-1].headers["authorization"] == "ApiKey test-key"

    # Gone: DIP's listing says nothing, only the lookup by id answers 404.
    server.static("/api/v1/vorgang/338265", b'{"code": 404, "message": "Not Found"}', status=404)
    gone = harvest(source, since=datetime.date(2026, 9, 25), verify=True)
    assert (gone.state, gone.withdrawn_count, gone.errors) == (HarvestRunState.FINISHED, 1, [])
    item = HarvestItem.objects.get(source="bt")
    assert item.status == HarvestItemStatus.WITHDRAWN and item.inquiry.state == InquiryState.WITHDRAWN


def test_verify_on_a_source_that_cannot_be_asked_by_id_says_so(server, client):
    from inquiries.harvest.runs import LogReporter

    said = []

    class Reporter(LogReporter):
        def message(self, text):
            said.append(text)

    export = (FIXTURES / "be" / "pardok-sample.xml").read_text(encoding="utf-8").replace("https://pardok.parlament-berlin.de", server.base_url)
    serve_document(server, "/opendata/pardok-wp19.xml", export.replace("19/10002", "19/10041").replace("S19-10002.pdf", "S19-10041.pdf").encode())
    serve_document(server, "/starweb/adis/citat/VT/19/SchrAnfr/S19-10041.pdf", document("BE", "be-19-10041.txt"))
    run = harvest(BerlinSource(client, base_url=server.base_url, periods=(19,)), verify=True, reporter=Reporter())
    assert run.new_count == 1 and run.withdrawn_count == 0
    assert said == ["be: the source cannot be asked for single entries; nothing verified"]


# --- Berlin, Bayern: the export and the feed ----------------------------------------------------------


def test_berlin_end_to_end_with_the_real_importer(server, client, media):
    export = (FIXTURES / "be" / "pardok-sample.xml").read_text(encoding="utf-8").replace("https://pardok.parlament-berlin.de", server.base_url)
    renumbered = {"10006": "10041", "10004": "10048", "10002": "21204"}
    for recorded, ours in renumbered.items():
        export = export.replace(f"19/{recorded}", f"19/{ours}").replace(f"S19-{recorded}.pdf", f"S19-{ours}.pdf")
    serve_document(server, "/opendata/pardok-wp19.xml", export.encode(), etag='"export-1"')
    for ours in renumbered.values():
        serve_document(server, f"/starweb/adis/citat/VT/19/SchrAnfr/S19-{ours}.pdf", document("BE", f"be-19-{ours}.txt"))

    run = harvest(BerlinSource(client, base_url=server.base_url, periods=(19,)))

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 3, 0)
    assert sorted(Inquiry.objects.filter(parliament__code="BE").values_list("reference", flat=True)) == ["19/10041", "19/10048", "19/21204"]
    item = HarvestItem.objects.get(external_id="V-351634")
    inquiry = item.inquiry
    assert inquiry.reference == "19/21204" and kept_original(inquiry) == document("BE", "be-19-21204.txt")
    # PARDOK's Urheber and dates beat the document's, and the differences are listed.
    assert inquiry.answering_ministry.name == "Senatsverwaltung für Umwelt, Verkehr und Klimaschutz"
    assert [asker.name for asker in inquiry.askers.all()] == ["Torsten Hofer"]
    assert {"answering_ministry", "askers", "answered_on"} <= set(differences(item))
    assert len(stored_files(media)) == 3


def test_bayern_end_to_end_with_the_real_importer(server, client, settings):
    feed = (FIXTURES / "by" / "rss-anfragen.xml").read_text(encoding="utf-8").replace("19/13327", "19/12032").replace("19/13324", "19/12143")
    serve_document(server, "/webangebot3/views/rssfeed/rssfeed.xhtml", feed.encode(), etag='"feed-1"')
    for number in ("12032", "12143"):
        serve_document(server, f"/www/ElanTextAblage_WP19/Drucksachen/Schriftliche%20Anfragen/19_00{number}.pdf", document("BY", f"by-19-{number}.txt"))
    settings.HARVEST_AUTO_PUBLISH = ["by"]

    run = harvest(BayernSource(client, base_url=server.base_url))

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 2, 0)
    inquiry = Inquiry.objects.get(parliament__code="BY", reference="19/12032")
    assert kept_original(inquiry) == document("BY", "by-19-12032.txt")
    # The feed is no structured source: nothing overrides the document, nothing is published unseen.
    assert inquiry.state == InquiryState.DRAFT
    assert inquiry.answering_ministry.name == "Staatsministerium für Wissenschaft und Kunst"
    assert all(item.disagreements == [] for item in HarvestItem.objects.filter(source="by"))


# --- Parldok: Thüringen and Mecklenburg-Vorpommern ------------------------------------------------------


def test_thueringen_end_to_end_with_the_real_importer(server, client):
    search = (FIXTURES / "th" / "parldok-search.json").read_bytes()
    process = (FIXTURES / "th" / "parldok-process.json").read_text(encoding="utf-8").replace("8_1715_", "8_1714_").replace('\\"1715\\"', '\\"1714\\"')
    server.routes["/parldok/Fulltext/Search"] = lambda request: (200, {}, search)
    server.routes["/parldok/Process/Document"] = lambda request: (200, {}, process.encode())
    path = "/ParlDok/dokument/103169/8_1714_personal_und_arbeitskriterien_der_gedenkstaetten_buchenwald_und_mittelbau_dora"
    serve_document(server, path, document("TH", "th-8-1714.txt"))

    run = harvest(ThueringenSource(client, base_url=f"{server.base_url}/parldok", web_url=f"{server.base_url}/ParlDok"), since=datetime.date(2025, 6, 1))

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 1, 0)
    item = HarvestItem.objects.get(source="th")
    inquiry = item.inquiry
    assert (inquiry.parliament.code, inquiry.reference) == ("TH", "8/1714")
    assert inquiry.answering_ministry.name == "Ministerium für Bildung, Wissenschaft und Kultur"
    assert [asker.name for asker in inquiry.askers.all()] == ["Thomas Benninghaus"]
    listed = differences(item)
    assert listed["answering_ministry"]["document"] == parsed("TH", "th-8-1714.txt")["answering_ministry"]
    assert listed["askers"]["document"] == [{"name": "Nadine Hoffmann", "faction": "AfD"}]


def test_mecklenburg_vorpommern_end_to_end_with_the_real_importer(server, client, media):
    envelope = json.loads((FIXTURES / "mv" / "parldok-search.json").read_text(encoding="utf-8"))
    inner = json.loads(envelope["data"])
    hit = dict(inner["docs"][0], number="6344")  # 72135, renumbered to the test document
    body = json.dumps({**envelope, "data": json.dumps({**inner, "count": 1, "docs": [hit]}, ensure_ascii=False)}).encode()
    server.routes["/parldok/Fulltext/Search"] = lambda request: (200, {}, body)
    serve_document(server, "/parldok/dokument/72135", document("MV", "mv-8-6344.txt"))

    run = harvest(MecklenburgVorpommernSource(client, base_url=f"{server.base_url}/parldok"), since=datetime.date(2026, 9, 1))

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 1, 0)
    item = HarvestItem.objects.get(source="mv")
    inquiry = item.inquiry
    assert (inquiry.parliament.code, inquiry.reference, inquiry.state) == ("MV", "8/6344", InquiryState.DRAFT)
    assert kept_original(inquiry) == document("MV", "mv-8-6344.txt")
    assert inquiry.answering_ministry.name == "Ministerium für Inneres und Bau"
    assert [asker.name for asker in inquiry.askers.all()] == ["Martin Schmidt"]
    assert inquiry.answered_on == datetime.date(2026, 9, 8)
    assert differences(item)["askers"]["document"] == [{"name": "Enrico Schult", "faction": "AfD"}]
    assert len(stored_files(media)) == 1


def test_parlamentsspiegel_end_to_end_with_the_real_importer(server, client):
    page = (FIXTURES / "parlamentsspiegel" / "suche-thueringen.html").read_bytes()
    page = page.replace(b"https://parldok.thueringer-landtag.de", server.base_url.encode()).replace(b"/1688", b"/1714")
    server.static("/suche", page)
    serve_document(server, "/ParlDok/dokument/08/art/Drs/num/1714/jahr/2025/seite/1", document("TH", "th-8-1714.txt"))

    run = harvest(
        ParlamentsspiegelSource(client, base_url=server.base_url, herkunft="THUE"), since=datetime.date(2025, 6, 1), until=datetime.date(2025, 7, 31)
    )

    # The other Vorgang's answer is not served here: that item fails alone, with its address.
    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 1, 1)
    assert run.errors[0]["url"].endswith("/num/1675/jahr/2025/seite/1") and "HTTP 404" in run.errors[0]["message"]
    inquiry = HarvestItem.objects.get(external_id="THUE_V52931").inquiry
    assert (inquiry.parliament.code, inquiry.reference) == ("TH", "8/1714")
    # The fallback list's data only fills what the document lacks.
    assert inquiry.answering_ministry.name == parsed("TH", "th-8-1714.txt")["answering_ministry"]


def test_bremen_through_the_real_importer_reports_a_document_it_cannot_read(server, client, media):
    form = (FIXTURES / "hb" / "paris-search-form.html").read_bytes()
    results = (FIXTURES / "hb" / "paris-results.html").read_text(encoding="utf-8").replace("https://www.bremische-buergerschaft.de", server.base_url)
    # Row 21/1983 as the Senate's answer (tests/test_harvest_sources.py: paris_results).
    results = results.replace("Drs <b>21/1983</b>,  Kleine Anfrage  vom", "Drs <b>21/1983</b>,  Kleine Anfrage und Antwort des Senats  vom").encode()
    server.routes["/starweb/paris/servlet.starweb"] = lambda request: (200, {}, results if "__action" in request.query else form)
    # No Bremen document is among the test documents: the PDF is a document of no known layout.
    serve_document(server, "/dokumente/wp21/land/drucksache/D21L1983.pdf", (DOCUMENTS / "unknown-layout.txt").read_bytes())

    run = harvest(BremenSource(client, base_url=server.base_url), since=datetime.date(2026, 9, 1), until=datetime.date(2026, 9, 10))

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 0, 1)
    failure = next(error for error in run.errors if error["url"].endswith(".pdf"))
    assert failure["url"].endswith("/D21L1983.pdf") and failure["message"].startswith("hb-D21L1983.pdf: ")
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists() and stored_files(media) == []


# --- nothing left behind ------------------------------------------------------------------------------


def test_a_failure_after_the_document_was_stored_leaves_no_file(server, client, media, monkeypatch):
    serve_dip(server, dip_positions(server))
    serve_document(server, "/btd/21/002/2100283.pdf", document("BT", "bt-21-283.txt"))
    real = importing.structured_precedence

    def with_an_asker_without_name(record, listing):
        merged, listed = real(record, listing)
        return {**merged, "askers": [{"name": "", "faction": "AfD"}]}, listed

    monkeypatch.setattr(importing, "structured_precedence", with_an_asker_without_name)
    run = run_bt(server, client)

    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 0, 1)
    assert "the source's data cannot be saved" in run.errors[0]["message"]
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists()
    assert stored_files(media) == []
    assert HarvestItem.objects.get().status == HarvestItemStatus.FAILED


def test_import_harvested_removes_the_file_it_stored_when_the_sources_data_is_refused(media):
    listing = Listing(external_id="D-1", reference="21/283", document_url="https://example.org/x.pdf", askers=[{"name": "", "faction": "BIW"}])
    with pytest.raises(DocumentError, match="the source's data cannot be saved"):
        import_harvested("bt-2100283.pdf", document("BT", "bt-21-283.txt"), listing, structured=True)
    assert stored_files(media) == [] and not SourceDocument.objects.exists()

    # A document kept before is never removed by a later failure.
    kept = import_harvested("bt-2100283.pdf", document("BT", "bt-21-283.txt"), Listing(external_id="D-1", reference="21/283"), structured=True)
    assert kept.stored_file and len(stored_files(media)) == 1
    with pytest.raises(DocumentError):
        import_harvested("bt-2100283.pdf", document("BT", "bt-21-283.txt"), listing, structured=True)
    assert len(stored_files(media)) == 1 and SourceDocument.objects.count() == 1


def test_a_complete_draft_whose_source_agrees_is_published_where_the_setting_allows(server, client, settings):
    """The recorded Vorgang V-351634 made to agree with be-19-10041 (number, askers, ministry, dates)."""
    export = (FIXTURES / "be" / "pardok-sample.xml").read_text(encoding="utf-8").replace("https://pardok.parlament-berlin.de", server.base_url)
    agreeing = (
        export.replace("19/10002", "19/10041")
        .replace("S19-10002.pdf", "S19-10041.pdf")
        .replace("<DokDat>04.11.2021</DokDat>", "<DokDat>08.11.2021</DokDat>")
        .replace("<DokDat>19.11.2021</DokDat>", "<DokDat>22.11.2021</DokDat>")
        .replace("<Urheber>Hofer, Torsten (SPD)</Urheber>", "<Urheber>Helm, Anne (LINKE); Schrader, Niklas (LINKE)</Urheber>")
        .replace("<Urheber>Senatsverwaltung für Umwelt, Verkehr und Klimaschutz</Urheber>", "<Urheber>Senatsverwaltung für Inneres und Sport</Urheber>")
        .replace("<Titel>Grubenabfuhr in Berlin und Pankow</Titel>", f"<Titel>{escape(parsed('BE', 'be-19-10041.txt')['title'])}</Titel>")
    )
    serve_document(server, "/opendata/pardok-wp19.xml", agreeing.encode())
    serve_document(server, "/starweb/adis/citat/VT/19/SchrAnfr/S19-10041.pdf", document("BE", "be-19-10041.txt"))
    serve_document(server, "/starweb/adis/citat/VT/19/SchrAnfr/S19-10006.pdf", document("BE", "be-19-10048.txt"))
    settings.HARVEST_AUTO_PUBLISH = ["be"]

    run = harvest(BerlinSource(client, base_url=server.base_url, periods=(19,)))

    agreed = HarvestItem.objects.get(external_id="V-351634")
    assert agreed.disagreements == [] and agreed.inquiry.state == InquiryState.PUBLISHED
    # A document that is another Drucksache than its listing names waits for an editor.
    other = HarvestItem.objects.get(external_id="V-351557")
    assert other.disagreements[0]["field"] == "reference" and other.inquiry.state == InquiryState.DRAFT
    assert run.state == HarvestRunState.FINISHED
