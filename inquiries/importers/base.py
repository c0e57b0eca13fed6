"""The document importer's interface: one parser per layout, chosen by what the text looks like.

A parser turns the text of one answer document into an inquiry.v1 record. It never
touches the database; saving is the job of ``inquiries.services.documents.import_document``.

To support a new layout, write a module with a ``Parser`` subclass decorated with
``@register`` and add the module's name to ``PARSER_MODULES``.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from inquiries.exchange import FORMAT

PARSER_MODULES = ("bw_letter", "bw_drucksache", "ni", "sl", "common")

_REGISTRY: dict[str, "Parser"] = {}


class DocumentError(ValueError):
    """A document that cannot be imported; ``str()`` names the file and what is wrong."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


@dataclass
class ParseResult:
    """What a parser read from a document.

    ``record`` is an inquiry.v1 record; ``warnings`` list what the parser could not
    determine, for the editor who reviews the draft; ``extra`` holds facts of the
    document that inquiry.v1 has no field for (e.g. the date a question was received).
    """

    parser: str
    record: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # Fields the parser could not read and left empty (inquiry.v1 paths such as
    # "title" or "questions[3].text"); the fields left empty in the record are
    # added by ``document.extraction``.
    abstained: list[str] = field(default_factory=list)


class Parser:
    """One document layout. Subclasses set ``name``/``label`` and implement both methods."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    # Raised whenever the parser reads a document differently: the same version gives
    # the same record for the same bytes (``manage.py reparse_documents --check``).
    version: ClassVar[str] = "1"

    def detect(self, text: str) -> int:
        """How sure the parser is that ``text`` has its layout: 0 = not at all."""
        raise NotImplementedError

    def parse(self, text: str, *, name: str) -> ParseResult:
        """The record of the document; raises ``DocumentError`` when something essential is missing."""
        raise NotImplementedError


def register(cls: type[Parser]) -> type[Parser]:
    """Class decorator: make the parser available under its ``name``."""
    if not cls.name:
        raise TypeError(f"{cls.__name__} has no name")
    _REGISTRY[cls.name] = cls()
    return cls


def parsers() -> dict[str, Parser]:
    """All registered parsers by name (importing the parser modules on first use)."""
    for module in PARSER_MODULES:
        importlib.import_module(f"inquiries.importers.{module}")
    return dict(_REGISTRY)


def get_parser(format_name: str, *, name: str) -> Parser:
    known = parsers()
    if format_name not in known:
        raise DocumentError(name, f"unknown format {format_name!r} (known: {', '.join(sorted(known))})")
    return known[format_name]


def detect_parser(text: str, *, name: str) -> Parser:
    """The parser whose layout the text has; ``DocumentError`` when none recognises it."""
    scored = sorted(((parser.detect(text), parser.name, parser) for parser in parsers().values()), reverse=True)
    score, _, parser = scored[0]
    if score <= 0:
        labels = "; ".join(parser.label for _, _, parser in sorted(scored, key=lambda item: item[1]))
        raise DocumentError(name, f"unknown layout: the text matches none of the known layouts ({labels})")
    return parser


def new_record(parliament: str, reference: str, kind: str, title: str) -> dict[str, Any]:
    """An inquiry.v1 record with every field present, in the order the export writes them."""
    return {
        "format": FORMAT,
        "parliament": parliament,
        "term": int(reference.split("/", 1)[0]),
        "reference": reference,
        "kind": kind,
        "title": title,
        "asked_on": None,
        "answered_on": None,
        "askers": [],
        "factions": [],
        "answering_ministry": None,
        "consulted_ministries": [],
        "copied_to": [],
        "signed_by": None,
        "explanation": None,
        "government_preface": None,
        "questions": [],
        "related_references": [],
        "topics": [],
        "full_text": None,
        "source_url": None,
    }


def missing_warnings(record: dict[str, Any]) -> list[str]:
    """Warnings for the fields every answer should have but this record lacks."""
    warnings = []
    if not record.get("askers") and not record.get("factions"):
        warnings.append("askers: no asking member or group found")
    if not record.get("asked_on"):
        warnings.append("asked_on: no date of the question found")
    if not record.get("answered_on"):
        warnings.append("answered_on: no date of the answer found")
    if not record.get("answering_ministry"):
        warnings.append("answering_ministry: the answering ministry is not named")
    for question in record.get("questions", []):
        if not question.get("answer"):
            warnings.append(f"questions: question {question['number']} has no answer")
    return warnings


_REFERENCE = re.compile(r"(?<![\d/])(\d{1,2})\s?/\s?(\d{1,6})(?![\d/])")


def reference_of(text: str) -> str | None:
    """"17 / 6206" → "17/6206"."""
    match = _REFERENCE.search(text)
    return f"{match.group(1)}/{match.group(2)}" if match else None
