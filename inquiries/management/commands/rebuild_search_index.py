"""Index every inquiry for full-text search anew (e.g. after a stemmer upgrade)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from inquiries import search
from inquiries.services import optimize_after_bulk_write


class Command(BaseCommand):
    help = "Rebuild the full-text search index of all inquiries (PostgreSQL tsvector or SQLite FTS5)."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            count = search.rebuild_index()
        optimize_after_bulk_write()
        self.stdout.write(f"Search index rebuilt: {count} inquiries in {time.perf_counter() - started:.1f} s.")
