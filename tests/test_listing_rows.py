"""The rows of the list and search page as plain values (inquiries/listing_rows.py) and the
names of facets read once per data version (inquiries/facet_names.py)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from inquiries import facet_names, listing_rows, search
from inquiries.models import Inquiry
from inquiries.search import Highlight
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, PersonFactory

LIST_URL = reverse("inquiries:inquiry-list")


@pytest.fixture(autouse=True)
def german():
    """Rows are written in German unless a test says otherwise, whatever language an
    earlier test's request left active in this thread."""
    with translation.override("de"):
        yield


@pytest.fixture
def rows_world(db):
    spd = FactionFactory(short_name="SPD", slug="spd")
    greens = FactionFactory(short_name="GRÜNE", slug="grune", parliament=spd.parliament)
    ministry = MinistryFactory(name="Innenministerium", slug="innenministerium", parliament=spd.parliament)
    anna = PersonFactory(title="Dr.", first_name="Anna", last_name="Alt", slug="anna-alt")
    ben = PersonFactory(first_name="Ben", last_name="Bach", slug="ben-bach")
    asked = InquiryFactory(
        parliament=spd.parliament, term__parliament=spd.parliament, title="Polizei <im> Revier & Wache",
        askers=[(ben, spd), (anna, None)], answering_ministry=ministry,
    )
    grouped = InquiryFactory(parliament=spd.parliament, term=asked.term, title="Polizei der Fraktionen", factions=[spd, greens], unanswered=True)
    draft = InquiryFactory(parliament=spd.parliament, term=asked.term, title="Polizei im Entwurf", draft=True)
    return {"asked": asked, "grouped": grouped, "draft": draft}


def test_rows_come_in_the_order_given_with_their_askers_and_only_if_published(rows_world, django_assert_num_queries):
    asked, grouped, draft = rows_world["asked"], rows_world["grouped"], rows_world["draft"]
    # The inquiries, their askers, the groups of those without askers: three queries for any page.
    with django_assert_num_queries(3):
        rows = listing_rows.list_rows([(grouped.pk, 2.5), (draft.pk, 9.0), (asked.pk, 1.0)])
    assert [row.pk for row in rows] == [grouped.pk, asked.pk]
    first, second = rows
    assert first.search_rank == 2.5 and first.askers == [] and first.factions == ["GRÜNE", "SPD"]
    assert first.answered_on is None and first.ministry is None
    assert second.url == asked.get_absolute_url() == f"/{asked.parliament.code.lower()}/drucksache/{asked.reference.replace('/', '-')}/"
    assert [(a.name, a.url, a.faction) for a in second.askers] == [
        ("Ben Bach", "/personen/ben-bach/", "SPD"),
        ("Dr. Anna Alt", "/personen/anna-alt/", None),
    ]
    assert second.kind_label == "Kleine Anfrage" and second.ministry == "Innenministerium"


def test_more_rows_than_a_page_come_in_order_from_the_prepared_reads(rows_world, django_assert_num_queries):
    # The reads are compiled for 25 ids at a time; 31 ids take the 50-slot reads, the rest empty.
    asked = rows_world["asked"]
    more = [InquiryFactory(parliament=asked.parliament, term=asked.term, askers=[(PersonFactory(), None)]) for _ in range(30)]
    wanted = [inquiry.pk for inquiry in reversed(more)] + [rows_world["draft"].pk, asked.pk]
    with django_assert_num_queries(2):  # every row names askers: no read of the groups
        rows = listing_rows.list_rows(wanted)
    assert [row.pk for row in rows] == wanted[:30] + [asked.pk]
    assert all(len(row.askers) == 1 for row in rows[:30]) and len(rows[-1].askers) == 2
    # A queryset given instead of the published inquiries is read with the ORM, in the same order.
    drafts = listing_rows.list_rows(wanted, queryset=Inquiry.objects.all())
    assert [row.pk for row in drafts] == wanted


def test_rows_accept_ids_and_inquiries_and_nothing(rows_world):
    asked = rows_world["asked"]
    assert [row.pk for row in listing_rows.list_rows([asked.pk])] == [asked.pk]
    assert [row.pk for row in listing_rows.list_rows(Inquiry.objects.filter(pk=asked.pk))] == [asked.pk]
    assert listing_rows.list_rows([]) == []


def test_rendered_rows_escape_what_the_data_holds_and_keep_the_marks(rows_world):
    asked, grouped = rows_world["asked"], rows_world["grouped"]
    rows = {row.pk: row for row in listing_rows.list_rows([asked.pk, grouped.pk])}
    marked = Highlight(title=None, field="answer", excerpt=search._marked("die \x02Polizei\x03 <kommt>"))
    html = listing_rows.render_hits([(rows[asked.pk], marked), (rows[grouped.pk], None)])
    assert "Polizei &lt;im&gt; Revier &amp; Wache" in html and "<im>" not in html
    assert '<span class="snippet-field">In der Antwort:</span> die <mark>Polizei</mark> &lt;kommt&gt;</p>' in html
    assert '<time datetime="2024-02-07">7. Februar 2024</time>' in html
    assert 'Von <a href="/personen/ben-bach/">Ben Bach</a> (SPD), <a href="/personen/anna-alt/">Dr. Anna Alt</a>' in html
    assert '<span class="ministry"> · Antwort: Innenministerium</span>' in html
    assert "Von der Fraktion GRÜNE, SPD" in html and "noch nicht beantwortet" in html
    with translation.override("en"):
        english = listing_rows.render_hits([(rows[asked.pk], None)])
    assert '<time datetime="2024-02-28">28. February 2024</time>' in english and "answered on" in english


def test_the_search_page_does_not_run_the_search_in_sql_with_the_engine(client, rows_world, monkeypatch):
    # The engine gives the page's ids; the filtered queryset (the whole search once more,
    # as ids in SQL) is not built for the page.
    def refuse(*args, **kwargs):
        raise AssertionError("the list page built the search queryset")

    monkeypatch.setattr(search, "_engine_search", refuse)
    html = client.get(f"{LIST_URL}?q=Polizei").content.decode()
    assert html.count('class="inquiry-row hit"') == 2
    assert "Polizei im Entwurf" not in html


def test_the_database_backend_pages_the_same_rows(client, rows_world, settings):
    settings.SEARCH_ENGINE = "database"
    search.rebuild_index()
    html = client.get(f"{LIST_URL}?q=Polizei").content.decode()
    assert html.count('class="inquiry-row hit"') == 2
    assert "<mark>Polizei</mark> &lt;im&gt; Revier &amp; Wache" in html
    assert "Polizei im Entwurf" not in html


def test_facet_names_are_read_in_one_query_and_kept_for_the_data_version(rows_world, django_assert_num_queries):
    faction = FactionFactory(short_name="FDP", slug="fdp")  # a write: a new data version
    # The version, then the four tables in one query.
    with django_assert_num_queries(2):
        names = facet_names.current()
    assert names.factions[faction.pk] == ("fdp", "FDP", faction.parliament.code)
    assert names.parliament_ids([faction.parliament.code.lower()]) == [faction.parliament.pk]
    assert names.term_ids(rows_world["asked"].term.number) == [rows_world["asked"].term.pk]
    with django_assert_num_queries(1):  # the same version: only the version is read
        assert facet_names.current() is names
    faction.short_name = "FDP/DVP"
    faction.save()  # advances the data version
    assert facet_names.current().factions[faction.pk][1] == "FDP/DVP"


def test_a_renamed_faction_shows_its_new_name_in_the_facets(client, rows_world):
    html = client.get(f"{LIST_URL}?q=Polizei").content.decode()
    assert "GRÜNE (" in html
    greens = rows_world["grouped"].factions.get(slug="grune")
    greens.short_name = "Bündnis 90/Die Grünen"
    greens.save()
    html = client.get(f"{LIST_URL}?q=Polizei").content.decode()
    assert "Bündnis 90/Die Grünen (" in html and "GRÜNE (" not in html


def test_a_page_of_rows_takes_no_more_queries_than_a_page_of_two(client, rows_world):
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for n in range(30):
        InquiryFactory(parliament=rows_world["asked"].parliament, term=rows_world["asked"].term,
                       askers=[PersonFactory()], asked_on=datetime.date(2024, 1, 1))
    search.refresh()
    with CaptureQueriesContext(connection) as many:
        html = client.get(LIST_URL).content.decode()
    assert html.count('class="inquiry-row hit"') == 25
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_facet_links_are_written_escaped_with_their_state():
    from inquiries.facet_links import FacetLink, FacetSection
    from inquiries.selectors.facets import Facet, FacetValue

    chosen = FacetValue("cdu", "CDU <BW>", 1234, True)
    other = FacetValue("spd", "SPD & Co", 5, False)
    empty = FacetValue("fdp", "FDP", 0, False)
    section = FacetSection(Facet("faction", "Fraktion", [chosen, other, empty]),
                           [FacetLink(chosen, "/anfragen/?q=a&b"), FacetLink(other, "/anfragen/?faction=spd&q=a"), FacetLink(empty, None)])
    with translation.override("de"):  # whatever language an earlier test's request left active
        html = section.links_html
    assert ('<li><a class="facet-value chosen" href="/anfragen/?q=a&amp;b" aria-current="true"><span class="visually-hidden">'
            'gewählt, entfernen: </span><span class="facet-label">CDU &lt;BW&gt;</span> <span class="count">1.234</span></a></li>') in html
    assert '<a class="facet-value" href="/anfragen/?faction=spd&amp;q=a"><span class="facet-label">SPD &amp; Co</span> <span class="count">5</span></a>' in html
    assert '<span class="facet-value empty"><span class="facet-label">FDP</span> <span class="count">0</span></span>' in html
    with translation.override("en"):
        assert '<span class="count">1,234</span>' in section.links_html


@pytest.mark.parametrize("language", ["de", "en"])
def test_facet_counts_are_written_as_intcomma_writes_them(language):
    from django.contrib.humanize.templatetags.humanize import intcomma

    from inquiries.facet_links import thousands

    with translation.override(language):
        grouped = thousands()
        for count in (0, 7, 999, 1000, 12345, 999999, 1234567, 10**9):
            assert grouped(count) == intcomma(count)


@pytest.mark.parametrize("query", [
    "", "q=Polizei", "q=a+%26+b&page=3&faction=spd", "faction=spd&faction=cdu&parliament=bw&ordering=-asked",
    "parliament=BW&q=%C3%BCber&kind=minor&page=x", "status=open&person=anna-alt&unknown=%3Cx%3E",
])
def test_facet_links_built_in_one_pass_are_the_links_of_with_value_and_without(query):
    from django.http import QueryDict

    from inquiries.facet_links import facet_sections, with_value, without
    from inquiries.selectors.facets import Facet, FacetValue

    params = QueryDict(query)
    facets = [
        Facet("parliament", "Parlament", [FacetValue("bw", "BW", 3, "parliament=bw" in query.lower()), FacetValue("ni", "NI", 2, False)]),
        Facet("faction", "Fraktion", [FacetValue("spd", "SPD", 4, "faction=spd" in query, (("parliament", "bw"),)),
                                      FacetValue("grüne", "GRÜNE", 1, False, (("parliament", "ni"), ("page", "2"))),
                                      FacetValue("fdp", "FDP", 0, False)]),
        Facet("status", "Stand", [FacetValue("open", "offen", 5, "status=open" in query), FacetValue("overdue", "überfällig", 1, False)]),
    ]
    multiple = {"parliament": True, "faction": True, "status": False}.__getitem__
    for section, facet in zip(facet_sections("/anfragen/", params, facets, multiple), facets):
        for link, value in zip(section.links, facet.values):
            if value.selected:
                expected = without("/anfragen/", params, facet.name, value.value)
            elif value.count:
                expected = with_value("/anfragen/", params, facet.name, value, multiple=multiple(facet.name))
            else:
                expected = None
            assert link.url == expected, (facet.name, value.value)


def test_rows_name_askers_by_position_and_groups_by_parliament_then_name_whatever_order_they_were_added(rows_world):
    """The rows print the askers in their order (ties in the order they were added) and the
    groups as ``Faction.Meta.ordering`` has them, whatever the order of their rows' ids."""
    from inquiries.models import Asker

    asked = rows_world["asked"]
    for position, asker in enumerate(Asker.objects.filter(inquiry=asked).order_by("position", "pk"), start=5):
        Asker.objects.filter(pk=asker.pk).update(position=position)
    # Added last, printed first; a tie on the position keeps the order of addition.
    Asker.objects.create(inquiry=asked, person=PersonFactory(first_name="Cem", last_name="Cakir"), position=1)
    Asker.objects.create(inquiry=asked, person=PersonFactory(first_name="Dora", last_name="Dorn"), position=1)
    elsewhere = FactionFactory(short_name="AfD", slug="afd", parliament__name="Abgeordnetenhaus Berlin")
    zeta = FactionFactory(short_name="Zeta", slug="zeta", parliament=rows_world["grouped"].parliament)
    rows_world["grouped"].factions.add(zeta, elsewhere)
    rows = {row.pk: row for row in listing_rows.list_rows([asked.pk, rows_world["grouped"].pk])}
    assert [asker.name for asker in rows[asked.pk].askers] == ["Cem Cakir", "Dora Dorn", "Ben Bach", "Dr. Anna Alt"]
    expected = list(rows_world["grouped"].factions.order_by("parliament__name", "short_name").values_list("short_name", flat=True))
    assert rows[rows_world["grouped"].pk].factions == expected == ["AfD", "GRÜNE", "SPD", "Zeta"]
