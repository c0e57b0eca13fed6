"""Result counts and facets kept per data version (selectors.inquiry_summary, inquiries.versions)."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.test import Client

from inquiries import selectors, services, versions
from inquiries.filters import InquiryFilterSet
from inquiries.models import Inquiry, InquiryKind
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
    fs = InquiryFilterSet(data=QueryDict(query), queryset=selectors.inquiry_search_base())
    assert fs.is_valid(), fs.errors
    return fs


def counts(summary: selectors.ListSummary) -> dict[str, dict[str, int]]:
    return {facet.name: {value.value: value.count for value in facet.values} for facet in summary.facets}


# --- the data version ----------------------------------------------------------------------


def test_every_write_hook_gives_the_data_a_new_version(inquiries):
    first = versions.current()
    services.inquiries_changed([inquiries[0].pk])
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
    summary = selectors.inquiry_summary(fs)
    assert summary.count == fs.qs.count()
    assert counts(summary) == counts(selectors.ListSummary(0, selectors.inquiry_facets(fs)))


def test_a_repeated_summary_costs_one_query_for_the_version(inquiries, django_assert_num_queries):
    expected = selectors.inquiry_summary(filterset("q=Polizei"))
    # Another page and order of the same results: the same summary.
    fs = filterset("q=Polizei&ordering=-asked&page=2")
    with django_assert_num_queries(1):
        again = selectors.inquiry_summary(fs)
    assert again == expected and again.count == 2


def test_the_summary_follows_a_change_at_once(inquiries):
    assert selectors.inquiry_summary(filterset("q=Polizei")).count == 2
    Inquiry.objects.filter(pk=inquiries[2].pk).update(title="Polizei an Schulen")
    services.inquiries_changed([inquiries[2].pk])
    summary = selectors.inquiry_summary(filterset("q=Polizei"))
    assert summary.count == 3 and counts(summary)["status"] == {"answered": 2, "open": 0, "overdue": 1}


def test_different_parameters_never_share_a_summary(inquiries):
    summaries = {query: selectors.inquiry_summary(filterset(query)).count for query in ("", "kind=major", "kind=minor", "q=Ulm")}
    assert summaries == {"": 3, "kind=major": 1, "kind=minor": 2, "q=Ulm": 2}
    # In another order the same values are the same parameters.
    assert selectors.inquiry_summary(filterset("kind=minor&kind=major")).count == 3
    assert selectors.inquiry_summary(filterset("kind=major&kind=minor")).count == 3


def test_the_summary_is_per_language(inquiries):
    from django.utils import translation

    with translation.override("de"):
        german = {value.label for facet in selectors.inquiry_summary(filterset("")).facets for value in facet.values}
    with translation.override("en"):
        english = {value.label for facet in selectors.inquiry_summary(filterset("")).facets for value in facet.values}
    assert "beantwortet" in german and "answered" in english


def test_without_a_cache_time_nothing_is_kept(inquiries, settings, django_assert_num_queries):
    settings.AGGREGATE_CACHE_SECONDS = 0
    selectors.inquiry_summary(filterset(""))
    with django_assert_num_queries(3):  # grouped counts, faction counts, faction names
        selectors.inquiry_summary(filterset(""))


def test_a_cached_count_serves_every_page_of_the_api(inquiries, client):
    first = client.get("/api/v1/inquiries/?page_size=1").json()
    second = client.get("/api/v1/inquiries/?page_size=1&page=2").json()
    assert first["count"] == second["count"] == 3
    services.inquiries_changed([InquiryFactory(parliament=inquiries[0].parliament, term=inquiries[0].term,
                                               reference="17/9").pk])
    assert client.get("/api/v1/inquiries/?page_size=1&page=4").json()["count"] == 4


# --- pages ---------------------------------------------------------------------------------


def test_the_list_shows_a_new_inquiry_in_its_number_and_facets_on_every_worker(inquiries):
    assert "3 Anfragen" in Client().get(LIST_URL).content.decode()
    new = InquiryFactory(parliament=inquiries[0].parliament, term=inquiries[0].term, reference="17/4", kind=InquiryKind.MAJOR)
    services.inquiries_changed([new.pk])
    page = Client().get(LIST_URL).content.decode()
    assert "4 Anfragen" in page


def test_renaming_a_ministry_renames_its_facet(inquiries):
    assert "Innenministerium" in Client().get(LIST_URL).content.decode()
    ministry = inquiries[0].answering_ministry
    ministry.name = "Ministerium des Inneren"
    ministry.save()
    assert "Ministerium des Inneren (BW)" in Client().get(LIST_URL).content.decode()
