"""“Meinten Sie …?”: spelling suggestions from the index's own words, on both databases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries import search
from inquiries.models import InquiryState
from inquiries.search.suggest import edits
from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


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
