"""Time the spelling suggestions ("Meinten Sie …?") on an existing database.

    DEBUG=true DATABASE_URL=sqlite:////path/db.sqlite3 python bench/suggest.py
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python bench/suggest.py

Prints the number of indexed inquiries and, per misspelt query, the suggestion and the
median of five runs in milliseconds (after one warm-up run).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from inquiries import search  # noqa: E402
from inquiries.search.models import SearchDocument  # noqa: E402

QUERIES = ["Polizie", "Hochwaserschutz", "Schuel", "Bundeswher", "Kilmaschutz", "Flüchtlnge", "Polizei", "xyzzyq"]


def main() -> None:
    print(f"{connection.vendor}: {SearchDocument.objects.count():,} indexed inquiries")
    for query in QUERIES:
        search.suggest(query)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = search.suggest(query)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{query!r:22} → {result!r:22} {statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
