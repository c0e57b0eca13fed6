"""Measure how fast ``import_inquiries`` imports inquiry.v1 records (records per second).

    python bench/import_rate.py                  # 100,000 generated records, fresh SQLite database
    python bench/import_rate.py --count 20000
    python bench/import_rate.py --file dump.jsonl
    python bench/import_rate.py --file new.jsonl --base corpus.jsonl   # onto a database that holds corpus.jsonl
    DATABASE_URL=postgres://… python bench/import_rate.py --use-database-url

A benchmark, not a test: it prints the rate and judges nothing. By default it creates a
fresh SQLite database in a temporary folder (the portal's default database engine), so
that the figure is the import into an empty database. ``--use-database-url`` imports into
the database of ``DATABASE_URL`` as it is (create it fresh for a comparable figure).

The figure includes the search index: with the search engine (``SEARCH_ENGINE=tantivy``,
the default) the time until the engine's index has taken in every imported inquiry
(``search.refresh()`` after the command) is counted, and printed on its own line too.
Printed besides: CPU seconds of the importing process, of its helper process and (on
PostgreSQL) of the database server's backend serving the import, and the peak RSS.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import fresh_portal  # noqa: E402


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def backend_cpu(connection) -> float | None:
    """CPU seconds the PostgreSQL backend serving ``connection`` has used (None elsewhere,
    or where its /proc entry cannot be read: a server on another machine)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_rss() -> None:
    """Linux: start this process's peak RSS afresh (what the setup used is not the import's)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss() -> float:
    """This process's peak RSS in MB since ``reset_peak_rss`` (Linux), else since it started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lines_in(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="records to generate (default 100,000)")
    parser.add_argument("--file", help="import this .jsonl file instead of generating one")
    parser.add_argument("--base", help="import this .jsonl file first, untimed (the corpus the measured import goes onto)")
    parser.add_argument(
        "--tail", type=int, default=0, help="import the file's last N records with a second command and print their rate too (does the rate fall as the tables grow?)"
    )
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL instead of a fresh SQLite file")
    parser.add_argument(
        "--without-search-index",
        action="store_true",
        help="leave out the search index update (the inquiries_changed hook) to tell its cost from the import's",
    )
    args = parser.parse_args()

    workdir = fresh_portal.set_up("import-rate-", use_database_url=args.use_database_url)

    from django.core.management import call_command
    from django.db import connection

    from inquiries import search

    if args.file:
        path = Path(args.file)
        count = lines_in(path)
    else:
        from generate_inquiries import write

        path = workdir / "inquiries.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            size = write(args.count, stream)
        count = args.count
        say(f"generated {count} records, {size / count / 1024:.1f} KB each on average")

    if args.base:
        start = time.perf_counter()
        call_command("import_inquiries", args.base, stdout=io.StringIO(), stderr=io.StringIO())
        search.refresh()
        say(f"base: {lines_in(Path(args.base))} records of {args.base} imported first in {time.perf_counter() - start:.1f} s (not counted)")

    if args.without_search_index:
        search.update_index = lambda inquiry_ids, **kwargs: None

    def helper_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    parts = [path]
    if args.tail:
        # Line by line: the file read whole would be this process's peak RSS, not the import.
        parts = [workdir / "head.jsonl", workdir / "tail.jsonl"]
        head = count - args.tail
        with path.open("rb") as source, parts[0].open("wb") as first, parts[1].open("wb") as second:
            for number, line in enumerate(line for line in source if line.strip()):
                (first if number < head else second).write(line)

    reset_peak_rss()
    server = backend_cpu(connection)
    start, cpu, helper = time.perf_counter(), time.process_time(), helper_cpu()
    imported = 0.0
    for part in parts:
        part_start, part_cpu = time.perf_counter(), time.process_time()
        call_command("import_inquiries", str(part), stdout=io.StringIO(), stderr=io.StringIO())
        imported += time.perf_counter() - part_start
        if not args.without_search_index:
            search.refresh()
        if args.tail and part == parts[1]:
            part_seconds, part_cpu = time.perf_counter() - part_start, time.process_time() - part_cpu
            say(f"the last {args.tail} records: {part_seconds:.1f} s, {args.tail / part_seconds:,.0f} records/s, {args.tail / part_cpu:,.0f} records per CPU second of the import")
    seconds, cpu, helper = time.perf_counter() - start, time.process_time() - cpu, helper_cpu() - helper
    server_end = backend_cpu(connection)
    index = "without" if args.without_search_index else "with"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    say(f"database: {connection.vendor}, file: {path.stat().st_size / 1e6:.0f} MB, {index} the search index, load average {load}")
    say(f"imported {count} records in {seconds:.1f} s: {count / seconds:,.0f} records/s (index included)")
    if not args.without_search_index:
        say(f"of which bringing the search index up to date after the command: {seconds - imported:.1f} s")
    # On a shared machine the wall-clock rate depends on the load; this process's own CPU time does not.
    say(f"CPU time of the import: {cpu:.1f} s ({count / cpu:,.0f} records per CPU second)")
    # Reading, checking and the search analysis run in a helper process (inquiries/services/bulk.py).
    say(f"CPU time of its helper process: {helper:.1f} s ({cpu + helper:.1f} s in all)")
    if server is not None and server_end is not None:
        total = cpu + helper + server_end - server
        say(f"CPU time of the PostgreSQL backend: {server_end - server:.1f} s ({total:.1f} s in all, {count / total:,.0f} records per CPU second)")
    if search.uses_engine() and not args.without_search_index:
        from inquiries.models import Inquiry
        from inquiries.search import engine

        searcher, _schema, _index = engine.searcher()
        say(f"search index: {searcher.num_docs} documents, {Inquiry.objects.filter(state='published').count()} published inquiries")
    peak = peak_rss()
    peak_helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    say(f"peak RSS: {peak:.0f} MB (import, from its start), {peak_helper:.0f} MB (helper)")


if __name__ == "__main__":
    main()
