"""The query object of an inquiry list (inquiries/query.py) and the one results selector
(selectors.listing.results) on both search backends."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from inquiries.filters import InquiryFilterSet, Sort
from inquiries.paging import PageOutOfRange
from inquiries.query import DateSpan, InquiryQuery
from inquiries.selectors import listing
from tests.test_filters import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def query_of(parameters: str) -> InquiryQuery:
    filterset = InquiryFilterSet(QueryDict(parameters), queryset=listing.inquiry_search_base())
    assert filterset.is_valid(), filterset.errors
    return filterset.query


# --- built from the request's parameters ----------------------------------------------------


def test_the_query_holds_every_parameter_as_typed_values(world):
    query = query_of(
        "q=Polizei+-Stuttgart&parliament=BW&parliament=bt&term=17&kind=minor&faction=cdu"
        f"&person={world.anna.slug}&ministry=innenministerium&status=answered&answer_kind=refused"
        "&asked_after=2024-01-01&asked_before=2024-01-31&answered_after=2024-02-01"
        "&modified_since=2024-03-01T12:00:00%2B01:00&ordering=-asked&page=3"
    )
    assert query.text == "Polizei -Stuttgart"
    assert not query.parsed.is_empty and query.parsed.excluded
    assert query.parliaments == ("bw", "bt")
    assert query.term == 17
    assert query.kinds == ("minor",)
    assert {(faction.slug, faction.parliament.code) for faction in query.factions} == {("cdu", "BW"), ("cdu", "BT")}
    assert query.people == (world.anna,)
    assert [ministry.slug for ministry in query.ministries] == ["innenministerium"]
    assert query.status == "answered"
    assert query.answer_kinds == ("refused",)
    assert isinstance(query.asked, DateSpan)
    assert (query.asked.start.date(), query.asked.stop.date()) == (datetime.date(2024, 1, 1), datetime.date(2024, 1, 31))
    assert query.answered.start.date() == datetime.date(2024, 2, 1) and query.answered.stop is None
    assert query.modified_since == datetime.datetime(2024, 3, 1, 11, 0, tzinfo=datetime.timezone.utc)
    assert (query.ordering, query.sort, query.page) == ("-asked", "-asked", 3)


def test_a_bare_request_is_the_empty_query_in_the_default_order(world):
    query = query_of("")
    assert query == InquiryQuery()
    assert query.sort == Sort.DEFAULT and query.page == 1 and query.active == frozenset()
    # Words make relevance the default; relevance without words is the default order.
    assert query_of("q=Polizei").sort == Sort.RELEVANCE
    assert query_of("ordering=relevance").sort == Sort.DEFAULT


@pytest.mark.parametrize(("raw", "page"), [("2", 2), ("x", 1), ("2.5", 1), ("", 1), ("0", 0), ("-3", -3)])
def test_the_page_is_read_as_djangos_paginator_reads_it(world, raw, page):
    assert query_of(f"page={raw}").page == page


def test_the_query_is_immutable_and_built_once_per_filterset(world):
    filterset = InquiryFilterSet(QueryDict("q=Polizei"), queryset=listing.inquiry_search_base())
    assert filterset.is_valid()
    assert filterset.query is filterset.query
    assert filterset.parsed_query is filterset.query.parsed
    with pytest.raises(dataclasses.FrozenInstanceError):
        filterset.query.text = "Schule"  # type: ignore[misc]


def test_an_invalid_request_has_no_query(world):
    filterset = InquiryFilterSet(QueryDict("parliament=zz&term=x"), queryset=listing.inquiry_search_base())
    assert not filterset.is_valid()
    with pytest.raises(ValueError):
        filterset.query
    # What the page shows beside the messages: no search, the default order.
    assert (filterset.search_text, filterset.sort) == ("", Sort.DEFAULT)


@pytest.mark.parametrize(
    "url",
    [
        reverse("inquiries:inquiry-list") + "?parliament=zz",
        reverse("inquiries:inquiry-feed") + "?term=x",
        reverse("api:inquiry-list") + "?kind=zz",
        reverse("api:search-list") + "?q=Polizei&status=zz",
    ],
)
def test_invalid_parameters_still_answer_400_everywhere(world, client, url):
    assert client.get(url).status_code == 400


# --- the key for caches -------------------------------------------------------------------------


def test_the_key_is_stable_across_order_repeats_ordering_and_page(world):
    key = query_of("parliament=bw&kind=minor&kind=major&faction=cdu&q=Polizei").key
    assert len(key) == 64
    assert query_of("q=Polizei&faction=cdu&kind=major&kind=minor&parliament=bw").key == key
    assert query_of("q=Polizei&faction=cdu&kind=major&kind=minor&parliament=bw&ordering=-asked&page=4").key == key
    assert query_of("q=Polizei&faction=cdu&kind=major&parliament=bw").key != key
    assert query_of("q=Polizei+Stuttgart&faction=cdu&kind=major&kind=minor&parliament=bw").key != key
    # Equal queries are equal values (and hash alike), whatever request they came from.
    assert query_of("kind=minor&parliament=bw") == query_of("parliament=bw&kind=minor")
    assert len({query_of("kind=minor&parliament=bw"), query_of("parliament=bw&kind=minor")}) == 1


def test_date_ranges_and_times_are_part_of_the_key(world):
    keys = {
        query_of(parameters).key
        for parameters in ("", "asked_after=2024-01-01", "asked_before=2024-01-01", "answered_after=2024-01-01", "modified_since=2024-01-01")
    }
    assert len(keys) == 5


# --- the one selector, on both search backends ---------------------------------------------------


def expected_ids(query: InquiryQuery) -> list[int]:
    return list(listing.ordered_matching(query).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "parameters",
    ["", "q=Polizei", "q=Polizei&faction=cdu", "kind=minor&status=answered", "q=Polizei&ordering=-asked", "parliament=bw&ordering=reference"],
)
def test_results_hold_the_rows_total_facets_and_highlights(world, backend, parameters):
    query = query_of(parameters)
    found = listing.results(query, per_page=2)
    ids = expected_ids(query)
    assert found.total == len(ids)
    assert [row.pk for row in found.rows] == ids[:2]
    assert found.facets == listing.inquiry_summary(query).facets
    assert found.number == 1 and found.per_page == 2
    if query.text:
        assert set(found.highlights) == {row.pk for row in found.rows}
        assert all("<mark>" in str(found.highlights[row.pk].title) for row in found.rows)
    else:
        assert found.highlights == {}


def test_results_page_through_every_match_once(world, backend):
    query = query_of("q=Polizei")
    ids = expected_ids(query)
    pages = [listing.results(query, page=number, per_page=1) for number in range(1, len(ids) + 1)]
    assert [row.pk for page in pages for row in page.rows] == ids


def test_a_page_out_of_range_is_the_last_or_an_error_when_strict(world, backend):
    query = query_of("q=Polizei&page=99")
    last = listing.results(query, per_page=2)
    assert last.number == 2 and [row.pk for row in last.rows] == expected_ids(query)[2:]
    assert listing.results(query, page=0, per_page=2).number == 2
    with pytest.raises(PageOutOfRange):
        listing.results(query, page=3, per_page=2, strict=True)


def test_results_without_facets_and_as_inquiries(world, backend):
    query = query_of("q=Polizei")
    found = listing.results(query, per_page=10, with_facets=False, instances=listing.inquiry_search_base())
    assert found.facets == []
    assert [inquiry.pk for inquiry in found.rows] == expected_ids(query)
    assert all(hasattr(inquiry, "search_rank") for inquiry in found.rows)


def test_the_feed_and_the_alerts_read_the_same_matches(world, backend):
    from inquiries.alerts.queries import follow

    followed = follow("q=Polizei&parliament=bw")
    assert followed.inquiry_query == query_of("parliament=bw&q=Polizei")
    assert set(followed.matching().values_list("pk", flat=True)) == set(expected_ids(followed.inquiry_query))
    assert set(expected_ids(followed.inquiry_query)) == {world.a.pk, world.d.pk}
