"""What one uncached page costs in CPU, part by part: database, Python outside it, templates.

    python bench/render_cost.py --database sqlite --count 100000
    python bench/render_cost.py --database postgres --count 100000 --requests 30

Runs in-process against the corpus bench/run.py built (the same database), with the page cache
and the cache of counts off (``PAGE_CACHE_SECONDS=0 AGGREGATE_CACHE_SECONDS=0``), and sends
single requests one after another through Django's test client (the whole middleware stack):
the search page of 25 hits for the corpus's common word, the list page and inquiry pages.
For each request it measures this thread's CPU time (``time.thread_time``), split into

- database: the time spent inside the database calls (``connection.execute_wrapper``), CPU of
  this process (for SQLite the whole query, which runs in-process; for PostgreSQL the driver's
  share) and wall time (for PostgreSQL mostly the server's work, not Python's);
- templates: the outermost template render (Django's ``Template.render`` and Jinja2's, when
  used), without the database calls made during it (lazy querysets);
- Python outside both: view, ORM (building queries, model instances), middleware, forms.

Prints the median (p50) of each part over the requests, per page. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import BENCH_DB, commit, corpus_database_url, corpus_marker, data_file, load, pick_words, portal_env, say  # noqa: E402


@dataclass
class Sample:
    total_cpu: float = 0.0
    total_wall: float = 0.0
    db_cpu: float = 0.0
    db_wall: float = 0.0
    queries: int = 0
    template_cpu: float = 0.0  # the outermost renders, database calls inside them included
    template_db_cpu: float = 0.0
    depth: int = 0
    status: int = 0
    parts: dict = field(default_factory=dict)

    def finish(self) -> dict:
        template_own = self.template_cpu - self.template_db_cpu
        return {
            "total CPU": self.total_cpu,
            "database CPU (in this process)": self.db_cpu,
            "database wall": self.db_wall,
            "templates CPU (without database)": template_own,
            "Python outside database and templates (view, ORM, middleware)": self.total_cpu - self.db_cpu - template_own,
            "total wall": self.total_wall,
            "queries": self.queries,
        }


CURRENT: list[Sample] = []


def database_timer(execute, sql, params, many, context):
    sample = CURRENT[-1] if CURRENT else None
    cpu, wall = time.thread_time(), time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        if sample is not None:
            spent_cpu = time.thread_time() - cpu
            sample.db_cpu += spent_cpu
            sample.db_wall += time.perf_counter() - wall
            sample.queries += 1
            if sample.depth:
                sample.template_db_cpu += spent_cpu


def wrap_render(owner: type) -> None:
    """Time the outermost render of ``owner`` (nested renders, as includes, are inside it)."""
    original = owner.render

    def render(self, *args, **kwargs):
        sample = CURRENT[-1] if CURRENT else None
        if sample is None:
            return original(self, *args, **kwargs)
        sample.depth += 1
        started = time.thread_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            sample.depth -= 1
            if not sample.depth:
                sample.template_cpu += time.thread_time() - started

    owner.render = render


@contextmanager
def measured():
    sample = Sample()
    CURRENT.append(sample)
    cpu, wall = time.thread_time(), time.perf_counter()
    try:
        yield sample
    finally:
        sample.total_cpu = time.thread_time() - cpu
        sample.total_wall = time.perf_counter() - wall
        CURRENT.pop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=100_000, help="which corpus of bench/run.py")
    parser.add_argument("--pg-prefix", default=BENCH_DB, help="as given to bench/run.py")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page (after 3 unmeasured)")
    args = parser.parse_args()
    if not 1 <= args.requests <= 1000:
        parser.error("--requests 1–1000")
    if not corpus_marker(args.database, args.count, args.pg_prefix).exists():
        raise SystemExit(f"no corpus of {args.count} on {args.database}: run bench/run.py --count {args.count} --database {args.database} first")

    database_url = corpus_database_url(args.database, args.count, args.pg_prefix)
    env = portal_env(database_url, mode="cold")
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    import urllib.parse

    from django.conf import settings
    from django.db import connection
    from django.template import base as django_template
    from django.test import Client

    wrap_render(django_template.Template)
    try:
        import jinja2

        wrap_render(jinja2.Template)
    except ImportError:
        pass

    words = pick_words(data_file(args.count))
    common = words["common"]["word"]
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    listing = client.get("/anfragen/").content.decode()
    details = sorted(set(re.findall(r'href="(/[a-z]{2}/drucksache/[^"#]+/)"', listing)))
    if not details:
        raise SystemExit("the list page shows no inquiries")
    pages = {
        f"search page, 25 hits ({common!r}, {words['common']['share']:.0%})": [f"/anfragen/?q={urllib.parse.quote(common)}"],
        "list page (facets, no query)": ["/anfragen/"],
        "inquiry page": details,
    }
    say(f"render cost: {args.database}, {args.count:,} inquiries, commit {commit()}, load {load()},"
        f" PAGE_CACHE_SECONDS={settings.PAGE_CACHE_SECONDS} AGGREGATE_CACHE_SECONDS={settings.AGGREGATE_CACHE_SECONDS},"
        f" templates: {', '.join(t['BACKEND'].rsplit('.', 1)[-1] for t in settings.TEMPLATES)}")
    with connection.execute_wrapper(database_timer):
        for name, urls in pages.items():
            for url in urls[:3]:
                client.get(url)
            results = []
            for n in range(args.requests):
                with measured() as sample:
                    response = client.get(urls[n % len(urls)])
                if response.status_code != 200:
                    raise SystemExit(f"{urls[n % len(urls)]} answered {response.status_code}")
                results.append(sample.finish())
            say(f"{name}: p50 of {args.requests} single requests")
            for part in results[0]:
                values = [r[part] for r in results]
                if part == "queries":
                    say(f"  {part:64} {statistics.median(values):7.0f}")
                else:
                    say(f"  {part:64} {statistics.median(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
