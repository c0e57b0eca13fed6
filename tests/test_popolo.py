"""The Popolo export: /popolo/v1/ documents and the export_popolo command, valid against the Popolo schemas."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.models import Membership, MinisterialOffice, Person
from tests import interop_data
from tests.standards import PopoloSchemas

pytestmark = pytest.mark.django_db

KINDS = {"persons": "person", "organizations": "organization", "memberships": "membership"}


@pytest.fixture(scope="session")
def schemas(shared_dir) -> PopoloSchemas:
    return PopoloSchemas(shared_dir / "standards" / "popolo" / "schemas")


@pytest.fixture
def data(shared_dir, settings, tmp_path) -> interop_data.InteropData:
    settings.MEDIA_ROOT = tmp_path / "media"
    return interop_data.build(shared_dir)


def get_json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def problems(document: dict, schemas: PopoloSchemas) -> list[str]:
    return [problem for key, kind in KINDS.items() for item in document[key] for problem in schemas.errors(item, kind)]


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def test_every_exported_object_validates_against_the_popolo_schemas(client, data, schemas):
    document = get_json(client, "/popolo/v1/export.json")
    assert all(document[key] for key in KINDS)
    assert problems(document, schemas) == []


def test_the_three_documents_are_the_parts_of_the_export(client, data):
    document = get_json(client, "/popolo/v1/export.json")
    for key in KINDS:
        assert get_json(client, f"/popolo/v1/{key}.json") == {key: document[key]}
    index = get_json(client, "/popolo/v1/")
    assert index["export"] == "http://testserver/popolo/v1/export.json"
    assert set(index) == {*KINDS, "export"}


def test_every_reference_points_to_an_exported_object(client, data):
    document = get_json(client, "/popolo/v1/export.json")
    people, organizations = by_id(document["persons"]), by_id(document["organizations"])
    assert len(people) == len(document["persons"]) and len(organizations) == len(document["organizations"])
    for membership in document["memberships"]:
        assert membership["person_id"] in people
        assert membership["organization_id"] in organizations
        assert membership.get("on_behalf_of_id", membership["organization_id"]) in organizations
    for organization in document["organizations"]:
        if "parent_id" in organization:
            assert organizations[organization["parent_id"]]["classification"] == "legislature"
    assert len(document["memberships"]) == Membership.objects.count() + MinisterialOffice.objects.count()


def test_organizations_are_parliaments_parties_factions_and_ministries(client, data):
    organizations = get_json(client, "/popolo/v1/organizations.json")["organizations"]
    assert {item["classification"] for item in organizations} == {"legislature", "party", "parliamentary group", "ministry"}
    fdp = next(item for item in organizations if item["name"] == "Fraktion der FDP/DVP")
    assert fdp["parent_id"] == "legislature-bw"
    assert fdp["other_names"] == [{"name": "FDP/DVP", "note": "abbreviation"}]
    assert fdp["links"][0]["url"].startswith("http://testserver/bw/fraktionen/")
    old = next(item for item in organizations if item["name"] == "Innenministerium")
    assert (old["founding_date"], old["dissolution_date"]) == ("2016-05-12", "2021-05-11")


def test_people_and_their_dated_memberships(client, data):
    document = get_json(client, "/popolo/v1/export.json")
    people, organizations = by_id(document["persons"]), by_id(document["organizations"])
    ruelke = people[f"person-{Person.objects.get(last_name='Rülke').pk}"]
    assert (ruelke["name"], ruelke["honorific_prefix"], ruelke["sort_name"]) == ("Hans-Ulrich Rülke", "Dr.", "Rülke, Hans-Ulrich")
    weinmann = f"person-{Person.objects.get(last_name='Weinmann').pk}"
    (seat,) = [item for item in document["memberships"] if item["person_id"] == weinmann]
    assert (seat["start_date"], seat["end_date"], seat["role"]) == ("2021-05-01", "2026-04-30", "member")
    assert organizations[seat["on_behalf_of_id"]]["name"] == "Freie Demokratische Partei"
    (office,) = [item for item in document["memberships"] if item["person_id"] == f"person-{data.seed.signed_by_id}"]
    assert office["role"] == "Minister des Inneren, für Digitalisierung und Kommunen"
    assert organizations[office["organization_id"]]["classification"] == "ministry"


def test_people_known_only_from_a_draft_are_not_exported(client, data):
    text = client.get("/popolo/v1/export.json").content.decode("utf-8")
    draft_people = interop_data.draft_only_people()
    assert draft_people
    for person in draft_people:
        assert person.last_name not in text


def test_export_queries_do_not_grow_with_the_data(client, data, shared_dir, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as before:
        smaller = get_json(client, "/popolo/v1/export.json")
    interop_data.add_varied_inquiries(shared_dir, 6)
    with django_assert_max_num_queries(7):
        larger = get_json(client, "/popolo/v1/export.json")
    assert all(len(larger[key]) > len(smaller[key]) for key in KINDS)
    with CaptureQueriesContext(connection) as after:
        get_json(client, "/popolo/v1/export.json")
    assert len(after.captured_queries) == len(before.captured_queries)


# --- the export_popolo command ---------------------------------------------------------------


def test_command_writes_the_export_to_a_file(data, schemas, tmp_path, client):
    target = tmp_path / "popolo.json"
    out = io.StringIO()
    call_command("export_popolo", "--output", str(target), stdout=out)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert problems(document, schemas) == []
    assert "written to" in out.getvalue() and f"{len(document['persons'])} persons" in out.getvalue()
    served = get_json(client, "/popolo/v1/export.json")
    for key in KINDS:
        # Without a base URL the file has no links to the portal's pages; otherwise it is the same.
        assert [{k: v for k, v in item.items() if k != "links"} for item in served[key]] == document[key]


def test_command_writes_to_standard_output_with_links(data, schemas):
    out = io.StringIO()
    call_command("export_popolo", "--base-url", "https://anfragen.example.org", stdout=out)
    document = json.loads(out.getvalue())
    assert problems(document, schemas) == []
    links = [link["url"] for person in document["persons"] for link in person.get("links", [])]
    assert links and all(link.startswith("https://anfragen.example.org/personen/") for link in links)


def test_command_refuses_bad_arguments_with_a_message(data, tmp_path):
    with pytest.raises(CommandError, match="--base-url"):
        call_command("export_popolo", "--base-url", "anfragen.example.org", stdout=io.StringIO())
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export_popolo", "--output", str(tmp_path / "missing" / "popolo.json"), stdout=io.StringIO())
