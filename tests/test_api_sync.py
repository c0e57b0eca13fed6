"""Incremental sync (modified_since, tombstones) and cursor pagination of API v1."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from inquiries.models import DeletedInquiry, Inquiry, InquiryState, Membership, MinisterialOffice, Person
from inquiries.services.workflow import publish, withdraw
from tests.api_support import API, api, api_world, assert_error, at, ids, results  # noqa: F401
from tests.factories import InquiryFactory, MembershipFactory

LIST = f"{API}inquiries/"


def more_inquiries(world, count: int) -> list[Inquiry]:
    """Published BW inquiries with references no other test inquiry has."""
    start = 5000 + Inquiry.objects.count()
    return [InquiryFactory(parliament=world.bw, term=world.bw17, reference=f"17/{start + n}") for n in range(count)]


def stamp(inquiry: Inquiry, moment: datetime.datetime) -> None:
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=moment)


def since(moment: datetime.datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def history(api_world):
    """police changed 10 days ago, schools 5, federal police 1; then schools is withdrawn
    and police deleted (both after ``api_world.cut``, 3 days ago)."""
    stamp(api_world.police, at(10))
    stamp(api_world.schools, at(5))
    stamp(api_world.federal_police, at(1))
    api_world.cut = at(3)
    return api_world


def test_modified_since_lists_changes_oldest_first(api, history):
    assert ids(api.get(LIST, {"modified_since": since(at(30))})) == [history.police.pk, history.schools.pk, history.federal_police.pk]
    assert ids(api.get(LIST, {"modified_since": since(history.cut)})) == [history.federal_police.pk]
    # A date means midnight Berlin time of that day.
    day = timezone.localdate() - datetime.timedelta(days=2)
    assert ids(api.get(LIST, {"modified_since": day.isoformat()})) == [history.federal_police.pk]


def test_withdrawn_and_deleted_inquiries_appear_as_tombstones(api, history):
    police_pk = history.police.pk
    withdraw(history.schools, reason="Zurückgezogen")
    history.police.delete()
    # A draft deleted before publication leaves no trace.
    history.draft.delete()
    entries = results(api.get(LIST, {"modified_since": since(history.cut)}))
    by_id = {entry["id"]: entry for entry in entries}
    assert set(by_id) == {history.federal_police.pk, history.schools.pk, police_pk}
    assert by_id[history.federal_police.pk]["state"] == "published"
    assert {key: by_id[history.schools.pk][key] for key in ("state", "parliament", "term", "reference")} == {
        "state": "withdrawn", "parliament": "BW", "term": 17, "reference": "17/100"
    }
    assert by_id[police_pk]["state"] == "deleted"
    assert by_id[police_pk]["reference"] == "17/6206"
    assert set(by_id[police_pk]) == {"url", "id", "state", "parliament", "term", "reference", "modified_at"}
    assert "title" not in by_id[history.schools.pk]
    # Oldest change first: the federal inquiry (1 day ago) before the removals (now).
    assert entries[0]["id"] == history.federal_police.pk
    times = [datetime.datetime.fromisoformat(entry["modified_at"]) for entry in entries]
    assert times == sorted(times)
    assert DeletedInquiry.objects.filter(original_id=history.draft.pk).count() == 0
    # Without modified_since the list is for browsing: no tombstones.
    assert ids(api.get(LIST)) == [history.federal_police.pk]


def test_tombstones_follow_parliament_and_term_only(api, history):
    withdraw(history.schools, reason="Zurückgezogen")
    history.police.delete()
    params = {"modified_since": since(history.cut)}
    assert {entry["state"] for entry in results(api.get(LIST, {**params, "parliament": "bt"}))} == {"published"}
    assert len(results(api.get(LIST, {**params, "parliament": "bw", "term": 17}))) == 2
    assert results(api.get(LIST, {**params, "parliament": "bw", "term": 16})) == []
    # Other filters cannot apply to what is no longer public; tombstones still come.
    assert {entry["state"] for entry in results(api.get(LIST, {**params, "faction": "cdu-csu"}))} == {"published", "withdrawn", "deleted"}


def test_republished_inquiry_comes_back_as_published(api, history):
    withdraw(history.schools, reason="Irrtum")
    publish(history.schools)
    entry = next(entry for entry in results(api.get(LIST, {"modified_since": since(history.cut)})) if entry["id"] == history.schools.pk)
    assert entry["state"] == "published"


def test_sync_and_cursor_lists_accept_an_ordering_and_keep_their_own_order(api, history):
    """The schema allows these parameters together, so they are accepted (schemathesis'
    positive_data_acceptance); the order stays the one a sync or export relies on."""
    plain = results(api.get(LIST, {"modified_since": since(history.cut)}))
    ordered = results(api.get(LIST, {"modified_since": since(history.cut), "ordering": "reference"}))
    assert ordered == plain
    assert [entry["modified_at"] for entry in ordered] == sorted(entry["modified_at"] for entry in ordered)
    by_id = ids(api.get(LIST, {"cursor": ""}))
    assert ids(api.get(LIST, {"cursor": "", "ordering": "reference"})) == by_id == sorted(by_id)
    assert ids(api.get(LIST, {"cursor": "", "page": "2"})) == by_id


@pytest.mark.parametrize("resource", ["parliaments", "terms", "factions", "people", "ministries"])
def test_every_list_takes_modified_since(api, api_world, resource):
    everything = ids(api.get(f"{API}{resource}/", {"modified_since": since(at(30))}))
    assert everything
    assert ids(api.get(f"{API}{resource}/", {"modified_since": since(timezone.now() + datetime.timedelta(days=1))})) == []
    assert_error(api.get(f"{API}{resource}/", {"modified_since": "soon"}), 400)


def test_parties_list_all_for_any_modified_since(api, api_world):
    assert len(results(api.get(f"{API}parties/", {"modified_since": since(timezone.now())}))) == 1


def test_a_person_changes_with_their_memberships(api, api_world):
    Person.objects.update(updated_at=at(10))
    Membership.objects.update(updated_at=at(10))
    MinisterialOffice.objects.update(updated_at=at(10))
    Membership.objects.filter(person=api_world.anna).update(updated_at=at(1))
    assert [item["slug"] for item in results(api.get(f"{API}people/", {"modified_since": since(at(3))}))] == ["anna-grun"]


def follow(api, url: str, params: dict) -> list[dict]:
    """Every entry of a cursor listing, following ``next`` to the end."""
    entries: list[dict] = []
    response = api.get(url, params)
    while True:
        body = response.json()
        assert response.status_code == 200, body
        assert body["count"] is None and body["previous"] is None
        entries += body["results"]
        if body["next"] is None:
            return entries
        response = api.get(body["next"])


@pytest.mark.parametrize("size", [1, 2, 5])
def test_cursor_pages_are_complete_and_do_not_overlap(api, api_world, size):
    extra = more_inquiries(api_world, 6)
    expected = sorted([inquiry.pk for inquiry in api_world.published + extra])
    entries = follow(api, LIST, {"cursor": "", "page_size": size})
    assert [entry["id"] for entry in entries] == expected


def test_cursor_survives_changes_during_the_export(api, api_world):
    more_inquiries(api_world, 4)
    first = api.get(LIST, {"cursor": "", "page_size": 3}).json()
    seen = [entry["id"] for entry in first["results"]]
    # Rows before the cursor change and a new one arrives: nothing is skipped or repeated.
    Inquiry.objects.filter(pk=seen[0]).update(title="Neuer Titel")
    newcomer = more_inquiries(api_world, 1)[0]
    rest = follow(api, first["next"], {})
    assert [entry["id"] for entry in first["results"] + rest] == sorted(Inquiry.objects.published().values_list("pk", flat=True))
    assert rest[-1]["id"] == newcomer.pk


def test_sync_cursor_merges_tombstones_completely(api, history):
    extra = more_inquiries(history, 5)
    for days, inquiry in enumerate(extra):
        stamp(inquiry, at(days + 0.5))
    withdraw(history.schools, reason="Zurückgezogen")
    police_pk = history.police.pk
    history.police.delete()
    entries = follow(api, LIST, {"cursor": "", "page_size": 2, "modified_since": since(at(30))})
    by_state = {}
    for entry in entries:
        by_state.setdefault(entry["state"], []).append(entry["id"])
    assert sorted(by_state["published"]) == sorted([history.federal_police.pk] + [inquiry.pk for inquiry in extra])
    assert by_state["withdrawn"] == [history.schools.pk]
    assert by_state["deleted"] == [police_pk]
    keys = [(entry["modified_at"], entry["id"]) for entry in entries]
    assert len(set(keys)) == len(keys)
    assert [datetime.datetime.fromisoformat(moment) for moment, _ in keys] == sorted(datetime.datetime.fromisoformat(moment) for moment, _ in keys)
    # Numbered pages of the same sync list hold the same entries.
    pages = []
    page = api.get(LIST, {"page_size": 2, "modified_since": since(at(30))}).json()
    assert page["count"] == len(entries)
    while True:
        pages += page["results"]
        if not page["next"]:
            break
        page = api.get(page["next"]).json()
    assert [entry["id"] for entry in pages] == [entry["id"] for entry in entries]


@pytest.mark.parametrize("resource", ["parliaments", "terms", "parties", "factions", "people", "ministries"])
def test_cursor_on_every_list(api, api_world, resource):
    numbered = ids(api.get(f"{API}{resource}/", {"page_size": 200}))
    assert [entry["id"] for entry in follow(api, f"{API}{resource}/", {"cursor": "", "page_size": 1})] == sorted(numbered)


def test_page_numbers(api, api_world):
    first = api.get(LIST, {"page_size": 2, "ordering": "reference"}).json()
    assert first["count"] == 3 and first["previous"] is None
    second = api.get(first["next"]).json()
    assert [entry["reference"] for entry in first["results"] + second["results"]] == ["19/3", "17/100", "17/6206"]
    assert second["next"] is None and second["previous"]
    assert_error(api.get(LIST, {"page": 3, "page_size": 2}), 404, "not_found")


def test_draft_published_later_enters_the_sync_list(api, api_world):
    # Publishing checks that each asker sat in their faction on the asked date.
    for link in api_world.draft.asker_links.all():
        MembershipFactory(person=link.person, faction=link.faction, start_date=datetime.date(2021, 5, 1))
    cut = timezone.now()
    publish(api_world.draft)
    entries = results(api.get(LIST, {"modified_since": since(cut)}))
    assert [(entry["id"], entry["state"]) for entry in entries] == [(api_world.draft.pk, InquiryState.PUBLISHED)]
