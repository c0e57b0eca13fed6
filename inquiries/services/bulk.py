"""The bulk writer of inquiry.v1 records: the JSON Lines import and the archive loader.

New inquiries are written as plain rows with one ``executemany`` per table, a batch per
transaction; inquiries that already exist go through ``upsert.upsert_inquiry`` and are
updated in place. Both paths take their fields from ``upsert.inquiry_fields``, askers,
factions and ministries from the same helpers and reference rows from one cached
``reference.Resolver``, so a record gives the same rows either way.
"""

from __future__ import annotations

import ctypes
import datetime
import gc
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections import defaultdict, deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from inquiries import search
from inquiries.answer_kinds import classify as classify_answer
from inquiries.answer_tables import insert_tables
from inquiries.deadlines import deadline
from inquiries.exchange import RecordError
from inquiries.importers import kleineanfragen
from inquiries.importers.jsonl import LineError, read_good_line, read_line
from inquiries.models import Asker, Inquiry, InquiryMinistry, InquiryState, Question
from inquiries.search import documents as search_documents
from inquiries.search import engine as search_engine
from inquiries.search.documents import SearchText
from inquiries.services import changes
from inquiries.services.reference import Resolver
from inquiries.services.upsert import asker_rows, faction_rows, inquiry_fields, ministry_rows, upsert_inquiry

BATCH_SIZE = 1000
# SQLite's page cache for the importing connection, in KiB (the default is 2 MiB): the
# inquiry table's indexes take inserts all over, and a page read again from the file
# for each costs more than the row itself once the database holds some 100,000 inquiries.
IMPORT_CACHE_KIB = 256 * 1024
# How much SQLite's write-ahead log may hold before an import's commit copies it into the
# database file (``_sqlite_for_bulk_writes``); 1,000 pages (16 MB) otherwise.
IMPORT_WAL_MIB = 320


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[LineError] = field(default_factory=list)


class _Abort(Exception):
    """Rolls back a strict import that met a bad line."""


# --- preparing (no database: runs in a helper process) ----------------------------------------

# What is prepared of a record: its search text and the kind of each answer.
Prepared = tuple[SearchText, list[tuple[str, str]]]
# A checked line: number, record (None if bad), problem, and what was prepared of it.
_Checked = tuple[int, dict[str, Any] | None, str | None, Prepared | None]


def prepare(record: dict[str, Any]) -> Prepared:
    """The search text of a record (analysed as the backend would; its inquiry id is filled
    in once the inquiry is written) and (answer kind, refusal reason) of each question."""
    text = search_documents.build(
        record["title"].strip(),
        ((data["text"], data.get("answer") or "") for data in record.get("questions") or []),
        explanation=record.get("explanation") or "",
        preface=record.get("government_preface") or "",
    )
    # Plain strings, not the choices' enum members: they cross from the helper process faster.
    kinds = [classify_answer(data.get("answer")) for data in record.get("questions") or []]
    return search.prepare(text), [(str(kind), str(reason)) for kind, reason in kinds]


def _check_chunk(numbered: list[tuple[int, bytes | str]]) -> list[_Checked]:
    """Check lines and prepare their records."""
    checked = []
    for number, line in numbered:
        record, problem = read_line(line)
        checked.append((number, record, problem, prepare(record) if record else None))
    return checked


def _check_chunk_in_helper(numbered: list[tuple[int, bytes | str]]) -> list[tuple[str | None, Prepared | None]]:
    """``_check_chunk`` in the helper process, without the records: the importing process
    reads a good line again (``read_good_line``) in less time than it takes to unpickle
    its record, and the helper saves pickling it."""
    return [(problem, prepared) for _number, _record, problem, prepared in _check_chunk(numbered)]


def _checked_in_helper(numbered: list[tuple[int, bytes | str]], future: Future) -> Iterator[_Checked]:
    for (number, line), (problem, prepared) in zip(numbered, future.result()):
        yield number, (read_good_line(line) if problem is None else None), problem, prepared


def _checked_lines(lines: Iterable[bytes | str], chunk_size: int) -> Iterator[_Checked]:
    """Every non-blank line checked, in order.

    Reading, checking and the search analysis need no database, so from the second
    chunk on a helper process does them while this one writes: about a quarter of
    the work, and an import about a tenth faster on two cores (bench/import_rate.py).
    Small imports never start it. At most three chunks wait, so memory stays flat.
    """
    numbered = ((number, line) for number, line in enumerate(lines, start=1) if line.strip())
    chunks = iter(lambda: list(itertools.islice(numbered, chunk_size)), [])
    first = next(chunks, None)
    if first is None:
        return
    yield from _check_chunk(first)
    if not _helper_available():
        for chunk in chunks:
            yield from _check_chunk(chunk)
        return
    pending: deque[tuple[list[tuple[int, bytes | str]], Future]] = deque()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_end_with_parent) as helper:
        for chunk in chunks:
            pending.append((chunk, helper.submit(_check_chunk_in_helper, chunk)))
            if len(pending) >= 3:
                yield from _checked_in_helper(*pending.popleft())
        while pending:
            yield from _checked_in_helper(*pending.popleft())


def _end_with_parent() -> None:
    """Linux: have the kernel end the helper when the importing process dies (even by
    SIGKILL), instead of leaving it waiting for work forever."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: a killed import may leave its helper waiting


def _helper_available() -> bool:
    # A forked helper inherits the loaded schema, settings and stemmer at no cost.
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


# --- the JSON Lines import ---------------------------------------------------------------------


def import_records(
    lines: Iterable[bytes | str], *, strict: bool = False, state: str = InquiryState.PUBLISHED, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Import inquiry.v1 lines; new inquiries (and drafts) get ``state``, published and
    withdrawn ones keep theirs (see ``upsert_inquiry``).

    Without ``strict`` every bad line is reported and skipped; with it, one bad line
    means nothing is imported (all bad lines are still reported).
    """
    report = ImportReport()
    writer = BulkWriter(state)
    with _fewer_collections(), _sqlite_for_bulk_writes():
        try:
            if not strict:
                _run(lines, writer, report, batch_size)
            else:
                try:
                    with transaction.atomic():
                        _run(lines, writer, report, batch_size, strict=True)
                        if report.errors:
                            raise _Abort
                except _Abort:
                    report.created = report.updated = 0
        finally:
            writer.finish_indexing()
    if report.created:
        changes.optimize_after_bulk_write()
    if strict and (report.created or report.updated) and not connection.in_atomic_block:
        search.refresh()  # after the one commit of a strict import
    return report


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector seldom during an import (and in its helper process, forked within).

    An import allocates millions of objects that live for a batch (records, rows); by
    default every 700 allocations start a collection, which walks the young ones again:
    about a tenth of the import's CPU time (bench/import_rate.py). Nothing an import makes
    needs collecting sooner; the thresholds are back as they were when it ends.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@contextmanager
def _sqlite_for_bulk_writes() -> Iterator[None]:
    """SQLite, for the importing connection while the import runs (as before afterwards):

    * a page cache of ``IMPORT_CACHE_KIB``: the rows' own inserts cost a third less on a
      database of 100,000 inquiries (bench/import_threads.py: 251 → 171 µs a record);
    * the write-ahead log checkpointed into the database file once it holds
      ``IMPORT_WAL_MIB`` instead of every 1,000 pages: the pages every batch changes again
      (the indexes' last leaves and their parents) are copied back once per checkpoint, not
      once per batch or two, and the file is synced less often: 200,000 records imported at
      2,678–2,684 instead of 2,298–2,326 a second (bench/RESULTS.md). What is still in the
      log at the end is checkpointed then, without waiting for readers (``PASSIVE``), so that
      the next request that writes does not.

    PostgreSQL has its shared buffers and its own checkpoints."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_before,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint")
        (checkpoint_before,) = cursor.fetchone()
        cursor.execute("PRAGMA page_size")
        (page_size,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(IMPORT_CACHE_KIB)}")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {int(IMPORT_WAL_MIB * 1024 * 1024 // page_size)}")
    try:
        yield
    finally:
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_before)}")
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_before)}")
                if not connection.in_atomic_block:
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _run(lines: Iterable[bytes | str], writer: BulkWriter, report: ImportReport, batch_size: int, strict: bool = False) -> None:
    batch: list[tuple[int, dict[str, Any], Prepared]] = []
    for number, record, problem, prepared in _checked_lines(lines, batch_size):
        if problem is not None:
            report.errors.append(LineError(number, problem))
            continue
        if strict and report.errors:
            continue  # everything is rolled back anyway; only the checking goes on
        batch.append((number, record, prepared))
        if len(batch) >= batch_size:
            writer.write(batch, report)
            batch = []
    if batch and not (strict and report.errors):
        writer.write(batch, report)


def _existing(records: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(parliament, reference) of the records whose inquiry exists already."""
    keys = {(record["parliament"], record["reference"]) for record in records}
    return set(
        Inquiry.objects.filter(
            parliament__code__in={code for code, _ in keys}, reference__in={reference for _, reference in keys}
        ).values_list("parliament__code", "reference")
    )


def _apply_in_thread(index: search_engine.ImportWriter, known: search_engine.Known, logged_up_to: int, through: int = 0) -> None:
    index.apply(known, logged_up_to, through)


def _close_in_thread(index: search_engine.ImportWriter, commit: bool) -> None:
    try:
        index.close(commit=commit)
    finally:
        connections.close_all()  # this thread's own connections


class _LogWatch:
    """Has the index thread look at the change log every ``seconds`` while the import runs.

    The import's index writer holds the lock, so the rest of the site waits for it to apply
    writes made elsewhere (``engine.ImportWriter``), which it does with each batch of the
    import; a batch that takes long (one written line by line, a loaded machine) would hold
    them back. A look between batches applies them (and commits at once). The looks run on
    the index thread itself, in turn with the batches, so the writer is used by one thread.
    """

    def __init__(
        self, indexer: ThreadPoolExecutor, index_writer: search_engine.ImportWriter, seconds: float, idle: Callable[[], bool]
    ) -> None:
        self._indexer, self._index_writer, self._seconds = indexer, index_writer, seconds
        # Whether the index thread has applied every batch handed to it and none came for ``seconds``:
        # only then are the log's new rows others' (the batch being written is not committed yet),
        # and none of the import's own is read back from the database.
        self._idle = idle
        self._stopped = threading.Event()
        self._look: Future[None] | None = None
        self._thread = threading.Thread(target=self._run, name="bulk-index-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self._seconds):
            look = self._look
            if look is not None and (not look.done() or look.exception() is not None):
                continue  # one look at a time; a failed one is raised by ``stop``
            if not self._idle():
                continue
            try:
                self._look = self._indexer.submit(_apply_in_thread, self._index_writer, {}, 0)
            except RuntimeError:
                return  # the index thread has ended

    def stop(self) -> None:
        """No more looks; raises the error of the last one, if it failed."""
        self._stopped.set()
        self._thread.join()
        if self._look is not None:
            self._look.result()


class BulkWriter:
    """Writes batches of checked records; new inquiries as plain rows, existing ones by upsert.

    New ministries keep the record's name exactly (an exported record already carries it).
    """

    # Batches handed to the index thread that the writing does not wait for yet: it goes on
    # while the index thread commits (``engine.ImportWriter``, every few seconds).
    INDEX_QUEUE = 2
    # How often the index thread looks for writes made elsewhere between batches (``_LogWatch``).
    LOG_WATCH_SECONDS = 1.0

    def __init__(self, state: str) -> None:
        self.state = state
        self.resolver = Resolver(bulk=True, exact_ministry_names=True)
        self._indexer: ThreadPoolExecutor | None = None
        self._indexing: deque[Future[None]] = deque()
        self._index_writer: search_engine.ImportWriter | None = None
        self._watch: _LogWatch | None = None
        self._handed_at = 0.0

    def _index(self, known: search_engine.Known, logged_up_to: int) -> None:
        """Bring the search engine's index up to date after a batch's commit, from the rows in hand.

        The first batch is indexed by the usual catch-up in this thread, so that the checking
        helper process is forked (on the second chunk) before any thread exists. From the
        second on, one index writer held until the import ends (``engine.ImportWriter``)
        takes them in, in a thread beside the writing of the next batches (tantivy indexes
        and commits without holding the GIL); the index is up to date when the import
        returns. A crash loses nothing: the change log holds every committed batch.
        """
        if not search.uses_engine():
            return  # the database's own index was written in the batch's transaction
        if self._index_writer is None:
            search.refresh(known, logged_up_to)
            self._index_writer = search_engine.ImportWriter()
            if connection.vendor != "sqlite" or not connection.is_in_memory_db():
                # (An in-memory SQLite database, as in tests, locks tables across connections.)
                self._indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-index")
                self._handed_at = time.monotonic()
                self._watch = _LogWatch(self._indexer, self._index_writer, self.LOG_WATCH_SECONDS, self._index_idle)
            return
        # The batch's last log row, its upserts' included (written after ``logged_up_to`` was read).
        through = search_engine.newest_log_id()
        if self._indexer is None:
            self._index_writer.apply(known, logged_up_to, through)
            return
        self._wait_for_indexing(leave=self.INDEX_QUEUE - 1)
        self._indexing.append(self._indexer.submit(_apply_in_thread, self._index_writer, known, logged_up_to, through))
        self._handed_at = time.monotonic()

    def _index_idle(self) -> bool:
        """(For ``_LogWatch``, from its thread.) No batch handed over for a while, and all applied."""
        if time.monotonic() - self._handed_at < self.LOG_WATCH_SECONDS:
            return False
        try:
            return all(indexing.done() for indexing in tuple(self._indexing))
        except RuntimeError:  # the deque changed meanwhile: a batch was handed over or collected
            return False

    def _wait_for_indexing(self, leave: int = 0) -> None:
        """Wait until at most ``leave`` batches handed to the index thread are not done."""
        while len(self._indexing) > leave:
            self._indexing.popleft().result()  # its error is raised here

    def finish_indexing(self) -> None:
        """Wait for the batches handed to the index, commit them, end the index writer and its thread.

        After a failure the index writer's uncommitted batches are dropped: the change log
        holds them, and the next search applies them.
        """
        index_writer, self._index_writer = self._index_writer, None
        watch, self._watch = self._watch, None
        failed = True
        try:
            if watch is not None:
                watch.stop()
            self._wait_for_indexing()
            failed = False
        finally:
            self._indexing.clear()
            if index_writer is not None:
                if self._indexer is not None:
                    closing = self._indexer.submit(_close_in_thread, index_writer, not failed)
                    self._indexer.shutdown()
                    if not failed:
                        closing.result()
                else:
                    index_writer.close(commit=not failed)
            elif self._indexer is not None:
                self._indexer.shutdown()
            self._indexer = None

    def write(self, batch: list[tuple[int, dict[str, Any], Prepared]], report: ImportReport) -> None:
        existing = _existing(record for _, record, _ in batch)
        fresh, again = [], []
        for number, record, prepared in batch:
            key = (record["parliament"], record["reference"])
            if key in existing:
                again.append((number, record))
            else:
                existing.add(key)  # a second line for the same paper updates the first
                fresh.append((number, record, prepared))
        known: search_engine.Known = {}
        logged_up_to = 0
        try:
            # The batch and its search index entries (or change log rows) commit together.
            with transaction.atomic():
                ids, texts, known = self.create([(record, prepared) for _, record, prepared in fresh])
                changes.inquiries_changed(ids, search_texts=texts)
                if known:
                    logged_up_to = search_engine.newest_log_id()
        except (DatabaseError, RecordError):
            # Something the checks did not foresee: the rows cached during the batch were
            # rolled back too, so start afresh and write the lines one by one to find it.
            self.resolver.reset()
            again = [(number, record) for number, record, _ in fresh] + again
            ids, known = [], {}
        report.created += len(ids)
        for number, record in again:
            try:
                with transaction.atomic():
                    _, created = upsert_inquiry(record, state=self.state)
            except (RecordError, DatabaseError) as exc:
                report.errors.append(LineError(number, str(exc)))
                continue
            report.created += created
            report.updated += not created
        if again:
            # The upserts may have added people and memberships the bulk cache does not know.
            self.resolver.reset()
        if not connection.in_atomic_block:
            # Committed: the engine's index takes the batch in now. Within a strict import's
            # transaction nothing is committed yet; the index catches up after it.
            self._index(known, logged_up_to)

    def create(
        self,
        batch: list[tuple[dict[str, Any], Prepared]],
        *,
        extra: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> tuple[list[int], list[SearchText], search_engine.Known]:
        """Write new inquiries (each with what was prepared of it); their ids, search texts and,
        with the search engine, the engine's view of the published ones (``engine.Known``).

        ``extra`` gives further field values of a record's inquiry (the archive's source
        notice and publication time).
        """
        if not batch:
            return [], [], {}
        resolver = self.resolver
        records = [record for record, _ in batch]
        # People first: inquiries point to their signers, askers to people.
        for record in records:
            if record.get("signed_by"):
                resolver.person(record["signed_by"]["name"])
            for asker in record.get("askers") or []:
                resolver.person(asker["name"])
        resolver.save_new_people()
        table = _rows(Inquiry, exclude=("id",))
        # The batch's time, prepared for the database once.
        now = timezone.now()
        times = _Rows.prepare_values(
            Inquiry, {"published_at": now if self.state == InquiryState.PUBLISHED else None, "created_at": now, "updated_at": now}
        )
        prepared: dict[tuple[str, Any], Any] = {}
        written = [self._inquiry(record, times, extra(record) if extra else {}, now, prepared) for record in records]
        inquiries = [values for values, _ in written]
        table.insert([tuple(inquiry[name] for name in table.attnames) for inquiry in inquiries], prepared=True)
        ids = _inquiry_ids(inquiries)

        askers, faction_links, ministry_links, questions, texts = [], [], [], [], []
        by_id: dict[int, dict[str, Any]] = {}
        known: dict[int, tuple[dict[str, Any], SearchText]] = {}
        for (inquiry, indexed), (record, (text, kinds)) in zip(written, batch):
            pk = ids[(inquiry["parliament_id"], inquiry["reference"])]
            by_id[pk] = record
            texts.append(SearchText(pk, text.title, text.questions, text.answers, text.analysed))
            signers = list(asker_rows(record, resolver))
            factions = faction_rows(record, resolver)
            # (``.id``, the primary key's attribute itself: ``.pk`` is a property, a call per row.)
            askers.extend((pk, person.id, faction.id if faction else None, position) for position, person, faction in signers)
            faction_links.extend((pk, faction.id) for faction in factions)
            ministry_links.extend((pk, ministry.id, role, position) for role, position, ministry in ministry_rows(record, resolver))
            questions.extend(
                (pk, position, data["number"], data["text"], data.get("answer") or "", *kind)
                for position, (data, kind) in enumerate(zip(record.get("questions") or [], kinds), start=1)
            )
            if indexed is not None:
                # As engine._rows would read it back: the groups of the links and of the askers.
                indexed["pk"] = pk
                indexed["people"] = [person.id for _, person, _ in signers]
                indexed["factions"] = sorted({faction.id for faction in factions} | {faction.id for _, _, faction in signers if faction})
                indexed.update(search_engine.answer_fields(kind for kind, _ in kinds))
                known[pk] = (indexed, texts[-1])
        _rows(Asker, fields=("inquiry", "person", "faction", "position")).insert(askers)
        _rows(Inquiry.factions.through, fields=("inquiry", "faction")).insert(faction_links)
        _rows(InquiryMinistry, fields=("inquiry", "ministry", "role", "position")).insert(ministry_links)
        _rows(Question, fields=("inquiry", "position", "number", "text", "answer", "answer_kind", "refusal_reason")).insert(questions)
        insert_tables(by_id)
        resolver.save_new_memberships()
        return list(ids.values()), texts, known

    def _inquiry(
        self,
        record: dict[str, Any],
        times: dict[str, Any],
        extra: dict[str, Any],
        now: datetime.datetime,
        prepared: dict[tuple[str, Any], Any],
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The column values of a new inquiry, by attribute name, ready for the database
        (``times``: the batch's prepared write times, ``now`` the time they stand for;
        ``prepared``: the batch's values prepared so far, ``_Rows.prepare_values``); and,
        if it goes into the search engine's index (published), its fields as the engine
        reads them (``engine.Known``; id, people, groups and answer kinds added later)."""
        parliament = self.resolver.parliament(record["parliament"])
        fields = {
            **inquiry_fields(record, self.resolver),
            "state": self.state,
            **extra,
        }
        stored = deadline(record["reference"], fields["asked_on"], fields["answered_on"], parliament.deadline_days(record["kind"]))
        values = {
            "parliament_id": parliament.pk,
            "reference": record["reference"],
            "reference_number": stored.reference_number,
            "due_on": stored.due_on,
            "answer_days": stored.answer_days,
        }
        for name, value in fields.items():
            if name in _RELATIONS:
                values[f"{name}_id"] = value.pk if value is not None else None
            else:
                values[name] = value
        indexed = None
        if fields["state"] == InquiryState.PUBLISHED and search.uses_engine():
            indexed = {
                "title": fields["title"],
                "explanation": fields["explanation"],
                "government_preface": fields["government_preface"],
                "kind": fields["kind"],
                "parliament_id": parliament.pk,
                "parliament_code": parliament.code,
                "term_id": values["term_id"],
                "term_number": fields["term"].number,
                "answering_ministry_id": values["answering_ministry_id"],
                "asked_on": fields["asked_on"],
                "answered_on": fields["answered_on"],
                "due_on": stored.due_on,
                "answer_days": stored.answer_days,
                "reference_number": stored.reference_number,
                "updated_at": now,
                # As written below: the batch's time unless the caller gives one (the archive).
                "published_at": fields.get("published_at", now),
            }
        return {**_inquiry_defaults(), **times, **_Rows.prepare_values(Inquiry, values, prepared)}, indexed


_RELATIONS = frozenset({"term", "answering_ministry", "signed_by"})


class _Rows:
    """Plain rows into a model's table: one ``COPY`` on PostgreSQL, one ``executemany`` on SQLite.

    ``bulk_create`` builds a model object for every row and prepares each value through
    its field, which takes most of an import's time; here only values that need it
    (dates, JSON, files) are prepared, the rest goes to the driver as it is.
    """

    _PLAIN = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)

    def __init__(self, model: type[models.Model], names: Iterable[str]) -> None:
        fields = [model._meta.get_field(name) for name in names]
        self.attnames = [field.attname for field in fields]
        quote = connection.ops.quote_name
        table, columns = quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(table, columns, ", ".join(["%s"] * len(fields)))
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.prepare = [None if isinstance(field, self._PLAIN) else field for field in fields]

    @staticmethod
    def prepare_values(
        model: type[models.Model], values: dict[str, Any], prepared: dict[tuple[str, Any], Any] | None = None
    ) -> dict[str, Any]:
        """``values`` (by attribute name) ready for the database: the fields that need it prepared.

        ``prepared``: values prepared before, by attribute name and value, to look up
        instead of preparing them again (days and lists of names repeat within a batch).
        """
        database = connections[DEFAULT_DB_ALIAS]
        for model_field in _preparing_fields(model):
            name = model_field.attname
            if name not in values:
                continue
            value = values[name]
            kind = type(value)
            if prepared is None or not (
                kind is datetime.date or value is None or (kind is list and all(type(item) is str for item in value))
            ):
                values[name] = model_field.get_db_prep_save(value, database)
                continue
            key = (name, tuple(value) if kind is list else value)
            if key not in prepared:
                prepared[key] = model_field.get_db_prep_save(value, database)
            values[name] = prepared[key]
        return values

    def insert(self, rows: list[tuple], *, prepared: bool = False) -> None:
        """Insert ``rows`` (values in the order of ``attnames``; ``prepared`` if they are
        ready for the database already)."""
        if not rows:
            return
        database = connections[DEFAULT_DB_ALIAS]
        if not prepared and any(self.prepare):
            # Dates and times repeat a lot within a batch: each distinct value is prepared once.
            cache: dict[tuple[int, Any], Any] = {}

            def prepare(index: int, field: models.Field, value: Any) -> Any:
                if isinstance(value, (list, dict)):
                    return field.get_db_prep_save(value, database)
                key = (index, value)
                if key not in cache:
                    cache[key] = field.get_db_prep_save(value, database)
                return cache[key]

            rows = [
                tuple(value if field is None else prepare(index, field, value) for index, (field, value) in enumerate(zip(self.prepare, row)))
                for row in rows
            ]
        with database.cursor() as cursor:
            if database.vendor != "postgresql":
                cursor.executemany(self.sql, rows)
                return
            # One COPY stream instead of a statement per row: the server parses, plans and
            # answers nothing per row (psycopg pipelines executemany, but each row stays a
            # statement). Errors become Django's, as those of executemany do.
            with database.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)


@lru_cache(maxsize=None)
def _preparing_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(field for field in model._meta.concrete_fields if not isinstance(field, _Rows._PLAIN))


@lru_cache(maxsize=None)
def _table(model: type[models.Model], names: tuple[str, ...]) -> _Rows:
    return _Rows(model, names)


def _rows(model: type[models.Model], *, fields: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> _Rows:
    """The (cached) inserter for ``fields`` of ``model``, or all its concrete fields but ``exclude``."""
    names = fields or tuple(field.name for field in model._meta.concrete_fields if field.name not in exclude)
    return _table(model, names)


@lru_cache(maxsize=1)
def _inquiry_defaults() -> dict[str, Any]:
    return _Rows.prepare_values(
        Inquiry, {field.attname: field.get_default() for field in Inquiry._meta.concrete_fields if field.attname != "id"}
    )


def _inquiry_ids(inquiries: list[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """The ids the database gave the inquiries just inserted, by parliament and reference."""
    ids: dict[tuple[int, str], int] = {}
    by_parliament: dict[int, list[str]] = defaultdict(list)
    for inquiry in inquiries:
        by_parliament[inquiry["parliament_id"]].append(inquiry["reference"])
    for parliament_id, references in by_parliament.items():
        rows = Inquiry.objects.filter(parliament_id=parliament_id, reference__in=references).values_list("pk", "reference")
        ids.update(((parliament_id, reference), pk) for pk, reference in rows)
    return ids


# --- the kleineanfragen.de archive -------------------------------------------------------------


def load_kleineanfragen(paths: Iterable[Path], *, progress: Callable[[Iterable], Iterable] = lambda rows: rows) -> int:
    """Load the archive's CSV files as published inquiries; returns the number created.

    Papers that exist already are left alone, so loading twice adds nothing. The archive
    has no publication time: an inquiry counts as published at noon of its answer's day.
    """
    records = kleineanfragen.load_records(paths)
    existing = _existing(records)
    fresh = [record for record in records if (record["parliament"], record["reference"]) not in existing]

    def extra(record: dict[str, Any]) -> dict[str, Any]:
        day = datetime.date.fromisoformat(record["answered_on"]) if record.get("answered_on") else kleineanfragen.UNDATED
        return {
            "source_notice": kleineanfragen.SOURCE_NOTICE,
            "published_at": timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
        }

    writer = BulkWriter(InquiryState.PUBLISHED)
    with transaction.atomic():
        ids, texts, _known = writer.create([(record, prepare(record)) for record in progress(fresh)], extra=extra)
        changes.inquiries_changed(ids, search_texts=texts)
    if ids:
        changes.optimize_after_bulk_write()
    return len(ids)
