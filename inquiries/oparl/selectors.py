"""Reads for OParl (and the Popolo export): the one place their querysets are built.

Papers are the published inquiries plus the withdrawn ones that were public once,
which OParl lists as deleted; drafts never appear, not even in counts. People are
the public ones of ``Person.objects.public()``.

Every queryset carries ``oparl_created`` and ``oparl_modified``: the row's own
times, with ``modified`` raised to the newest change of the objects it embeds or
lists (a person's memberships, a body's terms), because OParl clients sync with
``modified_since`` and must see a parent change when an embedded object changed.
Lists are ordered by primary key, which OParl requires to be stable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable

from django.db import models
from django.db.models import F, Max, Min, Model, Prefetch, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404

from inquiries.models import Asker, Faction, Inquiry, Membership, MinisterialOffice, Ministry, Parliament, Person, Term
from inquiries.selectors.changes import modified


class FileKind(models.TextChoices):
    """The two files a paper can have; part of the File's URL."""

    DOCUMENT = "document", "Originaldokument"
    SOURCE = "source", "Dokument an der Quelle"


@dataclass(frozen=True)
class ChangeWindow:
    """OParl's list filters ``created_since`` … ``modified_until`` (all inclusive)."""

    created_since: datetime.datetime | None = None
    created_until: datetime.datetime | None = None
    modified_since: datetime.datetime | None = None
    modified_until: datetime.datetime | None = None

    def apply(self, queryset: QuerySet) -> QuerySet:
        bounds = {
            "oparl_created__gte": self.created_since,
            "oparl_created__lte": self.created_until,
            "oparl_modified__gte": self.modified_since,
            "oparl_modified__lte": self.modified_until,
        }
        return queryset.filter(**{lookup: value for lookup, value in bounds.items() if value is not None})


def _stamped(queryset: QuerySet, *embedded: tuple[type[Model], str]) -> QuerySet:
    """Annotate OParl's created/modified; ``embedded`` are (model, field) of embedded rows
    (``selectors.changes.modified``, as the API's ``modified_at``)."""
    return queryset.annotate(oparl_created=F("created_at"), oparl_modified=modified(*embedded))


# --- System and bodies -------------------------------------------------------------------


def bodies() -> QuerySet[Parliament]:
    terms = Term.objects.order_by("number")
    return (
        _stamped(Parliament.objects.all(), (Term, "parliament"))
        .prefetch_related(Prefetch("terms", queryset=_stamped(terms)))
        .order_by("pk")
    )


def body(code: str) -> Parliament:
    return get_object_or_404(bodies(), code=code.upper())


def body_for_lists(code: str) -> Parliament:
    """The body whose lists are asked for (without what its own object shows)."""
    return get_object_or_404(Parliament, code=code.upper())


def system_times() -> dict[str, datetime.datetime | None]:
    """Creation of the first body and the newest change of any body."""
    return Parliament.objects.aggregate(created=Min("created_at"), modified=Max("updated_at"))


def terms(parliament: Parliament | None = None) -> QuerySet[Term]:
    queryset = Term.objects.select_related("parliament")
    if parliament is not None:
        queryset = queryset.filter(parliament=parliament)
    return _stamped(queryset).order_by("pk")


def term(pk: int) -> Term:
    return get_object_or_404(terms(), pk=pk)


# --- organisations: factions and ministries -------------------------------------------------


def factions(parliament: Parliament | None = None) -> QuerySet[Faction]:
    queryset = Faction.objects.select_related("parliament", "party")
    if parliament is not None:
        queryset = queryset.filter(parliament=parliament)
    member_ids = Membership.objects.only("pk", "faction_id").order_by("pk")
    return (
        _stamped(queryset, (Membership, "faction"))
        .prefetch_related(Prefetch("memberships", queryset=member_ids))
        .order_by("pk")
    )


def faction(pk: int) -> Faction:
    return get_object_or_404(factions(), pk=pk)


def ministries(parliament: Parliament | None = None) -> QuerySet[Ministry]:
    queryset = Ministry.objects.select_related("parliament")
    if parliament is not None:
        queryset = queryset.filter(parliament=parliament)
    office_ids = MinisterialOffice.objects.only("pk", "ministry_id").order_by("pk")
    return (
        _stamped(queryset, (MinisterialOffice, "ministry"))
        .prefetch_related(Prefetch("offices", queryset=office_ids))
        .order_by("pk")
    )


def ministry(pk: int) -> Ministry:
    return get_object_or_404(ministries(), pk=pk)


# --- people and memberships ---------------------------------------------------------------


def public_persons(parliament: Parliament | None = None) -> QuerySet[Person]:
    """The public people with their memberships and offices, for OParl's Person."""
    memberships_in_order = _stamped(Membership.objects.order_by("start_date", "pk"))
    offices_in_order = _stamped(MinisterialOffice.objects.order_by("start_date", "pk"))
    return (
        _stamped(
            Person.objects.public(parliament),
            (Membership, "person"),
            (MinisterialOffice, "person"),
        )
        .prefetch_related(
            Prefetch("memberships", queryset=memberships_in_order),
            Prefetch("offices", queryset=offices_in_order),
        )
        .order_by("pk")
    )


def person(pk: int) -> Person:
    return get_object_or_404(public_persons(), pk=pk)


def memberships(parliament: Parliament | None = None) -> QuerySet[Membership]:
    queryset = Membership.objects.all()
    if parliament is not None:
        queryset = queryset.filter(faction__parliament=parliament)
    return _stamped(queryset).order_by("pk")


def membership(pk: int) -> Membership:
    return get_object_or_404(memberships(), pk=pk)


def offices(parliament: Parliament | None = None) -> QuerySet[MinisterialOffice]:
    queryset = MinisterialOffice.objects.all()
    if parliament is not None:
        queryset = queryset.filter(ministry__parliament=parliament)
    return _stamped(queryset).order_by("pk")


def office(pk: int) -> MinisterialOffice:
    return get_object_or_404(offices(), pk=pk)


# --- papers and files ---------------------------------------------------------------------


def _paper_rows(parliament: Parliament | None) -> QuerySet[Inquiry]:
    """Published inquiries and those withdrawn after publication (listed as deleted)."""
    queryset = Inquiry.objects.public()
    if parliament is not None:
        queryset = queryset.filter(parliament=parliament)
    # A paper appears in OParl when it is published, whenever its row was made.
    created = Coalesce("published_at", "created_at")
    return (
        queryset.select_related("parliament")
        .annotate(oparl_created=created, oparl_modified=Greatest("updated_at", created))
        .order_by("pk")
    )


def papers(parliament: Parliament | None = None) -> QuerySet[Inquiry]:
    askers = Asker.objects.only("pk", "inquiry_id", "person_id", "faction_id", "position").order_by("position")
    return _paper_rows(parliament).prefetch_related(
        Prefetch("asker_links", queryset=askers),
        Prefetch("factions", queryset=Faction.objects.only("pk", "short_name").order_by("short_name")),
    )


def paper(pk: int) -> Inquiry:
    return get_object_or_404(papers(), pk=pk)


def related_paper_ids(inquiries: Iterable[Inquiry]) -> dict[tuple[int, str], int]:
    """Published papers named in ``related_references``, by (parliament id, reference)."""
    wanted = {(inquiry.parliament_id, reference) for inquiry in inquiries for reference in inquiry.related_references}
    if not wanted:
        return {}
    rows = Inquiry.objects.published().filter(
        parliament_id__in={parliament_id for parliament_id, _ in wanted},
        reference__in={reference for _, reference in wanted},
    )
    return {
        (parliament_id, reference): pk
        for pk, parliament_id, reference in rows.values_list("pk", "parliament_id", "reference")
        if (parliament_id, reference) in wanted
    }


def document_files(parliament: Parliament | None = None) -> QuerySet[Inquiry]:
    """Papers with an uploaded original document (one File each)."""
    return _paper_rows(parliament).exclude(document="")


def source_files(parliament: Parliament | None = None) -> QuerySet[Inquiry]:
    """Papers with the address of the document at its source (one File each)."""
    return _paper_rows(parliament).exclude(source_url="")


def file_paper(pk: int, kind: FileKind) -> Inquiry:
    """The paper a File belongs to; 404 unless it has that kind of file."""
    rows = document_files() if kind == FileKind.DOCUMENT else source_files()
    return get_object_or_404(rows, pk=pk)
