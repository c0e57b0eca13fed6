"""Feeds, alert digests and the API's numbered inquiry list read their ids in order off the
search engine's index (``listing.by_publication``, ``listing.ordered_ids``) and their entries
as plain rows (``inquiry_entries``): the same entries, in the same order, as the database's
``ORDER BY`` on both search backends; drafts and withdrawn inquiries never among them."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inquiries.api.serializers import InquiryListSerializer
from inquiries.api.selectors import inquiries as api_inquiries
from inquiries.filters import InquiryFilterSet
from inquiries.inquiry_entries import ApiListItems, feed_description, inquiry_entries
from inquiries.models import Inquiry, InquiryKind, InquiryState
from inquiries.query import InquiryQuery
from inquiries.selectors import listing
from inquiries.services.workflow import publish, withdraw
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, ParliamentFactory, PersonFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MOMENT = datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.timezone.utc)

# The feed entry's summary as the template ``inquiries/feed_entry.html`` wrote it before
# ``inquiry_entries.feed_description`` replaced it: the reference for the same bytes.
FEED_ENTRY_TEMPLATE = (
    '{% load i18n %}<p>{{ obj.parliament.name }}, {% translate "Drucksache" %} {{ obj.reference }} ({{ obj.get_kind_display }})'
    '{% if obj.asked_on %}, {% translate "gestellt am" %} {{ obj.asked_on|date:"j. F Y" }}{% endif %}'
    '{% if obj.answered_on %}, {% translate "beantwortet am" %} {{ obj.answered_on|date:"j. F Y" }}'
    '{% else %}, {% translate "noch nicht beantwortet" %}{% endif %}.</p>\n'
    '{% if obj.asker_links.all %}<p>{% translate "Fragesteller" %}: {% for link in obj.asker_links.all %}'
    "{{ link.person.full_name }}{% if link.faction %} ({{ link.faction.short_name }}){% endif %}"
    "{% if not forloop.last %}, {% endif %}{% endfor %}</p>{% endif %}\n"
    '{% if obj.answering_ministry %}<p>{% translate "Antwort" %}: {{ obj.answering_ministry.name }}</p>{% endif %}\n'
    '{% if obj.source_notice %}<p>{% translate "Quelle" %}: {{ obj.source_notice }}</p>{% endif %}\n'
)


@pytest.fixture
def world(db):
    """Fourteen published inquiries over four publication times, several published at the
    same moment (as an import publishes them), besides a draft and a withdrawn one that match."""
    bw, ni = ParliamentFactory(code="BW"), ParliamentFactory(code="NI", name="Niedersächsischer Landtag")
    spd = FactionFactory(parliament=bw, short_name="SPD", slug="spd")
    cdu = FactionFactory(parliament=bw, short_name="CDU", slug="cdu")
    erika = PersonFactory(title="Dr.", first_name="Erika", last_name="Beispiel <&>", slug="erika")
    ministry = MinistryFactory(parliament=bw, name="Innen & Sport", slug="innen")
    times = [MOMENT, MOMENT + datetime.timedelta(hours=1), MOMENT + datetime.timedelta(hours=1), MOMENT - datetime.timedelta(days=1)]
    for n in range(14):
        InquiryFactory(
            parliament=bw if n % 3 else ni,
            title=f"Polizei Revier {n}" if n % 2 else f"Schulen {n}",
            factions=[spd, cdu] if n % 4 == 0 else [spd],
            askers=[(erika, spd if n % 4 else None)] if n % 5 else [],
            answering_ministry=ministry if n % 3 else None,
            answered_on=None if n % 6 == 0 else datetime.date(2024, 2, 28),
            kind=InquiryKind.MAJOR if n % 7 == 0 else InquiryKind.MINOR,
            source_notice="ODbL <1.0>" if n == 4 else "",
            published_at=times[n % 4] + datetime.timedelta(microseconds=n // 8),
        )
    InquiryFactory(parliament=bw, title="Polizei Entwurf", draft=True, factions=[spd])
    gone = InquiryFactory(parliament=bw, title="Polizei zurückgezogen", factions=[spd], published_at=MOMENT + datetime.timedelta(days=9))
    withdraw(gone, reason="zurückgezogen")
    return {"bw": bw, "spd": spd, "erika": erika}


def query_of(parameters: str) -> InquiryQuery:
    filterset = InquiryFilterSet(QueryDict(parameters), queryset=listing.inquiry_search_base())
    assert filterset.is_valid(), filterset.errors
    return filterset.query


def database_order(query: InquiryQuery, *, after=None, until=None, oldest_first: bool = False) -> list[int]:
    """The reference: every match in SQL, ordered by the database."""
    matches = listing.matching(query)
    if after is not None:
        matches = matches.filter(published_at__gt=after)
    if until is not None:
        matches = matches.filter(published_at__lte=until)
    order = ("published_at", "pk") if oldest_first else ("-published_at", "-pk")
    return list(matches.order_by(*order).values_list("pk", flat=True))


PARAMETERS = ["", "q=Polizei", "q=Polizei&parliament=bw", "q=-Polizei", "faction=cdu", "q=Polizei+-Revier", "q=Wasserstoff"]


@pytest.mark.parametrize("parameters", PARAMETERS)
def test_newest_first_as_the_database_orders_them(backend, world, parameters):
    query = query_of(parameters)
    expected = database_order(query)
    # Sizes that end inside a group of equal publication times, and past the end.
    for size in (1, 3, 5, 50):
        ids, count = listing.by_publication(query, size, counted=True)
        assert ids == expected[:size]
        assert count == len(expected)
    if parameters in ("", "q=Polizei", "q=Polizei&parliament=bw", "q=-Polizei"):
        assert expected  # the search found something on either backend


@pytest.mark.parametrize("parameters", ["", "q=Polizei", "kind=minor&q=Revier"])
def test_a_window_oldest_first_as_the_database_orders_it(backend, world, parameters):
    query = query_of(parameters)
    after, until = MOMENT - datetime.timedelta(hours=2), MOMENT + datetime.timedelta(hours=1)
    expected = database_order(query, after=after, until=until, oldest_first=True)
    assert expected
    for size in (1, 2, 50):
        ids, count = listing.by_publication(query, size, after=after, until=until, oldest_first=True, counted=True)
        assert ids == expected[:size] and count == len(expected)
    # The window's ends are exact to the microsecond: (after, until].
    ids, count = listing.by_publication(query, 50, after=MOMENT, until=MOMENT + datetime.timedelta(microseconds=1), oldest_first=True, counted=True)
    assert ids == database_order(query, after=MOMENT, until=MOMENT + datetime.timedelta(microseconds=1), oldest_first=True)
    assert count == len(ids)


def test_drafts_and_withdrawn_inquiries_are_never_among_them(backend, world):
    hidden = set(Inquiry.objects.exclude(state=InquiryState.PUBLISHED).values_list("pk", flat=True))
    assert len(hidden) == 2
    for parameters in PARAMETERS:
        ids, _count = listing.by_publication(query_of(parameters), 100)
        assert not hidden & set(ids)
    assert not hidden & {entry.pk for entry in inquiry_entries(hidden)}


def test_entries_read_by_their_compiled_reads_are_those_the_orm_reads(backend, world):
    """``inquiry_entries`` compiles its reads once per connection in blocks of 25 ids: more
    ids than a block, ids twice, unknown and hidden ids give what the ORM reads give, in order."""
    published = list(Inquiry.objects.filter(state=InquiryState.PUBLISHED).order_by("-pk").values_list("pk", flat=True))
    hidden = list(Inquiry.objects.exclude(state=InquiryState.PUBLISHED).values_list("pk", flat=True))
    wanted = [*published, 10**9, *hidden, *reversed(published), *published[:3]] * 2
    assert len(wanted) > 25
    compiled = inquiry_entries(wanted)
    by_orm = inquiry_entries(wanted, Inquiry.objects.published())
    assert [entry.pk for entry in compiled] == list(dict.fromkeys(published))
    assert compiled == by_orm
    assert any(entry.askers for entry in compiled) and any(entry.factions for entry in compiled)


def test_a_newly_published_inquiry_comes_first(backend, world):
    draft = Inquiry.objects.get(state=InquiryState.DRAFT)
    assert draft.pk not in listing.by_publication(query_of("q=Entwurf"), 10)[0]
    publish(draft, at=MOMENT + datetime.timedelta(days=30))
    assert listing.by_publication(query_of("q=Polizei"), 10)[0][0] == draft.pk
    assert listing.by_publication(query_of(""), 10)[0][0] == draft.pk


# --- the feed ----------------------------------------------------------------------------------


def feed_ids(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [entry.find(f"{ATOM}link").get("href") for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]


@pytest.mark.parametrize("parameters", PARAMETERS)
def test_the_search_feed_lists_the_newest_as_the_database_orders_them(client, backend, world, parameters):
    order = {pk: index for index, pk in enumerate(database_order(query_of(parameters)))}
    expected = [
        f"http://testserver{inquiry.get_absolute_url()}"
        for inquiry in sorted(Inquiry.objects.filter(pk__in=order), key=lambda inquiry: order[inquiry.pk])
    ]
    assert feed_ids(client, reverse("inquiries:inquiry-feed") + "?" + parameters) == expected


def test_the_feed_shows_a_new_publication_and_never_a_draft(client, backend, world):
    url = reverse("inquiries:inquiry-feed") + "?q=Polizei"
    draft = Inquiry.objects.get(state=InquiryState.DRAFT)
    assert f"http://testserver{draft.get_absolute_url()}" not in feed_ids(client, url)
    publish(draft, at=MOMENT + datetime.timedelta(days=30))
    assert feed_ids(client, url)[0] == f"http://testserver{draft.get_absolute_url()}"


def test_the_feed_summary_is_what_the_template_wrote(world):
    template = Template(FEED_ENTRY_TEMPLATE)
    inquiries = list(listing.inquiry_search_base().with_list_related().order_by("pk"))
    entries = {entry.pk: entry for entry in inquiry_entries(inquiry.pk for inquiry in inquiries)}
    assert len(entries) == len(inquiries) == 14
    for inquiry in inquiries:
        assert feed_description(entries[inquiry.pk]) == template.render(Context({"obj": inquiry}))


# --- the API's inquiry list ------------------------------------------------------------------


def test_api_list_items_are_what_the_serializer_wrote(world, rf):
    request = rf.get("/api/v1/inquiries/")
    today = datetime.date(2024, 3, 1)
    inquiries = list(api_inquiries().with_list_related().order_by("pk"))
    items = ApiListItems(request, today).items(inquiry_entries([inquiry.pk for inquiry in inquiries]))
    expected = InquiryListSerializer(inquiries, many=True, context={"request": request, "today": today}).data
    assert items == [dict(item) for item in expected]


@pytest.mark.parametrize(
    "parameters",
    ["", "q=Polizei", "q=Polizei&ordering=-asked", "parliament=bw&ordering=reference", "faction=spd&ordering=answer_time", "q=-Polizei"],
)
def test_api_list_pages_hold_the_matches_in_the_lists_order(backend, world, parameters):
    query = query_of(parameters)
    # (The rank selected beside the id: PostgreSQL refuses to order by a constant it does not select.)
    expected = [pk for pk, _rank in listing.ordered_matching(query).values_list("pk", "search_rank")] if query.text else list(
        listing.ordered_matching(query).values_list("pk", flat=True)
    )
    client = APIClient()
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/api/v1/inquiries/?{parameters}&page={page}&page_size=5")
        if page > 1 and len(seen) >= len(expected):
            assert response.status_code == 404
            break
        body = response.json()
        assert body["count"] == len(expected)
        seen += [item["id"] for item in body["results"]]
    assert seen == expected
    hidden = set(Inquiry.objects.exclude(state=InquiryState.PUBLISHED).values_list("pk", flat=True))
    assert not hidden & set(seen)


@pytest.mark.parametrize("parameters", ["", "q=Polizei", "parliament=bw&ordering=reference", "q=-Polizei"])
def test_a_numbered_page_and_its_total_come_together(backend, world, parameters):
    """``ordered_page`` (one search of the engine's index) gives the ids and the total that
    ``ordered_ids`` and ``inquiry_count`` give apart, past the end too."""
    query = query_of(parameters)
    total = listing.inquiry_count(query)
    assert total > 0
    for bottom in (0, 5, total, total + 5):
        assert listing.ordered_page(query, bottom, 5) == (listing.ordered_ids(query, bottom, min(bottom + 5, total)), total)
    assert listing.ordered_page(query, 10**23, 5) == ([], total)
    # Past the end but below what an index can hold: once, tantivy was asked for room for them all.
    assert listing.ordered_page(query, 2**31 - 100, 50) == ([], total)


@pytest.mark.parametrize("ordering", ["", "-asked", "answered", "reference"])
@pytest.mark.parametrize("words", ["", "q=Polizei&"])
def test_an_api_page_far_past_the_end_is_404_and_the_worker_lives_on(backend, world, words, ordering):
    """Page 21,474,836 of 100 (offset 2**31 - 148) once aborted the worker: tantivy reserved
    room for every result up to it (103 GB)."""
    client = APIClient()
    response = client.get(f"/api/v1/inquiries/?{words}ordering={ordering}&page=21474836&page_size=100")
    assert response.status_code == 404
    assert client.get(f"/api/v1/inquiries/?{words}ordering={ordering}").status_code == 200


def test_a_page_number_beyond_any_index_is_404(backend, world):
    response = APIClient().get("/api/v1/inquiries/?page=133693119082684393455616")
    assert response.status_code == 404
