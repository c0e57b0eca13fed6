"""Every kind of public page and API read, first request (uncached), on a corpus of bench/run.py.

    python bench/site_pages.py --count 1000000 --database sqlite
    python bench/site_pages.py --count 1000000 --database postgres --repeat 5

bench/run.py measures issue 13's scenarios (search, list, inquiry page, feed, API); this file
measures the rest of what a visitor or an API consumer can ask: the home page, the index and
detail pages of people, groups and ministries (for the one with the most inquiries and a
typical one), their feeds, the statistics, the open-data page, the sitemaps, the API's lists of
people, groups and ministries, OParl and Popolo. Page cache and cache of counts off, DEBUG off,
requests through the WSGI handler as gunicorn calls it (``wsgi_cpu.call``). Prints per address
wall time and the request thread's CPU (median and worst of ``--repeat``) and the slowest
addresses. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import commit, corpus_options, load, say  # noqa: E402
from wsgi_cpu import call, corpus_application  # noqa: E402


def addresses() -> list[str]:
    """The addresses to measure, picked from the corpus: the person, group and ministry with
    the most published inquiries and one in the middle."""
    from django.db.models import Count

    from inquiries.models import Asker, Faction, Inquiry, Ministry, Term

    def biggest_and_middle(rows: list[tuple[int, int]]) -> list[int]:
        rows = sorted(rows, key=lambda row: (-row[1], row[0]))
        return [rows[0][0], rows[len(rows) // 2][0]] if rows else []

    published = Inquiry.objects.published()
    people = biggest_and_middle(list(Asker.objects.filter(inquiry__in=published).values("person_id").annotate(n=Count("pk")).values_list("person_id", "n")))
    ministries = biggest_and_middle(list(published.values("answering_ministry_id").annotate(n=Count("pk")).exclude(answering_ministry_id=None).values_list("answering_ministry_id", "n")))
    factions = biggest_and_middle([(faction.pk, 0) for faction in Faction.objects.order_by("pk")])
    urls = ["/", "/personen/", "/personen/?page=2", "/fraktionen/", "/ministerien/", "/statistik/", "/offene-daten/",
            "/sitemap.xml", "/sitemap-inquiries.xml", "/api/v1/people/", "/api/v1/factions/", "/api/v1/ministries/",
            "/api/v1/parliaments/", "/api/v1/terms/", "/oparl/v1/", "/oparl/v1/bodies/", "/popolo/v1/persons.json"]
    for term in Term.objects.select_related("parliament").order_by("pk")[:1]:
        code = term.parliament.code.lower()
        urls += [f"/statistik/?wp={code}-{term.number}", f"/oparl/v1/body/{code}/", f"/oparl/v1/body/{code}/papers/",
                 f"/oparl/v1/body/{code}/persons/", f"/oparl/v1/body/{code}/organizations/"]
    from inquiries.models import Person

    for person in Person.objects.filter(pk__in=people):
        urls += [f"/personen/{person.slug}/", f"/personen/{person.slug}/?page=3", f"/personen/{person.slug}/feed/",
                 f"/api/v1/people/{person.slug}/"]
    for faction in Faction.objects.filter(pk__in=factions).select_related("parliament"):
        base = f"/{faction.parliament.code.lower()}/fraktionen/{faction.slug}/"
        urls += [base, base + "?page=3", base + "feed/"]
    for ministry in Ministry.objects.filter(pk__in=ministries).select_related("parliament"):
        base = f"/{ministry.parliament.code.lower()}/ministerien/{ministry.slug}/"
        urls += [base, base + "?page=3", base + "feed/"]
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus_options(parser)
    parser.add_argument("--repeat", type=int, default=3, help="requests per address (each uncached: caches are off)")
    parser.add_argument("--only", default="", help="measure only addresses containing this text")
    args = parser.parse_args()
    application = corpus_application(args.database, args.count, args.pg_prefix)
    urls = [url for url in addresses() if args.only in url]
    say(f"every page kind, uncached: {args.database}, {args.count:,}, commit {commit()}, load {load()}")
    say(f"  {'address':60} {'status':>6} {'wall ms p50':>11} {'max':>8} {'CPU ms p50':>10} {'max':>8} {'KB':>7}")
    results = []
    for url in urls:
        walls, cpus = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.thread_time()
            status, _headers, body = call(application, url)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.thread_time() - started_cpu) * 1000)
        results.append((url, max(walls)))
        say(f"  {url[:60]:60} {status[:3]:>6} {statistics.median(walls):11.1f} {max(walls):8.1f} "
            f"{statistics.median(cpus):10.1f} {max(cpus):8.1f} {len(body) / 1024:7.1f}")
    slowest = sorted(results, key=lambda item: -item[1])[:5]
    say("slowest: " + ", ".join(f"{url} {wall:.0f} ms" for url, wall in slowest))
    say(f"load at end {load()}")


if __name__ == "__main__":
    main()
