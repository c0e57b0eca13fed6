"""Kill an import with SIGKILL halfway: no half-imported inquiry remains, a rerun completes it.

    python bench/kill_import.py --count 5000                 # PostgreSQL database ap_bench_kill
    python bench/kill_import.py --count 5000 --database sqlite

Generates ``count`` records (bench/generate_inquiries.py), imports them into a fresh
database with ``manage.py import_inquiries``, sends SIGKILL once some inquiries have been
committed, and compares every stored inquiry with its record: the number of questions and
of answers must match (an inquiry is written in one transaction or not at all). Then runs
the import again and checks that all ``count`` inquiries are there, complete.

With the search engine, the index too: what the killed import left (the last committed
state, whether its ``importing`` marker is still there), then a catch-up as the next search
would make (``rebuild_search_index --catch-up``, which must not wait for the dead import's
lock) and, after it and after the rerun, that the index holds exactly the published inquiries.
Kill after the first batches (``--kill-after 2500``) to kill the import's held index writer.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import OUT, POSTGRES_ADMIN_URL, PYTHON, ROOT, data_file, manage, portal_env, say  # noqa: E402

KILL_DB = "ap_bench_kill"
STORED = """
    SELECT p.code, i.reference, COUNT(q.id), COUNT(NULLIF(q.answer, ''))
    FROM inquiries_inquiry i JOIN inquiries_parliament p ON p.id = i.parliament_id
    LEFT JOIN inquiries_question q ON q.inquiry_id = i.id
    GROUP BY p.code, i.reference
"""


def expected(path: Path) -> dict[tuple[str, str], tuple[int, int]]:
    records = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            questions = record["questions"]
            records[(record["parliament"], record["reference"])] = (
                len(questions), sum(1 for q in questions if (q.get("answer") or "").strip()))
    return records


class Database:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        if kind == "postgres":
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {KILL_DB} WITH (FORCE)")
                connection.execute(f"CREATE DATABASE {KILL_DB}")
            self.url = f"postgres://postgres@127.0.0.1:5432/{KILL_DB}"
        else:
            self.path = OUT / "kill-import.sqlite3"
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.url = f"sqlite:///{self.path}"

    def stored(self) -> dict[tuple[str, str], tuple[int, int]]:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.url) as connection:
                rows = connection.execute(STORED).fetchall()
        else:
            connection = sqlite3.connect(self.path)
            try:
                rows = connection.execute(STORED).fetchall()
            finally:
                connection.close()
        return {(code, reference): (questions, answers) for code, reference, questions, answers in rows}


def compare(stored: dict, wanted: dict) -> list[str]:
    problems = [f"{key}: stored {value}, record {wanted.get(key)}" for key, value in stored.items() if wanted.get(key) != value]
    return problems


def index_check(env: dict[str, str]) -> tuple[int, int]:
    """(documents in the engine's index after a catch-up, published inquiries in the database)."""
    script = (
        "from inquiries.search import engine; from inquiries.models import Inquiry; "
        "searcher = engine.searcher()[0]; "
        "print(searcher.num_docs, Inquiry.objects.filter(state='published').count())"
    )
    result = subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    documents, published = result.stdout.split()[-2:]
    return int(documents), int(published)


def index_state(env: dict[str, str]) -> str:
    index = Path(env["SEARCH_INDEX_DIR"])
    state = index / "current" / "state.json"
    applied = json.loads(state.read_text())["last"] if state.exists() else None
    return f"index: last applied log id {applied}, marker of a running import {'left' if (index / 'importing').exists() else 'absent'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--kill-after", type=int, default=300, help="kill once at least this many inquiries are stored")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    path = data_file(args.count)
    wanted = expected(path)
    database = Database(args.database)
    env = portal_env(database.url)
    manage(env, "migrate", "--noinput")

    process = subprocess.Popen([PYTHON, "manage.py", "import_inquiries", str(path)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    stored_before = 0
    while process.poll() is None and time.monotonic() < deadline:
        try:
            stored_before = len(database.stored())
        except Exception:  # the tables may be locked or not yet visible; just look again
            stored_before = 0
        if stored_before >= args.kill_after:
            break
        time.sleep(0.2)
    if process.poll() is not None:
        raise SystemExit(f"the import finished before it could be killed ({stored_before} stored); use a larger --count")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed = database.stored()
    problems = compare(killed, wanted)
    say(f"killed with SIGKILL after {len(killed)} of {args.count} inquiries were stored ({args.database})")
    say(f"half-imported inquiries after the kill: {len(problems)}" + (f", e.g. {problems[:3]}" if problems else ""))
    say(index_state(env))
    started = time.monotonic()
    caught_up = subprocess.run([PYTHON, "manage.py", "rebuild_search_index", "--catch-up"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=600)
    documents, published = index_check(env)
    index_ok = caught_up.returncode == 0 and documents == published == len(killed)
    say(f"catch-up after the kill: exit {caught_up.returncode} in {time.monotonic() - started:.1f} s; "
        f"{index_state(env)}; {documents} documents for {published} published inquiries")

    rerun = subprocess.run([PYTHON, "manage.py", "import_inquiries", str(path)], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    final = database.stored()
    final_problems = compare(final, wanted)
    missing = len(set(wanted) - set(final))
    say(f"rerun: exit {rerun.returncode}, {rerun.stdout.strip().splitlines()[-1] if rerun.stdout.strip() else ''}")
    say(f"after the rerun: {len(final)} of {args.count} stored, {missing} missing, {len(final_problems)} incomplete")
    documents, published = index_check(env)
    say(f"after the rerun: {documents} documents in the index for {published} published inquiries")
    ok = not problems and rerun.returncode == 0 and not missing and not final_problems
    ok = ok and index_ok and documents == published == args.count
    say(f"kill test: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
