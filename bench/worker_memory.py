"""How a gunicorn worker's memory grows with the requests it serves (never replaced), to choose
``GUNICORN_MAX_REQUESTS``: a replaced worker loads the app anew (about half a second of CPU), so
the fewer replacements the memory allows, the more of the machine serves pages.

    python bench/worker_memory.py --count 100000 --requests 20000

One worker (``GUNICORN_MAX_REQUESTS=0``: never replaced) on a corpus that bench/run.py built,
caches off as in the cold mode; the requests cycle through inquiry pages, list pages and API
reads, and every other request searches for a pair of the corpus's words not asked before (new
searches: the engine's and the snippets' per-process tables meet new terms). Prints the worker's resident memory (VmRSS)
every ``--every`` requests, and of it the private part (RssAnon: Python's objects, caches) and the
part that maps files (RssFile: the search index's and the database's pages read so far, shared with the
other workers through the page cache and given back when memory is short). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_inquiries import GENERATOR_VERSION  # noqa: E402
from run import OUT, Server, corpus_database_url, corpus_marker, get, portal_env, scenarios  # noqa: E402


def corpus_words(count: int, wanted: int) -> list[str]:
    """Distinct words of the corpus's titles and questions (the first lines of its file)."""
    words: set[str] = set()
    with (OUT / f"inquiries-{count}-g{GENERATOR_VERSION}.jsonl").open(encoding="utf-8") as lines:
        for line in itertools.islice(lines, 5000):
            record = json.loads(line)
            text = " ".join([record.get("title") or ""] + [question.get("text") or "" for question in record.get("questions", [])])
            words.update(word for word in re.findall(r"[A-Za-zÄÖÜäöüß]{4,}", text))
            if len(words) >= wanted:
                break
    return sorted(words)[:wanted]


def memory(server: Server) -> str:
    """The worker's VmRSS, RssAnon and RssFile in MB, formatted for a row."""
    fields = {}
    for line in Path(f"/proc/{server.worker_pids()[0]}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile"):
            fields[name] = int(value.split()[0]) / 1024
    return f"{fields['VmRSS']:8.1f} {fields['RssAnon']:8.1f} {fields['RssFile']:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="which SQLite corpus of bench/run.py")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=2_000)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    if not corpus_marker("sqlite", args.count, "").exists():
        raise SystemExit(f"no SQLite corpus of {args.count}: run bench/run.py --count {args.count} --database sqlite first")
    env = portal_env(corpus_database_url("sqlite", args.count, ""))
    env["GUNICORN_MAX_REQUESTS"] = "0"
    server = Server(env, args.port, 1)
    try:
        mix = scenarios(args.port)
        fixed = [url for name, urls in mix.items() if not name.startswith("search") for url in urls]
        words = corpus_words(args.count, 5_000)
        # Each search a pair of the corpus's words not asked before (its vocabulary is small).
        pairs = [f"{first} {second}" for first, second in itertools.permutations(words, 2)]
        random.Random(13).shuffle(pairs)
        print(f"1 worker, never replaced; {len(fixed)} fixed URLs, searches for {len(pairs)} pairs of {len(words)} words in turn")
        print(f"{'requests':>9} {'RSS MB':>8} {'private':>8} {'files':>8} {'s':>7}")
        started = time.perf_counter()
        print(f"{0:9d} {memory(server)} {0:7.1f}")
        for n in range(1, args.requests + 1):
            url = fixed[n % len(fixed)] if n % 2 else f"/anfragen/?q={urllib.parse.quote(pairs[n // 2 % len(pairs)])}"
            status, _ = get(args.port, url)
            if status not in (200, 404):
                raise SystemExit(f"{url}: HTTP {status}")
            if n % args.every == 0:
                print(f"{n:9d} {memory(server)} {time.perf_counter() - started:7.1f}", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
