"""From the bytes of a document to a checked inquiry.v1 record, without touching the database."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from inquiries.exchange import RecordError, check_record_rules, validate_record
from inquiries.importers import german, limits, tables
from inquiries.importers.base import DocumentError, ParseResult, Parser, detect_parser, get_parser, missing_warnings, parsers
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
    listing_warnings: list[str] = []
    if listing is not None:
        listing, listing_warnings = checked_listing(name, listing)
    parser = get_parser(format, name=name) if format else detect_parser(text, name=name)
    try:
        result = parser.parse(text, name=name)
    except DocumentError as refusal:
        # A layout's own parser refuses what it cannot read whole; the common reading
        # still gives a draft with what can be read (unless a parser was asked for).
        fallback = parsers()["common"]
        if format or parser is fallback or not fallback.detect(text):
            raise
        try:
            result = fallback.parse(text, name=name)
        except DocumentError:
            raise refusal from None
        result.warnings.insert(0, f"layout: read with the common reading, as the {parser.name} parser refused it ({refusal.problem})")
        parser = fallback
    else:
        fallback = parsers()["common"]
        if not format and parser is not fallback and fallback.detect(text):
            # A layout parser that misreads a paper it knows (e.g. numbering it did not
            # expect) finds fewer answered questions than the common reading.
            try:
                other = fallback.parse(text, name=name)
            except DocumentError:
                other = None
            if other is not None and (
                _answered(other) > _answered(result)
                or other.extra.get("answer_part") and other.record["reference"] != result.record["reference"]
            ):
                other.warnings.insert(
                    0,
                    f"layout: read with the common reading, which found {_answered(other)} answered questions"
                    f" where the {parser.name} parser found {_answered(result)}",
                )
                result, parser = other, fallback
    result.warnings.extend(listing_warnings)
    if listing:
        apply_listing(result, listing)
    result.warnings.extend(missing_warnings(result.record))
    tables.attach_tables(result, text)
    result.record["extraction"] = extraction(parser, data, result)
    try:
        validate_record(result.record)
        check_record_rules(result.record)
    except RecordError as exc:
        raise DocumentError(name, f"the parsed record is not valid: {exc}") from None
    return result


def _answered(result: ParseResult) -> int:
    return sum(1 for question in result.record.get("questions") or [] if question.get("text") and question.get("answer"))


# The fields of an answer the importer should read; an empty one is a hole in the draft.
_EXPECTED_FIELDS = ("asked_on", "answered_on", "answering_ministry", "title", "askers")


def extraction(parser: Parser, data: bytes, result: ParseResult) -> dict[str, Any]:
    """The record's ``extraction`` block: which parser read it, from which bytes, and its holes.

    ``abstained`` names each field the parser left empty rather than guess, as an
    inquiry.v1 path ("answered_on", "questions[4].answer"); ``complete`` is true when
    there is none.
    """
    record = result.record
    holes = list(result.abstained)
    for key in _EXPECTED_FIELDS:
        if key == "askers":
            if not record.get("askers") and not record.get("factions") and "askers" not in holes:
                holes.append("askers")
        elif not record.get(key) and key not in holes:
            holes.append(key)
    if not record.get("questions") and "questions" not in holes:
        holes.append("questions")
    for index, question in enumerate(record.get("questions") or []):
        if not question.get("answer"):
            holes.append(f"questions[{index}].answer")
    return {
        "parser": parser.name,
        # The reading of answer tables is shared by every parser: its rules are part of the version.
        "version": f"{parser.version}+tables.{tables.VERSION}",
        "sha256": hashlib.sha256(data).hexdigest(),
        "complete": not holes,
        "abstained": holes,
    }


# The fields of a listing that the importer reads, and their type.
_LISTING_FIELDS = {"drucksache": str, "title": str, "askers": str, "answering_body": str, "answered_on": str, "source_url": str}


def checked_listing(name: str, listing: Any) -> tuple[dict[str, Any], list[str]]:
    """The listing (``.meta.json``) without its malformed fields, and a warning for each.

    A malformed field (e.g. ``askers`` given as a list where the parliament's listing
    prints one line of names) is named with the listing's file and left out; the
    document itself is still read.
    """
    listing_name = f"{name.rsplit('.', 1)[0]}.meta.json"
    if not isinstance(listing, dict):
        return {}, [f"listing: {listing_name} is ignored, it is no JSON object"]
    kept, warnings = dict(listing), []
    for key, wanted in _LISTING_FIELDS.items():
        value = listing.get(key)
        if value is not None and not isinstance(value, wanted):
            warnings.append(
                f"listing: {listing_name}: field {key!r} must be a string, not {type(value).__name__}"
                f" ({json_preview(value)}); the field is ignored"
            )
            del kept[key]
    return kept, warnings


def json_preview(value: Any) -> str:
    import json

    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + "…"


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
