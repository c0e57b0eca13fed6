"""Export inquiries as inquiry.v1 records (JSON Lines)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inquiries.exchange import write_records
from inquiries.selectors.exports import exported_inquiries


class Command(BaseCommand):
    help = (
        "Write inquiries as inquiry.v1 JSON Lines to standard output or --output (gzipped if the name ends in "
        ".gz). Only published inquiries unless --include-drafts or --all."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
        parser.add_argument("--include-drafts", action="store_true", help="also export drafts")
        parser.add_argument("--all", action="store_true", help="export every inquiry, withdrawn ones too")

    def handle(self, *args, **options) -> None:
        inquiries = exported_inquiries(drafts=options["include_drafts"], everything=options["all"])
        output = options["output"]

        def progress(items):
            return tqdm(items, total=inquiries.count(), unit=" inquiries", desc="export", disable=None)

        if not output:
            count = write_records(inquiries, _Stdout(self.stdout), progress=progress)
            self.stderr.write(f"{count} inquiries exported.")
            return
        path = Path(output)
        try:
            with path.open("wb") as raw:
                if path.name.endswith(".gz"):
                    # No file name or time in the gzip header: the same data gives the same file.
                    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed:
                        with io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as stream:
                            count = write_records(inquiries, stream, progress=progress)
                else:
                    with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as stream:
                        count = write_records(inquiries, stream, progress=progress)
        except OSError as exc:
            raise CommandError(f"{output}: cannot be written ({exc.strerror or exc})") from None
        self.stdout.write(f"{count} inquiries exported to {output}.")


class _Stdout:
    """The command's output stream without the line ending it adds to each write."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")
