"""Parse every kept original document again, e.g. after a parser was fixed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inquiries.importers.base import parsers
from inquiries.services import DocumentError, reparse_documents


class Command(BaseCommand):
    help = "Parse all kept source documents again and update their inquiries in place."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=sorted(parsers()), help="use this parser for every document")

    def handle(self, *args, **options) -> None:
        outcomes = reparse_documents(
            format=options["format"], progress=lambda items: tqdm(items, desc="documents", unit=" docs", disable=None)
        )
        failed = 0
        for source, outcome in outcomes:
            if isinstance(outcome, DocumentError):
                failed += 1
                self.stderr.write(f"{source.original_name}: {outcome.problem}")
                continue
            record = outcome.record
            self.stdout.write(
                f"{source.original_name}: {'created' if outcome.created else 'updated'} "
                f"{record['parliament']} {record['reference']} ({len(outcome.warnings)} warnings)"
            )
        self.stdout.write(f"{len(outcomes) - failed} of {len(outcomes)} documents parsed again.")
        if failed:
            raise CommandError(f"{failed} documents could not be parsed again")
