"""HTTP behaviour of API v1: read-only, caching and 304, CORS, throttle, errors, CSV, query counts, docs."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.test import Client

from inquiries.models import Person
from tests.api_support import API, api, api_world, assert_error, results  # noqa: F401
from tests.factories import InquiryFactory, MembershipFactory, PersonFactory

LISTS = ["parliaments", "terms", "parties", "factions", "people", "ministries", "inquiries"]


def every_address(world) -> list[str]:
    return [
        API,
        *(f"{API}{name}/" for name in LISTS),
        f"{API}parliaments/{world.bw.pk}/",
        f"{API}terms/{world.bw17.pk}/",
        f"{API}parties/{world.fdp.pk}/",
        f"{API}factions/{world.fdp_dvp.pk}/",
        f"{API}people/{world.nico.pk}/",
        f"{API}ministries/{world.interior.pk}/",
        f"{API}inquiries/{world.police.pk}/",
        f"{API}inquiries/bw/17-6206/",
        f"{API}search/?q=Polizei",
        f"{API}schema/",
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_write_method_is_405(api, api_world, method):
    for address in every_address(api_world):
        response = getattr(api, method)(address, {"title": "x"}, format="json")
        assert_error(response, 405, "method_not_allowed")
        assert "POST" not in response["Allow"]
    assert Person.objects.filter(pk=api_world.nico.pk).exists()


def test_etag_and_last_modified_give_304(api, api_world):
    for address in every_address(api_world):
        response = api.get(address)
        assert response.status_code == 200, address
        etag = response["ETag"]
        assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
        again = api.get(address, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, address
        assert again.content == b""
        assert again["ETag"] == etag
        assert api.get(address, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_last_modified_moves_with_changes(api, api_world):
    detail = f"{API}inquiries/{api_world.police.pk}/"
    response = api.get(detail)
    last_modified = response["Last-Modified"]
    assert api.get(detail, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    for address in (f"{API}inquiries/", f"{API}people/", f"{API}ministries/", f"{API}parliaments/"):
        stamp = api.get(address)["Last-Modified"]
        assert api.get(address, HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304, address
    # Renaming the asker changes the record, so its time moves on (a second later at least).
    Person.objects.filter(pk=api_world.nico.pk).update(last_name="Weinmann-Neu", updated_at=api_world.nico.updated_at.replace(year=2100))
    changed = api.get(detail, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed.json()["askers"][0]["name"] == "Nico Weinmann-Neu"


def test_a_lists_last_modified_follows_the_tables_it_shows_after_its_first_read(api, api_world):
    """Each list's newest-change query is compiled once per connection and then only run
    again: the time still follows every table that list shows, and only those."""
    from email.utils import parsedate_to_datetime

    from inquiries.models import DeletedInquiry, Faction, Inquiry, Parliament

    def stamp(name: str) -> datetime.datetime:
        response = api.get(f"{API}{name}/")
        assert response.status_code == 200
        return parsedate_to_datetime(response["Last-Modified"])

    def moment(year: int) -> datetime.datetime:
        return datetime.datetime(year, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)

    for name in ("inquiries", "parliaments", "factions"):
        assert stamp(name) < moment(2100)  # compiled and run once
    Inquiry.objects.filter(pk=api_world.schools.pk).update(updated_at=moment(2100))
    assert stamp("inquiries") == stamp("parliaments") == moment(2100)
    assert stamp("factions") < moment(2100)
    Faction.objects.filter(pk=api_world.greens.pk).update(updated_at=moment(2101))
    assert stamp("inquiries") == stamp("factions") == moment(2101)
    assert stamp("parliaments") == moment(2100)
    DeletedInquiry.objects.create(original_id=424242, parliament_code="BW", term_number=17, reference="17/1", deleted_at=moment(2102))
    assert stamp("inquiries") == stamp("parliaments") == moment(2102)
    assert stamp("factions") == moment(2101)
    Parliament.objects.filter(pk=api_world.bt.pk).update(updated_at=moment(2103))
    assert stamp("inquiries") == stamp("parliaments") == stamp("factions") == moment(2103)
    # A draft's change never shows, not even as a time.
    Inquiry.objects.filter(pk=api_world.draft.pk).update(updated_at=moment(2104))
    assert stamp("inquiries") == moment(2103)


def test_errors_are_not_stored_by_caches(api, api_world):
    assert api.get(f"{API}inquiries/", {"kind": "x"})["Cache-Control"] == "no-store"
    assert "max-age" in api.get(f"{API}inquiries/424242/")["Cache-Control"]


def test_cors_allows_get_from_any_origin(api, api_world):
    response = api.get(f"{API}inquiries/", HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        f"{API}inquiries/", HTTP_ORIGIN="https://newsroom.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # Only the API: the website is not opened to other origins.
    assert "Access-Control-Allow-Origin" not in Client().get("/anfragen/", HTTP_ORIGIN="https://newsroom.example")


def test_throttle_answers_429_with_retry_after(api, api_world, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    cache.clear()
    for _ in range(3):
        assert api.get(f"{API}parliaments/").status_code == 200
    response = api.get(f"{API}inquiries/")
    body = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert body["detail"]


def test_unknown_addresses_are_json_404(api, db):
    for address in (f"{API}nothing/", f"{API}inquiries/1/extra/", "/api/v2/inquiries/", "/api/"):
        assert_error(api.get(address), 404, "not_found")
    # The API is read-only at every address: other methods are 405 with Allow (schemathesis).
    refused = api.post(f"{API}nothing/")
    assert_error(refused, 405, "method_not_allowed")
    assert refused["Allow"] == "GET, HEAD, OPTIONS"


def test_csv_for_lists(api, api_world):
    response = api.get(f"{API}inquiries/", {"format": "csv", "ordering": "reference"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["reference"] for row in rows] == ["19/3", "17/100", "17/6206"]
    assert rows[2]["askers"] == "Nico Weinmann"
    assert rows[2]["title"] == "Beteiligung der Landespolizei am Innovation Park"
    people = list(csv.DictReader(io.StringIO(api.get(f"{API}people/", {"format": "csv"}).content.decode())))
    assert {row["memberships.0.faction"] for row in people if row["slug"] == "nico-weinmann"} == {"FDP/DVP"}
    accepted = api.get(f"{API}factions/", HTTP_ACCEPT="text/csv")
    assert accepted["Content-Type"].startswith("text/csv")


def test_empty_csv_has_its_header(api, api_world):
    for address in (f"{API}inquiries/?q=Nirgendwo&format=csv", f"{API}search/?q=Nirgendwo&format=csv"):
        response = api.get(address)
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().splitlines()[0].startswith("url,id,state,parliament")


def test_csv_errors_keep_the_json_shape(api, api_world):
    assert_error(api.get(f"{API}inquiries/", {"format": "csv", "kind": "x"}), 400, "invalid")
    # Details are JSON only.
    assert api.get(f"{API}inquiries/{api_world.police.pk}/", {"format": "csv"}).status_code == 404


def test_browsable_api(api, api_world):
    response = api.get(f"{API}inquiries/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"17/6206" in response.content


@pytest.fixture
def crowd(api_world):
    """A dozen more of everything, each with its related rows, so that every list has pages."""
    from inquiries.models import MinisterialOffice, Party
    from inquiries.models.parliament import PARLIAMENT_CODES
    from tests.factories import FactionFactory, MinistryFactory, ParliamentFactory, TermFactory

    codes = [code for code in PARLIAMENT_CODES if code not in ("BW", "BT")][:12]
    for n, code in enumerate(codes):
        parliament = ParliamentFactory(code=code)
        term = TermFactory(parliament=parliament, number=20)
        party = Party.objects.create(short_name=f"Partei {n}", slug=f"partei-{n}")
        faction = FactionFactory(parliament=parliament, short_name=f"Fraktion {n}", party=party)
        ministry = MinistryFactory(parliament=parliament, name=f"Ministerium {n}", successor=None)
        person = PersonFactory(last_name=f"Viele{n}")
        MembershipFactory(person=person, faction=faction)
        MinisterialOffice.objects.create(person=person, ministry=ministry, role="Minister")
        InquiryFactory(
            parliament=parliament, term=term, reference=f"20/{7000 + n}", title=f"Polizei Nummer {n}",
            askers=[(person, faction)], factions=[faction], answering_ministry=ministry, signed_by=person,
            questions=[("Frage?", "Antwort.")],
        )
    return api_world


@pytest.mark.parametrize("resource", LISTS + ["search"])
def test_queries_per_page_do_not_grow_with_page_size(api, crowd, resource, django_assert_max_num_queries):
    address = f"{API}{resource}/" + ("?q=Polizei&" if resource == "search" else "?")

    def queries(size: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"{address}page_size={size}").status_code == 200
        return len(captured)

    small = queries(1)
    with django_assert_max_num_queries(small):
        assert len(results(api.get(f"{address}page_size=200"))) > 10
    for extra in ("modified_since=2000-01-01&", "cursor=&", "modified_since=2000-01-01&cursor=&"):
        if resource == "search":
            continue
        with django_assert_max_num_queries(small + 2):
            assert api.get(f"{address}{extra}page_size=200").status_code == 200


def test_docs_are_local_and_without_inline_code(api, db):
    response = api.get(f"{API}docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in source for source in sources)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and "style=" not in html
    assert not re.search(r'(href|src)="(https?:)?//', html), "third-party origin"
    init = api.get(f"{API}docs/?script=")
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in init.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_schema_describes_every_operation_parameter_and_field(api, db):
    response = api.get(f"{API}schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for expected in ("parliaments", "terms", "parties", "factions", "people", "ministries", "inquiries", "search"):
        assert f"/api/v1/{expected}/" in paths
    assert "/api/v1/inquiries/{id}/" in paths and "/api/v1/inquiries/{parliament}/{reference}/" in paths
    undescribed = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            if not operation.get("description"):
                undescribed.append(f"{method} {path}")
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    undescribed.append(f"{method} {path} ?{parameter['name']}")
            for code in ("200", "400", "404", "429"):
                assert code in operation["responses"], (path, code)
    for name, component in schema["components"]["schemas"].items():
        for field, definition in component.get("properties", {}).items():
            if not (definition.get("description") or "$ref" in definition or "allOf" in definition):
                undescribed.append(f"{name}.{field}")
    assert not undescribed, undescribed
    assert "410" in paths["/api/v1/inquiries/{id}/"]["get"]["responses"]


# --- the plain JSON answer of an inquiry's detail (InquiryViewSet.plain_record) ---------------

NEGOTIATED = "application/json;q=0.9"  # also JSON, but through DRF's content negotiation


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_the_plain_detail_is_the_negotiated_answer_byte_for_byte(api, api_world, accept):
    from rest_framework.response import Response

    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    for inquiry in api_world.published:
        address = f"{API}inquiries/{inquiry.pk}/"
        plain, negotiated = api.get(address, **extra), api.get(address, HTTP_ACCEPT=NEGOTIATED)
        assert not isinstance(plain, Response) and isinstance(negotiated, Response)
        assert plain.status_code == negotiated.status_code == 200
        assert plain.content == negotiated.content
        assert list(plain.items()) == list(negotiated.items())
        assert plain["Content-Type"] == "application/json"
        assert plain["Allow"] == "GET, HEAD, OPTIONS"
        assert plain["Link"] == f'<http://testserver{inquiry.get_absolute_url()}>; rel="alternate"; type="text/html"'
        head, negotiated_head = api.head(address, **extra), api.head(address, HTTP_ACCEPT=NEGOTIATED)
        assert head.status_code == 200 and list(head.items()) == list(negotiated_head.items())


def test_the_plain_detail_answers_conditional_gets_with_304(api, api_world):
    address = f"{API}inquiries/{api_world.police.pk}/"
    response = api.get(address)
    for condition in ({"HTTP_IF_NONE_MATCH": response["ETag"]}, {"HTTP_IF_MODIFIED_SINCE": response["Last-Modified"]}):
        again = api.get(address, **condition)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == response["ETag"] and again["Last-Modified"] == response["Last-Modified"]


def test_the_detail_of_a_draft_or_a_withdrawn_inquiry_is_still_refused(api, api_world):
    from inquiries.services.workflow import withdraw

    assert_error(api.get(f"{API}inquiries/{api_world.draft.pk}/"), 404, "not_found")
    assert_error(api.get(f"{API}inquiries/{api_world.withdrawn_early.pk}/"), 404, "not_found")
    withdraw(api_world.schools, reason="Zurückgezogen")
    assert_error(api.get(f"{API}inquiries/{api_world.schools.pk}/"), 410, "gone")
    assert_error(api.get(f"{API}inquiries/999999999/"), 404, "not_found")


def test_other_formats_of_the_detail_are_still_negotiated(api, api_world):
    address = f"{API}inquiries/{api_world.police.pk}/"
    assert api.get(address, HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")
    assert api.get(address, {"format": "api"})["Content-Type"].startswith("text/html")
    assert api.get(address, {"format": "json"}).json() == api.get(address).json()
    assert_error(api.get(address, {"format": "csv"}), 404)


def test_plain_details_count_against_the_throttle(api, api_world, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    cache.clear()
    address = f"{API}inquiries/{api_world.police.pk}/"
    for _ in range(3):
        assert api.get(address).status_code == 200
    response = api.get(address)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
