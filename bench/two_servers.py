"""Two app servers, one database, an index directory each: how long a publish takes to be found.

    python bench/two_servers.py                 # fresh SQLite database in a temporary folder
    DATABASE_URL=postgres://… python bench/two_servers.py --use-database-url

Process 1 and process 2 are separate Python processes with their own SEARCH_INDEX_DIR
(as two gunicorn servers would have). Process 2 keeps searching for a word; process 1
publishes (and later withdraws) an inquiry with that word through the services; the script
prints how long until process 2 finds it, and stops finding it. Each process builds its
index from the database on its first search.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = r"""
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from inquiries.services import upsert_inquiry
sys.path.insert(0, "bench")
from generate_inquiries import generate
for record in generate(200):
    upsert_inquiry(record, state="published")
record = next(iter(generate(1, seed=99)))
record.update(reference=record["reference"].split("/")[0] + "/99999", title="Anfrage zu Zwergflusspferden im Wilhelma-Zoo")
upsert_inquiry(record, state="draft")
"""

WRITER = r"""
import django, sys, time
django.setup()
from inquiries import search
from inquiries.models import Inquiry
from inquiries.services import publish, withdraw
search.refresh()  # this server's own index, built from the database
inquiry = Inquiry.objects.get(title="Anfrage zu Zwergflusspferden im Wilhelma-Zoo")
time.sleep(1)
publish(inquiry)
print("published", time.time(), flush=True)
time.sleep(3)
withdraw(Inquiry.objects.get(pk=inquiry.pk), reason="bench")
print("withdrawn", time.time(), flush=True)
"""

READER = r"""
import django, sys, time
django.setup()
from inquiries import search
from inquiries.models import Inquiry
search.refresh()
print("ready", flush=True)
seen, found_once, deadline = False, False, time.time() + 20
while time.time() < deadline:
    found = search.search("Zwergflusspferd", Inquiry.objects.published()).exists()
    if found != seen:
        print("found" if found else "gone", time.time(), flush=True)
        seen = found
        found_once = found_once or found
        if found_once and not found:
            break
    time.sleep(0.05)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--use-database-url", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="two-servers-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "true", "SEARCH_ENGINE": "tantivy"}
    if not args.use_database_url:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    python = sys.executable
    subprocess.run([python, "-c", SETUP], cwd=ROOT, env=env, check=True)
    reader = subprocess.Popen([python, "-c", READER], cwd=ROOT, env={**env, "SEARCH_INDEX_DIR": str(workdir / "index-2")},
                              stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None
    assert reader.stdout.readline().strip() == "ready"
    writer = subprocess.run([python, "-c", WRITER], cwd=ROOT, env={**env, "SEARCH_INDEX_DIR": str(workdir / "index-1")},
                            capture_output=True, text=True, check=True)
    events = dict(line.split() for line in writer.stdout.splitlines())
    out, _ = reader.communicate(timeout=60)
    seen: dict[str, float] = {}
    for line in out.splitlines():
        name, moment = line.split()
        seen.setdefault(name, float(moment))  # the reader reports "found", then "gone"
    published, withdrawn = float(events["published"]), float(events["withdrawn"])
    print(f"database: {'DATABASE_URL' if args.use_database_url else 'SQLite'}, two processes, index directories index-1 and index-2")
    print(f"publish through process 1 → found through process 2 after {seen['found'] - published:.2f} s" if "found" in seen else "NOT FOUND")
    print(f"withdraw through process 1 → gone from process 2 after {seen['gone'] - withdrawn:.2f} s" if "gone" in seen else "NOT GONE")
    print(json.dumps({"found_after_s": seen.get("found", 0) - published, "gone_after_s": seen.get("gone", 0) - withdrawn}))


if __name__ == "__main__":
    main()
