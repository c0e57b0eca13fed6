"""The Parldok adapter of Mecklenburg-Vorpommern and the PARiS adapter of Bremen, against
their recorded answers served on 127.0.0.1 (tests/fixtures/harvest/README.md).

The documents are stand-ins here (a small inquiry made from the listing), so these tests
are about reading the sources; tests/test_harvest_import.py runs the real importer.
"""

from __future__ import annotations

import copy
import datetime
import json
import re

import pytest

from inquiries.harvest.importing import Imported
from inquiries.harvest.runs import harvest
from inquiries.harvest.sources import parldok
from inquiries.harvest.sources.hb import BremenSource
from inquiries.harvest.sources.mv import MecklenburgVorpommernSource, parse_authors, split_authors
from inquiries.importers.base import new_record
from inquiries.models import HarvestItem, HarvestRunState, Inquiry, InquiryState
from inquiries.services import upsert
from tests.harvest_support import FIXTURES, client, serve_document, server

pytestmark = pytest.mark.django_db

SEARCH = "/parldok/Fulltext/Search"
SERVLET = "/starweb/paris/servlet.starweb"




def stand_in_importer(name: str, data: bytes, listing, *, structured: bool) -> Imported:
    parliament = {"21": "HB", "8/": "MV"}[listing.reference[:2]]
    record = new_record(parliament, listing.reference, "minor", listing.title or "Titel")
    record["full_text"] = data.decode("utf-8", "replace")
    inquiry, created = upsert.upsert_inquiry(record, state=InquiryState.DRAFT)
    return Imported(inquiry, created)


# --- Mecklenburg-Vorpommern: Parldok, the combined paper ------------------------------------------


def mv_search() -> tuple[dict, dict]:
    envelope = json.loads((FIXTURES / "mv" / "parldok-search.json").read_text(encoding="utf-8"))
    return envelope, json.loads(envelope["data"])


def envelope_with(envelope: dict, inner: dict, **changes) -> bytes:
    return json.dumps({**envelope, "data": json.dumps({**inner, **changes}, ensure_ascii=False)}, ensure_ascii=False).encode()


def serve_mv(server, pages: list[bytes]) -> None:
    """The search answers page n for Start = n × (hits per page); every document is served."""

    def answer(request):
        start = json.loads(request.query["data"])["limit"]["Start"]
        index = 0 if start == 0 else 1
        return 200, {"Content-Type": "application/json"}, pages[min(index, len(pages) - 1)]

    server.routes[SEARCH] = answer
    for page in pages:
        for doc in json.loads(json.loads(page)["data"])["docs"]:
            serve_document(server, f"/parldok/dokument/{doc['id']}", f"Drucksache 8/{doc['number']}".encode())


def mv(server, client) -> MecklenburgVorpommernSource:
    return MecklenburgVorpommernSource(client, base_url=f"{server.base_url}/parldok")


def test_mv_lists_the_combined_papers_with_askers_ministry_and_the_pdf_itself(server, client):
    envelope, inner = mv_search()
    serve_mv(server, [(FIXTURES / "mv" / "parldok-search.json").read_bytes()])
    run = harvest(mv(server, client), since=datetime.date(2026, 9, 1), until=datetime.date(2026, 9, 10), importer=stand_in_importer)

    assert (run.state, run.new_count, run.failed_count, run.errors) == (HarvestRunState.FINISHED, 13, 0, [])
    item = HarvestItem.objects.get(source="mv", external_id="parldok:72135")
    assert item.reference == "8/6809" and item.url == f"{server.base_url}/parldok/dokument/72135"
    assert item.listing["askers"] == [{"name": "Martin Schmidt", "faction": "AfD"}]
    assert item.listing["ministry"] == "Ministerium für Inneres und Bau"
    assert item.listing["answered_on"] == "2026-09-08"
    # The ministry's own commas stay inside its name; the government is never an asker.
    schlupp = HarvestItem.objects.get(reference="8/6770").listing
    assert schlupp["askers"] == [{"name": "Beate Schlupp", "faction": "CDU"}]
    assert schlupp["ministry"] == "Ministerium für Klimaschutz, Landwirtschaft, ländliche Räume und Umwelt"
    assert HarvestItem.objects.get(reference="8/6789").listing["ministry"] == "Staatskanzlei"
    sent = json.loads(server.requests_to(SEARCH)[0].query["data"])
    assert {"type": 8, "id": "136", "label": "Kleine Anfrage und Antwort", "ored": True} in sent["tags"]
    assert {"type": 10, "id": 8, "label": "8", "ored": True} in sent["tags"]
    assert {"type": 9, "id": "10.09.2026", "label": "10.09.2026", "field": "dateto", "ored": True} in sent["tags"]

    # A second run: the hits carry the same id and date, nothing is fetched again.
    fetched = len([r for r in server.seen if r.path.startswith("/parldok/dokument/")])
    again = harvest(mv(server, client), since=datetime.date(2026, 9, 1), until=datetime.date(2026, 9, 10), importer=stand_in_importer)
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 13)
    assert len([r for r in server.seen if r.path.startswith("/parldok/dokument/")]) == fetched


def test_mv_pages_through_a_listing_longer_than_one_page(server, client, monkeypatch):
    envelope, inner = mv_search()
    monkeypatch.setattr(parldok, "PAGE_LENGTH", len(inner["docs"]))
    second = [{**doc, "id": doc["id"] + 100000, "number": f"9{doc['number']}"} for doc in inner["docs"]]
    total = 2 * len(inner["docs"])
    serve_mv(server, [envelope_with(envelope, inner, count=total), envelope_with(envelope, inner, count=total, docs=second)])

    run = harvest(mv(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)

    assert (run.state, run.new_count) == (HarvestRunState.FINISHED, total)
    starts = [json.loads(request.query["data"])["limit"]["Start"] for request in server.requests_to(SEARCH)]
    assert starts == [0, 13]
    assert run.checkpoint == {"start": total}


def test_mv_reports_a_search_that_ignores_its_paging_instead_of_looping(server, client, monkeypatch):
    envelope, inner = mv_search()
    monkeypatch.setattr(parldok, "PAGE_LENGTH", len(inner["docs"]))
    page = envelope_with(envelope, inner, count=600)
    serve_mv(server, [page, page])
    run = harvest(mv(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)
    assert run.state == HarvestRunState.INTERRUPTED
    assert "page 2 repeated hits already listed" in run.errors[-1]["message"]
    assert len(server.requests_to(SEARCH)) == 2


def test_mv_skips_hits_of_another_type_and_refuses_a_filter_that_stopped_working(server, client):
    envelope, inner = mv_search()
    docs = copy.deepcopy(inner["docs"])
    docs[0]["typeid"], docs[1]["lp"] = 44, 7
    serve_mv(server, [envelope_with(envelope, inner, docs=docs)])
    run = harvest(mv(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)
    assert (run.state, run.new_count) == (HarvestRunState.FINISHED, 11)
    assert [error["message"] for error in run.errors] == ["2 of 13 hit(s) of another Dokumenttyp or Wahlperiode: skipped"]

    foreign = [{**doc, "typeid": 44} for doc in inner["docs"]]
    serve_mv(server, [envelope_with(envelope, inner, docs=foreign)])
    refused = harvest(mv(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)
    assert refused.state == HarvestRunState.INTERRUPTED
    assert "the search filter no longer means what this adapter sends" in refused.errors[-1]["message"]


def test_mv_reports_an_answer_it_does_not_understand_and_saves_nothing(server, client):
    server.static(SEARCH, b"<html>Wartungsarbeiten</html>")
    run = harvest(mv(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)
    assert run.state == HarvestRunState.INTERRUPTED
    assert run.errors == [{"url": f"{server.base_url}{SEARCH}", "message": "Parldok answered in a form this adapter does not know (no success envelope)"}]
    assert not HarvestItem.objects.exists() and not Inquiry.objects.exists()


def test_mv_author_field():
    assert split_authors("Beate Schlupp (CDU), Landesregierung (Ministerium für Klimaschutz, Landwirtschaft, ländliche Räume und Umwelt)") == [
        "Beate Schlupp (CDU)",
        "Landesregierung (Ministerium für Klimaschutz, Landwirtschaft, ländliche Räume und Umwelt)",
    ]
    assert parse_authors("A B (CDU), Landesregierung") == ([{"name": "A B", "faction": "CDU"}], "Landesregierung")
    assert parse_authors("Martin Schmidt (AfD), Ministerpräsidentin") == ([{"name": "Martin Schmidt", "faction": "AfD"}], "Ministerpräsidentin")


# --- Bremen: PARiS, a STARWEB form ------------------------------------------------------------------


def paris_results(server) -> str:
    """The recorded result page, its row 21/1983 turned into the Senate's answer (the Dokumenttyp
    "Kleine Anfrage und Antwort des Senats"); 21/1967 stays an open question, 21/905 S the city's."""
    recorded = (FIXTURES / "hb" / "paris-results.html").read_text(encoding="utf-8")
    answered = recorded.replace("Drs <b>21/1983</b>,  Kleine Anfrage  vom", "Drs <b>21/1983</b>,  Kleine Anfrage und Antwort des Senats  vom")
    assert answered != recorded
    return answered.replace("https://www.bremische-buergerschaft.de", server.base_url)


def serve_paris(server, results=None) -> list[dict]:
    """The form on GET (path=paris/LISSH.web), ``results(form)`` on POST; returns the POSTed forms."""
    form_page = (FIXTURES / "hb" / "paris-search-form.html").read_bytes()
    recorded = paris_results(server).encode()
    posted: list[dict] = []

    def answer(request):
        if request.query.get("path") == "paris/LISSH.web" and "__action" not in request.query:
            return 200, {"Content-Type": "text/html"}, form_page
        posted.append(request.query)
        return 200, {"Content-Type": "text/html"}, results(request.query) if results else recorded

    server.routes[SERVLET] = answer
    for name in ("D21L1983", "D21L1967", "D21S0905"):
        path = f"/dokumente/wp21/{'stadt' if 'S' in name[3:] else 'land'}/drucksache/{name}.pdf"
        serve_document(server, path, f"Drucksache {name}".encode())
    return posted


def bremen(server, client) -> BremenSource:
    return BremenSource(client, base_url=server.base_url)


def test_bremen_opens_a_session_searches_by_dokumenttyp_and_imports_the_landtags_answers(server, client):
    posted = serve_paris(server)
    run = harvest(bremen(server, client), since=datetime.date(2026, 9, 1), until=datetime.date(2026, 9, 10), importer=stand_in_importer)

    # The answered paper is imported; the open question (21/1967) waits for its answer, unfetched.
    assert (run.state, run.new_count, run.failed_count) == (HarvestRunState.FINISHED, 1, 0)
    assert server.requests_to("/dokumente/wp21/land/drucksache/D21L1967.pdf") == []
    assert [error["message"] for error in run.errors] == ["1 Kleine Anfrage(n) of the Stadtbürgerschaft: skipped (municipal, not the Land's)"]
    item = HarvestItem.objects.get(source="hb", external_id="D-99112")
    assert item.reference == "21/1983" and item.url == f"{server.base_url}/dokumente/wp21/land/drucksache/D21L1983.pdf"
    assert item.title.startswith("Zivilklausel im Bremischen Hochschulgesetz")
    assert (item.listing["answered_on"], item.listing["asked_on"], item.listing["askers"]) == ("2026-09-10", None, None)
    # The session came back with the search, and the search button's own action number.
    form = posted[0]
    assert (form["__websessionID"], form["__sessionNumber"], form["__action"]) == ("17900885160682", "418202", "20")
    assert (form["07_LISSH_DTYP"], form["12_LISSH_WP"], form["13_LISSH_FASTDATV"], form["14_LISSH_FASTDATB"]) == (
        "Kleine Anfrage und Antwort des Senats; Kleine Anfrage", "21", "01.09.2026", "10.09.2026",
    )
    assert "06_LISSH_VTYP" not in form

    again = harvest(bremen(server, client), since=datetime.date(2026, 9, 1), until=datetime.date(2026, 9, 10), importer=stand_in_importer)
    assert (again.new_count, again.unchanged_count) == (0, 1)


def test_bremen_halves_a_window_with_more_hits_than_the_page_shows(server, client):
    recorded = paris_results(server)
    none = "<html><body>Ihre Suche hat keine Treffer ergeben.</body></html>"

    def results(form):
        if (form["13_LISSH_FASTDATV"], form["14_LISSH_FASTDATB"]) == ("01.09.2026", "10.09.2026"):
            return recorded.replace("Anzeige: 1 - 3 &nbsp;von&nbsp; 3", "Anzeige: 1 - 3 &nbsp;von&nbsp; 250").encode()
        return (recorded if form["13_LISSH_FASTDATV"] == "06.09.2026" else none).encode()

    posted = serve_paris(server, results)
    run = harvest(bremen(server, client), since=datetime.date(2026, 9, 1), until=datetime.date(2026, 9, 10), importer=stand_in_importer)
    assert (run.state, run.new_count) == (HarvestRunState.FINISHED, 1)
    windows = [(form["13_LISSH_FASTDATV"], form["14_LISSH_FASTDATB"]) for form in posted]
    assert windows == [("01.09.2026", "10.09.2026"), ("01.09.2026", "05.09.2026"), ("06.09.2026", "10.09.2026")]
    assert run.checkpoint == {"windows": []}


def test_bremen_reports_a_form_without_session_and_a_changed_result_page(server, client):
    server.routes[SERVLET] = lambda request: (200, {}, b"<html>Wartungsarbeiten</html>")
    run = harvest(bremen(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)
    assert run.state == HarvestRunState.INTERRUPTED and "carried no session" in run.errors[-1]["message"]

    serve_paris(server, lambda form: b"<html><body>Neues Design</body></html>")
    changed = harvest(bremen(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)
    assert changed.state == HarvestRunState.INTERRUPTED
    assert "neither records nor a no-hits message" in changed.errors[-1]["message"]
    assert not HarvestItem.objects.exists()


def test_bremen_calls_an_empty_window_empty(server, client):
    serve_paris(server, lambda form: "<html>Ihre Suche hat keine Treffer ergeben.</html>".encode())
    run = harvest(bremen(server, client), since=datetime.date(2026, 9, 1), importer=stand_in_importer)
    assert (run.state, run.new_count, run.errors) == (HarvestRunState.FINISHED, 0, [])
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", server.requests_to(SERVLET)[-1].query["14_LISSH_FASTDATB"])
