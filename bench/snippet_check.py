"""Whether the search page's excerpts are tantivy's own on a whole corpus: the fragment
``snippets.Chooser`` picks against the one tantivy's ``SnippetGenerator`` picks, text by text.

    python bench/snippet_check.py --count 100000 --hits 1000 --queries 80

Opens the corpus bench/run.py built (SQLite) and its index. Queries: the corpus's common, rare and
two words, a phrase, and words, pairs of words and two-word phrases drawn at random (``--seed``)
from the questions of random inquiries. For each query, the first ``--hits`` matches, each of the
three fields, chosen in pages of 25 as the search page does (``best_of``), each compared with
tantivy's choice (text, marked ranges, bounds). Prints the counts and every difference; exits 1
if there is one. A check over data, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import BENCH_DB, corpus_database_url, corpus_marker, data_file, load, pick_words, portal_env, say  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="which corpus of bench/run.py (SQLite)")
    parser.add_argument("--hits", type=int, default=1000, help="matches compared per query")
    parser.add_argument("--queries", type=int, default=80, help="queries drawn at random")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if not corpus_marker("sqlite", args.count, BENCH_DB).exists():
        raise SystemExit(f"no corpus of {args.count}: run bench/run.py --count {args.count} --database sqlite first")
    env = portal_env(corpus_database_url("sqlite", args.count), mode="cold")
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    import tantivy

    from inquiries.search import engine, engine_search, text
    from inquiries.search.query import parse_query
    from tests import snippet_support

    searcher, schema, index = engine.searcher()
    # tantivy's generator cuts fragments over the tokens of the index's analyser, which drops stop
    # words; the chooser cuts over every word. Compared here as in tests/test_snippets.py: the
    # generators of this process (it writes nothing) analyse with the analyser that keeps them.
    index.register_tokenizer(engine.ANALYZER, engine.analyzer(stop_words=False))
    words = pick_words(data_file(args.count))
    common, rare, second = words["common"]["word"], words["rare"]["word"], words["second"]["word"]
    chance = random.Random(args.seed)
    drawn: list[str] = []
    while len(drawn) < args.queries:
        address = chance.randrange(searcher.num_docs)
        hits = searcher.search(tantivy.Query.all_query(), 1, offset=address).hits
        found = text.WORD.findall(searcher.doc(hits[0][1]).get_first("questions") or "") if hits else []
        if len(found) < 3:
            continue
        at = chance.randrange(len(found) - 1)
        kind = len(drawn) % 4
        drawn.append(
            found[at] if kind < 2 else f"{found[at]} {chance.choice(found)}" if kind == 2 else f'"{found[at]} {found[at + 1]}"'
        )
    queries = [common, rare, f"{common} {second}", '"Ausstattung der Feuerwehren"', *drawn]
    say(f"snippet check: {args.count:,} inquiries, {len(queries)} queries, up to {args.hits} hits each, load {load()}")
    comparison = snippet_support.Comparison()
    for query_text in queries:
        hits = searcher.search(engine_search.combined(schema, parse_query(query_text), {}), args.hits).hits
        snippet_support.compare(searcher, schema, query_text, [searcher.doc(address) for _score, address in hits], comparison, page=25)
        say(f"  {query_text!r}: {len(hits)} hits; so far {comparison.compared:,} compared, {comparison.marked:,} with marks, "
            f"{comparison.handed} left to tantivy, {len(comparison.differences)} differ")
    compared, marked, handed, differences = comparison.compared, comparison.marked, comparison.handed, comparison.differences
    for difference in differences[:20]:
        say(f"DIFFERS: {difference}")
    say(f"{compared:,} texts compared ({marked:,} with marks), {handed} left to tantivy, {len(differences)} differ; load {load()}")
    raise SystemExit(1 if differences else 0)


if __name__ == "__main__":
    main()
