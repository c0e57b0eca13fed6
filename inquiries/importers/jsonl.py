"""inquiry.v1 as JSON Lines: the open-data import and export.

The import checks every line (a bad line is reported with its number and skipped, or
stops everything with ``strict``) and writes new inquiries in bulk, a batch per
transaction; inquiries that already exist go through ``upsert_inquiry`` and are
updated in place. The export is ``exchange.write_records`` (records in a stable order,
so that export → import into an empty database → export gives the same file).
"""

from __future__ import annotations

import ctypes
import datetime
import itertools
import json
import multiprocessing
import os
import re
import signal
from collections import defaultdict, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Iterable, Iterator

import jsonschema_rs
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from inquiries import search
from inquiries.answer_kinds import classify as classify_answer
from inquiries.answer_tables import insert_tables
from inquiries.exchange import SCHEMA_PATH, RecordError, check_record_rules, validate_record
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    InquiryState,
    Membership,
    Ministry,
    MinistryRole,
    Parliament,
    Person,
    Question,
    Term,
)
from inquiries.names import ministry_key, slug_base, split_person_name
from inquiries.search import documents as search_documents
from inquiries.search.documents import SearchText
from inquiries.services import (
    find_ministry,
    find_or_create_faction,
    get_or_create_parliament,
    get_or_create_term,
    inquiries_changed,
    optimize_after_bulk_write,
    unique_slug,
    upsert_inquiry,
)

BATCH_SIZE = 1000
_CONSULTED, _COPIED = str(MinistryRole.CONSULTED), str(MinistryRole.COPIED)


@dataclass
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[LineError] = field(default_factory=list)


class _Abort(Exception):
    """Rolls back a strict import that met a bad line."""


# --- reading ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    # The compiled validator answers "valid?" in microseconds; jsonschema then explains
    # the lines it rejects, with the same messages as everywhere else.
    return jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), validate_formats=True)


def check(record: Any) -> None:
    """Raise ``RecordError`` if ``record`` is no importable inquiry.v1 record."""
    if not _fast_validator().is_valid(record):
        validate_record(record)
    check_record_rules(record)


def _read_line(line: bytes | str) -> tuple[dict[str, Any] | None, str | None]:
    """(record, None) for a good line, (None, problem) for a bad one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    try:
        check(record)
    except RecordError as exc:
        return None, str(exc)
    return record, None


def _search_text(record: dict[str, Any]) -> SearchText:
    """What the search index holds of a record, exactly as ``_create`` stores it (its
    inquiry id is filled in once the inquiry is written)."""
    return search_documents.build(
        record["title"].strip(),
        ((data["text"], data.get("answer") or "") for data in record.get("questions") or []),
        explanation=record.get("explanation") or "",
        preface=record.get("government_preface") or "",
    )


# What the helper prepares of a record: its search text and the kind of each answer.
_Prepared = tuple[SearchText, list[tuple[str, str]]]
# A checked line: number, record (None if bad), problem, and what was prepared of it.
_Checked = tuple[int, dict[str, Any] | None, str | None, _Prepared | None]


def _answer_kinds(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(answer kind, refusal reason) of each question, by the rules of ``inquiries.answer_kinds``."""
    return [classify_answer(data.get("answer")) for data in record.get("questions") or []]


def _check_chunk(numbered: list[tuple[int, bytes | str]]) -> list[_Checked]:
    """Check lines and prepare their search texts; no database needed (runs in a helper process)."""
    checked = []
    for number, line in numbered:
        record, problem = _read_line(line)
        prepared = (search.prepare(_search_text(record)), _answer_kinds(record)) if record else None
        checked.append((number, record, problem, prepared))
    return checked


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
    pending: deque[Future[list[_Checked]]] = deque()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_end_with_parent) as helper:
        for chunk in chunks:
            pending.append(helper.submit(_check_chunk, chunk))
            if len(pending) >= 3:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


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


# --- importing -------------------------------------------------------------------------------


def import_records(
    lines: Iterable[bytes | str], *, strict: bool = False, state: str = InquiryState.PUBLISHED, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Import inquiry.v1 lines; new inquiries (and drafts) get ``state``, published and
    withdrawn ones keep theirs (see ``upsert_inquiry``).

    Without ``strict`` every bad line is reported and skipped; with it, one bad line
    means nothing is imported (all bad lines are still reported).
    """
    report = ImportReport()
    writer = _BulkWriter(state)
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
    if report.created:
        optimize_after_bulk_write()
    return report


def _run(lines: Iterable[bytes | str], writer: "_BulkWriter", report: ImportReport, batch_size: int, strict: bool = False) -> None:
    batch: list[tuple[int, dict[str, Any], _Prepared]] = []
    for number, record, problem, text in _checked_lines(lines, batch_size):
        if problem is not None:
            report.errors.append(LineError(number, problem))
            continue
        if strict and report.errors:
            continue  # everything is rolled back anyway; only the checking goes on
        batch.append((number, record, text))
        if len(batch) >= batch_size:
            writer.write(batch, report)
            batch = []
    if batch and not (strict and report.errors):
        writer.write(batch, report)


class _BulkWriter:
    """Writes batches of checked records, caching what many records share."""

    def __init__(self, state: str) -> None:
        self.state = state
        self._reset()

    def _reset(self) -> None:
        """Forget every row cached so far (after a rollback they may not exist)."""
        self.parliaments: dict[str, Parliament] = {}
        self.terms: dict[tuple[str, int], Term] = {}
        self.factions: dict[tuple[str, str], Faction | None] = {}
        self.ministries: dict[tuple[str, str], Ministry] = {}
        self.people: dict[str, Person] | None = None
        self.printed_people: dict[str, Person] = {}
        self.slugs: set[str] | None = None
        self.memberships: dict[tuple[int, int], list[tuple[datetime.date | None, datetime.date | None]]] | None = None

    def write(self, batch: list[tuple[int, dict[str, Any], _Prepared]], report: ImportReport) -> None:
        keys = {(record["parliament"], record["reference"]) for _, record, _ in batch}
        existing = set(
            Inquiry.objects.filter(
                parliament__code__in={code for code, _ in keys}, reference__in={reference for _, reference in keys}
            ).values_list("parliament__code", "reference")
        )
        fresh, again = [], []
        for number, record, text in batch:
            key = (record["parliament"], record["reference"])
            if key in existing:
                again.append((number, record))
            else:
                existing.add(key)  # a second line for the same paper updates the first
                fresh.append((number, record, text))
        try:
            # The batch and its search index entries commit together.
            with transaction.atomic():
                ids, texts = self._create([(record, text) for _, record, text in fresh])
                inquiries_changed(ids, search_texts=texts)
        except (DatabaseError, RecordError):
            # Something the checks did not foresee: the rows cached during the batch were
            # rolled back too, so start afresh and write the lines one by one to find it.
            self._reset()
            again = [(number, record) for number, record, _ in fresh] + again
            ids = []
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

    # --- shared rows ---------------------------------------------------------------------------

    def _load(self) -> None:
        if self.people is not None:
            return
        self.people = {}
        for person in Person.objects.order_by("pk"):
            self.people.setdefault(person.name_key, person)
        self.slugs = set(Person.objects.values_list("slug", flat=True))
        self.memberships = defaultdict(list)
        for person_id, faction_id, start, end in Membership.objects.values_list("person_id", "faction_id", "start_date", "end_date"):
            self.memberships[(person_id, faction_id)].append((start, end))

    def _parliament(self, code: str) -> Parliament:
        if code not in self.parliaments:
            self.parliaments[code] = get_or_create_parliament(code)
        return self.parliaments[code]

    def _term(self, code: str, number: int) -> Term:
        if (code, number) not in self.terms:
            self.terms[(code, number)] = get_or_create_term(self._parliament(code), number)
        return self.terms[(code, number)]

    def _faction(self, code: str, printed: str | None) -> Faction | None:
        if printed is None:
            return None
        key = (code, printed)
        if key not in self.factions:
            self.factions[key] = find_or_create_faction(self._parliament(code), printed)
        return self.factions[key]

    def _ministry(self, code: str, name: str) -> Ministry:
        printed = (code, name)
        if printed in self.ministries:
            return self.ministries[printed]
        key = (code, ministry_key(name))
        if key not in self.ministries:
            parliament = self._parliament(code)
            # An exported name is already the record's name: it is kept exactly as given.
            name = re.sub(r"\s+", " ", name).strip()
            self.ministries[key] = find_ministry(parliament, name) or Ministry.objects.create(
                parliament=parliament, name=name, slug=unique_slug(Ministry, name, parliament=parliament)
            )
        self.ministries[printed] = self.ministries[key]
        return self.ministries[key]

    def _person(self, printed: str, new: list[Person]) -> Person:
        person = self.printed_people.get(printed)
        if person is None:
            person = self.printed_people[printed] = self._match_person(printed, new)
        return person

    def _match_person(self, printed: str, new: list[Person]) -> Person:
        name = split_person_name(printed)
        if not name.last_name:
            raise RecordError(f"no name in {printed!r}")
        person = self.people.get(name.key)
        if person is None:
            root = (slugify(slug_base(f"{name.first_name} {name.last_name}")) or "x")[:134]
            slug, suffix = root, 1
            while slug in self.slugs:
                suffix += 1
                slug = f"{root}-{suffix}"
            self.slugs.add(slug)
            # bulk_create skips Person.save(), which fills the matching key.
            person = Person(title=name.title, first_name=name.first_name, last_name=name.last_name, slug=slug, name_key=name.key)
            self.people[name.key] = person
            new.append(person)
        return person

    # --- inquiries -------------------------------------------------------------------------------

    def _create(self, batch: list[tuple[dict[str, Any], _Prepared]]) -> tuple[list[int], list[SearchText]]:
        """Write new inquiries (each with its prepared search text); their ids and search texts."""
        if not batch:
            return [], []
        records = [record for record, _ in batch]
        self._load()
        # People first: inquiries point to their signers, askers to people.
        new_people: list[Person] = []
        for record in records:
            if record.get("signed_by"):
                self._person(record["signed_by"]["name"], new_people)
            for asker in record.get("askers") or []:
                self._person(asker["name"], new_people)
        Person.objects.bulk_create(new_people, batch_size=500)
        table = _rows(Inquiry, exclude=("id",))
        now = connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(timezone.now())
        inquiries = [self._inquiry(record, now) for record in records]
        table.insert([tuple(inquiry[name] for name in table.attnames) for inquiry in inquiries], prepared=True)
        ids = _inquiry_ids(inquiries)

        askers, faction_links, ministry_links, questions, spans, texts = [], [], [], [], [], []
        for inquiry, (record, (text, kinds)) in zip(inquiries, batch):
            code = record["parliament"]
            pk = ids[(inquiry["parliament_id"], inquiry["reference"])]
            texts.append(replace(text, inquiry_id=pk))
            seen: set[int] = set()
            for position, asker in enumerate(record.get("askers") or []):
                person = self._person(asker["name"], [])
                if person.id in seen:
                    continue
                seen.add(person.id)
                faction = self._faction(code, asker.get("faction"))
                askers.append((pk, person.id, faction.id if faction else None, position))
                if faction is not None:
                    spans.append((person, faction, self._term(code, record["term"]), inquiry["asked_on"]))
            groups = {faction.id for name in record.get("factions") or [] if (faction := self._faction(code, name))}
            faction_links.extend((pk, faction_pk) for faction_pk in groups)
            for role, names in ((_CONSULTED, record.get("consulted_ministries")), (_COPIED, record.get("copied_to"))):
                used: set[int] = set()
                for position, name in enumerate(names or []):
                    ministry = self._ministry(code, name)
                    if ministry.id not in used:
                        used.add(ministry.id)
                        ministry_links.append((pk, ministry.id, role, position))
            questions.extend(
                (pk, position, data["number"], data["text"], data.get("answer") or "", *kind)
                for position, (data, kind) in enumerate(zip(record.get("questions") or [], kinds), start=1)
            )
        _rows(Asker, fields=("inquiry", "person", "faction", "position")).insert(askers)
        _rows(Inquiry.factions.through, fields=("inquiry", "faction")).insert(faction_links)
        _rows(InquiryMinistry, fields=("inquiry", "ministry", "role", "position")).insert(ministry_links)
        _rows(Question, fields=("inquiry", "position", "number", "text", "answer", "answer_kind", "refusal_reason")).insert(questions)
        insert_tables({ids[(inquiry["parliament_id"], inquiry["reference"])]: record for inquiry, record in zip(inquiries, records)})
        self._add_memberships(spans)
        return list(ids.values()), texts

    def _inquiry(self, record: dict[str, Any], now: Any) -> dict[str, Any]:
        """The column values of a new inquiry, by attribute name, ready for the database
        (``now`` is the prepared time of the batch)."""
        code = record["parliament"]
        parliament = self._parliament(code)
        signer = record.get("signed_by")
        answering = record.get("answering_ministry")
        asked_on, answered_on = _date(record.get("asked_on")), _date(record.get("answered_on"))
        # The model's own rule for the stored reference number, due date and answer time.
        deadline = SimpleNamespace(
            reference=record["reference"],
            asked_on=asked_on,
            answered_on=answered_on,
            deadline_days=parliament.deadline_days(record["kind"]),
        )
        Inquiry.refresh_deadline(deadline)
        database = connections[DEFAULT_DB_ALIAS]
        day = database.ops.adapt_datefield_value
        json_field = Inquiry._meta.get_field("topics")
        return {
            **_inquiry_defaults(),
            "parliament_id": parliament.id,
            "term_id": self._term(code, record["term"]).id,
            "reference": record["reference"],
            "reference_number": deadline.reference_number,
            "kind": record["kind"],
            "title": record["title"].strip(),
            "asked_on": day(asked_on),
            "answered_on": day(answered_on),
            "due_on": day(deadline.due_on),
            "answer_days": deadline.answer_days,
            "explanation": record.get("explanation") or "",
            "government_preface": record.get("government_preface") or "",
            "full_text": record.get("full_text") or "",
            "source_url": record.get("source_url") or "",
            "related_references": json_field.get_db_prep_save(list(record.get("related_references") or []), database),
            "topics": json_field.get_db_prep_save(list(record.get("topics") or []), database),
            "answering_ministry_id": self._ministry(code, answering).id if answering else None,
            "signed_by_id": self._person(signer["name"], []).id if signer else None,
            "signed_by_role": (signer or {}).get("role") or "",
            "state": self.state,
            "published_at": now if self.state == InquiryState.PUBLISHED else None,
            "created_at": now,
            "updated_at": now,
        }

    def _add_memberships(self, spans: list[tuple[Person, Faction, Term, datetime.date | None]]) -> None:
        """A membership for each asker's group in the term, unless one covers the day asked
        (as ``ensure_membership`` does for a single inquiry)."""
        new: list[Membership] = []
        for person, faction, term, day in spans:
            day = day or term.start_date
            known = self.memberships[(person.pk, faction.pk)]
            if any(day is None or ((start is None or start <= day) and (end is None or day <= end)) for start, end in known):
                continue
            if any(start == term.start_date for start, _ in known):
                continue
            known.append((term.start_date, term.end_date))
            new.append(Membership(person=person, faction=faction, start_date=term.start_date, end_date=term.end_date))
        Membership.objects.bulk_create(new, batch_size=1000)


class _Rows:
    """Plain rows into a model's table with one ``executemany``.

    ``bulk_create`` builds a model object for every row and prepares each value through
    its field, which takes most of an import's time; here only values that need it
    (dates, JSON, files) are prepared, the rest goes to the driver as it is.
    """

    _PLAIN = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)

    def __init__(self, model: type[models.Model], names: Iterable[str]) -> None:
        fields = [model._meta.get_field(name) for name in names]
        self.attnames = [field.attname for field in fields]
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields), ", ".join(["%s"] * len(fields))
        )
        self.prepare = [None if isinstance(field, self._PLAIN) else field for field in fields]

    def insert(self, rows: list[tuple], *, prepared: bool = False) -> None:
        """Insert ``rows`` (values in the order of ``attnames``; ``prepared`` if they are
        ready for the database already)."""
        if not rows:
            return
        database = connections[DEFAULT_DB_ALIAS]
        if not prepared and any(self.prepare):
            # Dates and times repeat a lot within a batch: each distinct value is prepared once.
            prepared: dict[tuple[int, Any], Any] = {}

            def prepare(index: int, field: models.Field, value: Any) -> Any:
                if isinstance(value, (list, dict)):
                    return field.get_db_prep_save(value, database)
                key = (index, value)
                if key not in prepared:
                    prepared[key] = field.get_db_prep_save(value, database)
                return prepared[key]

            rows = [
                tuple(value if field is None else prepare(index, field, value) for index, (field, value) in enumerate(zip(self.prepare, row)))
                for row in rows
            ]
        with database.cursor() as cursor:
            cursor.executemany(self.sql, rows)


@lru_cache(maxsize=None)
def _table(model: type[models.Model], names: tuple[str, ...]) -> _Rows:
    return _Rows(model, names)


def _rows(model: type[models.Model], *, fields: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> _Rows:
    """The (cached) inserter for ``fields`` of ``model``, or all its concrete fields but ``exclude``."""
    names = fields or tuple(field.name for field in model._meta.concrete_fields if field.name not in exclude)
    return _table(model, names)


@lru_cache(maxsize=1)
def _inquiry_defaults() -> dict[str, Any]:
    return {field.attname: field.get_default() for field in Inquiry._meta.concrete_fields if field.attname != "id"}


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


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
