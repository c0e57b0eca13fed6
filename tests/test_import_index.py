"""The bulk import brings the search engine's index up to date itself, batch by batch, from the
rows it has just written, and the index holds what a read-back from the database would give."""

from __future__ import annotations

import copy
import json

import pytest
from django.db import transaction

from inquiries import search
from inquiries.models import Inquiry, InquiryState
from inquiries.search import engine
from inquiries.services import bulk


@pytest.fixture
def records(shared_dir) -> list[dict]:
    """Three papers: the seed (askers of two groups, a refused answer), one without dates,
    ministry and askers' groups, and one whose askers repeat a person."""
    seed = json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])
    seed["askers"].append({"name": "Abg. Anna Beispiel", "faction": "GRÜNE"})
    seed["factions"] = ["FDP/DVP", "Grüne"]
    seed["questions"][0]["answer"] = "Aus Gründen des Staatswohls kann die Frage nicht beantwortet werden."
    bare = copy.deepcopy(seed)
    bare.update(reference="17/7001", title="  Feuerwehrhäuser im Land  ", factions=[])
    for name in ("asked_on", "answered_on", "answering_ministry"):
        bare.pop(name)
    bare["askers"] = [{"name": "Anna Beispiel"}]
    twice = copy.deepcopy(seed)
    twice.update(reference="17/7002", explanation="", government_preface="")
    twice["askers"].append(dict(twice["askers"][0]))
    return [seed, bare, twice]


def _read_back(ids: list[int]) -> dict[int, tuple[dict, object]]:
    return {row["pk"]: (row, text) for batch in engine._rows(Inquiry.objects.filter(pk__in=ids)) for row, text in batch}


# What engine._document and engine.sort_keys take from a row.
_USED = (
    "pk", "parliament_id", "term_id", "answering_ministry_id", "kind", "asked_on", "answered_on", "due_on",
    "answer_days", "updated_at", "reference_number", "parliament_code", "term_number", "factions", "answer_kinds",
    "published_at",
)


@pytest.fixture(autouse=True)
def engine_on(settings, db):
    """These tests are about the search engine's index: they run with it whatever the run's
    backend (the index is then made first, as a switch of backend makes it)."""
    if not search.uses_engine():
        settings.SEARCH_ENGINE = "tantivy"
        search.rebuild_index()


@pytest.mark.django_db
def test_the_bulk_writer_hands_the_engine_what_it_would_read_back(records):
    with transaction.atomic():
        ids, _texts, known = bulk.BulkWriter(InquiryState.PUBLISHED).create([(record, bulk.prepare(record)) for record in records])
    read = _read_back(ids)

    assert sorted(known) == sorted(read) == sorted(ids)
    for pk in ids:
        (given, given_text), (row, text) = known[pk], read[pk]
        assert {name: given[name] for name in _USED} == {name: row[name] for name in _USED}
        assert sorted(given["people"]) == sorted(row["people"])
        assert given_text == text
        assert engine.sort_keys(given) == engine.sort_keys(row)
    assert known[ids[0]][0]["answer_kinds"] == ["full", "refused"]


@pytest.mark.django_db
def test_drafts_are_not_handed_to_the_engine(records):
    with transaction.atomic():
        ids, _texts, known = bulk.BulkWriter(InquiryState.DRAFT).create([(record, bulk.prepare(record)) for record in records])
    assert len(ids) == 3 and known == {}


@pytest.mark.django_db(transaction=True)
def test_each_committed_batch_is_in_the_index_when_the_import_returns(records, monkeypatch):
    read_back = []
    rows = engine._rows
    monkeypatch.setattr(engine, "_rows", lambda inquiries: read_back.append(1) or rows(inquiries))
    lines = [json.dumps(record) for record in records]
    lines.append(json.dumps({**records[0], "title": "Neuer Titel der Anfrage zu Feuerwehrhäusern"}))  # an update: upsert

    report = bulk.import_records(lines, batch_size=2)

    assert (report.created, report.updated, report.errors) == (3, 1, [])
    # The index has applied the whole change log already, without waiting for a search.
    opened = engine._open_current()
    assert opened.applied.last == engine.newest_log_id()
    searcher = opened.index.searcher()
    query = opened.index.parse_query("Feuerwehrhaus", ["title"])
    assert searcher.search(query, 10).count == 2
    # The new inquiries came from the rows in hand; only the updated one was read back.
    assert len(read_back) == 1
    found = search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)
    assert sorted(found) == ["17/6206", "17/7001"]


@pytest.mark.django_db(transaction=True)
def test_a_later_write_of_a_known_inquiry_is_read_from_the_database(records):
    """A write logged after the import's batch (another editor, on another server) wins over
    what the import holds of the inquiry."""
    report = bulk.import_records([json.dumps(records[1])])
    assert report.created == 1
    inquiry = Inquiry.objects.get()
    stale = _read_back([inquiry.pk])
    up_to = engine.newest_log_id()
    Inquiry.objects.filter(pk=inquiry.pk).update(title="Hallenbäder im Land")
    search.log_changes([inquiry.pk])

    engine.catch_up(stale, up_to)

    opened = engine._open_current()
    searcher = opened.index.searcher()
    assert searcher.search(opened.index.parse_query("Hallenbad", ["title"]), 10).count == 1
    assert searcher.search(opened.index.parse_query("Feuerwehrhaus", ["title"]), 10).count == 0


@pytest.mark.django_db(transaction=True)
def test_a_crash_before_the_index_took_a_batch_in_loses_nothing(records, monkeypatch):
    """The batch is committed with its change log rows; the next search applies them."""
    class Stopped(Exception):
        """The import stopped right after its commit."""

    def crash(*args, **kwargs):
        raise Stopped

    monkeypatch.setattr(search, "refresh", crash)
    with pytest.raises(Stopped):
        bulk.import_records([json.dumps(record) for record in records])
    monkeypatch.undo()
    assert Inquiry.objects.count() == 3
    found = search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)
    assert list(found) == ["17/7001"]
