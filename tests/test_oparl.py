"""The OParl 1.1 endpoint under /oparl/v1/: schema validity, links, lists, filters, visibility."""

from __future__ import annotations

import datetime
import json
from collections import deque
from typing import Any, Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiries.models import Inquiry, Membership, Person
from inquiries.oparl.pagination import MAX_PAGE_SIZE
from inquiries.services import workflow
from tests import interop_data
from tests.standards import OParlSchemas

pytestmark = pytest.mark.django_db

BASE = "http://testserver/oparl/v1/"
OPARL = "https://schema.oparl.org/1.1/"
LIST_NAMES = ["organizations", "persons", "memberships", "papers", "files", "legislativeterms", "meetings"]
# Body, the list's count, the page, and at most two prefetches per queryset of a list.
MAX_LIST_QUERIES = 10


@pytest.fixture(scope="session")
def schemas(shared_dir) -> OParlSchemas:
    return OParlSchemas(shared_dir / "standards" / "oparl" / "spec_schema")


@pytest.fixture
def data(shared_dir, settings, tmp_path) -> interop_data.InteropData:
    settings.MEDIA_ROOT = tmp_path / "media"
    return interop_data.build(shared_dir)


def url(path: str) -> str:
    return f"{BASE}{path}"


def paper_url(inquiry: Inquiry) -> str:
    return url(f"paper/{inquiry.pk}/")


def get_json(client, address: str, status: int = 200) -> Any:
    response = client.get(address)
    assert response.status_code == status, (address, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def links_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.startswith(BASE):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)


def is_list_page(document: Any) -> bool:
    return isinstance(document, dict) and set(document) == {"data", "pagination", "links"}


class Crawl:
    """Every document reachable from /oparl/v1/ by following links, fetched once each."""

    def __init__(self, client) -> None:
        self.documents: dict[str, Any] = {}
        self.raw: dict[str, str] = {}
        queue = deque([BASE])
        seen = {BASE}
        while queue:
            address = queue.popleft()
            response = client.get(address)
            assert response.status_code == 200, (address, response.content[:300])
            self.raw[address] = response.content.decode("utf-8")
            self.documents[address] = document = json.loads(self.raw[address])
            for link in links_in(document):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)

    def objects(self) -> Iterator[tuple[str, dict]]:
        """(where it was served, object) for every object, list entries included."""
        for address, document in self.documents.items():
            if is_list_page(document):
                for item in document["data"]:
                    yield address, item
            else:
                yield address, document

    def ids_of(self, type_name: str, *, deleted: bool = False) -> set[str]:
        return {
            obj["id"]
            for _, obj in self.objects()
            if obj["type"] == OPARL + type_name and bool(obj.get("deleted")) == deleted
        }


# --- the whole endpoint -----------------------------------------------------------------------


def test_every_served_object_validates_against_the_oparl_schemas(client, data, schemas):
    crawl = Crawl(client)
    problems = [problem for _, obj in crawl.objects() for problem in schemas.errors(obj)]
    assert problems == []
    served_types = {obj["type"].removeprefix(OPARL) for _, obj in crawl.objects()}
    assert served_types == {"System", "Body", "LegislativeTerm", "Organization", "Person", "Membership", "Paper", "File"}


def test_crawler_from_the_system_reaches_every_published_inquiry(client, data):
    crawl = Crawl(client)
    assert crawl.ids_of("Paper") == {paper_url(inquiry) for inquiry in data.public}
    for inquiry in data.public:
        assert crawl.documents[paper_url(inquiry)]["reference"] == inquiry.reference
    assert crawl.ids_of("Paper", deleted=True) == {paper_url(data.withdrawn)}


def test_objects_in_lists_equal_the_objects_at_their_ids(client, data):
    crawl = Crawl(client)
    listed = [obj for address, obj in crawl.objects() if is_list_page(crawl.documents[address])]
    assert listed
    for obj in listed:
        assert crawl.documents[obj["id"]] == obj


def test_list_pages_carry_pagination_and_links(client, data):
    crawl = Crawl(client)
    pages = [document for document in crawl.documents.values() if is_list_page(document)]
    assert pages
    for page in pages:
        pagination, links = page["pagination"], page["links"]
        assert len(page["data"]) <= pagination["elementsPerPage"]
        assert {"first", "last", "self"} <= set(links)
        assert ("next" in links) == (pagination["currentPage"] < pagination["totalPages"])
        assert ("prev" in links) == (pagination["currentPage"] > 1)


def test_drafts_and_papers_withdrawn_before_publication_appear_nowhere(client, data):
    crawl = Crawl(client)
    everything = "\n".join(crawl.raw.values())
    for inquiry in data.hidden:
        assert inquiry.title not in everything
        assert inquiry.reference not in everything
        assert paper_url(inquiry) not in crawl.documents
        get_json(client, paper_url(inquiry), status=404)
    for person in interop_data.draft_only_people():
        assert person.last_name not in everything
        get_json(client, url(f"person/{person.pk}/"), status=404)
    papers = get_json(client, url("body/bw/papers/"))
    bw_papers = Inquiry.objects.filter(parliament__code="BW").exclude(pk__in=[inquiry.pk for inquiry in data.hidden])
    assert papers["pagination"]["totalElements"] == bw_papers.count()


# --- single objects ------------------------------------------------------------------------------


def test_system_and_body(client, data, schemas):
    system = get_json(client, BASE)
    assert system["id"] == BASE
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = get_json(client, system["body"])
    assert {body["shortName"] for body in bodies["data"]} == {"BW", "BT"}
    body = get_json(client, url("body/bw/"))
    assert body["name"] == "Landtag von Baden-Württemberg"
    term = next(term for term in body["legislativeTerm"] if term["name"] == "17. Wahlperiode")
    assert (term["startDate"], term["endDate"]) == ("2021-05-01", "2026-04-30")
    assert "body" not in term  # embedded objects drop the reference to their parent
    assert get_json(client, term["id"])["body"] == body["id"]
    assert schemas.errors(system) == schemas.errors(body) == []


def test_paper_of_the_seed_inquiry(client, data):
    paper = get_json(client, paper_url(data.seed))
    weinmann = Person.objects.get(last_name="Weinmann")
    assert paper["reference"] == "17/6206"
    assert paper["name"] == data.seed.title
    assert paper["date"] == "2024-02-28"
    assert paper["paperType"] == "Kleine Anfrage"
    assert paper["originatorPerson"] == [url(f"person/{weinmann.pk}/")]
    faction = get_json(client, paper["originatorOrganization"][0])
    assert (faction["shortName"], faction["organizationType"]) == ("FDP/DVP", "Fraktion")
    ministry = get_json(client, paper["underDirectionOf"][0])
    assert ministry["name"] == "Ministerium des Inneren, für Digitalisierung und Kommunen"
    assert ministry["organizationType"] == "Verwaltungsbereich"
    assert paper["web"] == "http://testserver/bw/drucksache/17-6206/"
    assert "mainFile" not in paper  # neither a document nor a source address


def test_paper_with_document_related_papers_and_two_askers(client, data):
    paper = get_json(client, paper_url(data.with_document))
    assert paper["paperType"] == "Große Anfrage"
    assert paper["relatedPaper"] == [paper_url(data.seed)]  # 17/9999 does not exist
    assert paper["keyword"] == ["Polizei", "Digitalisierung"]
    assert len(paper["originatorPerson"]) == 2
    assert [get_json(client, org)["shortName"] for org in paper["originatorOrganization"]] == ["FDP/DVP", "SPD"]
    main_file = paper["mainFile"]
    assert main_file["fileName"] == "17_7000_D.pdf"
    assert main_file["mimeType"] == "application/pdf"
    assert main_file["accessUrl"].startswith("http://testserver/media/documents/")
    assert "paper" not in main_file
    alone = get_json(client, main_file["id"])
    assert alone["paper"] == [paper["id"]]
    assert {key: value for key, value in alone.items() if key != "paper"} == main_file


def test_unanswered_paper_and_its_source_file(client, data):
    paper = get_json(client, paper_url(data.unanswered))
    assert paper["date"] == "2024-02-07"  # the date of the inquiry while there is no answer
    assert "underDirectionOf" not in paper
    assert "AnfragenPortal:answeredOn" not in paper
    assert paper["mainFile"]["accessUrl"] == data.unanswered.source_url
    assert paper["mainFile"]["id"] == url(f"file/{data.unanswered.pk}/source/")


def test_written_question_of_the_second_body(client, data):
    paper = get_json(client, paper_url(data.bundestag))
    assert paper["paperType"] == "Schriftliche Frage"
    assert paper["body"] == url("body/bt/")
    assert paper_url(data.bundestag) not in {item["id"] for item in get_json(client, url("body/bw/papers/"))["data"]}


def test_withdrawn_paper_and_its_files_are_deleted_tombstones(client, data, schemas):
    paper = get_json(client, paper_url(data.withdrawn))
    assert set(paper) == {"id", "type", "created", "modified", "deleted"}
    assert paper["deleted"] is True
    for kind in ("document", "source"):
        file = get_json(client, url(f"file/{data.withdrawn.pk}/{kind}/"))
        assert file["deleted"] is True
        assert file["accessUrl"] == file["id"]  # the content is no longer served
        assert schemas.errors(file) == []
    files = get_json(client, url("body/bw/files/?elementsPerPage=200"))["data"]
    assert {item["id"] for item in files if item.get("deleted")} == {
        url(f"file/{data.withdrawn.pk}/document/"),
        url(f"file/{data.withdrawn.pk}/source/"),
    }


def test_organizations_are_factions_and_ministries(client, data):
    organizations = get_json(client, url("body/bw/organizations/?elementsPerPage=200"))["data"]
    by_type = {(item["organizationType"], item["classification"]) for item in organizations}
    assert by_type == {("Fraktion", "Fraktion"), ("Verwaltungsbereich", "Ministerium")}
    fdp = next(item for item in organizations if item.get("shortName") == "FDP/DVP")
    assert fdp["name"] == "Fraktion der FDP/DVP"
    assert fdp["AnfragenPortal:party"] == "Freie Demokratische Partei"
    assert len(fdp["membership"]) == Membership.objects.filter(faction__short_name="FDP/DVP").count()
    old = next(item for item in organizations if item["name"] == "Innenministerium")
    assert (old["startDate"], old["endDate"]) == ("2016-05-12", "2021-05-11")
    assert old["AnfragenPortal:successor"] == url(f"organization/ministry/{data.seed.answering_ministry_id}/")


def test_person_embeds_dated_memberships_and_offices(client, data):
    weinmann = Person.objects.get(last_name="Weinmann")
    person = get_json(client, url(f"person/{weinmann.pk}/"))
    assert (person["givenName"], person["familyName"]) == ("Nico", "Weinmann")
    (membership,) = person["membership"]
    assert "person" not in membership
    assert (membership["startDate"], membership["endDate"]) == ("2021-05-01", "2026-04-30")
    assert get_json(client, membership["organization"])["shortName"] == "FDP/DVP"
    assert get_json(client, membership["id"])["person"] == person["id"]

    ruelke = get_json(client, url(f"person/{Person.objects.get(last_name='Rülke').pk}/"))
    assert ruelke["title"] == ["Dr."]
    assert ruelke["name"] == "Dr. Hans-Ulrich Rülke"

    strobl = get_json(client, url(f"person/{data.seed.signed_by_id}/"))
    (office,) = strobl["membership"]
    assert office["role"] == "Minister des Inneren, für Digitalisierung und Kommunen"
    assert office["organization"] == url(f"organization/ministry/{data.seed.answering_ministry_id}/")


# --- lists: pages, filters, queries -----------------------------------------------------------------


def test_pages_follow_next_links_and_keep_filters(client, data):
    first = get_json(client, url("body/bw/papers/?elementsPerPage=3&created_since=2000-01-01T00:00:00%2B01:00"))
    total = first["pagination"]["totalElements"]
    assert first["pagination"]["totalPages"] == -(-total // 3)
    seen, page = [], first
    while True:
        seen += [item["id"] for item in page["data"]]
        assert "created_since=2000-01-01T00" in page["links"]["self"]
        if "next" not in page["links"]:
            break
        page = get_json(client, page["links"]["next"])
    assert len(seen) == len(set(seen)) == total
    assert seen == sorted(seen, key=lambda address: int(address.rstrip("/").rsplit("/", 1)[1]))
    assert get_json(client, page["links"]["prev"])["pagination"]["currentPage"] == page["pagination"]["currentPage"] - 1
    assert get_json(client, first["links"]["last"]) == page


def test_page_size_is_capped_and_bad_pages_are_refused(client, data):
    capped = get_json(client, url(f"body/bw/papers/?elementsPerPage={MAX_PAGE_SIZE * 10}"))
    assert capped["pagination"]["elementsPerPage"] == MAX_PAGE_SIZE
    assert "no such page" in get_json(client, url("body/bw/papers/?page=999"), status=404)["error"]
    assert "page" in get_json(client, url("body/bw/papers/?page=first"), status=400)["error"]
    assert "elementsPerPage" in get_json(client, url("body/bw/papers/?elementsPerPage=0"), status=400)["error"]


def _ids(client, address: str) -> set[str]:
    return {item["id"] for item in get_json(client, address)["data"]}


def test_created_and_modified_filters(client, data):
    long_ago = timezone.make_aware(datetime.datetime(2020, 1, 1, 12, 0))
    Inquiry.objects.filter(pk=data.seed.pk).update(published_at=long_ago, updated_at=long_ago)
    seed = paper_url(data.seed)
    papers = "body/bw/papers/?elementsPerPage=200"
    assert seed in _ids(client, url(f"{papers}&created_until=2020-01-02T00:00:00%2B01:00"))
    assert _ids(client, url(f"{papers}&created_until=2020-01-02T00:00:00%2B01:00")) == {seed}
    assert seed not in _ids(client, url(f"{papers}&created_since=2020-01-02T00:00:00%2B01:00"))
    assert _ids(client, url(f"{papers}&modified_until=2020-01-01T12:00:00%2B01:00")) == {seed}
    assert seed not in _ids(client, url(f"{papers}&modified_since=2020-01-01T12:00:01%2B01:00"))
    # An unencoded "+" arrives as a space; it is read as the offset all the same.
    assert _ids(client, url(f"{papers}&modified_until=2020-01-01T12:00:00 01:00")) == {seed}
    assert _ids(client, url(f"{papers}&created_until=2020-01-01")) == set()


def test_a_changed_membership_marks_its_person_modified(client, data):
    weinmann = Person.objects.get(last_name="Weinmann")
    long_ago = timezone.make_aware(datetime.datetime(2020, 1, 1))
    Person.objects.update(updated_at=long_ago)
    Membership.objects.update(updated_at=long_ago)
    since = "2021-01-01T00:00:00%2B01:00"
    assert url(f"person/{weinmann.pk}/") not in _ids(client, url(f"body/bw/persons/?modified_since={since}"))
    membership = Membership.objects.get(person=weinmann)
    membership.constituency = "Heilbronn"
    membership.save()
    modified = _ids(client, url(f"body/bw/persons/?modified_since={since}"))
    assert url(f"person/{weinmann.pk}/") in modified
    assert url(f"membership/faction/{membership.pk}/") in _ids(client, url(f"body/bw/memberships/?modified_since={since}"))


def test_a_withdrawal_reaches_clients_that_sync_by_modified_since(client, data):
    long_ago = timezone.make_aware(datetime.datetime(2020, 1, 1))
    Inquiry.objects.filter(pk=data.seed.pk).update(published_at=long_ago, updated_at=long_ago)
    since = "2021-01-01T00:00:00%2B01:00"
    assert paper_url(data.seed) not in _ids(client, url(f"body/bw/papers/?modified_since={since}"))
    workflow.withdraw(Inquiry.objects.get(pk=data.seed.pk), reason="zurückgezogen")
    changed = get_json(client, url(f"body/bw/papers/?modified_since={since}"))["data"]
    (tombstone,) = [item for item in changed if item["id"] == paper_url(data.seed)]
    assert tombstone == get_json(client, paper_url(data.seed))
    assert tombstone["deleted"] is True
    assert tombstone["created"].startswith("2020-01-01")


@pytest.mark.parametrize("parameter", ["created_since", "created_until", "modified_since", "modified_until"])
def test_unreadable_filters_are_refused_with_a_message(client, data, parameter):
    error = get_json(client, url(f"body/bw/papers/?{parameter}=gestern"), status=400)["error"]
    assert parameter in error and "gestern" in error


@pytest.mark.parametrize("name", LIST_NAMES)
def test_list_queries_do_not_grow_with_the_page_size(client, data, shared_dir, name, django_assert_max_num_queries):
    address = url(f"body/bw/{name}/?elementsPerPage={MAX_PAGE_SIZE}")
    with CaptureQueriesContext(connection) as before:
        smaller = get_json(client, address)
    interop_data.add_varied_inquiries(shared_dir, 6)
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        larger = get_json(client, address)
    with CaptureQueriesContext(connection) as after:
        get_json(client, address)
    assert len(larger["data"]) == larger["pagination"]["totalElements"]
    if name not in ("legislativeterms", "meetings"):
        assert len(larger["data"]) > len(smaller["data"])
    assert len(after.captured_queries) == len(before.captured_queries)


def test_body_list_queries_do_not_grow_with_the_page_size(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        bodies = get_json(client, url(f"bodies/?elementsPerPage={MAX_PAGE_SIZE}"))
    assert len(bodies["data"]) == 2


# --- errors and headers ------------------------------------------------------------------------------


def test_unknown_objects_are_json_404s(client, data):
    too_big = 10**30  # beyond any database integer: still a plain 404
    paths = ["body/xx/", "body/xx/papers/", "paper/999999/", f"person/{too_big}/", f"file/{too_big}/source/", "file/1/other/"]
    for path in [*paths, f"file/{data.seed.pk}/document/", f"membership/office/{too_big}/"]:
        assert get_json(client, url(path), status=404) == {"error": "not found"}


def test_responses_allow_other_origins_and_keep_umlauts_readable(client, data):
    response = client.get(url("body/bw/"))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Württemberg" in response.content.decode("utf-8")
    assert client.post(url("body/bw/")).status_code == 405
