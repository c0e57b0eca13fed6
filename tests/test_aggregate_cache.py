"""Result counts and facets kept per data version (listing.inquiry_summary, inquiries.versions)."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.test import Client

from inquiries import search, versions
from inquiries.filters import InquiryFilterSet
from inquiries.models import Inquiry, InquiryKind
from inquiries.selectors import facets, listing
from inquiries.services import changes
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, ParliamentFactory, PersonFactory, TermFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/anfragen/"


@pytest.fixture(autouse=True)
def aggregate_cache(settings):
    settings.AGGREGATE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def inquiries():
    bw = ParliamentFactory(code="BW")
    term = TermFactory(parliament=bw, number=17)
    cdu = FactionFactory(parliament=bw, short_name="CDU", slug="cdu")
    interior = MinistryFactory(parliament=bw, name="Innenministerium", slug="innenministerium")
    anna = PersonFactory(last_name="Anders")
    common = {"parliament": bw, "term": term, "answering_ministry": interior, "asked_on": datetime.date(2024, 1, 10)}
    return [
        InquiryFactory(reference="17/1", title="Polizei in Stuttgart", answered_on=datetime.date(2024, 1, 25),
                       askers=[(anna, cdu)], **common),
        InquiryFactory(reference="17/2", title="Polizei in Ulm", answered_on=None, kind=InquiryKind.MAJOR, factions=[cdu],
                       **common),
        InquiryFactory(reference="17/3", title="Schulen in Ulm", answered_on=datetime.date(2024, 2, 1), **common),
    ]


def filterset(query: str) -> InquiryFilterSet:
    fs = InquiryFilterSet(data=QueryDict(query), queryset=listing.inquiry_search_base())
    assert fs.is_valid(), fs.errors
    return fs


def counts(summary: listing.ListSummary) -> dict[str, dict[str, int]]:
    return {facet.name: {value.value: value.count for value in facet.values} for facet in summary.facets}


# --- the data version ----------------------------------------------------------------------


def test_every_write_hook_gives_the_data_a_new_version(inquiries):
    first = versions.current()
    changes.inquiries_changed([inquiries[0].pk])
    second = versions.current()
    MinistryFactory(name="Finanzministerium")
    third = versions.current()
    inquiries[2].delete()
    fourth = versions.current()
    assert len({first, second, third, fourth}) == 4 and all(len(token) == 32 for token in (second, third, fourth))


def test_the_version_row_comes_back_when_a_flush_removed_it(inquiries):
    versions.DataVersion.objects.all().delete()
    assert versions.current() == ""
    versions.advance()
    assert len(versions.current()) == 32 and versions.DataVersion.objects.count() == 1


# --- the summary -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "q=Polizei", "status=answered", "status=open&q=Polizei", "kind=major", "faction=cdu",
                                   "parliament=bw&term=17&ordering=-asked"])
def test_the_summary_counts_what_the_list_holds(inquiries, settings, query):
    settings.AGGREGATE_CACHE_SECONDS = 0
    fs = filterset(query)
    summary = listing.inquiry_summary(fs.query)
    assert summary.count == fs.qs.count()
    assert counts(summary) == counts(listing.ListSummary(0, facets.inquiry_facets(fs.query)))


def test_a_repeated_summary_costs_one_query_for_the_version(inquiries, django_assert_num_queries):
    expected = listing.inquiry_summary(filterset("q=Polizei").query)
    # Another page and order of the same results: the same summary.
    fs = filterset("q=Polizei&ordering=-asked&page=2")
    with django_assert_num_queries(1):
        again = listing.inquiry_summary(fs.query)
    assert again == expected and again.count == 2


def test_the_summary_follows_a_change_at_once(inquiries):
    assert listing.inquiry_summary(filterset("q=Polizei").query).count == 2
    Inquiry.objects.filter(pk=inquiries[2].pk).update(title="Polizei an Schulen")
    changes.inquiries_changed([inquiries[2].pk])
    summary = listing.inquiry_summary(filterset("q=Polizei").query)
    assert summary.count == 3 and counts(summary)["status"] == {"answered": 2, "open": 0, "overdue": 1}


def test_different_parameters_never_share_a_summary(inquiries):
    summaries = {query: listing.inquiry_summary(filterset(query).query).count for query in ("", "kind=major", "kind=minor", "q=Ulm")}
    assert summaries == {"": 3, "kind=major": 1, "kind=minor": 2, "q=Ulm": 2}
    # In another order the same values are the same parameters.
    assert listing.inquiry_summary(filterset("kind=minor&kind=major").query).count == 3
    assert listing.inquiry_summary(filterset("kind=major&kind=minor").query).count == 3


def test_the_summary_is_per_language(inquiries):
    from django.utils import translation

    with translation.override("de"):
        german = {value.label for facet in listing.inquiry_summary(filterset("").query).facets for value in facet.values}
    with translation.override("en"):
        english = {value.label for facet in listing.inquiry_summary(filterset("").query).facets for value in facet.values}
    assert "beantwortet" in german and "answered" in english


def test_without_a_cache_time_nothing_is_kept(inquiries, settings, django_assert_num_queries):
    settings.SEARCH_ENGINE = "database"  # counted by the database: the engine's queries differ
    settings.AGGREGATE_CACHE_SECONDS = 0
    listing.inquiry_summary(filterset("").query)
    with django_assert_num_queries(3):  # grouped counts, faction counts, faction names
        listing.inquiry_summary(filterset("").query)


def test_a_cached_count_serves_every_page_of_the_api(inquiries, client):
    first = client.get("/api/v1/inquiries/?page_size=1").json()
    second = client.get("/api/v1/inquiries/?page_size=1&page=2").json()
    assert first["count"] == second["count"] == 3
    changes.inquiries_changed([InquiryFactory(parliament=inquiries[0].parliament, term=inquiries[0].term,
                                               reference="17/9").pk])
    assert client.get("/api/v1/inquiries/?page_size=1&page=4").json()["count"] == 4


# --- pages ---------------------------------------------------------------------------------


def test_the_list_shows_a_new_inquiry_in_its_number_and_facets_on_every_worker(inquiries):
    assert "3 Anfragen" in Client().get(LIST_URL).content.decode()
    new = InquiryFactory(parliament=inquiries[0].parliament, term=inquiries[0].term, reference="17/4", kind=InquiryKind.MAJOR)
    changes.inquiries_changed([new.pk])
    page = Client().get(LIST_URL).content.decode()
    assert "4 Anfragen" in page


def test_renaming_a_ministry_renames_its_facet(inquiries):
    assert "Innenministerium" in Client().get(LIST_URL).content.decode()
    ministry = inquiries[0].answering_ministry
    ministry.name = "Ministerium des Inneren"
    ministry.save()
    assert "Ministerium des Inneren (BW)" in Client().get(LIST_URL).content.decode()


# --- the first results of a search -------------------------------------------------------


@pytest.fixture
def many(inquiries):
    bw, term = inquiries[0].parliament, inquiries[0].term
    return [InquiryFactory(parliament=bw, term=term, reference=f"17/{100 + n}", title=f"Polizei Revier {n} " + "Polizei " * (n % 4))
            for n in range(30)]


def api_results(client, query: str) -> list[tuple[int, float]]:
    return [(row["id"], row["rank"]) for row in client.get(f"/api/v1/search/?{query}").json()["results"]]


def site_results(client, query: str) -> list[str]:
    import re

    return re.findall(r'href="(/[a-z]{2}/drucksache/[^"#]+/)"', client.get(f"{LIST_URL}?{query}").content.decode())


@pytest.mark.parametrize("query", ["q=Polizei", "q=Polizei&ordering=-asked", "q=Polizei&ordering=reference", "q=Polizei&kind=minor"])
def test_pages_read_from_the_kept_results_match_the_ranked_query(many, client, settings, monkeypatch, query):
    settings.AGGREGATE_CACHE_SECONDS = 0
    pages = [f"{query}&page_size=4&page={n}" for n in (1, 2, 3, 8)]
    ranked = {page: api_results(client, page) for page in pages}
    site = [site_results(client, f"{query}&page={n}") for n in (1, 2)]
    settings.AGGREGATE_CACHE_SECONDS = 300
    # Ten results kept: pages 1 and 2 lie among them, page 3 reaches past them, page 8 (the last) is beyond.
    monkeypatch.setattr(listing, "SEARCH_RESULTS_KEPT", 10)
    for _ in range(2):  # computed, then from the cache
        assert {page: api_results(client, page) for page in pages} == ranked
    # The site's first page of 25 among the results kept, its second beyond them.
    monkeypatch.setattr(listing, "SEARCH_RESULTS_KEPT", 25)
    for _ in range(2):
        assert [site_results(client, f"{query}&page={n}") for n in (1, 2)] == site
    assert len(ranked[pages[0]]) == 4 and len(site[0]) == 25 and site[1]


def test_a_kept_page_reads_its_rows_by_id(many, client, settings):
    settings.SEARCH_ENGINE = "database"  # the database's kept head (the engine reads every page by id)
    search.rebuild_index()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"{LIST_URL}?q=Polizei")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{LIST_URL}?q=Polizei&page=2").status_code == 200
    statements = [query["sql"].lower() for query in queries.captured_queries]
    # Version, the page's rows, their askers, their factions, the new page's highlights:
    # nothing is counted or ranked again.
    assert len(statements) == 5
    assert not any("count(" in sql or "bm25" in sql or "ts_rank" in sql for sql in statements)


def test_a_request_reads_the_data_version_once(many, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(f"{LIST_URL}?q=Polizei")
    assert sum("inquiries_dataversion" in query["sql"] for query in queries.captured_queries) == 1


def test_a_search_after_a_change_is_ranked_anew(inquiries, many, client):
    assert [pk for pk, _rank in api_results(client, "q=Stuttgart")] == [inquiries[0].pk]
    changes.inquiries_changed([InquiryFactory(parliament=many[0].parliament, term=many[0].term, reference="17/999",
                                               title="Stuttgart Stuttgart Stuttgart").pk])
    assert len(api_results(client, "q=Stuttgart")) == 2
