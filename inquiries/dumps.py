"""Bulk downloads: every published inquiry as gzipped inquiry.v1 JSON Lines.

``write_dump()`` (run by ``python manage.py dump_inquiries``) writes
``MEDIA_ROOT/dumps/inquiries-YYYY-MM-DD.jsonl.gz`` and beside it a ``.json`` file
with its metadata: date, size, SHA-256, number of records and the licences and
attributions that travel with the data (the ODbL notice of kleineanfragen.de for
the records from its archive). ``latest_dump()`` reads the newest metadata for
the open-data page. Files are written under a temporary name and renamed, so a
download never sees half a dump.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from inquiries.exchange import FORMAT, write_records
from inquiries.models import Inquiry
from inquiries.selectors import base

DUMP_DIR_NAME = "dumps"
DUMP_NAME = re.compile(r"^inquiries-\d{4}-\d{2}-\d{2}\.jsonl\.gz$")

PORTAL_LICENCE = {
    "name": "Amtliche Werke (§ 5 UrhG)",
    "note": "Inquiries and answers are official works of the parliaments and governments; name the source.",
}
# Attributions by the notice stored on the inquiries (``Inquiry.source_notice``).
KNOWN_SOURCES = {
    "kleineanfragen.de": {
        "name": "kleineanfragen.de",
        "licence": "Open Database License (ODbL 1.0)",
        "licence_url": "https://opendatacommons.org/licenses/odbl/1-0/",
        "attribution": "Metadaten: kleineanfragen.de (Archiv 1.1.2021), Open Database License (ODbL 1.0)",
    }
}


@dataclass(frozen=True)
class Dump:
    """The metadata of one dump file (kept beside it as JSON)."""

    file: str
    format: str
    created_at: str
    records: int
    bytes: int
    sha256: str
    licence: dict[str, str]
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def created(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.created_at)


def dump_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / DUMP_DIR_NAME


def dumped_inquiries() -> QuerySet[Inquiry]:
    """Every published inquiry (written in ``exchange.EXPORT_ORDER``)."""
    return base.public_inquiries()


def source_attributions(inquiries: QuerySet[Inquiry]) -> list[dict[str, Any]]:
    """The attributions the dumped records carry, with how many records each covers."""
    found = []
    rows = inquiries.exclude(source_notice="").order_by().values("source_notice").annotate(count=Count("pk")).order_by("source_notice")
    for row in rows:
        known = next((source for key, source in KNOWN_SOURCES.items() if key in row["source_notice"]), None)
        entry = dict(known) if known else {"attribution": row["source_notice"]}
        entry["attribution"] = row["source_notice"]
        entry["records"] = row["count"]
        found.append(entry)
    return found


def write_dump(directory: Path | None = None, *, now: datetime.datetime | None = None, keep: int | None = None) -> Dump:
    """Write today's dump (replacing one of the same day) and its metadata; prune old ones."""
    directory = directory or dump_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    name = f"inquiries-{timezone.localtime(now):%Y-%m-%d}.jsonl.gz"
    inquiries = dumped_inquiries()
    digest = hashlib.sha256()
    handle, temporary = tempfile.mkstemp(prefix=".dump-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as raw:
            # No name or time in the gzip header: the same data gives the same bytes.
            with gzip.GzipFile(filename="", mode="wb", fileobj=_Hashing(raw, digest), mtime=0) as packed:
                with io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as text:
                    count = write_records(inquiries, text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, directory / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    dump = Dump(
        file=name,
        format=FORMAT,
        created_at=now.isoformat(),
        records=count,
        bytes=(directory / name).stat().st_size,
        sha256=digest.hexdigest(),
        licence=PORTAL_LICENCE,
        sources=source_attributions(inquiries),
    )
    metadata = directory / name.replace(".jsonl.gz", ".json")
    metadata_temporary = metadata.with_name(f".{metadata.name}.tmp")
    metadata_temporary.write_text(json.dumps(asdict(dump), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(metadata_temporary, metadata)
    prune(directory, keep=keep or settings.DUMPS_KEEP)
    return dump


def dumps(directory: Path | None = None) -> list[Dump]:
    """The dumps on disk with readable metadata, newest first."""
    directory = directory or dump_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("inquiries-*.json"), reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            dump = Dump(**data)
        except (OSError, ValueError, TypeError):
            continue
        if DUMP_NAME.match(dump.file) and (directory / dump.file).is_file():
            found.append(dump)
    return found


def latest_dump(directory: Path | None = None) -> Dump | None:
    found = dumps(directory)
    return found[0] if found else None


def dump_path(name: str, directory: Path | None = None) -> Path | None:
    """The file of a dump named in a URL; None unless it is one (no other file is served)."""
    if not DUMP_NAME.match(name):
        return None
    path = (directory or dump_dir()) / name
    return path if path.is_file() else None


def prune(directory: Path, *, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest dumps; returns the names deleted."""
    names = sorted((path.name for path in directory.glob("inquiries-*.jsonl.gz") if DUMP_NAME.match(path.name)), reverse=True)
    gone = names[keep:]
    for name in gone:
        (directory / name).unlink(missing_ok=True)
        (directory / name.replace(".jsonl.gz", ".json")).unlink(missing_ok=True)
    return gone


class _Hashing(io.RawIOBase):
    """A write-only stream that hashes what passes through to ``target``."""

    def __init__(self, target: Any, digest: Any) -> None:
        self.target, self.digest = target, digest

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return self.target.write(data)
