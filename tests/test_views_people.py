"""Person and faction pages and their index pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.selectors import pages
from tests.factories import PersonFactory
from tests.site_world import HIDDEN_TITLES, add_inquiries, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_person_page_shows_memberships_offices_inquiries_and_years(client, world):
    response = client.get(world.asker.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Nico Weinmann</h1>" in html
    assert html.count(f'<a href="{world.fdp.get_absolute_url()}">FDP/DVP</a>, Landtag von Baden-Württemberg') == 2
    assert '<time datetime="2016-05-01">1.5.2016</time> – <time datetime="2021-04-30">30.4.2021</time> · Wahlkreis Heilbronn' in html
    # Only the published inquiry counts: the draft and the withdrawn one are his too.
    assert response.context["page_obj"].paginator.count == 1
    assert response.context["year_counts"] == [{"year": 2024, "count": 1}]
    assert world.main.title in html
    for title in HIDDEN_TITLES:
        assert title not in html


def test_minister_page_lists_offices(client, world):
    html = client.get(world.minister.get_absolute_url()).content.decode()
    assert '<span lang="de">Minister des Inneren, für Digitalisierung und Kommunen</span>' in html
    assert f'<a href="{world.ministry.get_absolute_url()}" lang="de">' in html


def test_person_inquiries_are_paginated(client, world):
    add_inquiries(world, 27)
    first = client.get(world.asker.get_absolute_url())
    assert first.context["page_obj"].paginator.count == 28
    assert len(first.context["page_obj"].object_list) == 25
    assert 'href="?page=2" rel="next"' in first.content.decode()
    second = client.get(world.asker.get_absolute_url() + "?page=2")
    assert len(second.context["page_obj"].object_list) == 3
    # Malformed or too large page numbers give a page, not an error.
    assert client.get(world.asker.get_absolute_url() + "?page=abc").status_code == 200
    assert client.get(world.asker.get_absolute_url() + "?page=999").context["page_obj"].number == 2
    assert client.get(reverse("inquiries:person-detail", kwargs={"slug": "niemand"})).status_code == 404


def test_person_index_lists_askers_and_ministers_with_counts(client, world):
    PersonFactory(first_name="Nur", last_name="Entwurf", slug="nur-entwurf")  # no public role: not listed
    response = client.get(reverse("inquiries:person-index"))
    people = {person.slug: person.inquiry_count for person in response.context["people"]}
    assert people == {"erika-musterfrau": 2, "nico-weinmann": 1, "thomas-strobl": 0}
    html = response.content.decode()
    assert '<a href="/personen/nico-weinmann/">Weinmann, Nico</a>' in html
    assert '<a href="/personen/erika-musterfrau/">Musterfrau, Dr. Erika</a>' in html


def test_person_index_is_paginated(client, world):
    add_inquiries(world, 100)
    response = client.get(reverse("inquiries:person-index"))
    assert response.context["paginator"].count == 103
    assert len(response.context["people"]) == 100
    assert len(client.get(reverse("inquiries:person-index") + "?page=2").context["people"]) == 3


def test_faction_page_shows_inquiries_members_and_years(client, world):
    response = client.get(world.fdp.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Fraktion der FDP/DVP (FDP/DVP)</h1>" in html
    assert "Partei: Freie Demokratische Partei" in html
    assert response.context["page_obj"].paginator.count == 1
    assert [member["person"] for member in response.context["members"]] == [world.asker]
    assert response.context["members"][0]["inquiry_count"] == 1
    assert response.context["year_counts"] == [{"year": 2024, "count": 1}]
    for title in HIDDEN_TITLES:
        assert title not in html
    assert client.get(reverse("inquiries:faction-detail", kwargs={"parliament": "bw", "slug": "gibt-es-nicht"})).status_code == 404


def test_faction_counts_inquiries_asked_through_a_member_without_group_link(client, world):
    world.late.factions.clear()  # only the asker link names GRÜNE now
    assert pages.inquiry_page(pages.faction_query(world.greens)).total == 2
    assert world.late.pk in {inquiry.pk for inquiry in pages.inquiry_page(pages.faction_query(world.greens)).rows}
    counts = {faction.slug: faction.inquiry_count for faction in pages.faction_index()}
    assert counts == {"fdp-dvp": 1, "grune": 2}


def test_faction_index_groups_by_parliament_with_counts(client, world):
    response = client.get(reverse("inquiries:faction-index"))
    html = response.content.decode()
    assert '<h2 id="parliament-bw">Landtag von Baden-Württemberg</h2>' in html
    factions = {faction.short_name: (faction.member_count, faction.inquiry_count) for faction in response.context["factions"]}
    assert factions == {"FDP/DVP": (1, 1), "GRÜNE": (1, 2)}


def test_person_and_faction_pages_link_to_the_search_and_their_feeds(client, world):
    html = client.get(world.asker.get_absolute_url()).content.decode()
    assert '<a href="/anfragen/?person=nico-weinmann">' in html
    assert '<a href="/benachrichtigungen/abonnieren/?person=nico-weinmann">' in html
    assert '<link rel="alternate" type="application/atom+xml" title="Neue Anfragen als Atom-Feed" href="/personen/nico-weinmann/feed/">' in html
    html = client.get(world.fdp.get_absolute_url()).content.decode()
    assert '<a href="/anfragen/?parliament=bw&amp;faction=fdp-dvp">' in html
    assert 'href="/bw/fraktionen/fdp-dvp/feed/" type="application/atom+xml"' in html
    assert client.get("/anfragen/?parliament=bw&faction=fdp-dvp").context["result_count"] == 1
