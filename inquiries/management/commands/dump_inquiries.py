"""Write the bulk download of all published inquiries (see ``inquiries.dumps``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inquiries import dumps


class Command(BaseCommand):
    help = (
        "Write every published inquiry as gzipped inquiry.v1 JSON Lines to MEDIA_ROOT/dumps/ (or --directory), "
        "with a metadata file (date, size, SHA-256, licences); keeps the newest --keep dumps."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--directory", metavar="DIR", help="write here instead of MEDIA_ROOT/dumps/")
        parser.add_argument("--keep", type=int, metavar="N", help="how many dumps to keep (default: settings.DUMPS_KEEP)")

    def handle(self, *args, **options) -> None:
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more")
        directory = Path(options["directory"]) if options["directory"] else None
        try:
            dump = dumps.write_dump(directory, keep=keep)
        except OSError as exc:
            raise CommandError(f"{directory or dumps.dump_dir()}: cannot write the dump ({exc.strerror or exc})") from None
        self.stdout.write(f"{dump.records} inquiries written to {dump.file} ({dump.bytes} bytes, sha256 {dump.sha256}).")
