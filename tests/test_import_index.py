"""The bulk import brings the search engine's index up to date itself, batch by batch, from the
rows it has just written, and the index holds what a read-back from the database would give."""

from __future__ import annotations

import copy
import fcntl
import json
import multiprocessing
import os

import pytest
from django.db import transaction

from inquiries import search
from inquiries.models import Inquiry, InquiryState
from inquiries.search import engine
from inquiries.services import bulk
from inquiries.services.workflow import publish


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
    "published_at", "answer_count", "refused_count",
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
    # The seed's nine answers, one of them refused (the answer figures of ministries and statistics).
    assert (known[ids[0]][0]["answer_count"], known[ids[0]][0]["refused_count"]) == (9, 1)


@pytest.mark.django_db
def test_drafts_are_not_handed_to_the_engine(records):
    with transaction.atomic():
        ids, _texts, known = bulk.BulkWriter(InquiryState.DRAFT).create([(record, bulk.prepare(record)) for record in records])
    assert len(ids) == 3 and known == {}


@pytest.mark.django_db(transaction=True)
def test_each_committed_batch_is_in_the_index_when_the_import_returns(records, monkeypatch):
    monkeypatch.setattr(bulk.BulkWriter, "LOG_WATCH_SECONDS", 3600)  # no looks between batches (tested below)
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


# --- one index writer held across an import's batches (engine.ImportWriter) ----------------------


def _lines(records: list[dict], count: int) -> list[str]:
    """``count`` papers made of the fixture's three, each with a reference of its own."""
    return [
        json.dumps({**records[number % 3], "reference": f"17/{8000 + number}", "title": f"Feuerwehrhäuser Nummer {number}"})
        for number in range(count)
    ]


def _index_finds(word: str) -> int:
    """Documents of the index as it is committed now (no catch-up first)."""
    opened = engine._open_current()
    opened.index.reload()
    return opened.index.searcher().search(opened.index.parse_query(word, ["title"]), 100).count


def _committed_batch(written, *batch: dict) -> tuple:
    """A batch of the import committed as ``BulkWriter.write`` commits it: (the inquiries as
    committed, the newest log row read in its transaction)."""
    with transaction.atomic():
        ids, _texts, known = written.create([(record, bulk.prepare(record)) for record in batch])
        search.update_index(ids)
        return known, engine.newest_log_id()


class _Spy:
    """Counts the import's index writers' openings, batches applied and commits, and runs
    ``during`` after the import's batch number ``after_batch``."""

    def __init__(self, monkeypatch, during=None, after_batch: int = 0) -> None:
        self.calls = {"_open": 0, "apply": 0, "commit": 0}
        self.batches = 0
        self.seen: list = []
        for name in self.calls:
            monkeypatch.setattr(engine.ImportWriter, name, self._counting(name, getattr(engine.ImportWriter, name)))
        write = bulk.BulkWriter.write

        def writing(writer, batch, report):
            write(writer, batch, report)
            self.batches += 1
            if during is not None and self.batches == after_batch:
                self.seen.append(during(writer))

        monkeypatch.setattr(bulk.BulkWriter, "write", writing)

    def _counting(self, name, original):
        def counted(*args, **kwargs):
            self.calls[name] += 1
            return original(*args, **kwargs)

        return counted


@pytest.mark.django_db(transaction=True)
def test_an_import_holds_one_index_writer_from_its_second_batch_to_its_end(records, monkeypatch):
    def held(writer):
        # Between batches, once the index thread has taken the batches handed to it (it may lag
        # the importing thread on a busy machine, even before its first apply opened the writer):
        # the import's writer has the lock, and says so.
        writer._wait_for_indexing()
        with engine._writer_lock(unless_importing=True) as locked:
            return writer._index_writer.is_open, locked, (engine.directory() / engine.IMPORTING).read_text()

    monkeypatch.setattr(bulk.BulkWriter, "LOG_WATCH_SECONDS", 3600)  # no looks between batches (tested below)
    # However slow the machine: no commit because time passed (the five seconds are tested below).
    monkeypatch.setattr(engine, "IMPORT_COMMIT_SECONDS", 3600)
    spy = _Spy(monkeypatch, during=held, after_batch=3)
    report = bulk.import_records(_lines(records, 9), batch_size=2)

    assert (report.created, report.errors) == (9, [])
    assert spy.batches == 5
    # The first batch by the usual catch-up, the other four into one writer opened once and
    # committed once, at the end.
    assert spy.calls == {"_open": 1, "apply": 4, "commit": 1}
    assert spy.seen == [(True, False, str(os.getpid()))]
    # Committed when the import ended: every inquiry found, the whole log applied, the lock free.
    assert _index_finds("Feuerwehrhaus") == 9
    assert engine._open_current().applied.last == engine.newest_log_id()
    assert not (engine.directory() / engine.IMPORTING).exists()
    with engine._writer_lock(unless_importing=True) as locked:
        assert locked


@pytest.mark.django_db(transaction=True)
def test_a_search_during_an_import_serves_its_last_commit_and_a_publish_elsewhere_follows_at_the_next_batch(records):
    """A reader never waits for the import's writer; a write of someone else is committed
    with the import's next batch instead of at its end."""
    bulk.import_records([json.dumps(records[0])])
    importing = engine.ImportWriter(commit_seconds=3600)
    importing.apply()  # opens: holds the lock from here on
    try:
        # A batch of the import, written to the index but not committed yet (not time to).
        written = bulk.BulkWriter(InquiryState.PUBLISHED)
        known, up_to = _committed_batch(written, records[2])
        importing.apply(known, up_to)
        assert importing._uncommitted
        # A search now (the flock is taken by another file handle: as from another process)
        # answers at once from the last commit.
        assert list(search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)) == []
        assert engine._open_current().applied.last < engine.newest_log_id()
        # Someone else publishes a paper meanwhile; the import's next batch applies it and commits.
        bulk.import_records([json.dumps(records[1])], state=InquiryState.PUBLISHED)
        assert list(search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)) == []
        importing.apply()
        assert not importing._uncommitted
        found = search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)
        assert sorted(found) == ["17/7001"]
        assert engine._open_current().applied.last == engine.newest_log_id()
    finally:
        importing.close()
    assert not (engine.directory() / engine.IMPORTING).exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_s_writer_commits_its_batches_once_its_commit_interval_has_passed(records, monkeypatch):
    """Within the interval a batch waits in the writer; once it has passed, the next batch is
    committed with it (the interval is a setting read when the writer is made)."""
    bulk.import_records([json.dumps(records[0])])
    monkeypatch.setattr(engine, "IMPORT_COMMIT_SECONDS", 3600)
    importing = engine.ImportWriter()
    importing.apply()
    try:
        written = bulk.BulkWriter(InquiryState.PUBLISHED)
        known, up_to = _committed_batch(written, records[2])
        importing.apply(known, up_to)
        assert importing._uncommitted
        importing.commit_seconds = 0.0  # as if the interval had passed
        known, up_to = _committed_batch(written, records[1])
        importing.apply(known, up_to)
        assert not importing._uncommitted
        assert engine._open_current().applied.last == engine.newest_log_id()
        assert _index_finds("Feuerwehrhaus") == 1
    finally:
        importing.close()


@pytest.mark.django_db(transaction=True)
def test_a_batch_committed_before_the_one_being_indexed_is_left_to_its_own_apply(records, monkeypatch):
    """The importing thread runs ahead of the index thread: when a batch is applied, the next
    may be committed already. Its log rows are the import's own, not others' writes: they are
    neither read back from the database nor a reason to commit at once."""
    bulk.import_records([json.dumps(records[0])])
    monkeypatch.setattr(engine, "IMPORT_COMMIT_SECONDS", 3600)
    read_back: list[int] = []
    rows = engine._rows

    def reading(inquiries):
        read_back.append(1)
        return rows(inquiries)

    importing = engine.ImportWriter()
    importing.apply()
    monkeypatch.setattr(engine, "_rows", reading)
    try:
        written = bulk.BulkWriter(InquiryState.PUBLISHED)
        batches = []
        for record in (records[2], records[1]):
            known, up_to = _committed_batch(written, record)
            batches.append((known, up_to, up_to))
        importing.apply(*batches[0])
        assert importing._uncommitted and importing._pending.last == batches[0][1] < batches[1][1]
        importing.apply(*batches[1])
        assert importing._uncommitted and importing._pending.last == batches[1][1]
        assert read_back == []
    finally:
        importing.close()
    assert engine._open_current().applied.last == engine.newest_log_id()
    assert _index_finds("Feuerwehrhaus") == 1


@pytest.mark.django_db(transaction=True)
def test_another_process_does_not_wait_for_an_import_s_lock(records):
    def reader(answers) -> None:
        with engine._writer_lock(unless_importing=True) as locked:
            answers.put(locked)

    context = multiprocessing.get_context("fork")
    importing = engine.ImportWriter()
    importing.apply()
    try:
        answers = context.Queue()
        child = context.Process(target=reader, args=(answers,))
        child.start()
        child.join(60)
        assert child.exitcode == 0 and answers.get(timeout=5) is False
    finally:
        importing.close()
    answers = context.Queue()
    child = context.Process(target=reader, args=(answers,))
    child.start()
    child.join(60)
    assert child.exitcode == 0 and answers.get(timeout=5) is True


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_with_batches_uncommitted_in_the_index_loses_nothing(records):
    """What the writer held uncommitted is gone with the process; the log still has it, and
    the marker left behind does not keep readers from catching up."""
    importing = engine.ImportWriter(commit_seconds=3600)
    importing.apply()
    written = bulk.BulkWriter(InquiryState.PUBLISHED)
    with transaction.atomic():
        ids, texts, known = written.create([(record, bulk.prepare(record)) for record in records])
        search.update_index(ids)
        up_to = engine.newest_log_id()
    importing.apply(known, up_to)
    # The process dies: its writer's work is lost and the kernel drops its lock; the marker stays.
    importing._writer.rollback()
    importing._writer = None
    marker = engine.directory() / engine.IMPORTING
    fcntl.flock(importing._handle, fcntl.LOCK_UN)
    importing._handle.close()
    assert marker.exists() and _index_finds("Feuerwehrhaus") == 0

    found = search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)
    assert sorted(found) == ["17/7001"]
    assert engine._open_current().applied.last == engine.newest_log_id()
    assert not marker.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_index_batch_is_left_to_the_change_log(records, monkeypatch):
    """An error in the index writer ends the import with it; what the writer held is dropped
    (half a batch may be in it), and the next catch-up applies every committed batch."""
    def broken(*args, **kwargs):
        raise OSError("disk full")

    applied = engine.ImportWriter.apply
    calls = []

    def failing_in_the_second(writer, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            monkeypatch.setattr(engine, "_replace", broken)
        applied(writer, *args, **kwargs)

    monkeypatch.setattr(engine.ImportWriter, "apply", failing_in_the_second)
    monkeypatch.setattr(bulk.BulkWriter, "LOG_WATCH_SECONDS", 3600)  # no looks between batches (tested below)
    monkeypatch.setattr(engine, "IMPORT_COMMIT_SECONDS", 3600)  # however slow the machine: nothing committed by time
    with pytest.raises(OSError, match="disk full"):
        bulk.import_records(_lines(records, 7), batch_size=2)
    monkeypatch.undo()
    # (Written in this thread, as on an in-memory SQLite database, the import stops at the failed
    # batch; with an index thread, the batch after it may be written before the error is seen.)
    written = sorted(Inquiry.objects.values_list("reference", flat=True))
    assert written[:6] == sorted(f"17/{8000 + number}" for number in range(6)) and len(written) in (6, 7)
    assert not (engine.directory() / engine.IMPORTING).exists()
    assert _index_finds("Feuerwehrhaus") == 2  # the first batch only: the writer's were dropped
    found = search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)
    assert sorted(found) == written


@pytest.mark.django_db(transaction=True)
def test_drafts_imported_through_the_held_writer_stay_out_of_the_index(records):
    report = bulk.import_records(_lines(records, 5), batch_size=2, state=InquiryState.DRAFT)
    assert report.created == 5
    assert _index_finds("Feuerwehrhaus") == 0
    assert engine._open_current().applied.last == engine.newest_log_id()
    publish(Inquiry.objects.get(reference="17/8003"))
    assert list(search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)) == ["17/8003"]


def test_without_an_import_a_reader_waits_for_the_lock_as_before(settings):
    """Only an import's marker lets a reader go on without the lock: another catch-up
    holding it is waited for, so that every committed change is applied before serving."""
    import threading

    base = engine.directory()
    base.mkdir(parents=True, exist_ok=True)
    taken: list[bool] = []

    def reader() -> None:
        with engine._writer_lock(unless_importing=True) as locked:
            taken.append(locked)

    with open(base / engine.LOCK, "a+") as other:  # another writer's handle (as another process's)
        fcntl.flock(other, fcntl.LOCK_EX)
        waiting = threading.Thread(target=reader)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and taken == []
        fcntl.flock(other, fcntl.LOCK_UN)
    waiting.join(60)
    assert taken == [True]


@pytest.mark.django_db(transaction=True)
def test_between_batches_the_index_thread_applies_a_write_made_elsewhere(records):
    """A batch of the import that takes long does not hold back a publish elsewhere: the index
    thread looks at the change log between batches and commits what others wrote."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    bulk.import_records([json.dumps(records[0])])
    indexer = ThreadPoolExecutor(max_workers=1)
    importing = engine.ImportWriter(commit_seconds=3600)
    indexer.submit(bulk._apply_in_thread, importing, {}, 0).result()  # the import's writer holds the lock
    watch = bulk._LogWatch(indexer, importing, 0.05, lambda: True)
    try:
        # Written elsewhere while the import writes its next batch (nothing handed over meanwhile).
        bulk.import_records([json.dumps(records[1])])
        found, deadline = [], time.monotonic() + 60
        while not found and time.monotonic() < deadline:
            found = list(search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True))
            time.sleep(0.05)
        assert found == ["17/7001"]
        assert (engine.directory() / engine.IMPORTING).exists()  # the import still holds the writer
    finally:
        watch.stop()
        indexer.submit(bulk._close_in_thread, importing, True).result()
        indexer.shutdown()
    assert not (engine.directory() / engine.IMPORTING).exists()
