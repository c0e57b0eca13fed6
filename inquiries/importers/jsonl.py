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


def read_line(line: bytes | str) -> tuple[dict[str, Any] | None, str | None]:
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
