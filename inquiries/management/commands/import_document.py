"""Import answer documents (text or PDF) as inquiries."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inquiries.importers.base import parsers
from inquiries.importers.base import DocumentError
from inquiries.models import InquiryState
from inquiries.services.documents import import_document

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Import ministry answer documents (.txt or .pdf) as inquiries. The layout is recognised from the text; "
        "a '<name>.meta.json' beside a file is read as the parliament's listing of it. A file that cannot be "
        "imported gets one error line and the others still import; the exit code is then 1."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=sorted(parsers()), help="use this parser instead of recognising the layout")
        parser.add_argument("--dry-run", action="store_true", help="print the parsed inquiry.v1 records (JSON Lines) and save nothing")
        parser.add_argument(
            "--state",
            choices=[InquiryState.DRAFT, InquiryState.PUBLISHED],
            default=InquiryState.DRAFT,
            help="state of new inquiries and drafts (default: draft); published and withdrawn ones keep theirs",
        )
        parser.add_argument("--no-listing", action="store_true", help="ignore .meta.json files beside the documents")

    def handle(self, *args, **options) -> None:
        failed = 0
        for name in options["files"]:
            if not self._import(Path(name), options):
                failed += 1
        if failed:
            raise CommandError(f"{failed} of {len(options['files'])} files could not be imported")

    def _import(self, path: Path, options: dict) -> bool:
        try:
            size = path.stat().st_size
            if size > settings.DOCUMENT_MAX_BYTES:
                raise DocumentError(path.name, f"file too large: {size} bytes, the limit is {settings.DOCUMENT_MAX_BYTES} (DOCUMENT_MAX_BYTES)")
            data = path.read_bytes()
        except DocumentError as exc:
            self.stderr.write(f"{path}: {exc.problem}")
            return False
        except OSError as exc:
            self.stderr.write(f"{path}: cannot be read ({exc.strerror or exc})")
            return False
        listing = None if options["no_listing"] else self._listing(path)
        try:
            result = import_document(
                path.name, data, format=options["format"], dry_run=options["dry_run"], state=options["state"], listing=listing
            )
        except DocumentError as exc:
            self.stderr.write(f"{path}: {exc.problem}")
            return False
        except Exception as exc:  # a parser bug must not stop the other files
            logger.exception("importing %s failed", path)
            self.stderr.write(f"{path}: internal error while importing ({type(exc).__name__}: {exc})")
            return False
        if options["dry_run"]:
            self.stdout.write(json.dumps(result.record, ensure_ascii=False))
            for warning in result.warnings:
                self.stderr.write(f"{path}: warning: {warning}")
            return True
        record = result.record
        action = "created" if result.created else "updated"
        self.stdout.write(
            f"{path}: {action} {record['parliament']} {record['reference']} with {len(record['questions'])} questions "
            f"(parser {result.parser}, {len(result.warnings)} warnings)"
        )
        for warning in result.warnings:
            self.stdout.write(f"  - {warning}")
        return True

    def _listing(self, path: Path) -> dict | None:
        meta = path.with_suffix(".meta.json")
        if not meta.is_file():
            return None
        try:
            listing = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.stderr.write(f"{path}: warning: {meta.name} is ignored, it cannot be read ({exc})")
            return None
        if not isinstance(listing, dict):
            self.stderr.write(f"{path}: warning: {meta.name} is ignored, it is no JSON object")
            return None
        return listing
