"""Atom feeds of searches and of people, factions and ministries."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inquiries.models import InquiryState
from inquiries.services.workflow import withdraw
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, ParliamentFactory, PersonFactory

ATOM = "{http://www.w3.org/2005/Atom}"
NOTICE = "Metadaten: kleineanfragen.de (Archiv 1.1.2021), Open Database License (ODbL 1.0)"


@pytest.fixture(autouse=True)
def numbered_from_one():
    InquiryFactory.reset_sequence()


@pytest.fixture
def world(db):
    bw = ParliamentFactory(code="BW")
    spd = FactionFactory(parliament=bw, short_name="SPD", slug="spd")
    cdu = FactionFactory(parliament=bw, short_name="CDU", slug="cdu")
    erika = PersonFactory(first_name="Erika", last_name="Beispiel", slug="erika-beispiel")
    ministry = MinistryFactory(parliament=bw, name="Innenministerium", slug="innenministerium")
    InquiryFactory(title="Polizei in Ulm", factions=[spd], askers=[(erika, spd)], answering_ministry=ministry, source_notice=NOTICE)
    InquiryFactory(title="Polizei in Bonn", factions=[cdu])
    InquiryFactory(title="Schulen in Ulm", factions=[spd], answering_ministry=ministry)
    InquiryFactory(title="Polizei Entwurf", factions=[spd], askers=[(erika, spd)], answering_ministry=ministry, state=InquiryState.DRAFT)
    gone = InquiryFactory(title="Polizei zurückgezogen", factions=[spd], askers=[(erika, spd)], answering_ministry=ministry)
    withdraw(gone, reason="zurückgezogen")


def feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def titles(root: ET.Element) -> list[str]:
    return sorted(entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry"))


def test_search_feed_has_the_same_filters_as_the_list(client, world):
    root = feed(client, reverse("inquiries:inquiry-feed") + "?q=Polizei&faction=spd")
    assert titles(root) == ["BW 17/1: Polizei in Ulm"]
    assert "Polizei" in root.findtext(f"{ATOM}title")
    self_link = next(link for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href").endswith("/anfragen/feed/?q=Polizei&faction=spd")
    alternate = next(link for link in root.iter(f"{ATOM}link") if link.get("rel") == "alternate")
    assert alternate.get("href").endswith("/anfragen/?q=Polizei&faction=spd")


def test_search_feed_without_parameters_lists_all_published(client, world):
    assert titles(feed(client, reverse("inquiries:inquiry-feed"))) == [
        "BW 17/1: Polizei in Ulm",
        "BW 17/2: Polizei in Bonn",
        "BW 17/3: Schulen in Ulm",
    ]


def test_entries_carry_the_source_notice_where_there_is_one(client, world):
    root = feed(client, reverse("inquiries:inquiry-feed") + "?q=Polizei")
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}
    with_notice = entries["BW 17/1: Polizei in Ulm"]
    assert with_notice.findtext(f"{ATOM}rights") == NOTICE
    assert NOTICE in with_notice.findtext(f"{ATOM}summary")
    without = entries["BW 17/2: Polizei in Bonn"]
    assert without.find(f"{ATOM}rights") is None
    assert "kleineanfragen" not in without.findtext(f"{ATOM}summary")


def test_entry_content(client, world):
    root = feed(client, reverse("inquiries:inquiry-feed") + "?q=Ulm&faction=spd&ministry=innenministerium")
    entry = next(entry for entry in root.iter(f"{ATOM}entry") if entry.findtext(f"{ATOM}title") == "BW 17/1: Polizei in Ulm")
    assert entry.find(f"{ATOM}link").get("href").endswith("/bw/drucksache/17-1/")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Erika Beispiel"
    assert [category.get("term") for category in entry.iter(f"{ATOM}category")] == ["SPD"]
    summary = entry.findtext(f"{ATOM}summary")
    assert "Drucksache 17/1" in summary and "Innenministerium" in summary and "Erika Beispiel (SPD)" in summary


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("person-feed", {"slug": "erika-beispiel"}, ["BW 17/1: Polizei in Ulm"]),
        ("faction-feed", {"parliament": "bw", "slug": "spd"}, ["BW 17/1: Polizei in Ulm", "BW 17/3: Schulen in Ulm"]),
        ("ministry-feed", {"parliament": "bw", "slug": "innenministerium"}, ["BW 17/1: Polizei in Ulm", "BW 17/3: Schulen in Ulm"]),
    ],
)
def test_feeds_per_person_faction_and_ministry_show_only_published(client, world, name, kwargs, expected):
    assert titles(feed(client, reverse(f"inquiries:{name}", kwargs=kwargs))) == expected


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("person-feed", {"slug": "niemand"}),
        ("faction-feed", {"parliament": "bw", "slug": "niemand"}),
        ("ministry-feed", {"parliament": "bt", "slug": "innenministerium"}),
    ],
)
def test_unknown_feed_objects_are_404(client, world, name, kwargs):
    assert client.get(reverse(f"inquiries:{name}", kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize("query", ["faction=niemand", "term=x", "ordering=title", "modified_since=gestern", "person=%00"])
def test_invalid_parameters_are_400_with_a_message(client, world, query):
    response = client.get(reverse("inquiries:inquiry-feed") + "?" + query)
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


@pytest.mark.parametrize("query", ["q=%00", "q=" + "x" * 10_000, "q=%22%27%3B--", "q=-"])
def test_malformed_search_gives_a_feed(client, world, query):
    feed(client, reverse("inquiries:inquiry-feed") + "?" + query)


@pytest.mark.parametrize(
    "url",
    [
        reverse("inquiries:inquiry-feed") + "?q=Polizei&faction=spd",
        reverse("inquiries:person-feed", kwargs={"slug": "erika-beispiel"}),
        reverse("inquiries:faction-feed", kwargs={"parliament": "bw", "slug": "spd"}),
        reverse("inquiries:ministry-feed", kwargs={"parliament": "bw", "slug": "innenministerium"}),
    ],
)
def test_feed_queries_do_not_grow_with_entries(client, world, url, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        feed(client, url)
    bw = ParliamentFactory(code="BW")
    spd = FactionFactory(parliament=bw, short_name="SPD", slug="spd")
    erika = PersonFactory._meta.model.objects.get(slug="erika-beispiel")
    ministry = MinistryFactory(parliament=bw, name="Innenministerium")
    for n in range(20):
        InquiryFactory(
            title=f"Polizei Revier {n}", factions=[spd], askers=[(erika, spd), (PersonFactory(), spd)],
            answering_ministry=ministry, source_notice=NOTICE,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        root = feed(client, url)
    assert len(titles(root)) >= 20
