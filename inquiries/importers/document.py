"""From the bytes of a document to a checked inquiry.v1 record, without touching the database."""

from __future__ import annotations

import re
from typing import Any

from inquiries.exchange import RecordError, check_record_rules, validate_record
from inquiries.importers import german, limits
from inquiries.importers.base import DocumentError, ParseResult, detect_parser, get_parser, missing_warnings
from inquiries.importers.pdf import is_pdf, pdf_text
from inquiries.names import fold, ministry_display_name, ministry_key

# Share of control characters above which a file is taken for binary data.
_BINARY_SHARE = 0.05


def document_text(name: str, data: bytes) -> str:
    """The text of a PDF or text file; ``DocumentError`` for empty or binary files."""
    if not data.strip():
        raise DocumentError(name, "empty file")
    if is_pdf(data):
        return pdf_text(name, data)
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) * _BINARY_SHARE:
        raise DocumentError(name, "binary file: neither text nor PDF")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Text saved by German office software before UTF-8.
        return data.decode("cp1252", errors="replace")


def parse_document(
    name: str, data: bytes, *, format: str | None = None, listing: dict[str, Any] | None = None
) -> ParseResult:
    """Parse a document with the parser for its layout (or the one named by ``format``).

    ``listing`` is the parliament's own listing of the document (the ``.meta.json``
    beside it): it supplies the source address and fills what the text lacks, and
    differences from it are reported as warnings. Runs within the limits of
    ``importers.limits`` (lines, pages, time); a document beyond them is refused.
    """
    return limits.within_budget(name, _parse_document, name, data, format=format, listing=listing)


def _parse_document(name: str, data: bytes, *, format: str | None, listing: dict[str, Any] | None) -> ParseResult:
    text = document_text(name, data)
    limits.check_lines(name, text)
    parser = get_parser(format, name=name) if format else detect_parser(text, name=name)
    result = parser.parse(text, name=name)
    if listing:
        apply_listing(result, listing)
    result.warnings.extend(missing_warnings(result.record))
    try:
        validate_record(result.record)
        check_record_rules(result.record)
    except RecordError as exc:
        raise DocumentError(name, f"the parsed record is not valid: {exc}") from None
    return result


def apply_listing(result: ParseResult, listing: dict[str, Any]) -> None:
    """Compare the record with the listing, and take from it what the text lacks."""
    record, warnings = result.record, result.warnings
    if listing.get("source_url") and not record.get("source_url"):
        record["source_url"] = listing["source_url"]
    listed_reference = listing.get("drucksache")
    if listed_reference and re.sub(r"\s", "", listed_reference) != record["reference"]:
        warnings.append(f"listing: the listing is for Drucksache {listed_reference}, the text is {record['reference']}")
        return
    title = listing.get("title")
    if title and fold(title) != fold(record["title"]):
        warnings.append(f"title: the Landtag lists the title as {title!r}")
    answered = german.parse_date(listing.get("answered_on") or "")
    if answered and not record.get("answered_on"):
        record["answered_on"] = answered.isoformat()
        warnings.append("answered_on: taken from the listing")
    elif answered and record["answered_on"] != answered.isoformat():
        warnings.append(f"answered_on: the Landtag lists {answered.isoformat()}")
    body = listing.get("answering_body")
    if body and not record.get("answering_ministry"):
        record["answering_ministry"] = ministry_display_name(body)
        warnings.append("answering_ministry: taken from the listing")
    elif body and ministry_key(body) != ministry_key(record["answering_ministry"]):
        warnings.append(f"answering_ministry: the Landtag lists {body!r}")
    askers = listing.get("askers")
    if askers and not record.get("askers") and not record.get("factions"):
        record["askers"] = german.split_askers(askers)
        record["factions"] = sorted({asker["faction"] for asker in record["askers"] if asker["faction"]})
        warnings.append("askers: taken from the listing")
    elif askers and fold(askers) != fold(german.askers_label(record["askers"])):
        warnings.append(f"askers: the Landtag lists {askers!r}")
