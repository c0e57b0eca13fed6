"""Where an import's CPU goes, per thread: which part of the pipeline is busy, which waits.

    python bench/import_threads.py --file records.jsonl                    # fresh SQLite database
    python bench/import_threads.py --file tail.jsonl --from-dir /tmp/imp   # onto a copy of a portal
    DATABASE_URL=postgres://… python bench/import_threads.py --file records.jsonl --use-database-url

Runs ``import_inquiries`` in this process and samples the CPU time of every thread of it and
of its checking helper process (/proc, Linux) five times a second, then prints per group:
seconds, µs per record and the share of the wall time it was busy. The groups: the importing
thread (``py-main``), the Python index thread (``py-index-thread``), tantivy's indexing, merge
and doc-store threads, the process pool's feeder threads (``python``), the helper, and on
PostgreSQL the server's backend. Besides, thread CPU of the importer's parts (rows written,
change log, commits, the index thread's ``_write``) and how many batches went to the index
at a time. ``--from-dir``: a folder holding ``portal.sqlite3`` and ``search_index`` (as
``KEEP=1`` leaves one), copied first, so that the tail of a bigger import can be measured.
A benchmark: it judges nothing. Compare CPU, not wall time, on a shared machine.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import shutil
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import fresh_portal  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def stat(path: Path) -> tuple[str, float]:
    text = path.read_text()
    fields = text.rsplit(")", 1)[1].split()
    return text[text.index("(") + 1 : text.rindex(")")], (int(fields[11]) + int(fields[12])) / TICK


class Sampler:
    """The last CPU time seen of every thread of this process and its children."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, int], tuple[str, float]] = {}
        self.stopped = threading.Event()

    def sample(self) -> None:
        me = os.getpid()
        pids = [me]
        for task in Path(f"/proc/{me}/task").iterdir():
            try:
                pids += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
        for pid in pids:
            try:
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except OSError:
                continue
            for task in tasks:
                try:
                    self.seen[(pid, int(task.name))] = stat(task / "stat")
                except (OSError, ValueError):
                    continue

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            self.sample()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", required=True, help="the .jsonl file to import")
    parser.add_argument("--from-dir", help="start from a copy of this folder's portal.sqlite3 and search_index")
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL (as it is) instead of a fresh SQLite file")
    args = parser.parse_args()

    copy_of = Path(args.from_dir) if args.from_dir else None
    workdir = fresh_portal.set_up("import-threads-", use_database_url=args.use_database_url, copy_of=copy_of)

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    from inquiries import search
    from inquiries.search import engine
    from inquiries.services import bulk

    labels = {threading.get_native_id(): "py-main"}
    handed: list[int] = []
    # The index thread's work per batch: the index writer held across the import (engine.ImportWriter)
    # or, in a checkout from before it, a catch-up per batch.
    in_thread_name = "_apply_in_thread" if hasattr(bulk, "_apply_in_thread") else "_refresh_in_thread"
    in_thread = getattr(bulk, in_thread_name)

    def labelled(*call_args, **kwargs):
        known = call_args[1] if in_thread_name == "_apply_in_thread" else call_args[0]
        handed.append(len(known))
        labels[threading.get_native_id()] = "py-index-thread"
        return in_thread(*call_args, **kwargs)

    setattr(bulk, in_thread_name, labelled)
    parts: dict[str, float] = defaultdict(float)

    def timed(owner: object, name: str, label: str) -> None:
        function = getattr(owner, name)

        @functools.wraps(function)
        def wrapper(*call_args, **kwargs):
            start = time.thread_time()
            try:
                return function(*call_args, **kwargs)
            finally:
                parts[label] += time.thread_time() - start

        setattr(owner, name, wrapper)

    timed(bulk.BulkWriter, "write", "BulkWriter.write (all of a batch)")
    timed(bulk._Rows, "insert", "rows written (_Rows.insert)")
    timed(search, "log_changes", "change log")
    timed(BaseDatabaseWrapper, "commit", "commits")
    timed(bulk, "read_good_line", "lines read again (read_good_line)")
    timed(engine, "_write", "engine._write (index thread)")
    waits: dict[str, float] = defaultdict(float)
    wait_for_indexing = bulk.BulkWriter._wait_for_indexing

    def waiting(*call_args, **kwargs):
        start = time.perf_counter()
        try:
            return wait_for_indexing(*call_args, **kwargs)
        finally:
            waits["importing thread waited for the index thread"] += time.perf_counter() - start

    bulk.BulkWriter._wait_for_indexing = waiting
    if hasattr(engine, "ImportWriter"):
        timed(engine, "_replace", "engine._replace (index thread, all batches)")
        timed(engine.ImportWriter, "commit", "ImportWriter.commit (index thread)")

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    server = stat(Path(f"/proc/{backend}/stat"))[1] if backend else 0.0
    count = sum(1 for line in open(args.file, "rb") if line.strip())
    sampler = Sampler()
    sampler.sample()
    before = dict(sampler.seen)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    start = time.perf_counter()
    try:
        call_command("import_inquiries", args.file, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as exc:
        print(f"import_inquiries: {exc}")  # bad lines: the rest was imported
    search.refresh()
    seconds = time.perf_counter() - start
    sampler.stopped.set()
    thread.join()
    sampler.sample()

    groups: dict[str, float] = defaultdict(float)
    me = os.getpid()
    for key, (name, cpu) in sampler.seen.items():
        pid, tid = key
        label = labels.get(tid) or ("helper " if pid != me else "") + name.rstrip("0123456789_-")
        groups[label] += cpu - before.get(key, (name, 0.0))[1]
    if backend:
        groups["PostgreSQL backend"] = stat(Path(f"/proc/{backend}/stat"))[1] - server
    total = sum(groups.values())
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{connection.vendor}: {count} records in {seconds:.1f} s ({count / seconds:,.0f}/s, index included), load {load}")
    print(f"CPU {total:.1f} s in all: {total / count * 1e6:,.0f} µs per record")
    for label, cpu in sorted(groups.items(), key=lambda item: -item[1]):
        if cpu >= 0.05:
            print(f"  {label:28s} {cpu:7.1f} s {cpu / count * 1e6:6.0f} µs/record  busy {cpu / seconds:4.0%}")
    print("thread CPU of the importer's parts:")
    for label, cpu in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"  {label:36s} {cpu / count * 1e6:6.0f} µs/record")
    for label, wall in waits.items():
        print(f"{label}: {wall:.1f} s wall ({wall / seconds:.0%} of the import)")
    print(f"batches to the index thread: {len(handed)} hand-overs, {max(handed, default=0)} inquiries at most")
    if args.from_dir and not os.environ.get("KEEP"):
        shutil.rmtree(workdir, ignore_errors=True)
    elif os.environ.get("KEEP"):
        print(f"kept: {workdir}")


if __name__ == "__main__":
    main()
