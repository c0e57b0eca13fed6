"""The search engine's index: tantivy, embedded, derived from the database.

The database is the only source of truth. Each app server keeps its own index in
``settings.SEARCH_INDEX_DIR`` and brings it up to date itself:

* Every write of an inquiry adds a row to the change log (``SearchChange``) in the
  write's own transaction (``search.update_index``, called by
  ``services.changes.inquiries_changed``; deletions through a signal).
* Before the index serves anything, ``searcher()`` reads the log past the last row
  the index applied (one indexed range query). Missing rows are applied under a file
  lock, so one process writes at a time; the others reload. A crash between a commit
  and the index update loses nothing: the row is in the log, and the next search
  applies it.
* Only published inquiries are in the index: applying a change reads the inquiry
  again and adds it only if it is published now.
* Row ids are handed out before commit, so on PostgreSQL a later id can commit
  first. Ids skipped while applying are kept as gaps and looked at again for
  ``GAP_SECONDS`` (rows of a transaction rolled back never come).

Layout of the directory: ``current`` (a symlink to the generation in use),
``gen-<n>/`` (a tantivy index plus ``state.json``: the schema version, the last
applied log id and the gaps), ``writer.lock``. ``rebuild()`` builds a new
generation from the database and swaps the symlink atomically; readers notice the
new target and reopen.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import tantivy
from django.conf import settings
from django.db import connection

from inquiries.choices import REFUSING_KINDS
from inquiries.search import documents
from inquiries.search.text import STOPWORDS

logger = logging.getLogger(__name__)

# Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 5
ANALYZER = "de"
CURRENT = "current"
LOCK = "writer.lock"
STATE = "state.json"
# Written by a bulk import while it holds ``writer.lock`` (its process id): a reader that finds
# the lock taken and this file there serves the import's last commit instead of waiting.
IMPORTING = "importing"
# How long a skipped log id is waited for (a transaction still running on PostgreSQL).
GAP_SECONDS = 600
MAX_GAPS = 500
# Inquiries read from the database per round trip while indexing.
CHUNK = 2000
# Writer memory: small for catching up, more for a rebuild (a command, not a worker).
CATCH_UP_HEAP = 30_000_000
REBUILD_HEAP = 200_000_000
# A bulk import's writer (``ImportWriter``): held across its batches, two indexing threads
# (tantivy indexes beside the importing thread instead of after it), committed every few seconds.
IMPORT_HEAP = 128_000_000
IMPORT_THREADS = 2
IMPORT_COMMIT_SECONDS = 5.0
# How often a reader that waits for ``writer.lock`` looks again whether an import took it.
_LOCK_POLL_SECONDS = 0.002

# Bits of the packed sort keys (see ``sort_keys``): a day ordinal (until the year 2870),
# a printed-paper number, an inquiry id. Ascending key order is the wanted order.
_DAY_BITS, _NUMBER_BITS, _ID_BITS = 20, 20, 24
_DAY_MAX, _NUMBER_MAX, _ID_MAX = (1 << _DAY_BITS) - 1, (1 << _NUMBER_BITS) - 1, (1 << _ID_BITS) - 1
_DAYS_TAKEN_MAX = (1 << 14) - 1
_CODE_ORDER = {code: index for index, code in enumerate(sorted(("BT", "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")))}

SORT_FIELDS = ("-answered", "answered", "-asked", "asked", "reference", "-reference", "answer_time", "-answer_time")


def sort_field(sort: str) -> str:
    return "sort_" + sort.replace("-", "desc_")  # as _SORT_NAMES


# --- analysis and schema -----------------------------------------------------------


def analyzer(*, stop_words: bool = True) -> tantivy.TextAnalyzer:
    """German analysis: words are runs of letters and digits (tantivy's simple tokenizer,
    Unicode alphanumerics, as ``text.WORD``), lower case, stop words (``text.STOPWORDS``)
    dropped, Snowball German stem (which folds ä/ö/ü/ß and spelled-out umlauts), then any
    other accent folded. (The simple tokenizer indexes a third faster than the equivalent
    regex tokenizer.)

    The index does not hold stop words: no search asks for one (``query.parse_query`` drops
    a lone stop word, a phrase skips their places, as PostgreSQL's ``german`` configuration
    does), yet they are about a third of the words of a text: without them an inquiry is
    indexed in a fifth fewer instructions and the index is a sixth smaller
    (bench/stop_words.py). The filter keeps the positions of the words after one, so a
    phrase's places are those of the text. ``stop_words=False``: the analysis of a search
    word, where a stop word of a phrase must still give its token to hold its place.
    """
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
    if stop_words:
        builder = builder.filter(tantivy.Filter.custom_stopword(sorted(STOPWORDS)))
    return builder.filter(tantivy.Filter.stemmer("german")).filter(tantivy.Filter.ascii_fold()).build()


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    for name in ("title", "questions", "answers"):
        builder.add_text_field(name, stored=True, tokenizer_name=ANALYZER)
    # Filters and facets: columnar fast fields, indexed too where a filter picks values.
    for name in ("parliament", "term", "ministry", "factions", "people"):
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_text_field("kind", fast=True, tokenizer_name="raw")
    # The kinds of its answers (answer_kinds.AnswerKind), for the answer_kind filter.
    builder.add_text_field("answer_kinds", tokenizer_name="raw")
    for name in ("asked", "answered", "due", "updated"):
        builder.add_integer_field(name, indexed=True, fast=True)
    # When it was published (``published_micros``): the feeds' and the digests' order and window.
    builder.add_integer_field("published", indexed=True, fast=True)
    # Its answers (questions answered in any way), those refused in whole or in part, and the
    # days the answer took: the answer figures of a ministry's page and of the statistics.
    for name in ("answer_count", "refused_count", "answer_days"):
        builder.add_unsigned_field(name, fast=True)
    for sort in SORT_FIELDS:
        builder.add_unsigned_field(sort_field(sort), fast=True)
    return builder.build()


_SORT_NAMES = {sort: "sort_" + sort.replace("-", "desc_") for sort in SORT_FIELDS}


def _day(value: datetime.date | None, descending: bool) -> int:
    if value is None:
        return _DAY_MAX  # nulls last either way
    ordinal = min(value.toordinal(), _DAY_MAX - 1)
    return _DAY_MAX - 1 - ordinal if descending else ordinal


def sort_keys(row: dict[str, Any]) -> dict[str, int]:
    """One unsigned key per ordering of ``filters.Sort``, ascending in that order.

    Each packs the ordering's columns (day ordinal, printed-paper number, …) with the
    inquiry id last, so that equal values end in the same total order as the
    database's ``ORDER BY``; nulls sort last.
    """
    pk = min(row["pk"], _ID_MAX)
    pk_desc = _ID_MAX - pk
    number = min(row["reference_number"] or 0, _NUMBER_MAX)
    number_desc = _NUMBER_MAX - number
    code = _CODE_ORDER.get(row["parliament_code"], 31)
    term = min(row["term_number"] or 0, 1023)
    days = row["answer_days"]
    taken = _DAYS_TAKEN_MAX if days is None else min(days, _DAYS_TAKEN_MAX - 1)
    taken_desc = _DAYS_TAKEN_MAX if days is None else _DAYS_TAKEN_MAX - 1 - min(days, _DAYS_TAKEN_MAX - 1)
    answered_desc = _day(row["answered_on"], True)
    answered_asc = _day(row["answered_on"], False)
    asked_desc = _day(row["asked_on"], True)
    asked_asc = _day(row["asked_on"], False)
    tail = _NUMBER_BITS + _ID_BITS
    names = _SORT_NAMES
    return {
        names["-answered"]: (answered_desc << tail) | (number_desc << _ID_BITS) | pk_desc,
        names["answered"]: (answered_asc << tail) | (number << _ID_BITS) | pk,
        names["-asked"]: (asked_desc << tail) | (number_desc << _ID_BITS) | pk_desc,
        names["asked"]: (asked_asc << tail) | (number << _ID_BITS) | pk,
        names["reference"]: (((code << 10) | term) << tail) | (number << _ID_BITS) | pk,
        names["-reference"]: (((code << 10) | (1023 - term)) << tail) | (number_desc << _ID_BITS) | pk_desc,
        names["answer_time"]: (((taken << _DAY_BITS) | answered_desc) << _ID_BITS) | pk,
        names["-answer_time"]: (((taken_desc << _DAY_BITS) | answered_desc) << _ID_BITS) | pk_desc,
    }


def epoch_micros(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICROSECOND = datetime.timedelta(microseconds=1)


def published_micros(moment: datetime.datetime) -> int:
    """``moment`` (aware) in microseconds since 1970, exactly (no float on the way), so
    that the index orders and windows publication times as the database compares them."""
    return (moment - _EPOCH) // _MICROSECOND


# --- documents from the database -----------------------------------------------------

_COLUMNS = (
    "pk", "title", "explanation", "government_preface", "parliament_id", "term_id", "kind",
    "answering_ministry_id", "asked_on", "answered_on", "due_on", "answer_days", "updated_at",
    "reference_number", "parliament__code", "term__number", "published_at",
)


def answer_fields(kinds: Iterable[str]) -> dict[str, Any]:
    """An inquiry's ``answer_kinds``, ``answer_count`` and ``refused_count`` (refusals in whole
    or in part) from its questions' answer kinds ("" for a question without an answer)."""
    given = [kind for kind in kinds if kind]
    return {
        "answer_kinds": sorted(set(given)),
        "answer_count": len(given),
        "refused_count": sum(kind in REFUSING_KINDS for kind in given),
    }


def _rows(inquiries) -> Iterator[list[tuple[dict[str, Any], documents.SearchText]]]:
    """(fields, searchable text) of the published inquiries of ``inquiries``, in chunks."""
    from inquiries.models import Asker, Inquiry, Question

    queryset = inquiries.filter(state="published").order_by("pk")
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).values_list(*_COLUMNS)[:CHUNK])
        if not chunk:
            return
        complete = len(chunk) < CHUNK
        last = chunk[-1][0]
        low, high = chunk[0][0], last
        ids = {row[0] for row in chunk}
        pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
        answer_kinds: dict[int, list[str]] = defaultdict(list)
        for inquiry_id, question, answer, answer_kind in (
            Question.objects.filter(inquiry_id__gte=low, inquiry_id__lte=high)
            .order_by("inquiry_id", "position")
            .values_list("inquiry_id", "text", "answer", "answer_kind")
        ):
            if inquiry_id in ids:
                pairs[inquiry_id].append((question, answer))
                answer_kinds[inquiry_id].append(answer_kind)
        factions: dict[int, set[int]] = defaultdict(set)
        people: dict[int, list[int]] = defaultdict(list)
        for inquiry_id, faction_id in Inquiry.factions.through.objects.filter(inquiry_id__gte=low, inquiry_id__lte=high).values_list("inquiry_id", "faction_id"):
            factions[inquiry_id].add(faction_id)
        for inquiry_id, person_id, faction_id in Asker.objects.filter(inquiry_id__gte=low, inquiry_id__lte=high).values_list("inquiry_id", "person_id", "faction_id"):
            people[inquiry_id].append(person_id)
            if faction_id is not None:
                factions[inquiry_id].add(faction_id)
        batch = []
        for values in chunk:
            row = dict(zip(_COLUMNS, values))
            row["parliament_code"], row["term_number"] = row["parliament__code"], row["term__number"]
            row["factions"], row["people"] = sorted(factions.get(row["pk"], ())), people.get(row["pk"], [])
            row.update(answer_fields(answer_kinds.get(row["pk"], ())))
            text = documents.build(row["title"], pairs.get(row["pk"], []), explanation=row["explanation"], preface=row["government_preface"], inquiry_id=row["pk"])
            batch.append((row, text))
        yield batch
        if complete:
            return


def _document(row: dict[str, Any], text: documents.SearchText) -> tantivy.Document:
    document = tantivy.Document()
    document.add_unsigned("id", row["pk"])
    document.add_text("title", text.title)
    document.add_text("questions", text.questions)
    document.add_text("answers", text.answers)
    document.add_unsigned("parliament", row["parliament_id"])
    document.add_unsigned("term", row["term_id"])
    if row["answering_ministry_id"] is not None:
        document.add_unsigned("ministry", row["answering_ministry_id"])
    for faction in row["factions"]:
        document.add_unsigned("factions", faction)
    for person in row["people"]:
        document.add_unsigned("people", person)
    document.add_text("kind", row["kind"])
    for answer_kind in row.get("answer_kinds", ()):
        document.add_text("answer_kinds", answer_kind)
    document.add_unsigned("answer_count", row["answer_count"])
    document.add_unsigned("refused_count", row["refused_count"])
    if row["answer_days"] is not None:
        document.add_unsigned("answer_days", max(row["answer_days"], 0))
    for name, column in (("asked", "asked_on"), ("answered", "answered_on"), ("due", "due_on")):
        if row[column] is not None:
            document.add_integer(name, row[column].toordinal())
    document.add_integer("updated", epoch_micros(row["updated_at"]))
    if row["published_at"] is not None:
        document.add_integer("published", published_micros(row["published_at"]))
    for name, value in sort_keys(row).items():
        document.add_unsigned(name, value)
    return document


# --- the index on disk -----------------------------------------------------------------


@dataclass
class Applied:
    """What of the change log a generation holds: every row up to ``last`` except
    ``gaps`` (id → when first missed)."""

    last: int = 0
    gaps: dict[int, float] = field(default_factory=dict)
    schema: int = field(default_factory=lambda: SCHEMA_VERSION)

    @classmethod
    def read(cls, generation: Path) -> "Applied":
        try:
            data = json.loads((generation / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(schema=-1)
        return cls(last=int(data["last"]), gaps={int(k): float(v) for k, v in data.get("gaps", {}).items()}, schema=int(data.get("schema", -1)))

    def write(self, generation: Path) -> None:
        temporary = generation / (STATE + ".tmp")
        temporary.write_text(json.dumps({"last": self.last, "gaps": self.gaps, "schema": self.schema}), encoding="utf-8")
        os.replace(temporary, generation / STATE)

    def without_expired(self, now: float) -> "Applied":
        gaps = {pk: since for pk, since in self.gaps.items() if now - since < GAP_SECONDS}
        if len(gaps) > MAX_GAPS:
            gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
        return Applied(self.last, gaps, self.schema)


class _Open:
    """An opened generation in this process."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        self.schema = build_schema()
        self.index = tantivy.Index(self.schema, path=str(generation), reuse=True)
        self.index.register_tokenizer(ANALYZER, analyzer())
        self.applied = Applied.read(generation)
        # (index directory, text of its ``current`` link) this generation was found by.
        self.link_key: tuple[str, str] | None = None


_lock = threading.RLock()
_opened: _Open | None = None


def directory() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


@contextmanager
def _writer_lock(*, unless_importing: bool = False) -> Iterator[bool]:
    """One writer across processes: an exclusive lock on ``writer.lock``; yields whether it was taken.

    ``unless_importing``: give up (yield False) instead of waiting while a bulk import holds
    the lock (``ImportWriter``): it holds it for the whole import, and commits every few
    seconds what it has applied. Whoever takes the lock knows no import holds it, so it
    removes the marker a killed import may have left.
    """
    base = directory()
    base.mkdir(parents=True, exist_ok=True)
    with open(base / LOCK, "a+") as handle:
        if not unless_importing:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if (base / IMPORTING).exists():
                        yield False
                        return
                    time.sleep(_LOCK_POLL_SECONDS)
        try:
            (base / IMPORTING).unlink(missing_ok=True)
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current() -> Path | None:
    link = directory() / CURRENT
    try:
        return (directory() / os.readlink(link)).resolve()
    except OSError:
        return None


def _new_generation() -> Path:
    generation = directory() / f"gen-{time.time_ns()}"
    generation.mkdir(parents=True)
    return generation


def _swap_in(generation: Path) -> None:
    """Point ``current`` at ``generation`` in one step; remove all but the previous one."""
    base = directory()
    previous = _current()
    temporary = base / f"{CURRENT}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(generation.name, temporary)
    os.replace(temporary, base / CURRENT)
    keep = {generation.name, previous.name if previous else ""}
    for old in base.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def create_empty() -> None:
    """An empty index that has applied nothing yet: it then takes in the whole change log.
    For tests, whose database starts empty; elsewhere ``rebuild`` makes the first index."""
    global _opened
    with _lock, _writer_lock():
        generation = _new_generation()
        index = tantivy.Index(build_schema(), path=str(generation), reuse=False)
        writer = index.writer(CATCH_UP_HEAP, 1)
        writer.commit()
        writer.wait_merging_threads()
        Applied().write(generation)
        _swap_in(generation)
        _opened = None


def close() -> None:
    """Forget the opened index (it is opened again on the next use)."""
    global _opened
    with _lock:
        _opened = None


# --- catching up -------------------------------------------------------------------------


def _log_rows(applied: Applied) -> list[tuple[int, int]]:
    """(id, inquiry id) of the log rows the index has not applied: past ``last`` or among the gaps."""
    from inquiries.search.models import SearchChange

    table = SearchChange._meta.db_table
    sql = f"SELECT id, inquiry_id FROM {table} WHERE id > %s"
    params: list[Any] = [applied.last]
    if applied.gaps:
        sql += f" OR id IN ({', '.join(['%s'] * len(applied.gaps))})"
        params += sorted(applied.gaps)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY id", params)
        return cursor.fetchall()


def newest_log_id() -> int:
    from inquiries.search.models import SearchChange

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {SearchChange._meta.db_table}")
        return cursor.fetchone()[0] or 0


def _advance(applied: Applied, seen: Sequence[int], now: float) -> Applied:
    """``applied`` after the log rows ``seen`` were applied: new ids skipped become gaps."""
    gaps = dict(applied.gaps)
    for pk in seen:
        gaps.pop(pk, None)
    last = max([applied.last, *seen])
    seen_set = set(seen)
    for pk in range(applied.last + 1, last):
        if pk not in seen_set and last - pk <= MAX_GAPS:
            gaps.setdefault(pk, now)
    return Applied(last, gaps).without_expired(now)


# What a writer hands the index of an inquiry it has just committed, so that it need not
# be read back: the fields of ``_COLUMNS`` (``parliament_code``/``term_number`` for the
# lookups) plus ``factions``, ``people`` and ``answer_kinds``, and its searchable text.
Known = Mapping[int, tuple[dict[str, Any], documents.SearchText]]


def _write(
    opened: _Open,
    inquiry_ids: Iterable[int],
    *,
    given: Known | None = None,
    heap: int = CATCH_UP_HEAP,
    threads: int = 1,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace the entries of these inquiries with what the database holds now; returns how many are published.

    ``given``: published inquiries as the database holds them now (``Known``), written as given.
    """
    writer = opened.index.writer(heap, threads)
    try:
        added = _replace(writer, opened, inquiry_ids, given)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    return added


def _link_key() -> tuple[str, str] | None:
    base = str(settings.SEARCH_INDEX_DIR)
    try:
        return base, os.readlink(os.path.join(base, CURRENT))
    except OSError:
        return None


def _replace(writer: tantivy.IndexWriter, opened: _Open, inquiry_ids: Iterable[int], given: Known | None) -> int:
    """``_write``'s work on an open ``writer``, uncommitted; returns how many are published."""
    from inquiries.models import Inquiry

    ids = sorted(set(inquiry_ids))
    given = {pk: given[pk] for pk in ids if pk in given} if given else {}
    added = 0
    # (delete_documents_by_term takes a Python int for a signed term: it would miss.)
    for start in range(0, len(ids), CHUNK):
        writer.delete_documents_by_query(tantivy.Query.term_set_query(opened.schema, "id", ids[start : start + CHUNK]))
    for row, text in given.values():
        writer.add_document(_document(row, text))
    added += len(given)
    ids = [pk for pk in ids if pk not in given]
    for start in range(0, len(ids), CHUNK):
        for batch in _rows(Inquiry.objects.filter(pk__in=ids[start : start + CHUNK])):
            for row, text in batch:
                writer.add_document(_document(row, text))
            added += len(batch)
    return added


def _open_current() -> _Open:
    """The generation ``current`` points at, opened; built first if there is none usable."""
    global _opened
    # While the link's text is the one the open generation was found by, it is that
    # generation (their names are never reused): its path is not resolved again
    # (``Path.resolve`` looks at each of its parts, ~0.1 ms of every request).
    key = _link_key()
    if _opened is not None and key is not None and _opened.link_key == key:
        return _opened
    generation = _current()
    if _opened is not None and _opened.generation == generation:
        _opened.link_key = key
        return _opened
    applied = Applied.read(generation) if generation is not None else None
    # No index, one of another schema, or one that has applied more of the log than the
    # database holds (a new or restored database under an old index): built anew.
    if applied is None or applied.schema != SCHEMA_VERSION or applied.last > newest_log_id():
        rebuild()
        key = _link_key()
        generation = _current()
    _opened = _Open(generation)
    _opened.link_key = key
    return _opened


def _given(rows: Sequence[tuple[int, int]], known: Known | None, known_up_to: int) -> Known | None:
    """Of ``known``, the inquiries whose newest pending log row is not after ``known_up_to``:
    a later row is a later write, which only the database can tell."""
    if not known:
        return None
    newest: dict[int, int] = {}
    for log_id, inquiry_id in rows:
        newest[inquiry_id] = log_id
    return {pk: value for pk, value in known.items() if newest.get(pk, 0) <= known_up_to}


def catch_up(known: Known | None = None, known_up_to: int = 0) -> _Open:
    """The index with every committed change of the log applied (see the module docstring).

    ``known``: inquiries the caller has just committed, as committed (a bulk import), which
    are then not read back; ``known_up_to``: a log id read in their transaction, so that
    any log row after it, a later write, still has its inquiry read from the database.
    """
    with _lock:
        opened = _open_current()
        rows = _log_rows(opened.applied)
        if not rows:
            return opened
        # Someone else may have applied them already: the state on disk says.
        on_disk = Applied.read(opened.generation)
        if on_disk.last > opened.applied.last or on_disk.gaps != opened.applied.gaps:
            opened.applied = on_disk
            opened.index.reload()
            rows = _log_rows(on_disk)
            if not rows:
                return opened
        with _writer_lock(unless_importing=True) as locked:
            if not locked:
                # A bulk import holds the writer for its whole length and applies the log
                # itself (others' writes too): serve its last commit, reloaded above.
                return opened
            if _current() != opened.generation:
                return _reopened()
            applied = Applied.read(opened.generation)
            rows = _log_rows(applied)
            if rows:
                _write(opened, [inquiry_id for _, inquiry_id in rows], given=_given(rows, known, known_up_to))
                applied = _advance(applied, [pk for pk, _ in rows], time.time())
                applied.write(opened.generation)
            opened.applied = applied
        opened.index.reload()
        return opened


class ImportWriter:
    """The index writer of one bulk import, held across its batches (``services.bulk``).

    A writer per batch indexes the batch with one thread and then waits for its commit and
    merges, while the import waits for it: the lanes did not overlap. This one is opened at
    the first ``apply`` and holds ``writer.lock`` (and the ``IMPORTING`` marker) until
    ``close``: tantivy indexes each batch on ``IMPORT_THREADS`` threads of its own while
    the import writes the next, commits every ``IMPORT_COMMIT_SECONDS`` and merges in the
    background. Meanwhile readers in other processes serve its last commit rather than
    wait (``catch_up``), so it applies the whole change log, others' writes included, and
    commits as soon as it has applied one: a publish elsewhere is searchable after the
    batch under way, not after the import. A crash loses nothing: the state written at
    each commit says which log rows the index holds, the next catch-up applies the rest.

    Not thread-safe: one thread calls ``apply`` and ``close``.
    """

    def __init__(self, *, heap: int = IMPORT_HEAP, threads: int = IMPORT_THREADS, commit_seconds: float | None = None) -> None:
        # (The module's setting read when the writer is made, not when this module was.)
        self.heap, self.threads = heap, threads
        self.commit_seconds = IMPORT_COMMIT_SECONDS if commit_seconds is None else commit_seconds
        self._handle: Any = None
        self._opened: _Open | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._pending = Applied()  # what the writer holds, committed or not
        self._uncommitted = False
        self._failed = False
        self._committed_at = 0.0

    @property
    def is_open(self) -> bool:
        return self._writer is not None

    def _open(self) -> None:
        base = directory()
        while True:
            with _lock:
                opened = _open_current()  # (built first if there is none)
            handle = open(base / LOCK, "a+")
            fcntl.flock(handle, fcntl.LOCK_EX)
            (base / IMPORTING).write_text(str(os.getpid()), encoding="utf-8")
            if _current() == opened.generation:
                break
            # A rebuild swapped in another generation meanwhile: start again on that one.
            (base / IMPORTING).unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
            close()
        self._handle, self._opened = handle, opened
        try:
            self._pending = Applied.read(opened.generation)
            self._writer = opened.index.writer(self.heap, self.threads)
        except BaseException:
            self._release()
            raise
        self._committed_at = time.monotonic()

    def apply(self, known: Known | None = None, known_up_to: int = 0, through: int = 0) -> None:
        """Apply the change log's new rows to the writer (as ``catch_up``: ``known`` as given,
        the rest read from the database); commit if it is time to. ``through``: the newest log
        row when the batch was done (its upserts included), the last row to apply now."""
        if self._writer is None:
            self._open()
        rows = _log_rows(self._pending)
        if through:
            # Rows past the batch's end are later transactions': the import's next batches,
            # committed while this one waited for the index thread, come with their own apply.
            # Read back now they would be read from the database for nothing and, taken for
            # others' writes, committed at once.
            rows = [row for row in rows if row[0] <= through]
        if not rows:
            return
        given = _given(rows, known, known_up_to) or {}
        try:
            _replace(self._writer, self._opened, [inquiry_id for _, inquiry_id in rows], given)
        except BaseException:
            self._failed = True  # half a batch may be in the writer: ``close`` drops what is uncommitted
            raise
        self._pending = _advance(self._pending, [pk for pk, _ in rows], time.time())
        self._uncommitted = True
        others = any(inquiry_id not in given for _, inquiry_id in rows)
        if others or time.monotonic() - self._committed_at >= self.commit_seconds:
            self.commit()

    def commit(self) -> None:
        """Make what was applied searchable, here and in every process reading this index."""
        if self._writer is None or not self._uncommitted or self._failed:
            return
        self._writer.commit()
        self._pending.write(self._opened.generation)
        with _lock:
            self._opened.applied = self._pending
            self._opened.index.reload()
        self._uncommitted = False
        self._committed_at = time.monotonic()

    def close(self, *, commit: bool = True) -> None:
        """Commit (or, after a failure, drop what is uncommitted: the log still holds it), wait
        for the merges and give the lock back."""
        if self._writer is None:
            return
        writer = self._writer
        try:
            if commit and not self._failed:
                self.commit()
            else:
                writer.rollback()
        finally:
            try:
                writer.wait_merging_threads()
            finally:
                self._writer = None
                self._release()

    def _release(self) -> None:
        (directory() / IMPORTING).unlink(missing_ok=True)
        fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None


def _reopened() -> _Open:
    global _opened
    _opened = None
    return catch_up()


def searcher() -> tuple[tantivy.Searcher, tantivy.Schema, tantivy.Index]:
    """A searcher over the index as of now: every committed change applied."""
    opened = catch_up()
    return opened.index.searcher(), opened.schema, opened.index


# --- rebuilding ----------------------------------------------------------------------------


def rebuild(*, progress: bool = False, threads: int = 2, heap: int = REBUILD_HEAP) -> int:
    """Index every published inquiry anew into a new generation, then swap it in; returns how many.

    The log position is taken before the data is read, so changes made meanwhile are
    applied afterwards by the usual catch-up.
    """
    global _opened
    from inquiries.models import Inquiry

    with _lock:
        started_at = time.time()
        newest = newest_log_id()
        recent = _log_rows(Applied(last=max(0, newest - MAX_GAPS)))
        applied = _advance(Applied(last=max(0, newest - MAX_GAPS)), [pk for pk, _ in recent if pk <= newest], started_at)
        generation = _new_generation()
        schema = build_schema()
        index = tantivy.Index(schema, path=str(generation), reuse=False)
        index.register_tokenizer(ANALYZER, analyzer())
        writer = index.writer(heap, threads)
        total = Inquiry.objects.filter(state="published").count() if progress else 0
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=total, unit=" inquiries", smoothing=0.1)
        count = 0
        try:
            for batch in _rows(Inquiry.objects.all()):
                for row, text in batch:
                    writer.add_document(_document(row, text))
                count += len(batch)
                if bar is not None:
                    bar.update(len(batch))
            writer.commit()
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            shutil.rmtree(generation, ignore_errors=True)
            raise
        writer.wait_merging_threads()
        if bar is not None:
            bar.close()
        applied.write(generation)
        with _writer_lock():
            _swap_in(generation)
        _opened = None
        return count
