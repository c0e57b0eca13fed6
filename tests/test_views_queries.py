"""Page query counts stay the same however many rows a page shows (no query per row)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries import search

from tests.site_world import add_inquiries, build_world, queries_for

# Page → the most queries it may take; each page must also take no more with 30 rows more.
PAGES = {
    "home": (lambda w: reverse("inquiries:home"), 14),
    # 7: the inquiry, askers, factions, ministries, questions, named papers, history.
    "inquiry": (lambda w: w.main.get_absolute_url(), 7),
    "person-index": (lambda w: reverse("inquiries:person-index"), 4),
    "person": (lambda w: w.asker.get_absolute_url(), 9),
    "faction-index": (lambda w: reverse("inquiries:faction-index"), 2),
    "faction": (lambda w: w.fdp.get_absolute_url(), 9),
    "ministry-index": (lambda w: reverse("inquiries:ministry-index"), 2),
    # 15: the answer figures of the inquiries and of their answers are two reads (each from an index).
    "ministry": (lambda w: w.ministry.get_absolute_url(), 15),
    # 14: the answer-time table counts refused answers, the chart knows its term's span, and the
    # terms are counted off the search index (whose change log is read first).
    "statistics": (lambda w: reverse("inquiries:statistics"), 14),
    "sitemap-index": (lambda w: reverse("sitemap"), 8),
    "sitemap-inquiries": (lambda w: reverse("sitemap-section", kwargs={"section": "anfragen"}), 3),
    "sitemap-people": (lambda w: reverse("sitemap-section", kwargs={"section": "personen"}), 3),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, page):
    url_for, limit = PAGES[page]
    world = build_world(extra=2)
    url = url_for(world)
    # Pages that count off the search engine's index: it takes in the writes before (a
    # reading per write, not per row shown), so that only the page's own queries are counted.
    search.refresh()
    few = queries_for(client, url)
    assert few <= limit, f"{page}: {few} queries, at most {limit} expected"

    add_inquiries(world, 30)
    search.refresh()
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_inquiry_page_queries_do_not_grow_with_questions_askers_or_ministries(client, django_assert_max_num_queries):
    from tests.factories import AskerFactory, InquiryMinistryFactory, QuestionFactory

    world = build_world()
    url = world.main.get_absolute_url()
    few = queries_for(client, url)
    for position in range(4, 30):
        QuestionFactory(inquiry=world.main, position=position, number=str(position), answer="Siehe Drucksache 17/1001.")
    for position in range(1, 10):
        AskerFactory(inquiry=world.main, position=position)
        InquiryMinistryFactory(inquiry=world.main, position=position + 1)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('class="qa"') == 29
