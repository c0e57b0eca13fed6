"""Fetch new and changed answers from the parliaments' documentation systems (docs/deploy.md)."""

from __future__ import annotations

import datetime
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inquiries.harvest.http import PoliteClient
from inquiries.harvest.runs import LogReporter, SourceBusy, harvest
from inquiries.harvest.sources import SOURCES
from inquiries.harvest.sources.base import Listing, SourceNotReady
from inquiries.harvest.status import source_statuses
from inquiries.harvest.validators import DatabaseValidators


class ProgressReporter:
    """A progress bar on a terminal; the log's plain lines otherwise."""

    def __init__(self, code: str, stream) -> None:
        self.stream = stream
        self.bar = tqdm(desc=code, unit=" inquiries", file=stream) if stream.isatty() else None
        self.log = LogReporter()

    def item(self, listing: Listing, status: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(f"{listing.reference} {status}", refresh=False)
            self.bar.update(1)
        else:
            self.log.item(listing, status)

    def message(self, text: str) -> None:
        if self.bar is not None:
            # Above the bar, on the bar's own stream (tqdm.write goes to stdout otherwise).
            self.bar.write(text, file=self.stream)
        else:
            self.log.message(text)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Harvest new and changed inquiries from the parliaments' documentation systems, or list the sources."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", nargs="+", choices=sorted(SOURCES), help="the sources to harvest")
        parser.add_argument("--since", help="first day of the window (YYYY-MM-DD); default: where the last run stopped")
        parser.add_argument("--until", help="last day of the window (YYYY-MM-DD)")
        parser.add_argument("--list", action="store_true", help="list each source, its interface and its state")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="then ask the source for every entry harvested from it before (one request each; bt only): "
            "one it no longer has is treated as deleted there",
        )

    def handle(self, *args, **options) -> None:
        client = PoliteClient(validators=DatabaseValidators())
        if options["list"]:
            for row in source_statuses(client):
                self.stdout.write(f"{row.code:<18} {row.state:<22} {row.interface}" + (f"\n{'':<18} {row.note}" if row.note else ""))
            client.close()
            return
        if not options["source"]:
            raise CommandError("name the sources to harvest with --source, or use --list")
        if not settings.HARVEST_USER_AGENT:
            raise CommandError("HARVEST_CONTACT must be set: the parliaments' operators must be able to reach us")
        since = _day(options["since"]) if options["since"] else None
        until = _day(options["until"]) if options["until"] else None
        if since and until and since > until:
            raise CommandError("--since lies after --until")
        # systemd stops a unit with SIGTERM: end like Ctrl-C, so the run is marked interrupted and its lock released.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            failures = self._harvest(client, options["source"], since, until, verify=options["verify"])
        finally:
            signal.signal(signal.SIGTERM, previous)
            client.close()
        if failures:
            raise CommandError("; ".join(failures))

    def _harvest(self, client: PoliteClient, codes: list[str], since, until, *, verify: bool = False) -> list[str]:
        failures = []
        for code in codes:
            reporter = ProgressReporter(code, sys.stderr)
            try:
                run = harvest(SOURCES[code](client), since=since, until=until, reporter=reporter, verify=verify)
            except (SourceBusy, SourceNotReady) as refusal:
                failures.append(str(refusal))
                continue
            finally:
                reporter.close()
            self.stdout.write(
                f"{code}: run #{run.pk} {run.get_state_display()}: {run.new_count} new, {run.changed_count} changed, "
                f"{run.unchanged_count} unchanged, {run.withdrawn_count} deleted at the source, {run.failed_count} failed"
            )
            for error in run.errors:
                self.stderr.write(f"{code}: {error['url'] or '-'}: {error['message']}")
            if run.state != "finished":
                failures.append(f"{code}: run #{run.pk} {run.state}")
        return failures
