"""Published inquiries per parliament, term, faction, person and ministry (``selectors.counts``):
the same numbers from the search engine's index and from the database, drafts and withdrawn
inquiries never counted, and the index pages that show them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries import search
from inquiries.models import Asker, Faction, Ministry, Parliament, Person, Term
from inquiries.selectors import counts, pages
from inquiries.services import workflow
from inquiries.selectors.base import newest_first, public_inquiries, year_counts
from tests.factories import FactionFactory, InquiryFactory, PersonFactory
from tests.site_world import add_inquiries, build_world


def _expected(world) -> dict[str, dict[int, int]]:
    """The counts as the querysets' own rules give them, one statement per row."""
    published = public_inquiries()
    people = {
        person.pk: published.filter(pk__in=Asker.objects.filter(person=person).values("inquiry_id")).count() for person in Person.objects.all()
    }
    return {
        "parliament": {parliament.pk: published.filter(parliament=parliament).count() for parliament in Parliament.objects.all()},
        "term": {term.pk: published.filter(term=term).count() for term in Term.objects.all()},
        "faction": {faction.pk: published.by_faction(faction).count() for faction in Faction.objects.all()},
        "person": people,
        "ministry": {ministry.pk: published.filter(answering_ministry=ministry).count() for ministry in Ministry.objects.all()},
    }


def _without_zeros(values: dict[int, int]) -> dict[int, int]:
    return {pk: n for pk, n in values.items() if n}


@pytest.fixture
def counted_world(backend):
    world = build_world(extra=3)
    # An asker for a group the inquiry does not list (counted for that group all the same), and
    # a draft and a withdrawn inquiry of a person who asked nothing else.
    other = FactionFactory(parliament=world.parliament, short_name="AfD", slug="afd")
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/9001", answering_ministry=world.finance,
                   askers=[(world.asker, other)], factions=[world.fdp])
    hidden = PersonFactory(last_name="Unsichtbar")
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/9002", draft=True, answering_ministry=world.finance,
                   askers=[(hidden, other)], factions=[other])
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/9003", withdrawn=True,
                   published_at=timezone.now() - datetime.timedelta(days=3), answering_ministry=world.finance,
                   askers=[(hidden, other)], factions=[other])
    # Counted by the year answered (never asked on a known day), and not by any year.
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/9004", asked_on=None,
                   answered_on=datetime.date(2019, 5, 6), answering_ministry=world.ministry, askers=[(world.asker, world.fdp)])
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/9005", asked_on=None, answered_on=None,
                   answering_ministry=world.ministry, askers=[(world.asker, world.fdp)])
    search.refresh()
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["parliament", "term", "faction", "person", "ministry"])
def test_counts_are_those_of_the_published_inquiries(counted_world, what):
    expected = _without_zeros(_expected(counted_world)[what])
    assert counts.published_per(what) == expected
    assert sum(expected.values()) > 0


@pytest.mark.django_db
def test_drafts_and_withdrawn_inquiries_are_never_counted(counted_world):
    hidden = Person.objects.get(last_name="Unsichtbar")
    assert hidden.pk not in counts.published_per("person")
    assert counts.published_per("person", among=[hidden.pk]) == {}
    afd = Faction.objects.get(slug="afd")
    # Only the published inquiry its member asked for it.
    assert counts.published_per("faction")[afd.pk] == 1
    assert counts.published_per("ministry")[counted_world.finance.pk] == 1


@pytest.mark.django_db
def test_among_gives_only_the_wanted_ids(counted_world):
    world = counted_world
    wanted = [world.second_asker.pk, PersonFactory().pk]
    # The other askers of the same inquiries are not in the answer.
    assert counts.published_per("person", among=wanted) == {world.second_asker.pk: 2 + 3}
    assert counts.published_per("person", among=[]) == {}
    assert counts.published_per("faction", among=[world.greens.pk]) == {world.greens.pk: 2 + 3}


@pytest.mark.django_db
def test_answered_per_ministry_counts_answers_given_by_the_day(counted_world):
    world = counted_world
    answered = public_inquiries().filter(answering_ministry=world.ministry).answered()
    assert counts.answered_per_ministry() == _without_zeros(
        {ministry.pk: public_inquiries().filter(answering_ministry=ministry).answered().count() for ministry in Ministry.objects.all()}
    )
    assert counts.answered_per_ministry()[world.ministry.pk] == answered.count()
    # The overdue one and the undated one are not answered; before the first answer nothing is.
    assert answered.count() == public_inquiries().filter(answering_ministry=world.ministry).count() - 2
    assert counts.answered_per_ministry(on=datetime.date(2019, 5, 5)) == {}
    assert counts.answered_per_ministry(on=datetime.date(2023, 1, 1)) == {world.ministry.pk: 1}
    assert counts.answered_per_ministry(on=datetime.date(2023, 3, 1))[world.ministry.pk] == public_inquiries().filter(
        answering_ministry=world.ministry, answered_on__lte=datetime.date(2023, 3, 1)
    ).count()


@pytest.mark.django_db
def test_a_change_is_counted_on_the_next_read(counted_world):
    world = counted_world
    before = counts.published_per("person", among=[world.asker.pk])[world.asker.pk]
    inquiry = InquiryFactory(parliament=world.parliament, term=world.term, reference="17/9100", answering_ministry=world.ministry,
                             askers=[(world.asker, world.fdp)], factions=[world.fdp])
    assert counts.published_per("person", among=[world.asker.pk])[world.asker.pk] == before + 1
    workflow.withdraw(inquiry, reason="Doppelt eingereicht")
    assert counts.published_per("person", among=[world.asker.pk])[world.asker.pk] == before


def test_an_unknown_kind_of_count_is_refused():
    with pytest.raises(ValueError, match="per 'party'"):
        counts.published_per("party")


@pytest.mark.django_db
def test_index_pages_show_the_counts(client, counted_world):
    world = counted_world
    people = client.get(reverse("inquiries:person-index")).content.decode()
    factions = client.get(reverse("inquiries:faction-index")).content.decode()
    ministries = client.get(reverse("inquiries:ministry-index")).content.decode()
    expected = _expected(world)

    def row(page: str, link: str) -> str:
        start = page.index(f'href="{link}"')
        return page[start : page.index("</tr>", start)]

    assert f'<td class="number">{expected["person"][world.asker.pk]}</td>' in row(people, world.asker.get_absolute_url())
    assert "Unsichtbar" not in people
    fdp_row = row(factions, world.fdp.get_absolute_url())
    # Members (the asker's two memberships are one member), then inquiries.
    assert fdp_row.endswith(f'<td class="number">1</td><td class="number">{expected["faction"][world.fdp.pk]}</td>')
    answered = public_inquiries().filter(answering_ministry=world.ministry).answered().count()
    assert f'<td class="number">{answered}</td>' in row(ministries, world.ministry.get_absolute_url())
    assert '<td class="number">0</td>' in row(ministries, world.state_ministry.get_absolute_url())


@pytest.mark.django_db
def test_years_are_those_of_the_day_asked_else_answered(counted_world):
    world = counted_world
    queries = {
        "person": (pages.person_query(world.asker), public_inquiries().filter(pk__in=Asker.objects.filter(person=world.asker).values("inquiry_id"))),
        "faction": (pages.faction_query(world.fdp), public_inquiries().by_faction(world.fdp)),
        "ministry": (pages.ministry_answered_query(world.ministry), public_inquiries().filter(answering_ministry=world.ministry).answered()),
        "nothing": (pages.person_query(PersonFactory()), public_inquiries().none()),
    }
    for name, (query, inquiries) in queries.items():
        assert counts.per_year(query) == year_counts(inquiries), name
    years = counts.per_year(pages.person_query(world.asker))
    assert {"year": 2019, "count": 1} in years
    assert years[-1] == {"year": None, "count": 1}
    assert [row["year"] for row in years[:-1]] == sorted(row["year"] for row in years[:-1])


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["faction", "person", "ministry"])
def test_detail_pages_list_newest_answer_first_in_pages(client, backend, page):
    world = build_world()
    add_inquiries(world, 27)
    search.refresh()
    url, inquiries = {
        "faction": (world.fdp.get_absolute_url(), public_inquiries().by_faction(world.fdp)),
        "person": (world.asker.get_absolute_url(), public_inquiries().filter(pk__in=Asker.objects.filter(person=world.asker).values("inquiry_id"))),
        "ministry": (world.ministry.get_absolute_url(), public_inquiries().filter(answering_ministry=world.ministry).answered()),
    }[page]
    expected = [inquiry.get_absolute_url() for inquiry in newest_first(inquiries)]
    assert len(expected) > 25
    shown = []
    for number in (1, 2):
        content = client.get(url, {"page": number}).content.decode()
        assert f'<span class="count">({len(expected)})</span>' in content
        cards = content[content.index('id="inquiries-heading"') :]
        shown += re.findall(r'<h3 class="inquiry-card__title" lang="de"><a href="([^"]+)"', cards.split("</ul>")[0])
    assert shown == expected
    # A page past the end is the last one, as before.
    last = client.get(url, {"page": 99}).content.decode()
    assert expected[-1] in last and expected[0] not in last.split('id="inquiries-heading"')[1].split("</ul>")[0]
