"""The inquiry list and search page."""

from __future__ import annotations


import datetime
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inquiries import search
from inquiries.filters import ANSWER_KIND_CHOICES
from inquiries.models import InquiryState
from inquiries.services.upsert import upsert_inquiry
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, PersonFactory

LIST_URL = reverse("inquiries:inquiry-list")


@pytest.fixture(autouse=True)
def numbered_from_one():
    InquiryFactory.reset_sequence()


@pytest.fixture
def seed(db, shared_dir):
    line = (shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0]
    inquiry, _ = upsert_inquiry(json.loads(line), state="published")
    return inquiry


def page(client, query: str = "", status: int = 200) -> str:
    response = client.get(f"{LIST_URL}?{query}" if query else LIST_URL)
    assert response.status_code == status
    return response.content.decode()


def results_heading(html: str) -> str:
    match = re.search(r'<h2 id="results-heading">(.*?)</h2>', html, re.S)
    assert match, "the results heading is missing"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_search_form_is_accessible_and_works_without_javascript(client, seed):
    html = page(client)
    assert '<form class="search-form" method="get" action="/anfragen/" role="search"' in html
    assert '<label for="search-q">' in html and 'id="search-q" name="q"' in html
    assert "<fieldset" in html and "<legend>" in html
    assert '<label for="filter-ordering">' in html and 'name="ordering"' in html
    # Every facet is a section of links, not options of a select.
    assert "<select id=\"filter-faction\"" not in html
    for label in ("Parlament", "Wahlperiode", "Art", "Fraktion", "antwortendes Ministerium", "Stand"):
        assert f"<summary><h3>{label}</h3></summary>" in html
    # The one script only adds name suggestions to the box; nothing runs inline.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/search-suggest.js" defer>']


def facet_links(html: str, label: str) -> dict[str, str]:
    """The visible text → href of each value of the facet ``label``."""
    match = re.search(rf'<summary><h3>{re.escape(label)}(?: <span[^>]*>.*?</span>)?</h3></summary>\s*<ul class="facet-values">(.*?)</ul>', html, re.S)
    assert match, f"no facet {label}"
    links = {}
    for href, text in re.findall(r'<a class="facet-value[^"]*" href="([^"]*)"[^>]*>(.*?)</a>', match.group(1), re.S):
        links[" ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())] = unescape(href)
    return links


def chips(html: str) -> dict[str, str]:
    """The text → href of each chosen-filter chip."""
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()): unescape(href)
        for href, text in re.findall(r'<a class="chip" href="([^"]*)">(.*?)</a>', html, re.S)
    }


def test_hit_shows_reference_title_askers_ministry_dates_and_snippet(client, seed):
    html = page(client, "q=Kooperationen")
    assert results_heading(html) == "1 Treffer für „Kooperationen“"
    assert "BW 17/6206" in html
    assert 'href="/bw/drucksache/17-6206/"' in html
    assert "Beteiligung der Landespolizei am Innovation Park Artificial Intelligence Heilbronn" in html
    assert "Nico Weinmann</a> (FDP/DVP)" in html
    assert "Ministerium des Inneren, für Digitalisierung und Kommunen" in html
    assert '<time datetime="2024-02-07">' in html and '<time datetime="2024-02-28">' in html
    assert "<mark>Kooperation</mark>" in html
    assert "In der Anfrage" in html


def test_title_match_is_highlighted_in_the_title(client, seed):
    html = page(client, "q=Landespolizei")
    assert "Beteiligung der <mark>Landespolizei</mark> am Innovation Park" in html


def test_facet_counts_beside_values(client, seed):
    faction = FactionFactory(short_name="SPD", slug="spd")
    InquiryFactory(title="Polizei in Ulm", factions=[faction])
    InquiryFactory(title="Polizei in Bonn", factions=[faction])
    html = page(client, "q=Polizei")
    factions = facet_links(html, "Fraktion")
    assert factions["SPD (BW) 2"] == "/anfragen/?q=Polizei&faction=spd"
    assert factions["FDP/DVP (BW) 1"] == "/anfragen/?q=Polizei&faction=fdpdvp"
    assert facet_links(html, "Stand")["beantwortet 3"] == "/anfragen/?q=Polizei&status=answered"
    assert chips(html) == {}

    html = page(client, "q=Polizei&faction=spd&page=2")
    assert facet_links(html, "Fraktion")["gewählt, entfernen: SPD (BW) 2"] == "/anfragen/?q=Polizei"
    # Another faction is added beside the chosen one; the page number is dropped.
    assert facet_links(html, "Fraktion")["FDP/DVP (BW) 1"] == "/anfragen/?q=Polizei&faction=spd&faction=fdpdvp"
    assert results_heading(html).startswith("2 Treffer")
    assert chips(html) == {"Filter entfernen: Fraktion: SPD (BW) ×": "/anfragen/?q=Polizei"}


def test_single_valued_facets_replace_their_value_and_chips_take_each_value_out(client, seed):
    spd = FactionFactory(short_name="SPD", slug="spd")
    InquiryFactory(title="Polizei in Ulm", factions=[spd])
    html = page(client, "faction=spd&faction=fdpdvp&status=answered&kind=minor&asked_after=2020-01-01")
    # status takes one value: choosing another replaces it.
    assert facet_links(html, "Stand")["gewählt, entfernen: beantwortet 2"] == "/anfragen/?faction=spd&faction=fdpdvp&kind=minor&asked_after=2020-01-01"
    assert chips(html) == {
        "Filter entfernen: Fraktion: SPD (BW) ×": "/anfragen/?faction=fdpdvp&status=answered&kind=minor&asked_after=2020-01-01",
        "Filter entfernen: Fraktion: FDP/DVP (BW) ×": "/anfragen/?faction=spd&status=answered&kind=minor&asked_after=2020-01-01",
        "Filter entfernen: Stand: beantwortet ×": "/anfragen/?faction=spd&faction=fdpdvp&kind=minor&asked_after=2020-01-01",
        "Filter entfernen: Art: Kleine Anfrage ×": "/anfragen/?faction=spd&faction=fdpdvp&status=answered&asked_after=2020-01-01",
        "Filter entfernen: gestellt ab: 2020-01-01 ×": "/anfragen/?faction=spd&faction=fdpdvp&status=answered&kind=minor",
    }
    assert '<a href="/anfragen/">Alle Filter entfernen</a>' in html
    # The search form keeps the chosen filters for a new search.
    for name, value in (("faction", "spd"), ("faction", "fdpdvp"), ("status", "answered"), ("kind", "minor")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in html


def test_an_unknown_filter_value_can_be_taken_out_by_its_chip(client, seed):
    html = unescape(page(client, "q=Polizei&faction=nope", status=400))
    assert "Unbekannte Fraktion: „nope“." in html
    assert chips(html) == {"Filter entfernen: Fraktion: nope ×": "/anfragen/?q=Polizei"}


def test_count_in_heading_and_feed_links(client, seed):
    InquiryFactory(title="Schulen")
    html = page(client, "kind=minor&page=1&ordering=asked")
    assert results_heading(html) == "2 Anfragen"
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/anfragen/feed/?kind=minor"' in html


def test_drafts_and_withdrawn_never_appear(client, seed):
    InquiryFactory(title="Polizei Entwurf", state=InquiryState.DRAFT)
    InquiryFactory(title="Polizei zurückgezogen", state=InquiryState.WITHDRAWN)
    html = page(client, "q=Polizei")
    assert "Entwurf" not in html and "zurückgezogen" not in html
    assert results_heading(html) == "1 Treffer für „Polizei“"
    assert "(3)" not in html
    html = page(client)
    assert results_heading(html) == "1 Anfrage"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("faction=nope", "Unbekannte Fraktion: „nope“."),
        ("term=abc", "Wahlperiode"),
        ("asked_after=morgen", "gestellt"),
        ("ordering=id", "Unbekannte Sortierung"),
        ("ministry=%00", "Unbekanntes Ministerium"),
        ("person=x&status=später", "Unbekannte Person"),
    ],
)
def test_invalid_filter_values_give_a_page_with_a_message(client, seed, query, message):
    html = unescape(page(client, query, status=400))
    assert 'role="alert"' in html
    assert message in html
    assert "<h1>" in html and 'id="search-q"' in html


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=%22", "q=-", "q=OR", "q=" + "x" * 10_000, "q=%27%3B+DROP+TABLE+inquiries_inquiry%3B--", "q=%22Innovation", "page=abc", "page=-1", "page=99999", "q=%00&page=%00"],
)
def test_malformed_input_gives_a_normal_page(client, seed, query):
    html = page(client, query)
    assert results_heading(html)


def test_query_of_only_operators_shows_a_notice(client, seed):
    html = page(client, "q=-+OR+%22%22")
    assert 'role="status"' in html
    assert results_heading(html) == "1 Anfrage"


def test_pagination_keeps_the_whole_state(client, seed):
    faction = FactionFactory(short_name="SPD", slug="spd")
    for n in range(30):
        InquiryFactory(title=f"Polizei Revier {n}", factions=[faction])
    html = page(client, "q=Polizei&faction=spd&ordering=-asked")
    assert results_heading(html) == "30 Treffer für „Polizei“, Seite 1 von 2"
    assert html.count('class="inquiry-row hit"') == 25
    assert 'aria-current="page"' in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html).group(1)
    assert unescape(next_link) == "?q=Polizei&faction=spd&ordering=-asked&page=2"
    html = page(client, unescape(next_link)[1:])
    assert html.count('class="inquiry-row hit"') == 5
    assert '<ol class="inquiries hits" start="26">' in html
    assert '<option value="-asked" selected>' in html


def _populate(count: int) -> None:
    faction = FactionFactory(short_name="SPD", slug="spd")
    ministry = MinistryFactory(name="Innenministerium", slug="innenministerium")
    for n in range(count):
        people = [PersonFactory(), PersonFactory()]
        InquiryFactory(
            title=f"Polizei Revier {n}",
            factions=[faction],
            answering_ministry=ministry,
            askers=[(person, faction) for person in people],
            questions=[("Wie viele Polizisten?", "Genug Polizisten.")],
        )


@pytest.mark.parametrize("query", ["", "q=Polizei", "q=Polizei&faction=spd&ministry=innenministerium&status=answered&kind=minor&parliament=bw&term=17"])
def test_queries_do_not_grow_with_the_results_shown(client, db, query, django_assert_max_num_queries):
    _populate(2)
    search.refresh()  # the search engine takes in the new inquiries once, not per page
    with CaptureQueriesContext(connection) as few:
        page(client, query)
    _populate(23)
    search.refresh()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(client, query)
    assert html.count('class="inquiry-row hit"') == 25
    # 16, plus up to 3 when a search has fewer than three hits: "Meinten Sie …?" first
    # asks the index how common the words are (inquiries/search/suggest.py).
    assert len(few.captured_queries) <= 19


@pytest.mark.parametrize("query", ["q=Brücke", "q=Brücke&ordering=-asked", "q=Brücke&page=2", "q=Brücke&ordering=reference&page=2"])
def test_each_hit_is_highlighted_as_a_search_for_it_alone_would(client, db, query):
    # The page's highlights are read where its ranking found the hits; they are the
    # ones the search words give each inquiry on its own.
    for n in range(30):
        InquiryFactory(
            title=f"Brücken im Kreis {n}" if n % 3 == 0 else f"Straßen im Kreis {n}",
            asked_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
            questions=[(f"Wie viele Brücken gibt es im Kreis {n}?" if n % 2 else "Wie viele Straßen gibt es?", f"Es gibt {n} Brücken.")],
        )
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    hits = response.context["hits"]
    assert len(hits) == (25 if "page" not in query else 5)
    alone = search.highlights("Brücke", [inquiry.pk for inquiry, _highlight in hits])
    assert [highlight for _inquiry, highlight in hits] == [alone[inquiry.pk] for inquiry, _highlight in hits]
    assert all(highlight.excerpt and "<mark>" in highlight.excerpt for _inquiry, highlight in hits)
    fields = {highlight.field for _inquiry, highlight in hits}
    assert fields == {"question", "answer"} if "page" not in query else fields <= {"question", "answer"}


def test_the_form_options_follow_each_requests_language(client, seed):
    """The orderings and answer kinds are translated once per language: a page in English
    between two in German (and the other way round) shows each its own language's labels."""
    def options(language: str, query: str) -> tuple[list[str], list[str]]:
        html = client.get(f"{LIST_URL}?{query}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        ordering = re.search(r'<select id="filter-ordering" name="ordering">(.*?)</select>', html, re.S).group(1)
        kinds = re.search(r'<select id="filter-answer-kind" name="answer_kind">(.*?)</select>', html, re.S).group(1)
        return re.findall(r"<option[^>]*>([^<]*)</option>", ordering), re.findall(r"<option[^>]*>([^<]*)</option>", kinds)

    german_search, german_kinds = options("de", "q=Polizei")
    english_search, english_kinds = options("en", "q=Polizei")
    assert german_search[:2] == ["Relevanz", "Antwortdatum, neueste zuerst"]
    assert english_search[:2] == ["Relevance", "Answer date, newest first"]
    assert options("de", "q=Polizei") == (german_search, german_kinds)
    # Without search words there is nothing to rank by relevance.
    assert options("en", "")[0] == english_search[1:]
    assert options("de", "answer_kind=refused")[0] == german_search[1:]
    assert german_kinds[1:] == [str(label) for _value, label in ANSWER_KIND_CHOICES]
    assert len(english_kinds) == len(german_kinds) == 6


def test_the_pages_filterset_reads_the_published_inquiries_when_asked(client, seed):
    """The page comes from the search's results; its FilterSet's queryset, made only when read,
    is still every published inquiry, and no faction, person or ministry chosen is none."""
    InquiryFactory(title="Polizei Entwurf", state=InquiryState.DRAFT)
    response = client.get(LIST_URL, {"q": "Polizei", "faction": "", "person": ["", ""]})
    filterset = response.context["filter"]
    assert filterset.query.factions == filterset.query.people == filterset.query.ministries == ()
    assert list(filterset.queryset.values_list("pk", flat=True)) == [seed.pk]
    assert [row.pk for row in response.context["inquiries"]] == [seed.pk]
