"""What a search page's snippets cost in CPU: ``engine_search.highlights`` of this checkout against
the same function of another commit, in one process, alternating call by call.

    python bench/snippet_cost.py --count 100000 --before 7843aab
    python bench/snippet_cost.py --count 100000 --before 7843aab --repeat 400 --queries 'Polizei' '"Ausstattung der Feuerwehren"'

Opens the corpus bench/run.py built (SQLite), ranks each query's first page of 25 as the search
page does (``engine_search.ranked`` with the documents' addresses), then marks up those 25 hits
with the old and the new ``highlights``, in turn, measuring this thread's CPU time
(``time.thread_time``) of each call; prints p50 and p95 per query and checks that both give the
same titles and excerpts. The old module is the file ``inquiries/search/engine_search.py`` of
``--before`` (``git show``), loaded beside the new one with the same engine and index.
Without ``--before`` only this checkout's ``highlights`` is measured. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import BENCH_DB, commit, corpus_database_url, corpus_marker, data_file, load, pick_words, portal_env, say  # noqa: E402


def module_at(revision: str):
    """``inquiries/search/engine_search.py`` as it was at ``revision``, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:inquiries/search/engine_search.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="snippet_cost_"))
    path = folder / "engine_search_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("engine_search_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="which corpus of bench/run.py (SQLite)")
    parser.add_argument("--before", help="a commit whose highlights to measure against")
    parser.add_argument("--repeat", type=int, default=200, help="calls of each per query")
    parser.add_argument("--queries", nargs="*", help="search words (default: the corpus's common, rare and two words, and a phrase)")
    args = parser.parse_args()
    if not corpus_marker("sqlite", args.count, BENCH_DB).exists():
        raise SystemExit(f"no corpus of {args.count}: run bench/run.py --count {args.count} --database sqlite first")
    env = portal_env(corpus_database_url("sqlite", args.count), mode="cold")
    env["SEARCH_ENGINE_THREADS"] = "0"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from inquiries.search import engine, engine_search
    from inquiries.search.query import parse_query

    before = module_at(args.before) if args.before else None
    words = pick_words(data_file(args.count))
    common, rare, second = words["common"]["word"], words["rare"]["word"], words["second"]["word"]
    queries = args.queries or [common, rare, f"{common} {second}", '"Ausstattung der Feuerwehren"']
    say(f"snippet cost: {args.count:,} inquiries, commit {commit()}, before {args.before or '-'}, load {load()}, {args.repeat} calls each")
    for text in queries:
        parsed = parse_query(text)
        searcher, schema, _index = engine.searcher()
        query = engine_search.combined(schema, parsed, {})
        located: dict = {}
        hits, total = engine_search.ranked(searcher, query, 0, 25, sort=None, located=located)
        ids = [pk for pk, _rank in hits]
        where = engine_search.Located(searcher, schema, located)
        contenders = {"new": engine_search.highlights}
        if before is not None:
            contenders["before"] = before.highlights
            old_where = before.Located(searcher, schema, located)
        results = {}
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for round_ in range(args.repeat + 5):
            for name, function in contenders.items():
                place = where if name == "new" else old_where
                started = time.thread_time()
                result = function(parsed, ids, "\x02", "\x03", located=place)
                spent = time.thread_time() - started
                if round_ >= 5:
                    times[name].append(spent * 1000)
                results[name] = result
        same = "" if before is None else ("; output the same" if results["new"] == results["before"] else "; OUTPUT DIFFERS")
        say(f"{text!r}: {total:,} hits, {len(ids)} marked{same}")
        for name, values in times.items():
            say(f"  {name:7} p50 {statistics.median(values):6.2f} ms  p95 {percentile(values, 0.95):6.2f} ms CPU")
        if before is not None:
            ratios = [old / new for old, new in zip(times["before"], times["new"]) if new > 0]
            say(f"  before/new, p50 of the pairs: {statistics.median(ratios):.2f}×")
    say(f"load at the end {load()}")


if __name__ == "__main__":
    main()
