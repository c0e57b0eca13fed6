"""Measure how fast ``import_inquiries`` imports inquiry.v1 records (records per second).

    python bench/import_rate.py                  # 100,000 generated records, fresh SQLite database
    python bench/import_rate.py --count 20000
    python bench/import_rate.py --file dump.jsonl
    DATABASE_URL=postgres://… python bench/import_rate.py --use-database-url

A benchmark, not a test: it prints the rate and judges nothing. By default it creates a
fresh SQLite database in a temporary folder (the portal's default database engine), so
that the figure is the import into an empty database.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="records to generate (default 100,000)")
    parser.add_argument("--file", help="import this .jsonl file instead of generating one")
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL instead of a fresh SQLite file")
    parser.add_argument(
        "--without-search-index",
        action="store_true",
        help="leave out the search index update (the inquiries_changed hook) to tell its cost from the import's",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-rate-"))
    if not args.use_database_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)

    if args.file:
        path = Path(args.file)
        with path.open("rb") as handle:
            count = sum(1 for line in handle if line.strip())
    else:
        from generate_inquiries import write

        path = workdir / "inquiries.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            size = write(args.count, stream)
        count = args.count
        say(f"generated {count} records, {size / count / 1024:.1f} KB each on average")

    if args.without_search_index:
        from inquiries import search

        search.update_index = lambda inquiry_ids, **kwargs: None
    def helper_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    start, cpu, helper = time.perf_counter(), time.process_time(), helper_cpu()
    call_command("import_inquiries", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    seconds, cpu, helper = time.perf_counter() - start, time.process_time() - cpu, helper_cpu() - helper
    index = "without" if args.without_search_index else "with"
    say(f"database: {connection.vendor}, file: {path.stat().st_size / 1e6:.0f} MB, {index} the search index update")
    say(f"imported {count} records in {seconds:.1f} s: {count / seconds:,.0f} records/s")
    # On a shared machine the wall-clock rate depends on the load; this process's own CPU time does not.
    say(f"CPU time of the import: {cpu:.1f} s ({count / cpu:,.0f} records per CPU second)")
    # Reading, checking and the search analysis run in a helper process (inquiries/services/bulk.py).
    say(f"CPU time of its helper process: {helper:.1f} s ({cpu + helper:.1f} s in all)")


if __name__ == "__main__":
    main()
