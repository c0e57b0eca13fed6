"""Metadata of inquiries from the kleineanfragen.de archive (CSV, one inquiry a row).

The archive has no question texts, only title, reference, kind, the date the
answer was published, asking groups and people and answering ministries. This module
reads the rows as inquiry.v1 records (no database); ``services.bulk.load_kleineanfragen``
writes them, leaving papers that exist alone, so loading twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from inquiries.exchange import KINDS
from inquiries.names import NON_FACTIONS, fold

SOURCE_NOTICE = "Metadaten: kleineanfragen.de (Archiv 1.1.2021), Open Database License (ODbL 1.0)"
BODIES = {"Baden-Württemberg": "BW", "Bundestag": "BT"}
# The archive has no publication time: a paper without answer date counts as published on the archive's date.
UNDATED = datetime.date(2021, 1, 1)


class CsvError(ValueError):
    pass


@dataclass
class Row:
    line: int
    parliament: str
    term: int
    reference: str
    kind: str
    title: str
    answered_on: datetime.date | None
    url: str
    factions: list[str]
    people: list[str]
    ministry: str | None
    asker_factions: dict[str, str | None] = field(default_factory=dict)


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def read_rows(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for number, raw in enumerate(reader, start=2):
            try:
                parliament = BODIES[raw["body"]]
                term = int(raw["legislative_term"])
                reference = f"{term}/{int(raw['reference'])}"
                answered_on = datetime.date.fromisoformat(raw["published_at"]) if raw["published_at"] else None
            except (KeyError, ValueError) as exc:
                raise CsvError(f"{path.name}: line {number}: {exc}") from None
            kind = raw.get("interpellation_type") or "minor"
            if kind not in KINDS:
                raise CsvError(f"{path.name}: line {number}: unknown kind {kind!r}")
            ministries = _split(raw.get("answering_ministries_wikidata", ""))
            rows.append(
                Row(
                    line=number,
                    parliament=parliament,
                    term=term,
                    reference=reference,
                    kind=kind,
                    title=raw["title"].strip(),
                    answered_on=answered_on,
                    url=raw.get("html_url", "").strip(),
                    factions=[name for name in _split(raw.get("inquiring_parties_wikidata", "")) if fold(name) not in NON_FACTIONS],
                    people=_split(raw.get("inquiring_people_wikidata", "")),
                    ministry=ministries[0] if ministries else None,
                )
            )
    return rows


def _assign_asker_factions(rows: list[Row]) -> None:
    """Each asker's group: the row's only group, else the group the person asked for elsewhere."""
    known: dict[tuple[str, int, str], str] = {}
    for row in rows:
        if len(row.factions) == 1:
            for person in row.people:
                known.setdefault((row.parliament, row.term, person), row.factions[0])
    for row in rows:
        for person in row.people:
            if len(row.factions) == 1:
                row.asker_factions[person] = row.factions[0]
            else:
                guess = known.get((row.parliament, row.term, person))
                row.asker_factions[person] = guess if guess in row.factions else None


def to_record(row: Row) -> dict[str, Any]:
    """The inquiry.v1 record of an archive row (title and address cut to the columns' length)."""
    record: dict[str, Any] = {
        "parliament": row.parliament,
        "term": row.term,
        "reference": row.reference,
        "kind": row.kind,
        "title": row.title[:1000],
        "answered_on": row.answered_on.isoformat() if row.answered_on else None,
        "source_url": row.url[:500],
        "askers": [{"name": name, "faction": row.asker_factions.get(name)} for name in row.people],
        "factions": row.factions,
    }
    if row.ministry:
        record["answering_ministry"] = row.ministry
    return record


def load_records(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The records of the archive's CSV files, each paper once (the archive lists a few twice)."""
    rows = [row for path in paths for row in read_rows(path)]
    _assign_asker_factions(rows)
    seen: set[tuple[str, str]] = set()
    records = []
    for row in rows:
        if (row.parliament, row.reference) not in seen:
            seen.add((row.parliament, row.reference))
            records.append(to_record(row))
    return records
