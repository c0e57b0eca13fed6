"""Stop PostgreSQL under load: 503 with the friendly page while it is down, recovery after.

    python bench/fault.py --down-seconds 10

Needs the corpus database of ``bench/run.py --database postgres --count N`` (default 10,000). Starts gunicorn
(page cache off, so every request needs the database; counts from each worker's cache), runs 8 clients over the list,
search and inquiry pages, stops the PostgreSQL cluster, keeps the load on while it is
down, starts it again and measures how long after the restart the first page renders.
Checks that every failed answer was a 503 with the friendly page and Retry-After, that no
500 occurred and that the same worker processes served before and after (no restart).

PostgreSQL on this machine is shared: the script always starts it again (also on error)
and waits until it accepts connections.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BENCH_DB, HOST, Server, corpus_database_url, portal_env, say, scenarios  # noqa: E402

FRIENDLY = "Das Anfragen-Portal ist gleich wieder da"


def cluster_version() -> str:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    if len(versions) != 1:
        raise SystemExit(f"expected one PostgreSQL cluster version in /etc/postgresql, found {versions}")
    return versions[0]


def pg_ctl(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster_version(), "main", action], check=True)


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


def fetch(port: int, url: str) -> tuple[int, str, str | None]:
    connection = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        connection.request("GET", url, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), response.getheader("Retry-After")
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down-seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--count", type=int, default=10_000, help="which corpus of bench/run.py")
    parser.add_argument("--pg-prefix", default=BENCH_DB, help="as given to bench/run.py")
    args = parser.parse_args()
    if not (1 <= args.down_seconds <= 60 and 1 <= args.clients <= 64):
        parser.error("--down-seconds 1–60, --clients 1–64")
    if not pg_ready():
        raise SystemExit("PostgreSQL is not running; not starting a fault test")

    env = portal_env(corpus_database_url("postgres", args.count, args.pg_prefix), mode="warm")
    server = Server(env, args.port, args.workers)
    events: list[tuple[float, int, bool, str | None]] = []  # time, status, friendly page, Retry-After
    lock = threading.Lock()
    stop = threading.Event()
    stopped_at = started_at = None
    try:
        mix = scenarios(args.port)
        urls = mix["list page"] + mix["search: rare word"] + mix["inquiry page"][:20]
        pids = server.worker_pids()

        def client(offset: int) -> None:
            n = offset
            while not stop.is_set():
                url = urls[n % len(urls)]
                n += args.clients
                try:
                    status, body, retry = fetch(args.port, url)
                except OSError:
                    status, body, retry = 0, "", None
                with lock:
                    events.append((time.monotonic(), status, FRIENDLY in body, retry))
                time.sleep(0.02)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        stopped_at = time.monotonic()
        pg_ctl("stop")
        say(f"PostgreSQL stopped ({time.monotonic() - stopped_at:.1f} s to stop)")
        time.sleep(args.down_seconds)
        pg_ctl("start")
        while not pg_ready():
            time.sleep(0.1)
        started_at = time.monotonic()
        say("PostgreSQL started and accepting connections")
        time.sleep(10)
        stop.set()
        for thread in threads:
            thread.join()
        same_workers = server.worker_pids() == pids
    finally:
        stop.set()
        if not pg_ready():
            pg_ctl("start")
            while not pg_ready():
                time.sleep(0.2)
        server.stop()
    say(f"PostgreSQL up again: {pg_ready()}")

    before = [e for e in events if e[0] < stopped_at]
    down = [e for e in events if stopped_at <= e[0] < started_at]
    after = [e for e in events if e[0] >= started_at]
    statuses = collections.Counter(e[1] for e in events)
    failures_down = [e for e in down if e[1] != 200]
    friendly = all(e[1] == 503 and e[2] and e[3] == "5" for e in failures_down)
    first_ok_after = next((e[0] - started_at for e in after if e[1] == 200), None)
    last_error_after = max((e[0] - started_at for e in after if e[1] != 200), default=None)
    say(f"requests: {len(events)}; statuses: {dict(statuses)}")
    say(f"before the stop: {len(before)} requests, {sum(e[1] != 200 for e in before)} not 200")
    say(f"while down: {len(down)} requests, {len(failures_down)} failed; all of them 503 + friendly page + Retry-After: {friendly}")
    say(f"after the start: first 200 after {first_ok_after if first_ok_after is None else round(first_ok_after, 2)} s; "
        f"last error {last_error_after if last_error_after is None else round(last_error_after, 2)} s after the start")
    say(f"no 500s: {statuses.get(500, 0) == 0}; same worker processes throughout: {same_workers}")
    ok = (friendly and failures_down and statuses.get(500, 0) == 0 and first_ok_after is not None
          and (last_error_after is None or last_error_after <= 5) and same_workers)
    say(f"fault test: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
