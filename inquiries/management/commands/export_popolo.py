"""Write the Popolo export (persons, organizations, memberships) as one JSON document."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inquiries.popolo import export


class Command(BaseCommand):
    help = "Write people, organisations (parliaments, parties, factions, ministries) and memberships as Popolo JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
        parser.add_argument(
            "--base-url",
            help="address of the portal, e.g. https://anfragen.example.org, to link people and organisations to their pages",
        )

    def handle(self, *args, **options) -> None:
        base_url = options["base_url"]
        if base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url: {base_url!r} is not an http(s) address")
        document = export.everything(base_url=base_url)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"--output: cannot write {output}: {error.strerror}") from error
        counts = ", ".join(f"{len(items)} {name}" for name, items in document.items())
        self.stdout.write(f"Popolo export written to {output}: {counts}.")
