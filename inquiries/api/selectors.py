"""Reads of the API v1: the one place its querysets are built.

Inquiries start from ``Inquiry.objects.published()`` (through ``inquiries.selectors``);
the only other inquiries the API mentions are the tombstones of those that were
published once and then withdrawn or deleted, and they carry nothing but their
id, reference and time. Drafts never appear, not even in counts.

Every list queryset carries ``modified_at``: when the row, or something it shows
(a person's memberships, a ministry's offices), last changed. ``modified_since``
filters on it, and sync lists are ordered by it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable

from django.db.models import CharField, DateTimeField, F, Prefetch, QuerySet, Subquery, Value
from django.utils import timezone

from inquiries.models import (
    DeletedInquiry,
    Faction,
    Inquiry,
    Membership,
    MinisterialOffice,
    Ministry,
    Parliament,
    Party,
    Person,
    RemovalKind,
    Term,
)
from inquiries.answer_tables import table_record
from inquiries.exchange import RECORD_COLUMNS, question_record, record_of
from inquiries.prepared import PreparedQuery
from inquiries.selectors import listing
from inquiries.selectors.changes import modified

# --- reference data ------------------------------------------------------------------------


def parliaments() -> QuerySet[Parliament]:
    """The parliaments with their terms; their numbers of inquiries come per page (``counts.with_inquiry_counts``)."""
    terms = Term.objects.order_by("-number", "pk")
    return (
        Parliament.objects.annotate(modified_at=modified((Term, "parliament")))
        .prefetch_related(Prefetch("terms", queryset=terms))
        .order_by("code", "pk")
    )


def terms() -> QuerySet[Term]:
    return (
        Term.objects.select_related("parliament")
        .annotate(modified_at=F("updated_at"))
        .order_by("parliament__code", "-number", "pk")
    )


def parties() -> QuerySet[Party]:
    return Party.objects.prefetch_related(Prefetch("factions", queryset=Faction.objects.order_by("pk"))).order_by(
        "short_name", "pk"
    )


def factions() -> QuerySet[Faction]:
    return Faction.objects.select_related("parliament").annotate(modified_at=F("updated_at")).order_by(
        "parliament__code", "short_name", "pk"
    )


def people() -> QuerySet[Person]:
    """Public people (``Person.objects.public()``) with memberships and offices."""
    memberships = Membership.objects.select_related("faction", "faction__parliament").order_by("start_date", "pk")
    offices = MinisterialOffice.objects.select_related("ministry").order_by("start_date", "pk")
    return (
        Person.objects.public()
        .annotate(modified_at=modified((Membership, "person"), (MinisterialOffice, "person")))
        .prefetch_related(Prefetch("memberships", queryset=memberships), Prefetch("offices", queryset=offices))
        .order_by("last_name", "first_name", "pk")
    )


def ministries() -> QuerySet[Ministry]:
    offices = MinisterialOffice.objects.select_related("person").order_by("start_date", "pk")
    predecessors = Ministry.objects.only("pk", "successor_id").order_by("valid_from", "pk")
    return (
        Ministry.objects.select_related("parliament")
        .annotate(modified_at=modified((MinisterialOffice, "ministry")))
        .prefetch_related(Prefetch("offices", queryset=offices), Prefetch("predecessors", queryset=predecessors))
        .order_by("parliament__code", "name", "pk")
    )


# --- inquiries -----------------------------------------------------------------------------


def inquiries() -> QuerySet[Inquiry]:
    """What the inquiry list and search filter (with ``InquiryFilterSet``): every published inquiry."""
    return listing.inquiry_search_base().annotate(modified_at=F("updated_at"))


# The inquiry's columns beside ``RECORD_COLUMNS``: the names of what it points to and the
# change times of everything its record shows (its Last-Modified).
_INQUIRY_COLUMNS = (
    "pk", "updated_at", "parliament__code", "parliament__updated_at", "term__number", "term__updated_at",
    "answering_ministry_id", "answering_ministry__name", "answering_ministry__updated_at",
    "signed_by_id", "signed_by__title", "signed_by__first_name", "signed_by__last_name", "signed_by__updated_at",
    *RECORD_COLUMNS,
)
# Placeholders for the keys of the prepared queries: values no query has among its parameters.
_PK, _CODE, _REFERENCE = -7_431_926_155, "\x00parliament", "\x00reference"


def _named_rows(pk: int):
    """Askers (with their factions), the inquiry's factions and its ministries, in one query."""
    from inquiries.models import Asker, InquiryMinistry

    text, moment = CharField(), DateTimeField()
    none, no_time = Value("", output_field=text), Value(None, output_field=moment)
    askers = Asker.objects.filter(inquiry_id=pk).values_list(
        Value("asker", output_field=text), "position", "person__title", "person__first_name", "person__last_name",
        "person__updated_at", "faction__short_name", "faction__updated_at",
    )
    factions = Inquiry.factions.through.objects.filter(inquiry_id=pk).values_list(
        Value("faction", output_field=text), Value(0), none, none, none, no_time, "faction__short_name", "faction__updated_at"
    )
    ministries = InquiryMinistry.objects.filter(inquiry_id=pk).values_list(
        "role", "position", none, none, none, no_time, "ministry__name", "ministry__updated_at"
    )
    return askers.order_by().union(factions.order_by(), ministries.order_by(), all=True)


def _question_rows(pk: int):
    """The questions in order, each with its tables in order (a question without one: one row of NULLs)."""
    from inquiries.models import Question

    return (
        Question.objects.filter(inquiry_id=pk)
        .values_list(
            "pk", "number", "text", "answer", "answer_kind", "refusal_reason",
            "tables__caption", "tables__header", "tables__rows", "tables__span_start", "tables__span_end",
        )
        .order_by("position", "tables__position")
    )


_INQUIRY_BY_PK = PreparedQuery(lambda pk: inquiries().filter(pk=pk).values_list(*_INQUIRY_COLUMNS), (_PK,))
_INQUIRY_BY_REFERENCE = PreparedQuery(
    lambda code, reference: inquiries().filter(parliament__code=code, reference=reference).values_list(*_INQUIRY_COLUMNS),
    (_CODE, _REFERENCE),
)
_NAMED = PreparedQuery(_named_rows, (_PK,))
_QUESTIONS = PreparedQuery(_question_rows, (_PK,))


@dataclass(frozen=True)
class InquiryRecord:
    """A published inquiry's inquiry.v1 record, when anything it shows last changed, and its page."""

    pk: int
    record: dict
    changed_at: datetime.datetime
    parliament_code: str
    reference: str

    def page_path(self) -> str:
        from django.urls import reverse

        slug = self.reference.replace("/", "-")
        return reverse("inquiries:inquiry-detail", kwargs={"parliament": self.parliament_code.lower(), "reference": slug})


def _full_name(*parts: str | None) -> str:
    # ``Person.full_name``, for a row.
    return " ".join(part for part in parts if part)


def _record(row: tuple) -> InquiryRecord:
    """The record of the inquiry ``row`` (``_INQUIRY_COLUMNS``) with its related rows: three
    prepared queries in all (the inquiry, the names, the questions), whatever the record holds."""
    (pk, updated_at, code, parliament_at, term, term_at, ministry_id, ministry, ministry_at,
     signer_id, title, first_name, last_name, signer_at, *own) = row  # fmt: skip
    moments = [updated_at, parliament_at, term_at]
    askers, factions, ministries = [], [], []
    for kind, position, person_title, first, last, person_at, name, name_at in sorted(_NAMED.rows(pk), key=lambda named: named[:2]):
        if kind == "asker":
            askers.append((_full_name(person_title, first, last), name))
            moments.append(person_at)
        elif kind == "faction":
            factions.append(name)
        else:
            ministries.append((kind, name))
        if name_at is not None:
            moments.append(name_at)
    if ministry_id is not None:
        moments.append(ministry_at)
    if signer_id is not None:
        moments.append(signer_at)
    # question id → its columns and its tables, in the order of the questions.
    by_question: dict[int, tuple[tuple, list[dict]]] = {}
    for question_pk, *question, caption, header, cells, start, end in _QUESTIONS.rows(pk):
        tables = by_question.setdefault(question_pk, (question, []))[1]
        if cells is not None:
            tables.append(table_record(caption, header, cells, start, end))
    questions = [question_record(*question, tables) for question, tables in by_question.values()]
    columns = dict(zip(RECORD_COLUMNS, own))
    record = record_of(
        parliament=code,
        term=term,
        inquiry=columns,
        askers=askers,
        factions=factions,
        answering_ministry=ministry if ministry_id is not None else None,
        ministries=ministries,
        signer=_full_name(title, first_name, last_name) if signer_id is not None else None,
        questions=questions,
    )
    return InquiryRecord(pk, record, max(moments), code, columns["reference"])


def inquiry_record(pk: int) -> InquiryRecord | None:
    """The published inquiry's record; None if it is not published."""
    rows = _INQUIRY_BY_PK.rows(pk)
    return _record(rows[0]) if rows else None


def inquiry_record_by_reference(parliament_code: str, reference: str) -> InquiryRecord | None:
    rows = _INQUIRY_BY_REFERENCE.rows(parliament_code.upper(), reference)
    return _record(rows[0]) if rows else None


def withdrawn_inquiries() -> QuerySet[Inquiry]:
    """Inquiries withdrawn after they had been published; withdrawn drafts were never public."""
    return (
        Inquiry.objects.retracted()
        .select_related("parliament", "term")
        .annotate(modified_at=F("updated_at"))
    )


def deleted_inquiries() -> QuerySet[DeletedInquiry]:
    return DeletedInquiry.objects.annotate(modified_at=F("deleted_at"))


def removal_of(pk: int) -> RemovalKind | None:
    """Whether the inquiry with this id was public once and is now withdrawn or deleted."""
    if withdrawn_inquiries().filter(pk=pk).exists():
        return RemovalKind.WITHDRAWN
    if DeletedInquiry.objects.filter(original_id=pk).exists():
        return RemovalKind.DELETED
    return None


@dataclass(frozen=True)
class Tombstone:
    """A withdrawn or deleted inquiry as sync lists show it."""

    id: int
    parliament: str
    term: int
    reference: str
    state: RemovalKind
    modified_at: datetime.datetime

    @classmethod
    def of_withdrawn(cls, inquiry: Inquiry) -> "Tombstone":
        return cls(inquiry.pk, inquiry.parliament.code, inquiry.term.number, inquiry.reference, RemovalKind.WITHDRAWN, inquiry.modified_at)

    @classmethod
    def of_deleted(cls, row: DeletedInquiry) -> "Tombstone":
        return cls(row.original_id, row.parliament_code, row.term_number, row.reference, RemovalKind.DELETED, row.modified_at)


def tombstones(
    *, since: datetime.datetime, parliament_codes: Iterable[str] = (), term_number: int | None = None
) -> tuple[QuerySet[Inquiry], QuerySet[DeletedInquiry]]:
    """Withdrawn and deleted inquiries changed since ``since``, narrowed by parliament and term only:
    their other properties are no longer public."""
    withdrawn = withdrawn_inquiries().filter(updated_at__gte=since)
    deleted = deleted_inquiries().filter(deleted_at__gte=since)
    codes = [code.upper() for code in parliament_codes]
    if codes:
        withdrawn = withdrawn.filter(parliament__code__in=codes)
        deleted = deleted.filter(parliament_code__in=codes)
    if term_number is not None:
        withdrawn = withdrawn.filter(term__number=term_number)
        deleted = deleted.filter(term_number=term_number)
    return withdrawn, deleted


# --- when things last changed (Last-Modified) ----------------------------------------------


def _newest_query(querysets: dict[str, tuple[QuerySet, str]]) -> QuerySet:
    """One row: the newest ``updated_at``/``deleted_at`` of each table, as its column.

    The columns are never NULL, so a plain descending order reads the newest row off
    their indexes (NULLS LAST would sort every row: 30 ms at 100,000 inquiries).
    """
    columns = {
        name: Subquery(queryset.order_by(F(field).desc()).values(field)[:1])
        for name, (queryset, field) in querysets.items()
    }
    return Parliament.objects.annotate(**columns).values_list(*columns).order_by("pk")[:1]


# Per resource: its query compiled once per connection. Building its seven subqueries anew
# cost every API list page about ten times what running it costs (2.8-3.1 against 0.34 ms
# of CPU, machine at load 15; a third of the page).
_NEWEST: dict[str, PreparedQuery] = {}


def _newest_of(resource: str) -> datetime.datetime | None:
    """The newest change over the tables ``RESOURCE_SOURCES[resource]`` names, in one query."""
    prepared = _NEWEST.get(resource)
    if prepared is None:
        names = RESOURCE_SOURCES[resource]
        prepared = _NEWEST.setdefault(resource, PreparedQuery(lambda: _newest_query(_sources(*names)), ()))
    rows = prepared.rows()
    if not rows:
        return None
    moments = [moment for moment in rows[0] if moment is not None]
    return max(moments) if moments else None


def _sources(*names: str) -> dict[str, tuple[QuerySet, str]]:
    table = {
        "parliament": (Parliament.objects.all(), "updated_at"),
        "term": (Term.objects.all(), "updated_at"),
        "faction": (Faction.objects.all(), "updated_at"),
        "person": (Person.objects.all(), "updated_at"),
        "membership": (Membership.objects.all(), "updated_at"),
        "ministry": (Ministry.objects.all(), "updated_at"),
        "office": (MinisterialOffice.objects.all(), "updated_at"),
        # Drafts are left out: their edits must not show, not even as a time.
        "inquiry": (Inquiry.objects.public_by_change(), "updated_at"),
        "deleted": (DeletedInquiry.objects.all(), "deleted_at"),
    }
    return {name: table[name] for name in names}


# What each resource shows, so what its Last-Modified must follow. Parties have no
# change time in the database and get none (their ETag still works).
RESOURCE_SOURCES: dict[str, tuple[str, ...]] = {
    "parliament": ("parliament", "term", "inquiry", "deleted"),
    "term": ("parliament", "term", "inquiry", "deleted"),
    "faction": ("parliament", "faction"),
    "person": ("parliament", "person", "membership", "faction", "office", "ministry", "inquiry", "deleted"),
    "ministry": ("parliament", "ministry", "office", "person"),
    "inquiry": ("parliament", "term", "inquiry", "deleted", "person", "faction", "ministry"),
}


def last_change(resource: str) -> datetime.datetime | None:
    """When anything a list of ``resource`` shows last changed.

    For inquiries not before the start of today: whether an inquiry is open or
    overdue changes at midnight without any row changing.
    """
    newest = _newest_of(resource)
    if resource == "inquiry" and newest is not None:
        midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
        newest = max(newest, midnight)
    return newest
