"""Index every inquiry for full-text search anew (e.g. after a stemmer upgrade, or to
build a new app server's index), or with ``--catch-up`` just apply the change log.

With the search engine, the database's own search index (kept for ``SEARCH_ENGINE=database``)
is emptied as well; ``--reclaim`` gives its space back to the file system."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from inquiries import search
from inquiries.services.changes import optimize_after_bulk_write


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the database: the search engine's index "
        "(SEARCH_ENGINE=tantivy: into a new directory, swapped in atomically) or the database's "
        "own (PostgreSQL tsvector or SQLite FTS5)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--catch-up", action="store_true",
            help="Only bring the engine's index up to date (building it if there is none), as a search would.",
        )
        parser.add_argument("--threads", type=int, default=2, help="Indexing threads of the engine (default 2).")
        parser.add_argument(
            "--reclaim", action="store_true",
            help="With the engine: give the space of the emptied database index back to the file system (SQLite: VACUUM).",
        )

    def handle(self, *args, catch_up: bool = False, threads: int = 2, reclaim: bool = False, **options) -> None:
        started = time.perf_counter()
        if search.uses_engine():
            from inquiries.search import engine

            if catch_up:
                engine.catch_up()
                self.stdout.write(f"Search index up to date ({time.perf_counter() - started:.1f} s).")
                return
            count = engine.rebuild(progress=True, threads=threads)
            # What only SEARCH_ENGINE=database reads, left from a time it was chosen.
            cleared = search.clear_database_index(reclaim=reclaim)
            if cleared:
                self.stdout.write(f"Emptied the database's own search index ({cleared} documents; SEARCH_ENGINE=database rebuilds it).")
        else:
            if catch_up:
                self.stdout.write("Nothing to catch up: the database's own search index is written with the data.")
                return
            with transaction.atomic():
                count = search.rebuild_index()
            optimize_after_bulk_write()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Search index rebuilt: {count} inquiries in {seconds:.1f} s ({count / max(seconds, 1e-9):,.0f} inquiries/s).")
