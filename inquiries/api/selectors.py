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

from django.db.models import Count, F, Prefetch, QuerySet, Subquery
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
from inquiries.querysets import InquiryQuerySet
from inquiries.selectors import listing
from inquiries.selectors.changes import modified

_PUBLISHED = InquiryQuerySet.published_condition("inquiries")


# --- reference data ------------------------------------------------------------------------


def parliaments() -> QuerySet[Parliament]:
    terms = Term.objects.order_by("-number", "pk")
    return (
        Parliament.objects.annotate(
            inquiry_count=Count("inquiries", filter=_PUBLISHED),
            modified_at=modified((Term, "parliament")),
        )
        .prefetch_related(Prefetch("terms", queryset=terms))
        .order_by("code", "pk")
    )


def terms() -> QuerySet[Term]:
    return (
        Term.objects.select_related("parliament")
        .annotate(inquiry_count=Count("inquiries", filter=_PUBLISHED), modified_at=F("updated_at"))
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


def inquiry_records() -> QuerySet[Inquiry]:
    """Published inquiries with what their inquiry.v1 record and its Last-Modified read
    (``exchange.inquiry_to_record``, ``_inquiry_changed_at`` of the API views), and no more:
    of the related rows their names and change times only. Building a query and its
    objects costs per column, and a record is read far more often than it changes."""
    from inquiries.models import Asker, InquiryMinistry, Question

    person = ("title", "first_name", "last_name", "updated_at")
    return (
        inquiries()
        .select_related("parliament", "term", "answering_ministry", "signed_by")
        .defer(
            *(f"parliament__{name}" for name in _unread(Parliament, "code", "updated_at")),
            *(f"term__{name}" for name in _unread(Term, "parliament", "number", "updated_at")),
            *(f"answering_ministry__{name}" for name in _unread(Ministry, "name", "updated_at")),
            *(f"signed_by__{name}" for name in _unread(Person, *person)),
        )
        .prefetch_related(
            Prefetch(
                "asker_links",
                queryset=Asker.objects.select_related("person", "faction")
                .only("inquiry_id", "position", *(f"person__{name}" for name in person), "faction__short_name", "faction__updated_at")
                .order_by("position"),
            ),
            Prefetch("factions", queryset=Faction.objects.only("short_name", "updated_at").order_by("short_name")),
            Prefetch(
                "ministry_links",
                queryset=InquiryMinistry.objects.select_related("ministry")
                .only("inquiry_id", "role", "position", "ministry__name", "ministry__updated_at")
                .order_by("role", "position"),
            ),
            Prefetch("questions", queryset=Question.objects.order_by("position").prefetch_related("tables")),
        )
    )


def _unread(model, *read: str) -> list[str]:
    """The concrete columns of ``model`` other than its key and ``read``."""
    return [field.name for field in model._meta.concrete_fields if not field.primary_key and field.name not in read]


def inquiry_detail(pk: int) -> Inquiry | None:
    """The published inquiry with everything its inquiry.v1 record holds; None if not published."""
    return inquiry_records().filter(pk=pk).first()


def inquiry_by_reference(parliament_code: str, reference: str) -> Inquiry | None:
    return inquiry_records().filter(parliament__code=parliament_code.upper(), reference=reference).first()


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


def _newest_of(querysets: dict[str, QuerySet]) -> datetime.datetime | None:
    """The newest ``updated_at``/``deleted_at`` over several tables, in one query.

    The columns are never NULL, so a plain descending order reads the newest row off
    their indexes (NULLS LAST would sort every row: 30 ms at 100,000 inquiries).
    """
    columns = {
        name: Subquery(queryset.order_by(F(field).desc()).values(field)[:1])
        for name, (queryset, field) in querysets.items()
    }
    row = Parliament.objects.annotate(**columns).values(*columns).order_by().first()
    if row is None:
        return None
    moments = [moment for moment in row.values() if moment is not None]
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
        "inquiry": (Inquiry.objects.public(), "updated_at"),
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
    newest = _newest_of(_sources(*RESOURCE_SOURCES[resource]))
    if resource == "inquiry" and newest is not None:
        midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
        newest = max(newest, midnight)
    return newest
