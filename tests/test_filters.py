"""InquiryFilterSet: every filter, combined with full-text search; facets; invalid values."""

from __future__ import annotations

import datetime
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from inquiries import search
from inquiries.filters import InquiryFilterSet, Sort
from inquiries.models import Inquiry, InquiryKind, InquiryState
from inquiries.selectors import facets, listing
from inquiries.services.workflow import withdraw
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, ParliamentFactory, PersonFactory, TermFactory


@pytest.fixture
def world(db) -> SimpleNamespace:
    """Four published inquiries (BW and Bundestag), a draft and a withdrawn one.

    A  BW 17/1  minor  "Polizei in Stuttgart"  asked by a CDU member, listed CDU, answered
    B  BW 17/2  major  "Schulen in Ulm"        asked by a Green member, answered
    C  BT 19/3  minor  "Polizei des Bundes"    asked by a CDU member (Bundestag), overdue
    D  BW 17/4  minor  "Polizei-Neubau"        listed CDU only, asked today: open
    """
    bw = ParliamentFactory(code="BW")
    bt = ParliamentFactory(code="BT")
    bw17, bt19 = TermFactory(parliament=bw, number=17), TermFactory(parliament=bt, number=19)
    cdu_bw = FactionFactory(parliament=bw, short_name="CDU", slug="cdu")
    greens = FactionFactory(parliament=bw, short_name="GRÜNE", slug="grune")
    cdu_bt = FactionFactory(parliament=bt, short_name="CDU", slug="cdu")
    anna, ben, carla = PersonFactory(last_name="Anders"), PersonFactory(last_name="Berger"), PersonFactory(last_name="Conrad")
    interior = MinistryFactory(parliament=bw, name="Innenministerium", slug="innenministerium")
    federal = MinistryFactory(parliament=bt, name="Bundesministerium des Innern", slug="bmi")
    today = timezone.localdate()

    a = InquiryFactory(
        parliament=bw, term=bw17, reference="17/1", title="Polizei in Stuttgart", answering_ministry=interior,
        asked_on=datetime.date(2024, 1, 10), answered_on=datetime.date(2024, 1, 25),
        askers=[(anna, cdu_bw)], factions=[cdu_bw],
    )
    b = InquiryFactory(
        parliament=bw, term=bw17, reference="17/2", title="Schulen in Ulm", kind=InquiryKind.MAJOR, answering_ministry=interior,
        asked_on=datetime.date(2024, 3, 1), answered_on=datetime.date(2024, 4, 30),
        askers=[(ben, greens)], factions=[greens],
    )
    c = InquiryFactory(
        parliament=bt, term=bt19, reference="19/3", title="Polizei des Bundes", answering_ministry=federal,
        asked_on=datetime.date(2020, 1, 1), answered_on=None, askers=[(carla, cdu_bt)],
    )
    d = InquiryFactory(
        parliament=bw, term=bw17, reference="17/4", title="Polizei-Neubau", asked_on=today, answered_on=None, factions=[cdu_bw],
    )
    InquiryFactory(
        parliament=bw, term=bw17, reference="17/5", title="Polizei Entwurf", state=InquiryState.DRAFT,
        askers=[(anna, cdu_bw)], factions=[cdu_bw], answering_ministry=interior,
    )
    gone = InquiryFactory(parliament=bw, term=bw17, reference="17/6", title="Polizei zurückgezogen", factions=[cdu_bw])
    withdraw(gone, reason="zurückgezogen")
    return SimpleNamespace(a=a, b=b, c=c, d=d, anna=anna, ben=ben, carla=carla)


def filterset(query: str) -> InquiryFilterSet:
    return InquiryFilterSet(QueryDict(query), queryset=listing.inquiry_search_base())


def refs(query: str) -> list[str]:
    fs = filterset(query)
    assert fs.is_valid(), fs.errors
    return [inquiry.reference for inquiry in fs.qs]


def sorted_refs(query: str) -> list[str]:
    return sorted(refs(query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["17/1", "17/2", "17/4", "19/3"]),
        ("parliament=bw", ["17/1", "17/2", "17/4"]),
        ("parliament=BT", ["19/3"]),
        ("parliament=bt&parliament=bw", ["17/1", "17/2", "17/4", "19/3"]),
        ("term=19", ["19/3"]),
        ("term=17&parliament=bw", ["17/1", "17/2", "17/4"]),
        ("kind=major", ["17/2"]),
        ("kind=minor", ["17/1", "17/4", "19/3"]),
        ("faction=cdu", ["17/1", "17/4", "19/3"]),
        ("faction=cdu&parliament=bw", ["17/1", "17/4"]),
        ("faction=grune", ["17/2"]),
        ("faction=grune&faction=cdu&parliament=bw", ["17/1", "17/2", "17/4"]),
        ("ministry=innenministerium", ["17/1", "17/2"]),
        ("ministry=bmi", ["19/3"]),
        ("status=answered", ["17/1", "17/2"]),
        ("status=open", ["17/4"]),
        ("status=overdue", ["19/3"]),
        ("asked_after=2024-02-01", ["17/2", "17/4"]),
        ("asked_before=2024-01-31", ["17/1", "19/3"]),
        ("asked_after=2024-01-01&asked_before=2024-01-31", ["17/1"]),
        ("answered_after=2024-04-01", ["17/2"]),
        ("answered_before=2024-02-01", ["17/1"]),
    ],
)
def test_each_filter(world, query, expected):
    assert sorted_refs(query) == expected


def test_person_filter(world):
    assert sorted_refs(f"person={world.anna.slug}") == ["17/1"]
    assert sorted_refs(f"person={world.anna.slug}&person={world.carla.slug}") == ["17/1", "19/3"]


def test_modified_since(world):
    Inquiry.objects.filter(pk=world.a.pk).update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert sorted_refs("modified_since=2023-01-01") == ["17/2", "17/4", "19/3"]
    assert sorted_refs("modified_since=2019-12-31T23:00:00%2B00:00") == ["17/1", "17/2", "17/4", "19/3"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("", ["17/1", "17/4", "19/3"]),
        ("&parliament=bw", ["17/1", "17/4"]),
        ("&term=19", ["19/3"]),
        ("&kind=minor", ["17/1", "17/4", "19/3"]),
        ("&kind=major", []),
        ("&faction=cdu&parliament=bt", ["19/3"]),
        ("&ministry=innenministerium", ["17/1"]),
        ("&status=answered", ["17/1"]),
        ("&status=open", ["17/4"]),
        ("&status=overdue", ["19/3"]),
        ("&asked_before=2024-01-31", ["17/1", "19/3"]),
        ("&answered_after=2024-01-01", ["17/1"]),
        ("&modified_since=2000-01-01", ["17/1", "17/4", "19/3"]),
    ],
)
def test_search_combines_with_every_filter(world, extra, expected):
    assert sorted_refs(f"q=Polizei{extra}") == expected


def test_search_with_person(world):
    assert refs(f"q=Polizei&person={world.anna.slug}") == ["17/1"]
    assert refs(f"q=Schulen&person={world.anna.slug}") == []


def test_drafts_and_withdrawn_never_match(world):
    assert "17/5" not in refs("q=Entwurf") + refs("faction=cdu") + refs("")
    assert "17/6" not in refs("q=zurückgezogen") + refs("faction=cdu") + refs("")


# --- ordering -------------------------------------------------------------------------


def test_default_order_is_newest_answer_first_with_open_ones_last(world):
    assert refs("")[:2] == ["17/2", "17/1"]
    assert set(refs("")[2:]) == {"17/4", "19/3"}


def test_relevance_is_the_default_with_a_query(world):
    InquiryFactory(reference="17/7", title="Anfrage", questions=[("Was macht die Polizei?", "Vieles.")])
    fs = filterset("q=Polizei")
    assert fs.is_valid() and fs.sort == Sort.RELEVANCE
    assert [inquiry.reference for inquiry in fs.qs][-1] == "17/7"


def test_relevance_without_query_falls_back(world):
    fs = filterset("ordering=relevance")
    assert fs.is_valid() and fs.sort == Sort.DEFAULT
    assert refs("ordering=relevance") == refs("")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("asked", ["19/3", "17/1", "17/2", "17/4"]),
        ("-asked", ["17/4", "17/2", "17/1", "19/3"]),
        ("answered", ["17/1", "17/2"]),
        ("-answered", ["17/2", "17/1"]),
        # By parliament, then term and number.
        ("reference", ["19/3", "17/1", "17/2", "17/4"]),
        ("-reference", ["19/3", "17/4", "17/2", "17/1"]),
        ("answer_time", ["17/1", "17/2"]),
        ("-answer_time", ["17/2", "17/1"]),
    ],
)
def test_orderings(world, ordering, expected):
    assert refs(f"ordering={ordering}")[: len(expected)] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("faction=nope", "faction"),
        ("person=niemand", "person"),
        ("ministry=nope", "ministry"),
        ("parliament=xx", "parliament"),
        ("kind=huge", "kind"),
        ("status=lost", "status"),
        ("term=abc", "term"),
        ("term=0", "term"),
        ("asked_after=gestern", "asked"),
        ("answered_before=2024-13-45", "answered"),
        ("modified_since=bald", "modified_since"),
        ("ordering=pk", "ordering"),
        ("ordering=title;DROP", "ordering"),
        ("faction=%00", "faction"),
        ("person=a%00b", "person"),
        ("ministry=%3Cscript%3E", "ministry"),
    ],
)
def test_invalid_values_are_reported(world, query, field):
    fs = filterset(query)
    assert not fs.is_valid()
    assert field in fs.errors
    assert all(message for message in fs.errors[field])


def test_api_filter_backend_answers_invalid_values_with_400(world):
    view = SimpleNamespace(filterset_class=InquiryFilterSet)
    request = Request(APIRequestFactory().get("/api/inquiries/", {"faction": "nope", "q": "Polizei"}))
    with pytest.raises(ValidationError) as raised:
        DjangoFilterBackend().filter_queryset(request, listing.inquiry_search_base(), view)
    assert raised.value.status_code == 400
    assert "nope" in str(raised.value.detail["faction"][0])


def test_api_filter_backend_filters(world):
    view = SimpleNamespace(filterset_class=InquiryFilterSet)
    request = Request(APIRequestFactory().get("/api/inquiries/", {"faction": "cdu", "q": "Polizei", "status": "open"}))
    results = DjangoFilterBackend().filter_queryset(request, listing.inquiry_search_base(), view)
    assert [inquiry.reference for inquiry in results] == ["17/4"]


def test_unknown_faction_message_names_the_value(world):
    fs = filterset("faction=nope")
    fs.is_valid()
    assert "nope" in fs.errors["faction"][0]


def test_empty_values_from_the_form_are_ignored(world):
    query = "q=&parliament=&term=&kind=&faction=&person=&ministry=&status=&asked_after=&asked_before=&answered_after=&answered_before=&modified_since=&ordering="
    assert sorted_refs(query) == ["17/1", "17/2", "17/4", "19/3"]


@pytest.mark.parametrize("raw", ["%00", "%22", "x" * 10_000, "%27%3B%20DROP%20TABLE%20inquiries_inquiry%3B%20--", "-", "OR"])
def test_malformed_queries_are_valid(world, raw):
    fs = filterset(f"q={raw}")
    assert fs.is_valid()
    assert isinstance(list(fs.qs), list)


# --- facets --------------------------------------------------------------------------------


def facet_counts(query: str) -> dict[str, dict[str, tuple[int, bool]]]:
    fs = filterset(query)
    assert fs.is_valid(), fs.errors
    return {facet.name: {value.value: (value.count, value.selected) for value in facet.values} for facet in facets.inquiry_facets(fs.query)}


def test_facets_without_filters(world):
    counts = facet_counts("")
    assert counts["parliament"] == {"bw": (3, False), "bt": (1, False)}
    assert counts["term"] == {"17": (3, False), "19": (1, False)}
    assert counts["kind"] == {"minor": (3, False), "major": (1, False)}
    assert counts["faction"] == {"cdu": (3, False), "grune": (1, False)}
    assert counts["ministry"] == {"innenministerium": (2, False), "bmi": (1, False)}
    assert counts["status"] == {"answered": (2, False), "open": (1, False), "overdue": (1, False)}


def test_each_facet_leaves_out_its_own_filter(world):
    counts = facet_counts("q=Polizei&faction=cdu&parliament=bw")
    # Parliament counts ignore parliament=bw but keep the search and the faction.
    assert counts["parliament"] == {"bw": (2, True), "bt": (1, False)}
    # Faction counts ignore faction=cdu but keep the search and the parliament.
    assert counts["faction"] == {"cdu": (2, True)}
    assert counts["status"] == {"answered": (1, False), "open": (1, False), "overdue": (0, False)}
    assert counts["kind"] == {"minor": (2, False)}
    assert counts["ministry"] == {"innenministerium": (1, False)}
    assert counts["term"] == {"17": (2, False)}


def test_facets_mark_the_chosen_values(world):
    counts = facet_counts("kind=major&status=answered&term=17&ministry=innenministerium")
    assert counts["kind"]["major"] == (1, True)
    assert counts["status"]["answered"] == (1, True)
    assert counts["term"]["17"] == (1, True)
    assert counts["ministry"]["innenministerium"] == (1, True)


def test_facets_count_only_published_inquiries(world):
    # The draft and the withdrawn inquiry are CDU, about the police, and answered.
    counts = facet_counts("q=Polizei")
    assert counts["faction"] == {"cdu": (3, False)}
    assert counts["status"]["answered"] == (1, False)


def test_facets_take_a_constant_number_of_queries(world, django_assert_max_num_queries, settings):
    settings.SEARCH_ENGINE = "database"  # the database's own facet queries (the engine's: below)
    search.rebuild_index()
    fs = filterset(f"q=Polizei&faction=cdu&person={world.anna.slug}&ministry=innenministerium")
    assert fs.is_valid()
    with django_assert_max_num_queries(8):
        facets.inquiry_facets(fs.query)


def test_facets_without_their_own_parameters_share_one_grouped_query(world, django_assert_num_queries, settings):
    settings.SEARCH_ENGINE = "database"
    search.rebuild_index()
    fs = filterset(f"q=Polizei&person={world.anna.slug}")
    assert fs.is_valid()
    # The grouped counts for five facets, the faction counts and the factions' names.
    with django_assert_num_queries(3):
        counted = facets.inquiry_facets(fs.query)
    assert [facet.name for facet in counted] == ["parliament", "term", "kind", "faction", "ministry", "status"]


def test_the_engine_counts_facets_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    # The engine counts in its index; the database gives only the names of what it counted.
    fs = filterset(f"q=Polizei&faction=cdu&person={world.anna.slug}&ministry=innenministerium&parliament=bw&term=17")
    assert fs.is_valid()
    search.refresh()
    # Its look at the change log, the ids of the parliament and term, 4 kinds of names, the status's.
    with django_assert_max_num_queries(8):
        summary = listing.inquiry_summary(fs.query)
    assert [facet.name for facet in summary.facets] == ["parliament", "term", "kind", "faction", "ministry", "status"]


@pytest.mark.parametrize("query", ["", "q=Polizei", "q=Polizei&faction=cdu", "kind=minor&status=answered"])
def test_faction_counts_agree_whichever_way_the_links_are_read(world, monkeypatch, query):
    few = facet_counts(query)["faction"]
    # Past the threshold the links are read whole and filtered at the end.
    monkeypatch.setattr(facets, "_FACTION_LINKS_FILTERED_UP_TO", -1)
    assert facet_counts(query)["faction"] == few
    assert few  # the world has CDU and SPD inquiries in every one of these


@pytest.mark.parametrize("threshold", [20_000, -1])
def test_a_faction_counts_an_inquiry_once_however_often_it_is_linked(world, monkeypatch, threshold):
    monkeypatch.setattr(facets, "_FACTION_LINKS_FILTERED_UP_TO", threshold)
    greens = world.b.factions.get()
    before = facet_counts("")["faction"]["grune"][0]
    # Two Green askers, not listed as a group: one inquiry more, not two.
    InquiryFactory(parliament=world.b.parliament, term=world.b.term, reference="17/20", title="Radwege",
                   askers=[(world.ben, greens), (PersonFactory(last_name="Grün"), greens)])
    # Listed and asked by a Green member as well: again one more.
    InquiryFactory(parliament=world.b.parliament, term=world.b.term, reference="17/21", title="Busse",
                   askers=[(world.ben, greens)], factions=[greens])
    assert facet_counts("")["faction"]["grune"][0] == before + 2


# --- the search engine answers as the database does ------------------------------------------

ENGINE_QUERIES = [
    "",
    "q=Polizei",
    "q=Polizei&faction=cdu",
    "q=Polizei -Stuttgart",
    "q=-Stuttgart",
    "kind=minor&status=answered",
    "status=overdue",
    "status=open&parliament=bw",
    "parliament=bw&term=17&kind=major",
    "ministry=innenministerium",
    "q=Polizei&parliament=bt&status=overdue",
    "asked_after=2024-01-01&asked_before=2024-01-31",
    "answered_after=2000-01-01",
    "modified_since=2000-01-01",
    # Several facet filters at once, some with several values (a union of their postings).
    "parliament=bw&parliament=bt&kind=minor&status=answered",
    "q=Polizei&faction=cdu&faction=grune&status=open&kind=minor",
    "q=Polizei&faction=cdu&kind=minor&kind=major&status=overdue&parliament=bt",
    "status=overdue&kind=minor&ministry=innenministerium&ministry=bmi",
    "term=17&status=answered&asked_after=2000-01-01",
    "term=99&kind=minor",
    # A search with facet filters on fields of one value per inquiry: one pass split by them.
    "q=Polizei&term=17&ministry=innenministerium&parliament=bw",
    "q=Polizei&kind=minor&term=99",
    "q=Polizei -Ulm&parliament=bw&parliament=bt&kind=minor&kind=major&answered_after=2000-01-01",
    # ... and the faction filter applied within that pass's cells (the faction facet counted beside).
    "q=Polizei&parliament=bw&kind=minor&status=answered&faction=cdu",
    "q=Polizei&faction=cdu&faction=grune&parliament=bw&parliament=bt&status=answered",
    "q=Polizei&faction=grune&status=answered",
    "q=Polizei -Stuttgart&faction=cdu&term=17&ministry=innenministerium&asked_after=2000-01-01",
]


@pytest.mark.parametrize(
    "query",
    [
        "q=Polizei&parliament=bw&kind=minor&status=answered&faction=cdu",
        "q=Polizei&faction=cdu&faction=grune&status=open&kind=minor",
        "q=Polizei&faction=grune&status=answered",
    ],
)
def test_a_search_with_a_faction_and_other_facet_filters_is_counted_in_one_pass(world, monkeypatch, query):
    """The faction facet needs the matches without the faction filter, the others the matches
    with it: one pass split by the other filters' values counts both (the filter within each
    cell), instead of a second pass that intersects the words with the filters again."""
    from inquiries.search import engine_search

    calls: list[str] = []
    counting, splitting = engine_search.terms_counts, engine_search.cells

    def counted(searcher, matches, fields, **kwargs):
        calls.append(f"terms_counts {list(fields)}")
        return counting(searcher, matches, fields, **kwargs)

    def split(*args, **kwargs):
        calls.append(f"cells within={kwargs.get('within')} around={list(kwargs.get('around', ()))}")
        return splitting(*args, **kwargs)

    monkeypatch.setattr(engine_search, "terms_counts", counted)
    monkeypatch.setattr(engine_search, "cells", split)
    fs = filterset(query)
    assert fs.is_valid(), fs.errors
    assert facets.engine_facets(fs.query) == facets.inquiry_facets(fs.query)
    within = engine_search.values_filter("factions", [faction.pk for faction in fs.query.factions])
    assert f"cells within={within} around=['factions']" in calls
    # No pass of the faction facet's own (an open status is a filter of the others: its own pass).
    assert sorted(calls) == sorted([f"cells within={within} around=['factions']", *(["terms_counts []"] if "status=open" in query else [])])
    # Each faction chosen, and only those, in the filter.
    assert within.count("factions:") == len(fs.query.factions) >= 1


@pytest.mark.parametrize("query", ENGINE_QUERIES)
def test_the_engine_counts_every_facet_as_the_database(world, query):
    fs = filterset(query)
    assert fs.is_valid(), fs.errors
    assert facets.engine_facets(fs.query) == facets.inquiry_facets(fs.query)


def test_the_engine_counts_facets_on_its_threads_while_the_page_is_read(world, settings, monkeypatch):
    """The aggregations run on the engine's threads, not the request's (search.threads),
    and give what the request's own thread gives (SEARCH_ENGINE_THREADS = 0)."""
    import threading

    from inquiries.search import engine_search

    seen: list[str] = []
    def recorded(aggregation):
        def run(*args, **kwargs):
            seen.append(threading.current_thread().name)
            return aggregation(*args, **kwargs)

        return run

    # Passes over the matches, and the one split by the values of several filters.
    monkeypatch.setattr(engine_search, "terms_counts", recorded(engine_search.terms_counts))
    monkeypatch.setattr(engine_search, "cells", recorded(engine_search.cells))
    settings.AGGREGATE_CACHE_SECONDS = 0
    for query in ENGINE_QUERIES:
        fs = filterset(query)
        assert fs.is_valid(), fs.errors
        settings.SEARCH_ENGINE_THREADS = 2
        threaded = listing.results(fs.query)
        assert seen and all(name.startswith("search-engine") for name in seen), (query, seen)
        seen.clear()
        settings.SEARCH_ENGINE_THREADS = 0
        inline = listing.results(filterset(query).query)
        assert seen and all(name == threading.current_thread().name for name in seen), (query, seen)
        seen.clear()
        assert (threaded.total, threaded.facets, threaded.number) == (inline.total, inline.facets, inline.number)
        assert [row.pk for row in threaded.rows] == [row.pk for row in inline.rows]
        assert threaded.total == fs.qs.count()


@pytest.mark.parametrize(
    ("query", "apart", "number"), [("", True, 2), ("q=-Stuttgart", True, 2), ("kind=minor", True, 3), ("q=Polizei", False, 1)]
)
def test_a_list_without_words_counts_the_statuses_beside_the_fields(world, monkeypatch, query, apart, number):
    """Without search words a pass over the matches costs little beside the counting: the
    statuses are a pass of their own, on another engine thread, and count the same."""
    from inquiries.search import engine_search

    passes: list[tuple[tuple[str, ...], bool]] = []
    counting = engine_search.terms_counts

    def recorded(searcher, query, fields, *, statuses_on=None):
        passes.append((tuple(fields), statuses_on is not None))
        return counting(searcher, query, fields, statuses_on=statuses_on)

    monkeypatch.setattr(engine_search, "terms_counts", recorded)
    fs = filterset(query)
    assert fs.is_valid(), fs.errors
    assert facets.engine_facets(fs.query) == facets.inquiry_facets(fs.query)
    # (kind=minor: the kind facet counts without its own filter, a pass of its own anyway.)
    with_statuses = [fields for fields, statuses in passes if statuses]
    assert with_statuses == ([()] if apart else [("parliament", "term", "kind", "factions", "ministry")]), passes
    assert len(passes) == number, passes


def test_an_error_in_the_engine_threads_reaches_the_request(world, settings, monkeypatch):
    from inquiries.search import engine_search

    settings.AGGREGATE_CACHE_SECONDS = 0
    def broken(*args, **kwargs):
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(engine_search, "terms_counts", broken)
    with pytest.raises(RuntimeError, match="index unreadable"):
        listing.results(filterset("q=Polizei").query)


@pytest.mark.parametrize(("page", "expected"), [("1", 1), ("0", None), ("-3", None), ("999", None), (str(10**23), None), ("85899345", None)])
def test_an_engine_page_out_of_range_is_the_last_one(world, page, expected):
    """As Django's ``Paginator.get_page``: below 1 or past the end shows the last page (page
    85,899,345 of 25: the index was asked for room for 2**31 results, and aborted the process)."""
    fs = filterset(f"page={page}")
    assert fs.is_valid(), fs.errors
    found = listing.results(fs.query, per_page=2)
    last = -(-found.total // 2)
    assert found.total == filterset("").qs.count() > 2
    assert found.number == (expected or last)
    assert [row.pk for row in found.rows] == [row.pk for row in listing.results(filterset(f"page={found.number}").query, per_page=2).rows]
    assert found.rows


@pytest.mark.parametrize("ordering", ["", "-answered", "-asked", "answered"])
def test_pages_of_every_inquiry_newest_first_come_from_windows_of_recent_days_in_the_database_order(world, ordering, monkeypatch):
    """The list without words or filters, newest first, is read from a window of recent days
    (engine_search._newest_window): every page, whatever window it needs, is the database's,
    days in the future, equal days and no day included."""
    from inquiries.search import engine_search

    windows = []
    newest_window = engine_search._newest_window
    monkeypatch.setattr(engine_search, "_newest_window", lambda *args: windows.append(newest_window(*args)) or windows[-1])
    today = timezone.localdate()
    bw = world.a.parliament
    for number, days in enumerate([0, 0, 3, 20, 40, 100, 200, 400, 800, 1500, 3000, 5000, -5, None, None], start=10):
        day = today - datetime.timedelta(days=days) if days is not None else None
        InquiryFactory(parliament=bw, term=world.a.term, reference=f"17/{number}", title=f"Anfrage {number}",
                       asked_on=day or datetime.date(2001, 1, 1), answered_on=day)
    fs = filterset(f"ordering={ordering}" if ordering else "")
    assert fs.is_valid(), fs.errors
    expected = [inquiry.pk for inquiry in fs.qs]
    assert len(expected) == 19
    for size in (1, 2, 3, 5, 19, 25):
        pages = [listing.EngineResults(fs.query)[bottom : bottom + size] for bottom in range(0, len(expected), size)]
        assert [pk for page in pages for pk, _rank in page] == expected, size
    results = listing.EngineResults(fs.query)
    assert results[3:5] and len(results) == 19
    # Narrow windows for the first pages, none (the whole index) for the last ones.
    if ordering in ("", "-answered", "-asked"):
        assert any(window is not None for window in windows) and None in windows
    else:
        assert windows == [None] * len(windows)


@pytest.mark.parametrize("query", [*ENGINE_QUERIES, "person={anna}"])
@pytest.mark.parametrize("ordering", ["", *Sort.CHOICES])
def test_the_engine_orders_every_page_as_the_database(world, query, ordering):
    query = query.format(anna=world.anna.slug)
    fs = filterset(f"{query}&ordering={ordering}" if ordering else query)
    assert fs.is_valid(), fs.errors
    expected = [inquiry.pk for inquiry in fs.qs]
    results = listing.EngineResults(fs.query)
    assert len(results) == len(expected)
    assert [pk for pk, _rank in results[0 : len(expected)]] == expected


def _status_links(html: str) -> dict[str, str]:
    """The deadline statuses of the list page's "Stand" facet with their counts, as shown."""
    section = html.split("<summary><h3>Stand", 1)[1].split("</ul>", 1)[0]
    return {label: count for label, count in re.findall(r'<span class="facet-label">([^<]+)</span> <span class="count">(\d+)</span>', section)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"beantwortet": "2", "offen": "1", "überfällig": "1"}),
        ("q=Polizei", {"beantwortet": "1", "offen": "1", "überfällig": "1"}),
        ("q=Polizei&parliament=bw", {"beantwortet": "1", "offen": "1", "überfällig": "0"}),
        # The status facet leaves out its own filter: every status keeps its count.
        ("q=Polizei&status=overdue", {"beantwortet": "1", "offen": "1", "überfällig": "1"}),
        ("kind=major", {"beantwortet": "1", "offen": "0", "überfällig": "0"}),
    ],
)
def test_the_page_counts_each_deadline_status_of_its_results(client, world, query, expected):
    response = client.get(f"/anfragen/?{query}", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert _status_links(response.content.decode()) == expected


def test_an_empty_choice_of_people_factions_or_ministries_reads_nothing(world, django_assert_num_queries):
    fs = InquiryFilterSet(QueryDict("q=Polizei&faction=&person=&ministry="), queryset=listing.inquiry_search_base())
    with django_assert_num_queries(0):
        assert fs.is_valid()
        assert (fs.query.factions, fs.query.people, fs.query.ministries) == ((), (), ())


@pytest.mark.parametrize(
    ("language", "label", "message"),
    [("en", "Parliamentary group", "Unknown parliamentary group: “nope”."), ("de", "Fraktion", "Unbekannte Fraktion: „nope“."),
     ("en", "Term", "Enter a whole number.")],
)
def test_the_form_explains_bad_parameters_in_the_language_of_each_request(client, world, language, label, message):
    # The form's fields are made once per process; their labels and messages are
    # translated for each request.
    response = client.get("/anfragen/?faction=nope&term=abc", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert f"<li>{label}: " in html and message in html


def test_filtersets_share_their_fields_but_not_their_data_errors_or_filters(db):
    # The fields are shared by every form and the filters copied shallowly (filters.py,
    # _SharedFields and _ShallowCopiedFilters): what one request gives stays its own.
    from inquiries.filters import InquiryFilterSet

    good = InquiryFilterSet({"parliament": ["bw"], "q": "Polizei"})
    bad = InquiryFilterSet({"parliament": ["xx"], "status": "nie"})
    assert good.is_valid() and not bad.is_valid()
    assert good.form.fields["parliament"] is bad.form.fields["parliament"]
    assert set(bad.form.errors) == {"parliament", "status"} and not good.form.errors
    assert good.form.cleaned_data["parliament"] == ["bw"] and good.search_text == "Polizei"
    assert good.filters["parliament"] is not bad.filters["parliament"]
    assert good.filters["q"].parent is good and bad.filters["q"].parent is bad
    assert getattr(InquiryFilterSet.base_filters["q"], "parent", None) is None


@pytest.mark.parametrize("status", ["answered", "overdue", "open"])
@pytest.mark.parametrize("query", ["q=Polizei", "", "q=-Stuttgart"])
def test_cells_split_by_a_status_count_as_a_pass_with_its_filter(world, query, status):
    """engine_search.cells with a status: each cell's matches and counts are those of its
    matches in that status (added up and taken away from the status buckets), its statuses'
    counts those of all its matches; together they equal a pass with the status as a filter."""
    from inquiries.search import engine_search
    from inquiries.selectors.base import on_or_today

    fs = filterset(query)
    assert fs.is_valid(), fs.errors
    searcher, schema, parsed, filters = facets.engine_parts(fs.query)
    today = on_or_today(None)
    matches = engine_search.combined(schema, parsed, filters)
    in_status = engine_search.combined(schema, parsed, {**filters, "status": engine_search.status_query(schema, status, today)})
    fields = ["kind", "term", "factions"]
    found = engine_search.cells(searcher, matches, ["parliament"], fields, statuses_on=today, status=status)
    expected = engine_search.terms_counts(searcher, in_status, ["parliament", *fields])
    assert {cell.values[0]: cell.matches for cell in found if cell.matches} == expected["parliament"]
    for field in fields:
        added: dict = {}
        for cell in found:
            for value, number in cell.counts[field].items():
                added[value] = added.get(value, 0) + number
        assert added == expected[field], field
    every_status = engine_search.terms_counts(searcher, matches, [], statuses_on=today)[engine_search.STATUSES]
    assert {name: sum(cell.counts[engine_search.STATUSES][name] for cell in found) for name in every_status} == every_status
    assert sum(cell.matches for cell in found) == sum(expected["parliament"].values())
    # The world has inquiries in every status beside the word.
    assert query != "q=Polizei" or expected["parliament"]
