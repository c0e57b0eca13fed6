"""What one uncached page costs in CPU, part by part: database, Python outside it, templates.

    python bench/render_cost.py --database sqlite --count 100000
    python bench/render_cost.py --database postgres --count 100000 --requests 30

Runs in-process against the corpus bench/run.py built (the same database), with the page cache
and the cache of counts off (``PAGE_CACHE_SECONDS=0 AGGREGATE_CACHE_SECONDS=0``), and sends
single requests one after another through Django's test client (the whole middleware stack):
the search page of 25 hits for the corpus's common word, for its rare word, for two words
and for the common word in one parliament (as bench/run.py's scenarios), the list page,
inquiry pages and the API detail of the same inquiries (their inquiry.v1 records, JSON).
For each request it measures this thread's CPU time (``time.thread_time``), split into

- database: the time spent inside the database calls (``connection.execute_wrapper``), CPU of
  this process (for SQLite the whole query, which runs in-process; for PostgreSQL the driver's
  share) and wall time (for PostgreSQL mostly the server's work, not Python's);
- ORM: evaluating querysets (``QuerySet._fetch_all``: rows to model instances or values,
  prefetches), without the database calls inside; building the queries is "other Python";
- search engine: the calls into the engine's index (``engine.searcher`` with its catch-up,
  ``engine_search``: query, count, facets, snippets);
- templates: template rendering (Django's ``Template.render`` and Jinja2's, when used);
- other Python: view, building queries, facets and links, middleware, forms.

Each part is its own time only: a query run while a template renders counts as the
database's, a queryset evaluated in a template as the ORM's. Prints the median (p50) of
each part over the requests, per page (so the parts need not add up exactly), and
``--profile`` the functions of one page that cost most. A benchmark, not a test.
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

from run import commit, corpus_database_url, corpus_marker, corpus_options, data_file, load, pick_words, portal_env, say  # noqa: E402


# The parts a request's CPU time is split into; each nested call charges its time to the
# innermost part running (a query run while a template renders is the database's).
PARTS = ("database", "orm", "engine", "templates")


@dataclass
class Sample:
    total_cpu: float = 0.0
    total_wall: float = 0.0
    db_wall: float = 0.0
    queries: int = 0
    own: dict = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))
    stack: list = field(default_factory=list)
    switched: float = 0.0

    def enter(self, part: str) -> None:
        now = time.thread_time()
        if self.stack:
            self.own[self.stack[-1]] += now - self.switched
        self.stack.append(part)
        self.switched = now

    def leave(self) -> None:
        now = time.thread_time()
        self.own[self.stack.pop()] += now - self.switched
        self.switched = now

    def finish(self) -> dict:
        own = self.own
        return {
            "total CPU": self.total_cpu,
            "database CPU (in this process)": own["database"],
            "database wall": self.db_wall,
            "ORM CPU (evaluating querysets: rows to objects, prefetches)": own["orm"],
            "search engine CPU (catch-up, queries, counts, facets, snippets)": own["engine"],
            "templates CPU": own["templates"],
            "other Python (view, building queries, facets, middleware)": self.total_cpu - sum(own.values()),
            "Python outside the database (total - database)": self.total_cpu - own["database"],
            "total wall": self.total_wall,
            "queries": self.queries,
        }


CURRENT: list[Sample] = []


def database_timer(execute, sql, params, many, context):
    sample = CURRENT[-1] if CURRENT else None
    if sample is None:
        return execute(sql, params, many, context)
    wall = time.perf_counter()
    sample.enter("database")
    try:
        return execute(sql, params, many, context)
    finally:
        sample.leave()
        sample.db_wall += time.perf_counter() - wall
        sample.queries += 1


def wrap(owner: object, name: str, part: str) -> None:
    """Charge the CPU time of ``owner.name`` (less what runs nested in another part) to ``part``."""
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        sample = CURRENT[-1] if CURRENT else None
        if sample is None:
            return original(*args, **kwargs)
        sample.enter(part)
        try:
            return original(*args, **kwargs)
        finally:
            sample.leave()

    setattr(owner, name, timed)


def wrap_engine() -> None:
    """The engine's calls into its index, as the selectors and the search package make them."""
    from inquiries.search import engine, engine_search

    wrap(engine, "searcher", "engine")
    for name in ("ranked", "all_ids", "count", "terms_counts", "highlights", "filter_clauses", "combined"):
        wrap(engine_search, name, "engine")


@contextmanager
def measured():
    sample = Sample()
    CURRENT.append(sample)
    cpu, wall = time.thread_time(), time.perf_counter()
    sample.switched = cpu
    try:
        yield sample
    finally:
        sample.total_cpu = time.thread_time() - cpu
        sample.total_wall = time.perf_counter() - wall
        CURRENT.pop()


def api_details(pages: list[str]) -> list[str]:
    """The API detail addresses of the inquiries whose pages are measured (the same records)."""
    from inquiries.models import Inquiry

    urls = []
    for page in pages:
        _, code, _, slug, _ = page.split("/")
        pk = Inquiry.objects.filter(parliament__code=code.upper(), reference=slug.replace("-", "/", 1)).values_list("pk", flat=True).first()
        if pk is not None:
            urls.append(f"/api/v1/inquiries/{pk}/")
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus_options(parser)
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page (after 3 unmeasured)")
    args = parser.parse_args()
    if not 1 <= args.requests <= 1000:
        parser.error("--requests 1–1000")
    if not corpus_marker(args.database, args.count, args.pg_prefix).exists():
        raise SystemExit(f"no corpus of {args.count} on {args.database}: run bench/run.py --count {args.count} --database {args.database} first")

    database_url = corpus_database_url(args.database, args.count, args.pg_prefix)
    env = portal_env(database_url, mode="cold")
    # Every part's CPU is taken in the request's thread: the facet counts, which a worker counts
    # on the engine's threads beside the request (search/threads.py), are counted there too.
    env["SEARCH_ENGINE_THREADS"] = "0"
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

    from django.db.models.query import QuerySet

    wrap(django_template.Template, "render", "templates")
    try:
        import jinja2

        wrap(jinja2.Template, "render", "templates")
    except ImportError:
        pass
    wrap(QuerySet, "_fetch_all", "orm")
    wrap_engine()

    words = pick_words(data_file(args.count))
    common = words["common"]["word"]
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    listing = client.get("/anfragen/").content.decode()
    details = sorted(set(re.findall(r'href="(/[a-z]{2}/drucksache/[^"#]+/)"', listing)))
    if not details:
        raise SystemExit("the list page shows no inquiries")
    rare, second, q = words["rare"]["word"], words["second"]["word"], urllib.parse.quote
    pages = {
        f"search page, 25 hits ({common!r}, {words['common']['share']:.0%})": [f"/anfragen/?q={q(common)}"],
        f"search page, rare word ({rare!r}, {words['rare']['share']:.1%})": [f"/anfragen/?q={q(rare)}"],
        f"search page, two words ({common} {second})": [f"/anfragen/?q={q(f'{common} {second}')}"],
        f"search page, {common} + parliament=bw": [f"/anfragen/?q={q(common)}&parliament=bw"],
        "list page (facets, no query)": ["/anfragen/"],
        "inquiry page": details,
        "API detail (inquiry.v1 record)": api_details(details),
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
