"""How soon a publish elsewhere is found by a search while a bulk import runs (issue #13 items 7 and 9).

    python bench/publish_during_import.py --file records.jsonl            # fresh SQLite database
    DATABASE_URL=postgres://… python bench/publish_during_import.py --file records.jsonl --use-database-url

Prepares a few drafts with a word no record has, starts ``manage.py import_inquiries`` of the
file in another process, and once it has stored ``--after`` inquiries publishes one draft
every ``--every`` seconds in this process (``services.workflow.publish``, as the admin does),
then searches for its word (``search.search``: a catch-up first, as every search page makes)
every 10 ms until it is found. Prints each publish's latency (from its commit to the first
search that found it), the longest search call meanwhile (a search waiting for the import's
lock would show here) and the import's own result. A benchmark: it judges nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import fresh_portal  # noqa: E402

WORD = "Quarzsandkiesgrube"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", required=True, help="the .jsonl file to import")
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL (empty) instead of a fresh SQLite file")
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--after", type=int, default=2500, help="start publishing once this many inquiries are stored")
    parser.add_argument("--every", type=float, default=3.0, help="seconds between two publishes")
    args = parser.parse_args()

    fresh_portal.set_up("publish-during-import-", use_database_url=args.use_database_url)
    from django.db import OperationalError

    from inquiries import search
    from inquiries.models import Inquiry, InquiryState
    from inquiries.services import bulk
    from inquiries.services.workflow import publish

    with open(args.file, encoding="utf-8") as handle:
        seed = json.loads(handle.readline())
    drafts = [
        json.dumps({**seed, "reference": f"{seed['term']}/{900000 + number}", "title": f"{WORD}{number} im Land"})
        for number in range(args.publishes)
    ]
    report = bulk.import_records(drafts, state=InquiryState.DRAFT)
    assert report.created == args.publishes, report
    search.search(WORD, Inquiry.objects.all()).exists()  # the index is open and up to date

    importing = subprocess.Popen(
        [sys.executable, "manage.py", "import_inquiries", args.file], cwd=ROOT, env=os.environ.copy(),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    while Inquiry.objects.count() < args.after + args.publishes and importing.poll() is None:
        time.sleep(0.2)
    latencies, longest = [], 0.0
    for number in range(args.publishes):
        if importing.poll() is not None:
            print(f"the import ended before publish {number + 1}")
            break
        while True:
            try:
                publish(Inquiry.objects.get(reference=f"{seed['term']}/{900000 + number}"))
                break
            except OperationalError:  # SQLite: the import's batch held the database longer than the busy timeout
                time.sleep(0.05)
        published = time.perf_counter()
        while True:
            started = time.perf_counter()
            found = search.search(f"{WORD}{number}", Inquiry.objects.all()).exists()
            longest = max(longest, time.perf_counter() - started)
            if found:
                break
            time.sleep(0.01)
        latencies.append(time.perf_counter() - published)
        print(f"publish {number + 1} at {Inquiry.objects.count()} inquiries: found after {latencies[-1]:.2f} s", flush=True)
        time.sleep(max(0.0, args.every - latencies[-1]))
    output, _ = importing.communicate()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    if latencies:
        print(f"latency: max {max(latencies):.2f} s, median {sorted(latencies)[len(latencies) // 2]:.2f} s; "
              f"longest search call {longest * 1000:.0f} ms; load {load}")
    print(f"import: exit {importing.returncode}, {output.strip().splitlines()[-1] if output.strip() else ''}")


if __name__ == "__main__":
    main()
