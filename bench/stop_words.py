"""What indexing stop words costs tantivy: CPU and index size with the portal's analyser
(``engine.analyzer()``, stop words dropped) and with the same analyser keeping them.

    python bench/stop_words.py --count 20000 --rounds 3
    python bench/stop_words.py --instructions --count 1000,3000   # counted by valgrind, not timed

Reads the first ``--count`` records of bench/run.py's generated corpus (the 100,000 file,
generated first if missing), builds their searchable text as the portal does
(``documents.build``) and indexes the three text fields into the portal's schema
(``engine.build_schema``), one writer thread, committed and merged, into a fresh directory;
the variants alternate round by round. Prints the process's CPU (tantivy's threads and the
documents' Python, the same for both) and the index's size on disk. The machine's speed
moves CPU time by more than the difference between the variants within minutes, so
``--instructions`` counts each variant's instructions instead (valgrind's callgrind, as
bench/wsgi_instructions.py): a run of each ``--count`` of two, the difference of the two counts
over the difference of the records is what one record costs, without the start and the reading.
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import OUT, data_file, say  # noqa: E402


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", default="20000", help="records (with --instructions: two counts, e.g. 1000,3000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind) instead of timing")
    parser.add_argument("--variant", choices=["both", "dropped", "indexed"], default="both", help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        counts = [int(count) for count in args.count.split(",")]
    except ValueError:
        parser.error(f"--count: whole numbers, comma-separated, not {args.count!r}")
    if args.instructions:
        if len(counts) != 2 or not 0 < counts[0] < counts[1]:
            parser.error("--instructions needs two counts, the smaller first, e.g. --count 1000,3000")
        count_instructions(counts)
        return
    if len(counts) != 1 or counts[0] < 1:
        parser.error("--count: one number of records (two only with --instructions)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    import tantivy

    from inquiries.search import documents, engine

    texts = []
    with data_file(100_000).open("rb") as lines:
        for line in lines:
            if len(texts) >= counts[0]:
                break
            record = orjson.loads(line)
            pairs = [(question["text"], question.get("answer") or "") for question in record.get("questions") or []]
            texts.append(documents.build(record["title"], pairs, explanation=record.get("explanation") or "",
                                         preface=record.get("government_preface") or ""))
    say(f"{len(texts)} records, {sum(len(t.title) + len(t.questions) + len(t.answers) for t in texts) / 1e6:.1f} M characters of text")
    figures: dict[bool, list[tuple[float, int]]] = {True: [], False: []}
    OUT.mkdir(parents=True, exist_ok=True)
    for round_number in range(args.rounds):
        for stop_words in (True, False) if round_number % 2 == 0 else (False, True):
            if args.variant != "both" and stop_words != (args.variant == "dropped"):
                continue
            folder = tempfile.mkdtemp(prefix="stop-words-", dir=OUT)
            try:
                index = tantivy.Index(engine.build_schema(), path=folder)
                index.register_tokenizer(engine.ANALYZER, engine.analyzer(stop_words=stop_words))
                writer = index.writer(engine.IMPORT_HEAP, 1)
                started, wall = cpu_seconds(), time.perf_counter()
                for number, text in enumerate(texts):
                    document = tantivy.Document()
                    document.add_unsigned("id", number)
                    document.add_text("title", text.title)
                    document.add_text("questions", text.questions)
                    document.add_text("answers", text.answers)
                    writer.add_document(document)
                writer.commit()
                writer.wait_merging_threads()
                cpu = cpu_seconds() - started
                size = sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            figures[stop_words].append((cpu, size))
            label = "stop words dropped" if stop_words else "stop words indexed"
            say(f"round {round_number + 1}: {label:18s} CPU {cpu:6.2f} s ({cpu / len(texts) * 1000:.3f} ms a record), "
                f"wall {time.perf_counter() - wall:6.2f} s, index {size / 1e6:7.1f} MB")
    if args.variant != "both":
        return
    dropped, kept = min(cpu for cpu, _ in figures[True]), min(cpu for cpu, _ in figures[False])
    say(f"least CPU of the rounds: dropped {dropped:.2f} s, indexed {kept:.2f} s ({(1 - dropped / kept) * 100:.0f} % less); "
        f"index {figures[True][0][1] / 1e6:.1f} against {figures[False][0][1] / 1e6:.1f} MB "
        f"({(1 - figures[True][0][1] / figures[False][0][1]) * 100:.0f} % smaller)")


def count_instructions(counts: list[int]) -> None:
    """Instructions per record of each variant: one run under callgrind per variant and count."""
    import re
    import subprocess

    per_record = {}
    for variant in ("dropped", "indexed"):
        totals = []
        for count in counts:
            with tempfile.TemporaryDirectory() as folder:
                result = subprocess.run(
                    ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out", sys.executable, __file__,
                     "--count", str(count), "--rounds", "1", "--variant", variant],
                    capture_output=True, text=True, check=True,
                )
            found = re.search(r"Collected : (\d+)", result.stderr)
            if found is None:
                raise SystemExit(f"valgrind printed no count:\n{result.stderr[-2000:]}")
            totals.append(int(found.group(1)))
            say(f"{variant}: {count} records, {totals[-1]:,} instructions")
        per_record[variant] = (totals[1] - totals[0]) / (counts[1] - counts[0])
    say(f"instructions a record: stop words dropped {per_record['dropped']:,.0f}, indexed {per_record['indexed']:,.0f} "
        f"({(1 - per_record['dropped'] / per_record['indexed']) * 100:.0f} % fewer)")


if __name__ == "__main__":
    main()
