"""Send the due e-mail digests of followed searches; run it from cron (docs/alerts.md)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inquiries.alerts import services
from inquiries.alerts.models import DigestFrequency


class Command(BaseCommand):
    help = (
        "Mail each confirmed subscriber whose daily or weekly period is over the inquiries "
        "published since their last digest, and delete unconfirmed addresses past their expiry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--frequency", choices=DigestFrequency.values, help="only subscriptions of this frequency (default: all that are due)"
        )
        parser.add_argument("--dry-run", action="store_true", help="count what would be sent and deleted; send and change nothing")

    def handle(self, *args, frequency: str | None = None, dry_run: bool = False, **options) -> None:
        try:
            run = services.send_due_digests(frequency=frequency, dry_run=dry_run)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        for pk, count in run.digests:
            verb = "would get" if dry_run else "got"
            self.stdout.write(f"subscription {pk} {verb} a digest of {count} new inquiries")
        if dry_run:
            self.stdout.write(
                f"dry run: {len(run.digests)} digests due, {run.nothing_new} without anything new, "
                f"{run.invalid} with invalid filters, {run.expired} unconfirmed addresses to delete; nothing sent or changed"
            )
        else:
            self.stdout.write(
                f"{run.sent} digests sent ({run.inquiries} inquiries), {run.nothing_new} without anything new, "
                f"{run.invalid} with invalid filters, {run.expired} unconfirmed addresses deleted"
            )
        if run.failed:
            raise CommandError(f"{run.failed} digests could not be sent (see the log); they stay due for the next run")
