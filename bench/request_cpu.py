"""CPU time per uncached request, p50/p95/max, of the feed, API list and search scenarios.

    python bench/request_cpu.py --database sqlite --count 100000
    python bench/request_cpu.py --count 20000 --requests 200 --scenarios "search: exclusion" --gc-freeze

Runs in-process against the corpus bench/run.py built, page cache and cache of counts off,
and sends single requests one after another through Django's test client (the whole
middleware stack), with the URLs of bench/run.py's scenarios of the same names. Measures
this thread's CPU time per request (``time.thread_time``), which the load of a shared
machine barely moves, unlike wall-clock latency. The tail (p95, max) shows full garbage
collections landing in a request; ``--gc-freeze`` installs ``portal/gc_freeze.py`` as
``portal/wsgi.py`` does in a gunicorn worker. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import commit, corpus_database_url, corpus_marker, corpus_options, data_file, load, pick_words, portal_env, say  # noqa: E402


def scenario_urls(words: dict) -> dict[str, list[str]]:
    """The URLs of bench/run.py's scenarios of these names (``run.scenarios``)."""
    q = urllib.parse.quote
    common, rare, second = words["common"]["word"], words["rare"]["word"], words["second"]["word"]
    return {
        "feed": ["/anfragen/feed/", f"/anfragen/feed/?q={q(rare)}"],
        "feed, common word": [f"/anfragen/feed/?q={q(common)}"],
        "API list": ["/api/v1/inquiries/", "/api/v1/inquiries/?page=2"],
        "API list, common word": [f"/api/v1/inquiries/?q={q(common)}"],
        "search: exclusion": [f"/anfragen/?q={q(f'{common} -{second}')}"],
        "search: common word": [f"/anfragen/?q={q(common)}"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus_options(parser)
    parser.add_argument("--requests", type=int, default=60, help="measured requests per scenario (after 3 unmeasured)")
    parser.add_argument("--scenarios", type=lambda value: [name.strip() for name in value.split(",")], default=[],
                        help="comma-separated scenario names (default: all)")
    parser.add_argument("--gc-freeze", action="store_true", help="freeze the loaded objects as a gunicorn worker does")
    args = parser.parse_args()
    if not 1 <= args.requests <= 5000:
        parser.error("--requests 1–5000")
    if not corpus_marker(args.database, args.count, args.pg_prefix).exists():
        raise SystemExit(f"no corpus of {args.count} on {args.database}: run bench/run.py --count {args.count} --database {args.database} first")

    env = portal_env(corpus_database_url(args.database, args.count, args.pg_prefix), mode="cold")
    # This thread's CPU is what is measured: the facet counts are counted in it too, not on the
    # engine's threads (search/threads.py), where it would not see them.
    env["SEARCH_ENGINE_THREADS"] = "0"
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.test import Client

    if args.gc_freeze:
        from portal import gc_freeze

        gc_freeze.install()
    urls = scenario_urls(pick_words(data_file(args.count)))
    unknown = set(args.scenarios) - set(urls)
    if unknown:
        raise SystemExit(f"unknown scenarios {sorted(unknown)}; there are {sorted(urls)}")
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    say(f"CPU per request: {args.database}, {args.count:,} inquiries, commit {commit()}, load {load()},"
        f" gc freeze {'on' if args.gc_freeze else 'off'}, {args.requests} requests per scenario")
    for name, addresses in urls.items():
        if args.scenarios and name not in args.scenarios:
            continue
        for address in addresses[:3]:
            client.get(address)
        cpu = []
        for n in range(args.requests):
            address = addresses[n % len(addresses)]
            started = time.thread_time()
            response = client.get(address)
            cpu.append((time.thread_time() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{address} answered {response.status_code}")
        quantiles = statistics.quantiles(cpu, n=100) if len(cpu) > 1 else cpu * 99
        say(f"  {name:24} CPU ms  p50 {statistics.median(cpu):6.1f}  p95 {quantiles[94]:6.1f}  max {max(cpu):6.1f}")
    say(f"load at end {load()}")


if __name__ == "__main__":
    main()
