"""“Meinten Sie …?”: spelling suggestions from the index's own words, on both databases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries import search
from inquiries.models import InquiryState
from inquiries.search.suggest import edits
from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["tantivy", "database"])
def engine(request, settings):
    """Every suggestion test with the embedded engine's vocabulary and with the database's."""
    settings.SEARCH_ENGINE = request.param
    return request.param


@pytest.fixture
def police(db):
    for number in range(6):
        InquiryFactory(title=f"Einsätze der Polizei in Kreis {number}")
    InquiryFactory(title="Ausstattung der Feuerwehr")
    return None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Polizie", "Polizei"),
        ("polzei", "polizei"),
        ("Pollizei", "Polizei"),
        ("Polizie Kreis", "Polizei Kreis"),
        ("Einsatze der Polizie", "Einsatze der Polizei"),
    ],
)
def test_a_misspelt_word_gets_the_indexed_word(police, query, expected):
    assert search.suggest(query) == expected


@pytest.mark.parametrize("query", ["Polizei", "Feuerwehr", "", "xyzzyqq", "Po", '"Polizie Kreis"', "-Polizie"])
def test_no_suggestion_for_known_unknown_short_or_quoted_words(police, query):
    assert search.suggest(query) is None


def test_words_of_drafts_are_never_suggested(db):
    for number in range(6):
        InquiryFactory(title=f"Geheimprojekt Nummer {number}", state=InquiryState.DRAFT)
    assert search.suggest("Geheimprojkt") is None


def test_edits_cover_the_usual_typos():
    near = edits("polizi")
    assert {"polizei", "poliz", "pollizi", "polzii", "polizü"} <= near
    assert "polizi" not in near


def test_the_list_page_offers_the_suggestion_as_a_link_when_there_are_few_hits(client, police):
    html = client.get(reverse("inquiries:inquiry-list") + "?q=Polizie&kind=minor").content.decode()
    assert 'Meinten Sie: <a href="/anfragen/?q=Polizei&amp;kind=minor">Polizei</a>?' in html
    html = client.get(reverse("inquiries:inquiry-list") + "?q=Polizei").content.decode()
    assert "Meinten Sie" not in html


def test_name_suggestions_list_public_people_factions_and_ministries(client, db):
    from inquiries.models import InquiryState
    from tests.factories import FactionFactory, MinistryFactory, PersonFactory

    asker = PersonFactory(first_name="Hans-Ulrich", last_name="Rülke", slug="hans-ulrich-rulke")
    hidden = PersonFactory(first_name="Rüdiger", last_name="Rülkenbach", slug="rudiger-rulkenbach")
    from inquiries.models import Asker

    Asker.objects.create(inquiry=InquiryFactory(title="Schulen"), person=asker)
    # Someone who only asked a draft is not public.
    Asker.objects.create(inquiry=InquiryFactory(title="Entwurf", state=InquiryState.DRAFT), person=hidden)
    FactionFactory(short_name="FDP/DVP", name="Fraktion der FDP/DVP", slug="fdp-dvp")
    MinistryFactory(name="Ministerium für Kultus, Jugend und Sport", slug="km")

    def results(typed):
        response = client.get(reverse("inquiries:name-suggestions"), {"q": typed})
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        return [(item["kind"], item["label"]) for item in response.json()["results"]]

    assert results("ruelke") == [("person", "Hans-Ulrich Rülke")]
    assert results("hans rül") == [("person", "Hans-Ulrich Rülke")]
    assert results("Rülke") == [("person", "Hans-Ulrich Rülke")]
    assert results("fdp") == [("faction", "FDP/DVP")]
    assert results("kultus") == [("ministry", "Ministerium für Kultus, Jugend und Sport")]
    assert results("r") == [] and results("") == [] and results("x" * 10_000) == []
    url = client.get(reverse("inquiries:name-suggestions"), {"q": "Rülke"}).json()["results"][0]["url"]
    assert url == "/anfragen/?person=hans-ulrich-rulke"


def test_distance_counts_a_swap_as_one_edit():
    from inquiries.search.suggest import distance

    assert distance("polizei", "polizie") == 1
    assert distance("bundeswehr", "bundeswh") == 2
    assert distance("schule", "schule") == 0
    assert distance("abc", "xyz") == 3
