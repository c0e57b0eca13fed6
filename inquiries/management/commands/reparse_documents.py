"""Parse every kept original document again, e.g. after a parser was fixed; or, with
``--check``, only compare what the parsers read now with what was kept."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inquiries.importers.base import parsers
from inquiries.importers.base import DocumentError
from inquiries.services.documents import check_documents, reparse_documents


class Command(BaseCommand):
    help = (
        "Parse all kept source documents again and update their inquiries in place; with --check, save nothing "
        "and report every document whose record would change."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=sorted(parsers()), help="use this parser for every document")
        parser.add_argument(
            "--check",
            action="store_true",
            help="save nothing: report the documents whose record differs from the kept one (exit code 1 if a "
            "record differs although the parser's version is the same, or a document cannot be parsed)",
        )

    def handle(self, *args, **options) -> None:
        progress = lambda items: tqdm(items, desc="documents", unit=" docs", disable=None)  # noqa: E731
        if options["check"]:
            if options["format"]:
                raise CommandError("--check parses each document as it was imported; it takes no --format")
            self._check(progress)
            return
        outcomes = reparse_documents(format=options["format"], progress=progress)
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

    def _check(self, progress) -> None:
        checks = check_documents(progress=progress)
        faults = changed = 0
        for check in checks:
            name = check.source.original_name
            if check.error is not None:
                faults += 1
                self.stderr.write(f"{name}: {check.error.problem}")
            elif not check.differences:
                self.stdout.write(f"{name}: same record (parser version {check.new_version})")
            elif check.same_version:
                faults += 1
                self.stderr.write(
                    f"{name}: differs in {', '.join(check.differences)} although the parser version is the same "
                    f"({check.new_version})"
                )
            else:
                changed += 1
                self.stdout.write(
                    f"{name}: differs in {', '.join(check.differences)} "
                    f"(parser version {check.kept_version or 'unknown'} → {check.new_version})"
                )
        self.stdout.write(
            f"{len(checks)} documents checked: {len(checks) - changed - faults} same, {changed} changed by a new parser "
            f"version, {faults} faults."
        )
        if faults:
            raise CommandError(f"{faults} documents differ under the same parser version or cannot be parsed")
