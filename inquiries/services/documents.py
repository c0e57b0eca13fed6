"""Answer documents (text or PDF) imported as inquiries, their originals kept for a later re-parse."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from inquiries.exchange import RecordError
from inquiries.importers.base import DocumentError
from inquiries.importers.document import parse_document
from inquiries.models import Inquiry, InquiryState, SourceDocument
from inquiries.services.upsert import upsert_inquiry


@dataclass
class ImportResult:
    """What ``import_document`` made of one document.

    ``warnings`` list what the parser could not determine, for the editor who reviews
    the draft; ``inquiry`` and ``source_document`` are None on a dry run.
    """

    name: str
    parser: str
    record: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    inquiry: Inquiry | None = None
    created: bool = False
    source_document: SourceDocument | None = None


def import_document(
    name: str,
    data: bytes,
    *,
    format: str | None = None,
    dry_run: bool = False,
    state: str = InquiryState.DRAFT,
    listing: dict[str, Any] | None = None,
) -> ImportResult:
    """Parse an answer document (text or PDF) and save it as an inquiry, in one transaction.

    ``format`` names the parser to use instead of recognising the layout; ``listing``
    is the parliament's listing of the document (see ``apply_listing``). A new inquiry
    gets ``state``; an existing one (same parliament and reference) is updated in place,
    and a published or withdrawn one keeps its state (see ``upsert_inquiry``). The original file and the parser's output are kept as a
    ``SourceDocument`` (one per content), so that ``reparse_documents`` can parse it
    again. Raises ``DocumentError`` naming the file and what is wrong; nothing is saved then.
    """
    if len(data) > settings.DOCUMENT_MAX_BYTES:
        raise DocumentError(
            name, f"file too large: {len(data)} bytes, the limit is {settings.DOCUMENT_MAX_BYTES} (DOCUMENT_MAX_BYTES)"
        )
    parsed = parse_document(name, data, format=format, listing=listing)
    result = ImportResult(name, parsed.parser, parsed.record, parsed.warnings, parsed.extra)
    if dry_run:
        return result
    digest = hashlib.sha256(data).hexdigest()
    stored: str | None = None
    try:
        with transaction.atomic():
            source = SourceDocument.objects.select_for_update().filter(sha256=digest).first()
            if source is None:
                source = SourceDocument(sha256=digest, original_name=name[-255:])
                source.file.save(name, ContentFile(data), save=False)
                stored = source.file.name
            record = parsed.record
            source.parser = parsed.parser
            source.text = record.get("full_text") or ""
            source.parsed = {
                "record": {key: value for key, value in record.items() if key != "full_text"},
                "extra": parsed.extra,
                "listing": listing,
            }
            source.warnings = parsed.warnings
            inquiry, created = upsert_inquiry(record, state=state)
            if inquiry.document.name != source.file.name:
                inquiry.document.name = source.file.name
                inquiry.save(update_fields=["document", "updated_at"])
            source.inquiry = inquiry
            source.save()
    except RecordError as exc:
        _discard(stored)
        raise DocumentError(name, f"cannot be saved: {exc}") from None
    except BaseException:
        _discard(stored)
        raise
    result.inquiry, result.created, result.source_document = inquiry, created, source
    return result


def _discard(stored_name: str | None) -> None:
    """Remove a file stored for an import that was rolled back."""
    if stored_name:
        default_storage.delete(stored_name)


def reparse_documents(
    *, format: str | None = None, progress: Callable[[Iterable[SourceDocument]], Iterable[SourceDocument]] = lambda items: items
) -> list[tuple[SourceDocument, ImportResult | DocumentError]]:
    """Parse every kept original again (after a parser fix) and update its inquiry.

    Each document is imported on its own, so one failure does not stop the others.
    """
    outcomes: list[tuple[SourceDocument, ImportResult | DocumentError]] = []
    for source in progress(SourceDocument.objects.order_by("pk")):
        try:
            with source.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            outcomes.append((source, DocumentError(source.original_name, "the kept original file is missing")))
            continue
        listing = (source.parsed or {}).get("listing")
        try:
            outcomes.append((source, import_document(source.original_name, data, format=format, listing=listing)))
        except DocumentError as exc:
            outcomes.append((source, exc))
    return outcomes


@dataclass
class ReparseCheck:
    """What parsing a kept original again gives, compared with what was kept.

    ``differences`` names the record fields that changed; ``same_version`` tells whether
    the parser's version is the one that made the kept record (then any difference is
    a fault: the same version must give the same record).
    """

    source: SourceDocument
    differences: list[str] = field(default_factory=list)
    kept_version: str | None = None
    new_version: str | None = None
    error: DocumentError | None = None

    @property
    def same_version(self) -> bool:
        return self.kept_version is not None and self.kept_version == self.new_version


def check_documents(
    *, progress: Callable[[Iterable[SourceDocument]], Iterable[SourceDocument]] = lambda items: items
) -> list[ReparseCheck]:
    """Parse every kept original again without saving and compare with the kept record."""
    checks: list[ReparseCheck] = []
    for source in progress(SourceDocument.objects.order_by("pk")):
        kept = (source.parsed or {}).get("record") or {}
        check = ReparseCheck(source, kept_version=(kept.get("extraction") or {}).get("version"))
        checks.append(check)
        try:
            with source.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            check.error = DocumentError(source.original_name, "the kept original file is missing")
            continue
        listing = (source.parsed or {}).get("listing")
        try:
            # The parser that made the kept record reads it again, as the import chose it.
            result = import_document(source.original_name, data, listing=listing, dry_run=True)
        except DocumentError as exc:
            check.error = exc
            continue
        record = {key: value for key, value in result.record.items() if key != "full_text"}
        check.new_version = (record.get("extraction") or {}).get("version")
        check.differences = sorted(key for key in set(record) | set(kept) if record.get(key) != kept.get(key))
    return checks


