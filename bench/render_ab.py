"""Two versions of the portal, page by page: CPU per request of each, alternating request by request.

    python bench/render_ab.py --before /tmp/before --count 100000 --rounds 60
    python bench/render_ab.py --before /tmp/before --count 100000 --compare-only

On a shared machine two runs of ``bench/render_cost.py`` a minute apart differ by up to a
third; old and new measured in alternating runs inherit that. Here each version runs in a
process of its own (``--before``: a checkout of the old commit, e.g. a ``git archive``
copy, with this checkout's corpus in its ``bench/out``; the other is this checkout), both
loaded once, and every page is asked of one and then of the other, round after round, so
both see the same minutes of load. Per request a process measures its thread's CPU
(``time.thread_time``) split as ``render_cost.py`` splits it: the search engine's calls,
template rendering, the database calls and the rest ("other Python": view, forms, links,
middleware). Prints p50 and p95 per page and part for both, and the p50 of the pairs'
differences. Each page's two responses are compared (the CSRF token blanked): a page that
differs is named. Pages: the search page for the corpus's common word, rare word, two words,
a phrase, an exclusion, the common word in one parliament and with several filters, a later
page, the list page and a filtered list, in German and English. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
PARTS = ("total", "engine", "templates", "database", "other")


def serve(tree: Path, count: int) -> None:
    """The child: load the portal of ``tree`` on the corpus, answer one address per stdin line."""
    sys.path[:0] = [str(tree), str(tree / "bench")]
    os.chdir(tree)
    from run import corpus_database_url, portal_env

    env = portal_env(corpus_database_url("sqlite", count), mode="cold")
    env["SEARCH_ENGINE_THREADS"] = "0"  # every part in the request's thread
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.db import connection
    from django.template import base as django_template
    from django.test import Client

    from inquiries.search import engine, engine_search

    own = dict.fromkeys(PARTS[1:], 0.0)
    stack: list[str] = []
    switched = [0.0]
    active = [False]

    def enter(part: str) -> None:
        now = time.thread_time()
        if stack:
            own[stack[-1]] += now - switched[0]
        stack.append(part)
        switched[0] = now

    def leave() -> None:
        now = time.thread_time()
        own[stack.pop()] += now - switched[0]
        switched[0] = now

    def wrap(owner: object, name: str, part: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            if not active[0]:
                return original(*args, **kwargs)
            enter(part)
            try:
                return original(*args, **kwargs)
            finally:
                leave()

        setattr(owner, name, timed)

    def database(execute, sql, params, many, context):
        if not active[0]:
            return execute(sql, params, many, context)
        enter("database")
        try:
            return execute(sql, params, many, context)
        finally:
            leave()

    wrap(django_template.Template, "render", "templates")
    wrap(engine, "searcher", "engine")
    for name in ("ranked", "all_ids", "count", "terms_counts", "highlights", "filter_clauses", "combined"):
        if hasattr(engine_search, name):
            wrap(engine_search, name, "engine")
    clients = {language: Client(HTTP_ACCEPT_LANGUAGE=language) for language in ("de", "en")}
    print("ready", flush=True)
    with connection.execute_wrapper(database):
        for line in sys.stdin:
            language, url = json.loads(line)
            for part in own:
                own[part] = 0.0
            active[0] = True
            start = time.thread_time()
            switched[0] = start
            response = clients[language].get(url)
            total = time.thread_time() - start
            active[0] = False
            body = CSRF.sub(b"", response.content)
            figures = {"total": total, **own, "other": total - sum(own.values())}
            print(json.dumps({"status": response.status_code, "ms": {k: v * 1000 for k, v in figures.items()}, "body": body.decode()}), flush=True)


class Side:
    def __init__(self, tree: Path, count: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", str(tree), "--count", str(count)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit(f"{tree}: the portal did not start")

    def get(self, language: str, url: str) -> dict:
        self.process.stdin.write(json.dumps([language, url]) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def pages(count: int) -> list[tuple[str, str, str]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import data_file, pick_words

    words = pick_words(data_file(count))
    common, rare, second = (words[role]["word"] for role in ("common", "rare", "second"))
    q = quote
    found = [
        (f"search {common}", "de", f"/anfragen/?q={q(common)}"),
        (f"search {rare} (rare)", "de", f"/anfragen/?q={q(rare)}"),
        (f"search {common} {second}", "de", f"/anfragen/?q={q(f'{common} {second}')}"),
        (f'search "{common} {second}"', "de", f"/anfragen/?q={q(chr(34) + common + ' ' + second + chr(34))}"),
        (f"search {common} -{second}", "de", f"/anfragen/?q={q(f'{common} -{second}')}"),
        (f"search {common} + parliament=bw", "de", f"/anfragen/?q={q(common)}&parliament=bw"),
        (f"search {common} + filters", "de", f"/anfragen/?q={q(common)}&parliament=bw&kind=minor&status=answered"),
        (f"search {rare}, page 3", "de", f"/anfragen/?q={q(rare)}&page=3"),
        (f"search {rare} (English)", "en", f"/anfragen/?q={q(rare)}"),
        ("list page", "de", "/anfragen/"),
        ("list page (English)", "en", "/anfragen/"),
        ("list, parliament=bw, page 2", "de", "/anfragen/?parliament=bw&page=2"),
    ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="checkout of the old version (its bench/out holds the corpus)")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40, help="measured requests per page and side (after 3 unmeasured)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.count)
        return
    if args.before is None:
        parser.error("--before is needed")
    before, after = Side(args.before.resolve(), args.count), Side(ROOT, args.count)
    load = os.getloadavg()
    print(f"render A/B: {args.count:,} inquiries, before {args.before}, after {ROOT}, {args.rounds} rounds,"
          f" load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, {time.strftime('%H:%M:%S', time.gmtime())} UTC")
    differ = 0
    print(f"{'page':42} {'part':9} {'before p50/p95':>15} {'after p50/p95':>15} {'p50 of after-before':>20}")
    for name, language, url in pages(args.count):
        figures: dict[str, dict[str, list[float]]] = {"before": {p: [] for p in PARTS}, "after": {p: [] for p in PARTS}}
        same = True
        for n in range(args.rounds + 3):
            # Alternate which side goes first, so neither always follows the other.
            order = [("before", before), ("after", after)] if n % 2 else [("after", after), ("before", before)]
            answers = {}
            for side_name, side in order:
                answers[side_name] = side.get(language, url)
                if n >= 3:
                    for part in PARTS:
                        figures[side_name][part].append(answers[side_name]["ms"][part])
            if (answers["before"]["status"], answers["before"]["body"]) != (answers["after"]["status"], answers["after"]["body"]):
                same = False
        if not same:
            differ += 1
        for part in PARTS:
            b, a = figures["before"][part], figures["after"][part]
            p95 = lambda values: sorted(values)[int(len(values) * 0.95) - 1]  # noqa: E731
            delta = statistics.median(y - x for x, y in zip(b, a))
            label = f"{name}{'' if same else ' (DIFFERS)'}" if part == "total" else ""
            print(f"{label:42} {part:9} {statistics.median(b):7.2f}/{p95(b):6.2f} {statistics.median(a):7.2f}/{p95(a):6.2f} {delta:+20.2f}")
    load = os.getloadavg()
    print(f"pages differing: {differ}; load at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, {time.strftime('%H:%M:%S', time.gmtime())} UTC")
    before.close()
    after.close()


if __name__ == "__main__":
    main()
