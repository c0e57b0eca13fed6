"""Import inquiry.v1 records (JSON Lines, optionally gzipped)."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from typing import BinaryIO, Iterator

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inquiries.models import InquiryState
from inquiries.services.bulk import import_records


class Command(BaseCommand):
    help = (
        "Import inquiry.v1 records from a .jsonl (or .jsonl.gz) file, '-' for standard input. A bad line is "
        "reported with its number and the rest is imported; with --strict nothing is imported then."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE.jsonl")
        parser.add_argument("--strict", action="store_true", help="import nothing if any line is bad")
        parser.add_argument(
            "--state",
            choices=[InquiryState.PUBLISHED, InquiryState.DRAFT],
            default=InquiryState.PUBLISHED,
            help="state of new inquiries and drafts (default: published, as open data is); published and withdrawn ones keep theirs",
        )

    def handle(self, *args, **options) -> None:
        name = options["file"]
        try:
            raw: BinaryIO = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(f"{name}: cannot be read ({exc.strerror or exc})") from None
        try:
            total = None if name == "-" else Path(name).stat().st_size
            with tqdm(total=total, unit="B", unit_scale=True, desc="import", disable=None) as bar:
                report = import_records(_lines(raw, name, bar), strict=options["strict"], state=options["state"])
        except (OSError, EOFError) as exc:
            raise CommandError(f"{name}: cannot be read ({exc})") from None
        finally:
            if raw is not sys.stdin.buffer:
                raw.close()
        for error in report.errors:
            self.stderr.write(f"{name}: {error}")
        if options["strict"] and report.errors:
            raise CommandError(f"{len(report.errors)} bad lines; nothing was imported (--strict)")
        self.stdout.write(f"{report.created} created, {report.updated} updated, {len(report.errors)} bad lines.")
        if report.errors:
            raise CommandError(f"{len(report.errors)} bad lines were skipped")


def _lines(raw: BinaryIO, name: str, bar: tqdm) -> Iterator[bytes]:
    """The file's lines (decompressed if gzipped), moving the progress bar by bytes read."""
    stream = gzip.GzipFile(fileobj=raw) if name.endswith(".gz") else raw
    position = 0
    for line in stream:
        if raw.seekable():
            now = raw.tell()
            bar.update(now - position)
            position = now
        yield line
