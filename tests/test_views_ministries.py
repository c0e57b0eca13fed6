"""Ministry pages: answered inquiries, median answer time, share in time, overdue, name history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inquiries.selectors import base
from tests.factories import InquiryFactory, MinistryFactory
from tests.site_world import HIDDEN_TITLES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_ministry_page_shows_answer_statistics(client, world):
    response = client.get(world.ministry.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    stats = response.context["stats"]
    # main (21 days, in time) and late (58 days, late); overdue is open; draft and withdrawn do not count.
    assert (stats.answered, stats.with_deadline, stats.in_time) == (2, 2, 1)
    assert stats.median_days == 39.5
    assert stats.in_time_share == 0.5
    assert [inquiry.reference for inquiry in stats.overdue] == ["17/7000"]
    assert stats.overdue_count == 1
    assert "39,5 Tage" in html
    assert "50\u00a0%" in html and "(1 von 2)" in html
    # The list holds the answered ones; the overdue one is listed apart.
    assert [inquiry.reference for inquiry in response.context["page_obj"].object_list] == ["17/6206", "17/1001"]
    for title in HIDDEN_TITLES:
        assert title not in html


def test_ministry_page_shows_name_history_and_minister(client, world):
    html = client.get(world.ministry.get_absolute_url()).content.decode()
    old_url = world.old_ministry.get_absolute_url()
    assert html.index(f'<a href="{old_url}" lang="de">Ministerium für Inneres, Digitalisierung und Migration</a>') < html.index(
        '<strong lang="de" aria-current="page">Ministerium des Inneren, für Digitalisierung und Kommunen</strong>'
    )
    assert f'<a href="{world.minister.get_absolute_url()}">Thomas Strobl</a>' in html
    old = client.get(old_url).content.decode()
    assert "Unter diesem Namen bis 11. Mai 2021." in old
    assert f'Danach: <a href="{world.ministry.get_absolute_url()}" lang="de">' in old


def test_name_history_is_one_query_and_follows_the_chain(world, django_assert_num_queries):
    oldest = MinistryFactory(parliament=world.parliament, name="Innenministerium", slug="innenministerium",
                             valid_from=datetime.date(2011, 5, 12), valid_until=datetime.date(2016, 5, 11),
                             successor=world.old_ministry)
    with django_assert_num_queries(1):
        history = world.ministry.name_history()
    assert history == [oldest, world.old_ministry, world.ministry]
    with django_assert_num_queries(1):
        assert oldest.name_history() == history


def test_median_of_frequencies():
    assert base.median({}) is None
    assert base.median({5: 1}) == 5
    assert base.median({1: 1, 3: 1}) == 2
    assert base.median({1: 2, 10: 1}) == 1
    assert base.median({21: 1, 58: 1, 30: 2}) == 30


def test_ministry_without_deadline_data_shows_dashes(client, world):
    quiet = MinistryFactory(parliament=world.parliament, name="Ministerium für Kultus", slug="kultus")
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/300", asked_on=None,
                   answered_on=datetime.date(2024, 1, 1), answering_ministry=quiet)
    response = client.get(quiet.get_absolute_url())
    stats = response.context["stats"]
    assert (stats.answered, stats.median_days, stats.in_time_share) == (1, None, None)
    assert client.get(reverse("inquiries:ministry-detail", kwargs={"parliament": "bw", "slug": "nein"})).status_code == 404


def test_ministry_index_lists_names_with_counts(client, world):
    response = client.get(reverse("inquiries:ministry-index"))
    counts = {ministry.slug: ministry.answered_count for ministry in response.context["ministries"]}
    assert counts == {
        "ministerium-des-inneren": 2,
        "innenministerium-2016": 0,
        "finanzministerium": 0,
        "staatsministerium": 0,
    }
    assert "2016–2021" in response.content.decode()


def test_ministry_page_links_to_the_search_and_its_feed(client, world):
    html = client.get(world.ministry.get_absolute_url()).content.decode()
    assert '<a href="/anfragen/?parliament=bw&amp;ministry=ministerium-des-inneren">' in html
    assert 'href="/bw/ministerien/ministerium-des-inneren/feed/" type="application/atom+xml"' in html
