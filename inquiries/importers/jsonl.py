"""inquiry.v1 as JSON Lines: reading and checking a line (no database, no Django).

The import that writes the checked records is ``services.bulk.import_records``; the
export is ``exchange.write_records``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jsonschema_rs
import orjson

from inquiries.exchange import SCHEMA_PATH, RecordError, check_record_rules, validate_record


@dataclass
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


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


def _parse(line: bytes | str) -> Any:
    """The JSON value of a line; ``json.loads`` where orjson refuses it (and then its error)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        # NaN, lone surrogates, other encodings, a byte order mark … or bad JSON: json's
        # reading and json's message.
        return json.loads(line)


def _numbers_as_json_reads_them(record: Any) -> bool:
    """Whether a record valid under inquiry.v1 holds its numbers (term, table spans: the only
    ones the schema allows) as ``json.loads`` would: orjson reads an integer beyond 64 bits
    as a float, ``json`` as an integer."""
    if type(record["term"]) is not int:
        return False
    for question in record.get("questions") or ():
        for table in question.get("tables") or ():
            if any(type(number) is not int for number in table.get("span") or ()):
                return False
    return True


def read_line(line: bytes | str) -> tuple[dict[str, Any] | None, str | None]:
    """(record, None) for a good line, (None, problem) for a bad one.

    The record and the problem are exactly those of ``json.loads``: orjson reads the line
    in half the time, and ``json`` reads it again where orjson's value may differ (a line
    the schema refuses, whose message quotes values; numbers beyond 64 bits).
    """
    try:
        record = _parse(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    if _fast_validator().is_valid(record) and _numbers_as_json_reads_them(record):
        checks = check_record_rules  # valid, and the very record json would give
    else:
        record, checks = json.loads(line), check
    try:
        checks(record)
    except RecordError as exc:
        return None, str(exc)
    return record, None


def read_good_line(line: bytes | str) -> dict[str, Any]:
    """The record of a line ``read_line`` found good, read again (as it read it)."""
    record = _parse(line)
    return record if _numbers_as_json_reads_them(record) else json.loads(line)
