"""The one place where a harvested document meets the document importer.

``import_harvested`` calls ``services.documents.import_document`` (which keeps the original as the
admin upload does) and then lets the source's structured data take precedence over what
the parser read, listing every disagreement for the review. ``parse_is_complete`` decides
whether a draft may be published without review. Both are small on purpose: when the
importer reports its holes differently, only these two functions change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from inquiries.exchange import RecordError
from inquiries.harvest.sources.base import Listing
from inquiries.importers import german
from inquiries.importers.base import DocumentError
from inquiries.models import Inquiry, InquiryState, SourceDocument
from inquiries.names import fold, ministry_key
from inquiries.services import documents, upsert


@dataclass
class Imported:
    inquiry: Inquiry
    created: bool
    warnings: list[str] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    # The importer's own verdict (its ``extraction`` block): no field abstained on.
    extraction_complete: bool = False
    # The original this import stored (None when it was kept already): removed if the import is rolled back.
    stored_file: str | None = None


def importer_listing(listing: Listing) -> dict[str, Any]:
    """The listing in the terms of ``import_document(listing=…)``."""
    result: dict[str, Any] = {"source_url": listing.document_url or listing.page_url, "drucksache": listing.reference}
    if listing.title:
        result["title"] = listing.title
    if listing.answered_on:
        result["answered_on"] = listing.answered_on.strftime("%d.%m.%Y")
    if listing.ministry:
        result["answering_body"] = listing.ministry
    if listing.askers:
        result["askers"] = german.askers_label(listing.askers)
    return result


def import_harvested(name: str, data: bytes, listing: Listing, *, structured: bool) -> Imported:
    """Import a fetched document as a draft; the caller holds the transaction.

    Raises ``DocumentError`` naming the document when it cannot be imported. The import and
    the source's data are one savepoint: when the source's data cannot be saved, the
    document file the import stored is removed again, so a failure leaves no file behind.
    """
    known = SourceDocument.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists()
    result = None
    try:
        with transaction.atomic():
            result = documents.import_document(name, data, listing=importer_listing(listing), state=InquiryState.DRAFT)
            assert result.inquiry is not None
            disagreements: list[dict[str, Any]] = []
            if structured:
                record, disagreements = structured_precedence(result.record, listing)
                if record is not result.record:
                    try:
                        upsert.upsert_inquiry(record, state=InquiryState.DRAFT)
                    except RecordError as exc:
                        raise DocumentError(name, f"the source's data cannot be saved: {exc}") from None
                    result.inquiry.refresh_from_db()
    except BaseException:
        if result is not None and not known:
            discard_orphan(result.source_document)
        raise
    complete = bool((result.record.get("extraction") or {}).get("complete"))
    return Imported(
        result.inquiry,
        result.created,
        list(result.warnings),
        disagreements,
        extraction_complete=complete,
        stored_file=None if known else result.source_document.file.name,
    )


def discard_orphan(document: SourceDocument | str | None) -> None:
    """Remove a stored original whose database row was rolled back (no row names it any more)."""
    name = document.file.name if isinstance(document, SourceDocument) else document
    if name and not SourceDocument.objects.filter(file=name).exists():
        default_storage.delete(name)


def structured_precedence(record: dict[str, Any], listing: Listing) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The record with the source's askers, dates and ministry, and where the two differed.

    When the document is another Drucksache than the listing names, nothing is taken over:
    the disagreement goes to the review instead.
    """
    if listing.reference and listing.reference.replace(" ", "") != record["reference"]:
        return record, [{"field": "reference", "document": record["reference"], "source": listing.reference}]
    changes: dict[str, Any] = {}
    disagreements: list[dict[str, Any]] = []

    def compare(field_name: str, source_value: Any, document_value: Any, same: bool) -> None:
        if source_value in (None, "", []) or same:
            return
        changes[field_name] = source_value
        if document_value not in (None, "", []):
            disagreements.append({"field": field_name, "document": document_value, "source": source_value})

    for field_name, day in (("asked_on", listing.asked_on), ("answered_on", listing.answered_on)):
        value = day.isoformat() if day else None
        compare(field_name, value, record.get(field_name), value == record.get(field_name))
    ministry = record.get("answering_ministry")
    compare(
        "answering_ministry",
        listing.ministry,
        ministry,
        bool(listing.ministry and ministry and ministry_key(listing.ministry) == ministry_key(ministry)),
    )
    if listing.askers:
        printed, listed = german.askers_label(record.get("askers") or []), german.askers_label(listing.askers)
        compare("askers", listing.askers, record.get("askers"), fold(printed) == fold(listed))
        if "askers" in changes:
            changes["factions"] = sorted({asker["faction"] for asker in listing.askers if asker.get("faction")})
    if not changes:
        return record, disagreements
    return {**record, **changes}, disagreements


def parse_is_complete(imported: Imported) -> bool:
    """Whether the parser abstained on no field, warned of nothing, and the source agreed."""
    return imported.extraction_complete and not imported.warnings and not imported.disagreements
