"""API v1 reference data: parliaments, terms, parties, factions, people, ministries."""

from __future__ import annotations

import pytest

from tests.api_support import API, api, api_world, assert_error, ids, results  # noqa: F401


def test_root_lists_every_resource_and_the_docs(api, db):
    body = api.get(API).json()
    assert set(body) == {"parliaments", "terms", "parties", "factions", "people", "ministries", "inquiries", "search", "schema", "docs"}
    assert body["docs"].endswith("/api/v1/docs/")


def test_parliaments_count_only_published_inquiries(api, api_world):
    items = {item["code"]: item for item in results(api.get(f"{API}parliaments/"))}
    assert items["BW"]["inquiry_count"] == 2  # not the draft, not the withdrawn one
    assert items["BT"]["inquiry_count"] == 1
    assert items["BW"]["minor_deadline_days"] == 21
    assert [term["number"] for term in items["BW"]["terms"]] == [17]
    detail = api.get(items["BW"]["url"]).json()
    assert detail["name"] == "Landtag von Baden-Württemberg"


def test_parliament_ordering_whitelist(api, api_world):
    assert [item["code"] for item in results(api.get(f"{API}parliaments/", {"ordering": "-code"}))] == ["BW", "BT"]
    body = assert_error(api.get(f"{API}parliaments/", {"ordering": "inquiry_count"}), 400, "invalid")
    assert "ordering" in body["errors"]


def test_terms_filter_by_parliament_and_number(api, api_world):
    assert ids(api.get(f"{API}terms/", {"parliament": "bw"})) == [api_world.bw17.pk]
    assert ids(api.get(f"{API}terms/", {"parliament": "BT", "number": 19})) == [api_world.bt19.pk]
    term = api.get(f"{API}terms/{api_world.bw17.pk}/").json()
    assert (term["parliament"], term["number"], term["inquiry_count"], term["start_date"]) == ("BW", 17, 2, "2021-05-11")
    assert_error(api.get(f"{API}terms/", {"parliament": "xx"}), 400)
    assert_error(api.get(f"{API}terms/", {"number": "zwei"}), 400)


def test_parties_and_factions(api, api_world):
    party = results(api.get(f"{API}parties/"))[0]
    assert (party["short_name"], party["faction_ids"]) == ("FDP", [api_world.fdp_dvp.pk])
    factions = results(api.get(f"{API}factions/", {"party": "fdp"}))
    assert [(item["short_name"], item["parliament"], item["party_id"]) for item in factions] == [("FDP/DVP", "BW", api_world.fdp.pk)]
    assert factions[0]["inquiries_url"].endswith("/api/v1/inquiries/?parliament=bw&faction=fdp-dvp")
    assert ids(api.get(f"{API}factions/", {"parliament": "bt"})) == [api_world.cdu_bt.pk]
    assert "Unbekannte Partei" in assert_error(api.get(f"{API}factions/", {"party": "nope"}), 400)["errors"]["party"][0]


def test_people_are_the_public_ones_with_memberships(api, api_world):
    people = {item["slug"]: item for item in results(api.get(f"{API}people/"))}
    # Dora only asked a draft: she is not public.
    assert set(people) == {"nico-weinmann", "anna-grun", "bernd-bund", "thomas-strobl"}
    membership = people["nico-weinmann"]["memberships"][0]
    assert (membership["faction"], membership["parliament"], membership["constituency"]) == ("FDP/DVP", "BW", "Heilbronn")
    assert people["nico-weinmann"]["inquiries_url"].endswith("/api/v1/inquiries/?person=nico-weinmann")
    assert_error(api.get(f"{API}people/{api_world.draft_only.pk}/"), 404, "not_found")


def test_person_detail_has_offices(api, api_world):
    person = api.get(f"{API}people/{api_world.strobl.pk}/").json()
    assert [(office["ministry"], office["role"]) for office in person["offices"]] == [
        ("Ministerium des Inneren, für Digitalisierung und Kommunen", "Minister des Inneren")
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"parliament": "bt"}, {"bernd-bund"}),
        ({"parliament": "bw"}, {"nico-weinmann", "anna-grun", "thomas-strobl"}),
        ({"faction": "fdp-dvp"}, {"nico-weinmann"}),
        ({"name": "gruen"}, {"anna-grun"}),
        ({"name": "Nico Weinmann"}, {"nico-weinmann"}),
    ],
)
def test_people_filters(api, api_world, params, expected):
    assert {item["slug"] for item in results(api.get(f"{API}people/", params))} == expected


def test_ministries_with_name_history(api, api_world):
    current = results(api.get(f"{API}ministries/", {"parliament": "bw", "current": "true"}))
    assert [item["slug"] for item in current] == ["im"]
    assert current[0]["predecessor_ids"] == [api_world.old_interior.pk]
    former = results(api.get(f"{API}ministries/", {"parliament": "bw", "current": "false"}))
    assert [(item["slug"], item["successor_id"]) for item in former] == [("innenministerium", api_world.interior.pk)]
    detail = api.get(f"{API}ministries/{api_world.interior.pk}/").json()
    assert [name["name"] for name in detail["name_history"]] == ["Innenministerium", "Ministerium des Inneren, für Digitalisierung und Kommunen"]
    assert [minister["person"] for minister in detail["ministers"]] == ["Thomas Strobl"]
    assert_error(api.get(f"{API}ministries/", {"current": "maybe"}), 400)


@pytest.mark.parametrize("resource", ["parliaments", "terms", "parties", "factions", "people", "ministries", "inquiries"])
def test_unknown_ids_are_json_404(api, db, resource):
    assert_error(api.get(f"{API}{resource}/424242/"), 404, "not_found")
    assert_error(api.get(f"{API}{resource}/99999999999999999999999/"), 404, "not_found")
    assert_error(api.get(f"{API}{resource}/abc/"), 404, "not_found")
