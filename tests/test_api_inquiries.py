"""API v1 inquiries: compact list with the website's filters, complete detail as inquiry.v1, search."""

from __future__ import annotations

import datetime
import json

import pytest

from inquiries.exchange import inquiry_to_record, validate_record
from inquiries.models import Inquiry
from inquiries.services.upsert import upsert_inquiry
from inquiries.services.workflow import withdraw
from tests.api_support import API, api, api_world, assert_error, results  # noqa: F401

LIST = f"{API}inquiries/"


def refs(response) -> list[str]:
    return [item["reference"] for item in results(response)]


def test_list_is_compact_and_only_published(api, api_world):
    items = results(api.get(LIST))
    assert sorted(item["reference"] for item in items) == ["17/100", "17/6206", "19/3"]
    police = next(item for item in items if item["reference"] == "17/6206")
    assert police["state"] == "published"
    assert (police["parliament"], police["term"], police["kind"], police["status"]) == ("BW", 17, "minor", "answered")
    assert police["askers"] == ["Nico Weinmann"]
    assert police["factions"] == ["FDP/DVP"]
    assert police["answering_ministry"] == "Ministerium des Inneren, für Digitalisierung und Kommunen"
    assert "ODbL" in police["source_notice"]
    assert police["web_url"].endswith("/bw/drucksache/17-6206/")
    assert police["url"].endswith(f"/api/v1/inquiries/{api_world.police.pk}/")
    assert "questions" not in police


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"parliament": "bw"}, ["17/100", "17/6206"]),
        ({"parliament": ["bw", "bt"]}, ["17/100", "17/6206", "19/3"]),
        ({"term": 19}, ["19/3"]),
        ({"kind": "major"}, ["17/100"]),
        ({"faction": "fdp-dvp"}, ["17/6206"]),
        ({"person": "anna-grun"}, ["17/100"]),
        ({"ministry": "bmi"}, ["19/3"]),
        ({"status": "overdue"}, ["19/3"]),
        ({"status": "answered"}, ["17/100", "17/6206"]),
        ({"asked_after": "2024-02-01", "asked_before": "2024-02-28"}, ["17/6206"]),
        ({"answered_after": "2024-04-01"}, ["17/100"]),
        ({"q": "Polizei"}, ["17/6206", "19/3"]),
        ({"q": "Polizei", "parliament": "bw"}, ["17/6206"]),
        ({"q": "Geheime"}, []),
    ],
)
def test_list_filters(api, api_world, params, expected):
    assert sorted(refs(api.get(LIST, params))) == expected


def test_list_orderings(api, api_world):
    assert refs(api.get(LIST, {"ordering": "reference"})) == ["19/3", "17/100", "17/6206"]
    assert refs(api.get(LIST, {"ordering": "-answered"})) == ["17/100", "17/6206", "19/3"]
    assert refs(api.get(LIST, {"ordering": "answer_time"}))[:2] == ["17/6206", "17/100"]


@pytest.mark.parametrize(
    "params",
    [
        {"parliament": "xx"},
        {"kind": "tiny"},
        {"faction": "nope"},
        {"faction": "a\x00b"},
        {"person": "../etc"},
        {"status": "lost"},
        {"term": "seventeen"},
        {"term": "0"},
        {"asked_after": "gestern"},
        {"modified_since": "2024-13-45"},
        {"ordering": "title"},
        {"page": "zero"},
        {"page": "0"},
        {"page_size": "1000"},
        {"page_size": "-1"},
        {"cursor": "not-a-cursor"},
        {"cursor": "W10"},
    ],
)
def test_bad_values_are_400_with_a_message(api, api_world, params):
    body = assert_error(api.get(LIST, params), 400, "invalid")
    assert body["errors"]
    assert all(messages and all(messages) for messages in body["errors"].values())


def test_malformed_search_queries_never_fail(api, api_world):
    for query in ['"', "-", "OR", "x" * 5000, "'; DROP TABLE inquiries_inquiry; --", "ä\u0001ö"]:
        assert api.get(LIST, {"q": query}).status_code == 200


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        ("2024-01-01T00:00:00-21:27", 200),
        ("2024-01-01T00:00:00+14:00", 200),
        ("0001-01-01T00:00:00+05:00", 400),
        ("9999-12-31T23:59:59-05:00", 400),
    ],
)
def test_odd_times_never_fail(api, api_world, moment, status):
    """Offsets PostgreSQL refuses are turned into UTC first; times beyond the calendar are a 400."""
    assert api.get(LIST, {"modified_since": moment}).status_code == status
    assert api.get(f"{API}people/", {"modified_since": moment}).status_code == status


def test_detail_is_an_inquiry_v1_record(api, api_world):
    response = api.get(f"{LIST}{api_world.police.pk}/")
    assert response.status_code == 200
    record = response.json()
    validate_record(record)  # nothing to drop: the body is the record
    assert record == json.loads(json.dumps(inquiry_to_record(Inquiry.objects.with_detail_related().get(pk=api_world.police.pk))))
    assert [(question["number"], question["answer"]) for question in record["questions"]] == [("1", "Die Polizei ist beteiligt."), ("2", "Nichts.")]
    assert record["signed_by"] == {"name": "Thomas Strobl", "role": "Minister des Inneren"}
    assert response["Link"] == f'<http://testserver{api_world.police.get_absolute_url()}>; rel="alternate"; type="text/html"'


def test_detail_imports_as_it_is(api, api_world):
    """The detail body goes straight into the importer's service and gives the same record back."""
    record = api.get(f"{LIST}{api_world.schools.pk}/").json()
    Inquiry.objects.filter(pk=api_world.schools.pk).delete()
    imported, created = upsert_inquiry(record, state="published")
    assert created
    assert api.get(f"{LIST}{imported.pk}/").json() == record


def test_detail_by_reference(api, api_world):
    response = api.get(f"{LIST}bw/17-6206/")
    assert response.status_code == 200
    assert response.json()["reference"] == "17/6206"
    assert response["Content-Location"].endswith(f"/api/v1/inquiries/{api_world.police.pk}/")
    assert_error(api.get(f"{LIST}bw/17-999/"), 404)  # the draft
    assert_error(api.get(f"{LIST}bt/17-6206/"), 404)


def test_drafts_are_404_and_withdrawn_inquiries_410(api, api_world):
    assert_error(api.get(f"{LIST}{api_world.draft.pk}/"), 404, "not_found")
    # Withdrawn before it was ever published: never public, so plain 404.
    assert_error(api.get(f"{LIST}{api_world.withdrawn_early.pk}/"), 404, "not_found")
    withdraw(api_world.schools, reason="Zurückgezogen")
    assert_error(api.get(f"{LIST}{api_world.schools.pk}/"), 410, "gone")
    assert_error(api.get(f"{LIST}bw/17-100/"), 404)


def test_deleted_inquiry_is_410(api, api_world):
    pk = api_world.police.pk
    api_world.police.delete()
    assert_error(api.get(f"{LIST}{pk}/"), 410, "gone")


def test_search_ranks_highlights_and_counts_facets(api, api_world):
    body = api.get(f"{API}search/", {"q": "Polizei"}).json()
    assert body["count"] == 2
    assert body["query"] == "Polizei"
    assert {item["reference"] for item in body["results"]} == {"17/6206", "19/3"}
    police = next(item for item in body["results"] if item["reference"] == "17/6206")
    assert "<mark>" in (police["highlight"]["title"] or police["highlight"]["excerpt"])
    assert isinstance(police["rank"], float)
    facets = {facet["name"]: {value["value"]: value["count"] for value in facet["values"]} for facet in body["facets"]}
    # The draft "Geheimer Polizei-Entwurf" matches too but is counted nowhere.
    assert facets["parliament"] == {"bw": 1, "bt": 1}
    assert "geheim" not in facets["faction"]
    assert sum(facets["status"].values()) == 2


def test_search_needs_words_and_takes_the_filters(api, api_world):
    assert_error(api.get(f"{API}search/"), 400, "invalid")
    assert_error(api.get(f"{API}search/", {"q": "   "}), 400, "invalid")
    body = api.get(f"{API}search/", {"q": "Polizei", "parliament": "bt"}).json()
    assert [item["reference"] for item in body["results"]] == ["19/3"]
    assert_error(api.get(f"{API}search/", {"q": "Polizei", "kind": "huge"}), 400)


def test_drafts_leak_nowhere(api, api_world):
    """No answer of any list, detail or search mentions the draft or what only it names."""
    secrets = ["17/999", "Geheim", "Dora", "Draft", "17/998", "zurückgezogen vor"]
    addresses = [
        f"{API}{resource}/" for resource in ("parliaments", "terms", "parties", "factions", "people", "ministries", "inquiries")
    ] + [
        f"{LIST}?q=Polizei",
        f"{LIST}?modified_since=2000-01-01",
        f"{LIST}?modified_since=2000-01-01&cursor=",
        f"{API}search/?q=Polizei",
        f"{API}search/?q=Entwurf",
        f"{LIST}?format=csv",
    ]
    for address in addresses:
        response = api.get(address)
        assert response.status_code == 200, address
        text = response.content.decode()
        # The faction "Geheim" exists as reference data; only drafts mention it, so it shows only in /factions/.
        leaks = [secret for secret in secrets if secret in text and not (address.endswith("/factions/") and secret == "Geheim")]
        assert not leaks, (address, leaks)


def test_status_uses_today(api, api_world):
    Inquiry.objects.filter(pk=api_world.federal_police.pk).update(asked_on=datetime.date.today(), due_on=datetime.date.today() + datetime.timedelta(days=14))
    assert refs(api.get(LIST, {"status": "open"})) == ["19/3"]
