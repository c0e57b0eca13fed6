"""Search through the selector path with the search engine, caches off: p50/p95 per scenario.

    python bench/search_engine.py --count 100000            # fresh SQLite database + index
    python bench/search_engine.py --count 100000 --workdir /tmp/se100k   # build once, reuse
    DATABASE_URL=postgres://… python bench/search_engine.py --use-database-url --count 100000

Builds N generated inquiries (bench/generate_inquiries.py) into a fresh database with
`import_inquiries`, rebuilds the engine's index with `rebuild_search_index` (its rate is
printed), then times what a page of the list or search costs without any cache
(AGGREGATE_CACHE_SECONDS=0, no page cache): the filterset and its query, the exact total and every
facet (`listing.inquiry_summary`), the 25 results of the page (`search_results_head`,
`kept_results`, `inquiries_in_order`) and their highlighted snippets (`search.highlights`).
Not the HTTP layer and not the template: bench/run.py measures those.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workdir", help="keep database, index and records here and reuse them when present")
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL (must be empty or hold this count)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per scenario (default 30)")
    args = parser.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="search-engine-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if not args.use_database_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["SEARCH_ENGINE"] = "tantivy"
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    os.environ["AGGREGATE_CACHE_SECONDS"] = "0"
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict

    from inquiries import search
    from inquiries.selectors import listing
    from inquiries.filters import InquiryFilterSet
    from inquiries.models import Inquiry
    from inquiries.search import engine

    call_command("migrate", verbosity=0)
    present = Inquiry.objects.count()
    if present == 0:
        from generate_inquiries import write

        path = workdir / "inquiries.jsonl"
        if not path.exists():
            with path.open("w", encoding="utf-8") as stream:
                write(args.count, stream)
        started = time.perf_counter()
        call_command("import_inquiries", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        seconds = time.perf_counter() - started
        say(f"imported {args.count:,} records in {seconds:.0f} s ({args.count / seconds:,.0f}/s), {connection.vendor}")
        present = Inquiry.objects.count()
    say(f"database: {connection.vendor}, {present:,} inquiries")

    started, cpu = time.perf_counter(), time.process_time()
    indexed = engine.rebuild(progress=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    say(f"rebuild_search_index: {indexed:,} inquiries in {seconds:.1f} s = {indexed / seconds:,.0f} inquiries/s"
        f" (CPU {cpu:.1f} s of all threads: {indexed / cpu:,.0f} inquiries per CPU second)")
    index_bytes = sum(path.stat().st_size for path in (workdir / "index").rglob("*") if path.is_file())
    say(f"index on disk: {index_bytes / 1e9:.2f} GB")
    if connection.vendor == "sqlite":
        say(f"database file: {(workdir / 'bench.sqlite3').stat().st_size / 1e9:.2f} GB")

    published = Inquiry.objects.published()
    total = published.count()

    def share(word: str) -> float:
        return search.search(word, published).count() / total if total else 0.0

    searcher, schema, _index = engine.searcher()
    from inquiries.search import engine_search

    def count_of(word: str) -> int:
        return engine_search.count(searcher, engine_search.combined(schema, search.parse_query(word), {}))

    common = next((word for word in ["Fachkräftemangel", "Haushaltsjahre", "Genehmigungsverfahren", "Ursachen", "Landesregierung"]
                   if count_of(word) >= 0.2 * total), "Landesregierung")
    rare = next((str(n) for n in range(100, 5000) if 0 < count_of(str(n)) <= 0.005 * total), "Hameln")
    scenarios = {
        f"common word ({common}, {count_of(common) / total:.0%})": f"q={common}",
        f"rare word ({rare}, {count_of(rare)} hits)": f"q={rare}",
        "phrase (\"Förderung des Radverkehrs\")": "q=%22F%C3%B6rderung+des+Radverkehrs%22",
        f"exclusion ({common} -Heilbronn)": f"q={common}+-Heilbronn",
        "two words (Hochwasserschutz Reutlingen)": "q=Hochwasserschutz+Reutlingen",
        f"search + filters ({common}, BW, answered)": f"q={common}&parliament=bw&status=answered",
        "bare list with facets": "",
        "bare list, oldest answer first, page 3": "ordering=answered&page=3",
    }

    def page(query: str) -> float:
        """One page; returns the CPU seconds of loading its 25 rows from the database (the rest is the engine's)."""
        data = QueryDict(query)
        filterset = InquiryFilterSet(data=data, queryset=listing.inquiry_search_base())
        assert filterset.is_valid(), filterset.errors
        query = filterset.query
        summary = listing.inquiry_summary(query)
        number = query.page
        bottom = (number - 1) * 25
        head = listing.search_results_head(query)
        kept = listing.kept_results(head, bottom, min(bottom + 25, summary.count), summary.count)
        loading = time.process_time()
        rows = listing.inquiries_in_order(kept)
        loading = time.process_time() - loading
        search.highlights(query.parsed, rows)
        assert len(rows) == min(25, max(summary.count - bottom, 0))
        return loading

    say(f"load: {os.getloadavg()[0]:.1f} (1-min load average on {os.cpu_count()} cores)")
    # Wall-clock time depends on the machine's load; CPU time (all threads of this process) much less.
    # "engine CPU" is the page's CPU time without loading its 25 rows through the ORM.
    say(f"{'scenario':<52} {'results':>9} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'engine CPU p50':>15}")

    def p95_of(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]

    for name, query in scenarios.items():
        page(query)  # warm: the catch-up check, imports, the OS page cache of the index
        timings, cpus, engine_cpus = [], [], []
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            loading = page(query)
            timings.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            engine_cpus.append(cpus[-1] - loading * 1000)
        p95 = p95_of(timings)
        data = QueryDict(query)
        filterset = InquiryFilterSet(data=data, queryset=listing.inquiry_search_base())
        filterset.is_valid()
        results = listing.inquiry_summary(filterset.query).count
        say(f"{name:<52} {results:>9,} {statistics.median(timings):>8.1f} {p95:>8.1f} {statistics.median(cpus):>8.1f} {p95_of(cpus):>8.1f} {statistics.median(engine_cpus):>15.1f}")
    say(f"load: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
