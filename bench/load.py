"""60 seconds of load at 32 concurrent clients over the benchmark's mix; counts errors.

    python bench/load.py --database postgres --count 10000          # after bench/run.py loaded it
    python bench/load.py --database sqlite --count 10000 --no-page-cache

Uses the corpus bench/run.py built (the PostgreSQL database or the SQLite file of --count),
starts gunicorn on 127.0.0.1, and lets 32 clients request the mix (searches, list, inquiry
pages, feeds, API) round robin until the time is up. Prints requests, errors by status,
p50/p95/p99 and requests/s. Stops by itself.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import Server, corpus_database_url, corpus_options, get, portal_env, say, scenarios  # noqa: E402


def hammer(port: int, urls: list[str], *, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        n = offset
        while time.monotonic() < deadline:
            url = urls[n % len(urls)]
            n += clients
            start = time.perf_counter()
            try:
                status, _ = get(port, url, timeout=30)
            except OSError as exc:
                status = type(exc).__name__
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    errors = sum(count for status, count in statuses.items() if status != 200)
    return {"requests": len(latencies), "errors": errors, "statuses": dict(statuses), "seconds": round(wall, 1),
            "rps": round(len(latencies) / wall, 1), "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus_options(parser, database="postgres", count=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--no-page-cache", action="store_true", help="every request renders; counts, first results and highlights from the data-version cache")
    args = parser.parse_args()
    if not (1 <= args.clients <= 256 and 1 <= args.seconds <= 600):
        parser.error("--clients 1–256, --seconds 1–600")

    env = portal_env(corpus_database_url(args.database, args.count, args.pg_prefix), mode="warm" if args.no_page_cache else "cached")
    server = Server(env, args.port, args.workers)
    try:
        mix = scenarios(args.port)
        urls = [url for group in zip(*[(urls * 50)[:50] for urls in mix.values()]) for url in group]
        pids = server.worker_pids()
        result = hammer(args.port, urls, clients=args.clients, seconds=args.seconds)
        result["workers_unchanged"] = server.worker_pids() == pids
        result["peak_rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    say(f"load: {args.database}, {args.clients} clients, {args.seconds:.0f} s, "
        f"page cache {'off' if args.no_page_cache else 'on'}, {args.workers} workers, {len(mix)} scenarios")
    say(f"  {result}")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
