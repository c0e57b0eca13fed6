"""CPU per request with each of page17's per-request savings turned off and on in one process.

    python bench/toggle_ab.py --rounds 40 --batch 50

A/B runs of two copies of the code in turn compare processes minutes apart, which on a shared
machine differ by more than these savings. Here one process (set up as bench/wsgi_cpu.py: the
WSGI handler, bench/run.py's corpus and inquiry-page URLs) switches between the variants every
``--batch`` requests, round after round, so each variant meets the same load: the CSRF strings
drawn by Django's ``get_random_string`` or ``portal/csrf_tokens.py``, Django's
``MessageMiddleware`` or the lazy one (``portal/messages.py``), the reads compiled once through
Django's cursor or the SQLite backend's thin one. (The page head's tags are a template of their
own and are not switched here.) Prints p50 of the per-batch means and the difference to all
off. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import corpus_database_url, load, portal_env, say  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--scenario", default="inquiry page", choices=["inquiry page", "API detail", "robots.txt"])
    args = parser.parse_args()
    env = portal_env(corpus_database_url("sqlite", 100_000, "bench_portal"), mode="cold")
    env["SEARCH_ENGINE_THREADS"] = "0"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    from django.conf import settings
    from django.db import connections
    from django.middleware import csrf
    from django.utils.crypto import get_random_string

    from portal import csrf_tokens
    from portal.wsgi import application
    from wsgi_cpu import call, scenario_urls

    djangos_string = lambda: get_random_string(csrf.CSRF_SECRET_LENGTH, allowed_chars=csrf.CSRF_ALLOWED_CHARS)  # noqa: E731
    lazy = list(settings.MIDDLEWARE)
    eager = [name.replace("portal.messages.LazyMessageMiddleware", "django.contrib.messages.middleware.MessageMiddleware") for name in lazy]

    def switch(csrf_on: bool, messages_on: bool, cursor_on: bool) -> None:
        csrf._get_new_csrf_string = csrf_tokens.new_csrf_string if csrf_on else djangos_string
        settings.MIDDLEWARE = lazy if messages_on else eager
        application.load_middleware()
        connection = connections["default"]
        if cursor_on:
            connection.__dict__.pop("prepared_cursor", None)
        else:
            connection.prepared_cursor = connection.cursor  # PreparedQuery then takes Django's cursor

    variants = {
        "all off": (False, False, False), "CSRF strings": (True, False, False), "lazy messages": (False, True, False),
        "thin cursor": (False, False, True), "all on": (True, True, True),
    }
    urls = scenario_urls(application)[args.scenario]
    say(f"{args.scenario}: {len(urls)} URLs, {args.rounds} rounds of {args.batch} requests per variant, load {load()}")
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    n = 0
    for _ in range(args.rounds):
        for name, flags in variants.items():
            switch(*flags)
            call(application, urls[n % len(urls)])  # the connection (and its cursor setting) of this variant
            started = time.thread_time()
            for _ in range(args.batch):
                call(application, urls[n % len(urls)])
                n += 1
            cpu[name].append((time.thread_time() - started) * 1000 / args.batch)
    base = statistics.median(cpu["all off"])
    for name, values in cpu.items():
        p50 = statistics.median(values)
        say(f"  {name:14} ms CPU per request: p50 {p50:6.3f}  ({p50 - base:+.3f} against all off)  p95 of batches {statistics.quantiles(values, n=20)[18]:6.3f}")
    say(f"load at end {load()}")


if __name__ == "__main__":
    main()
