"""Thread CPU of the import helper's steps per record, and an A/B of the answer kinds' code.

    python bench/import_helper_parts.py --file records.jsonl
    python bench/import_helper_parts.py --file records.jsonl --old-answer-kinds /tmp/old/inquiries/answer_kinds.py

The helper process of a JSON Lines import (``bulk._check_chunk_in_helper``) reads and checks
each line, classifies each answer (``answer_kinds.classify``), builds the search text and
pickles what it prepared back to the importing process. This times each step alone on
chunks of ``--chunk`` lines (caches of the answer kinds emptied before each chunk, as a
helper meets a new chunk with only what earlier chunks left in them; here nothing), and
prints the p50 and p95 over the chunks in µs per record.

``--old-answer-kinds``: another version of ``inquiries/answer_kinds.py`` (e.g. of the commit
before a change, from ``git archive``) classifies the same chunks, alternating with this
checkout's, and their results must be equal. A benchmark: it judges nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    return f"p50 {statistics.median(ordered):7.1f}  p95 {ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", required=True, help="the .jsonl file to read lines from")
    parser.add_argument("--skip", type=int, default=0, help="lines to skip first")
    parser.add_argument("--chunks", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=1000, help="lines per chunk (the import's batch size)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--old-answer-kinds", help="another answer_kinds.py to compare with, alternating")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from inquiries import answer_kinds
    from inquiries.importers.jsonl import read_line
    from inquiries.services import bulk

    old = None
    if args.old_answer_kinds:
        spec = importlib.util.spec_from_file_location("old_answer_kinds", args.old_answer_kinds)
        old = importlib.util.module_from_spec(spec)
        sys.modules["old_answer_kinds"] = old
        spec.loader.exec_module(old)

    with open(args.file, "rb") as stream:
        lines = list(itertools.islice(stream, args.skip, args.skip + args.chunks * args.chunk))
    chunks = [lines[start : start + args.chunk] for start in range(0, len(lines), args.chunk)]

    def clear(module) -> None:
        for name in ("_classify", "_names_a_reason", "_refuses"):
            cache = getattr(module, name, None)
            if hasattr(cache, "cache_clear"):
                cache.cache_clear()

    parts: dict[str, list[float]] = {}

    def timed(label: str, size: int, function):
        start = time.thread_time()
        result = function()
        parts.setdefault(label, []).append((time.thread_time() - start) / size * 1e6)
        return result

    for round_ in range(args.rounds):
        for number, chunk in enumerate(chunks):
            size = len(chunk)
            records = timed("read and check (read_line)", size, lambda: [read_line(line)[0] for line in chunk])
            answers = [question.get("answer") for record in records for question in record.get("questions") or []]
            versions = [("answer kinds (this checkout)", answer_kinds)]
            if old is not None:
                versions.append(("answer kinds (old)", old))
                if (number + round_) % 2:
                    versions.reverse()
            kinds = {}
            for label, module in versions:
                clear(module)
                kinds[label] = timed(label, size, lambda: [tuple(map(str, module.classify(answer))) for answer in answers])
            if len(set(map(tuple, kinds.values()))) > 1:
                raise SystemExit(f"chunk {number}: the old and the new answer kinds differ")
            clear(answer_kinds)
            prepared = timed("prepare (search text + answer kinds)", size, lambda: [bulk.prepare(record) for record in records])
            timed("pickle the results (helper side)", size, lambda: pickle.dumps([(None, item) for item in prepared], pickle.HIGHEST_PROTOCOL))
            clear(answer_kinds)
            timed("the helper's whole chunk", size, lambda: bulk._check_chunk_in_helper(list(enumerate(chunk, start=1))))
    print(f"{len(chunks)} chunks of {args.chunk} lines × {args.rounds} rounds, load {', '.join(f'{value:.1f}' for value in os.getloadavg())}")
    print("µs thread CPU per record:")
    for label, values in parts.items():
        print(f"  {label:40s} {_percentiles(values)}")


if __name__ == "__main__":
    main()
