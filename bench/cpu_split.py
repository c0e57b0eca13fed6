"""Where a request's CPU goes under load: the servers', the load generator's and the kernel's.

    python bench/cpu_split.py --count 100000 --concurrency 8 --scenarios "inquiry page"
    python bench/cpu_split.py --client wrk --seconds 10       # Debian's wrk as the load generator
    python bench/cpu_split.py --wsgi-server granian            # the portal under granian instead

Serves bench/run.py's corpus with gunicorn (2 workers, portal/gunicorn.conf.py, as run.py) and,
with ``--datasette``, Datasette 0.65.5 (two processes, as run.py), and loads each in turn with
bench/run.py's scenario URLs, in one of two ways:

- ``--client python``: bench/run.py's own ``measure()`` (Python threads with http.client in this
  process, a new connection per request), whose CPU is this process's (``getrusage``);
- ``--client wrk``: bench/run.py's ``run_wrk`` (Debian's ``wrk``, as ``run.py --load wrk``): two
  processes of one thread and half the connections each (one per Datasette process),
  ``Connection: close`` so that every request opens a connection as run.py's do; its CPU is
  the reaped children's (``getrusage``).

For each, the CPU per request of the server processes (utime+stime of gunicorn's master and
workers, or of Datasette's processes, from /proc), of the load generator, and the machine's
busy time split into user, system and soft interrupts (/proc/stat), whose rest beyond server
and client is the other processes on the machine. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import datasette_side  # noqa: E402
from run import HOST, OUT, Server, corpus_database_url, corpus_key, data_file, get, load, measure, pick_words, portal_env, run_wrk, say, scenarios, wait_until_up  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pids: list[int], *, children_of: int | None = None) -> float:
    """Seconds of CPU (user + system) the processes have used so far. With ``children_of``
    (gunicorn's master, also in ``pids``): its current workers too, and the workers it has
    reaped (cutime + cstime): ``max_requests`` replaces a worker every ~2,000 requests, and
    the new one's start-up is part of what the requests cost."""
    total = 0
    if children_of is not None:
        pids = [children_of, *Path(f"/proc/{children_of}/task/{children_of}/children").read_text().split()]
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
        if children_of is not None and int(pid) == children_of:
            total += int(fields[13]) + int(fields[14])
    return total / TICK


def machine_cpu() -> dict[str, float]:
    """Seconds of the machine's CPU so far (all cores): user, system, soft interrupts, idle."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    return {"user": (user + nice) / TICK, "system": system / TICK, "irq": (irq + softirq) / TICK,
            "idle": (idle + iowait) / TICK, "steal": steal / TICK}


class GranianServer(Server):
    """The portal under granian (Rust HTTP, the app on one blocking thread per worker, as a
    sync worker), to compare a WSGI server's own CPU per request with gunicorn's; granian is
    not a dependency of the project: ``pip install granian`` into the venv first."""

    def __init__(self, env: dict[str, str], port: int, workers: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi", "--host", HOST, "--port", str(port),
             "--workers", str(workers), "--blocking-threads", "1", "--log-level", "warning", "portal.wsgi:application"],
            cwd=ROOT, env=env,
        )
        try:
            wait_until_up(port, "granian")
        except SystemExit:
            self.stop()
            raise


def split(name: str, server: str, pids: list[int], ports: list[int], urls: list[str], args) -> None:
    for port in ports:
        for url in urls[:3]:
            get(port, url)
    master = pids[0] if server == "portal" else None
    machine_before, server_before = machine_cpu(), process_cpu(pids, children_of=master)
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    if args.client == "wrk":
        started = time.perf_counter()
        run = run_wrk(ports, urls, concurrency=args.concurrency, seconds=args.seconds)
        wall = time.perf_counter() - started
        requests, errors, client_cpu = run.requests, run.errors, run.cpu_seconds
    else:
        started = time.perf_counter()
        figure = measure(ports, name, urls, requests=args.requests, concurrency=args.concurrency, mode="cold",
                         seconds=args.seconds * 10, server=server)
        wall = time.perf_counter() - started
        requests, errors = figure.requests, figure.errors
        own = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = own.ru_utime + own.ru_stime - own_before.ru_utime - own_before.ru_stime
    server_cpu = process_cpu(pids, children_of=master) - server_before
    machine_after = machine_cpu()
    spent = {key: machine_after[key] - machine_before[key] for key in machine_after}
    busy = spent["user"] + spent["system"] + spent["irq"] + spent["steal"]
    per = 1000 / max(requests, 1)
    say(f"  {server:9} {name:14} {args.client:6} c={args.concurrency}  {requests:5} req {requests / wall:7.1f} req/s  errors {errors}"
        f" | CPU ms/req: server {server_cpu * per:5.2f}  client {client_cpu * per:5.2f}  machine {busy * per:5.2f}"
        f" (user {spent['user'] * per:5.2f} sys {spent['system'] * per:5.2f} softirq {spent['irq'] * per:5.2f})"
        f"  others {(busy - server_cpu - client_cpu) * per:5.2f}  idle {spent['idle'] / wall:4.2f} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=18170)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1200, help="requests per scenario with --client python")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per scenario with --client wrk")
    parser.add_argument("--client", choices=["python", "wrk"], default="python")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--datasette", action="store_true")
    parser.add_argument("--wsgi-server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--scenarios", type=lambda value: [name.strip() for name in value.split(",")], default=["inquiry page"])
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database_url = corpus_database_url("sqlite", args.count)
    env = portal_env(database_url)
    words = pick_words(data_file(args.count))
    portal = (GranianServer if args.wsgi_server == "granian" else Server)(env, args.port, args.workers)
    theirs = None
    try:
        if portal.process.poll() is not None:
            raise SystemExit(f"{args.wsgi_server} did not start (port taken?)")
        mix = {name: urls for name, urls in scenarios(args.port, words).items() if name in args.scenarios}
        pids = [portal.process.pid, *portal.worker_pids()]
        if args.datasette:
            file = OUT / f"datasette-{corpus_key(args.count)}.db"
            theirs = datasette_side.Servers(file, [args.port + 1, args.port + 2], HOST, get)
            their_paths = datasette_side.paths(theirs, words, args.count)
        say(f"load {load()}; portal pids {pids}" + (f", Datasette pids {[p.pid for p in theirs.processes]}" if theirs else ""))
        for _ in range(args.rounds):
            for name, urls in mix.items():
                split(name, "portal", pids, [args.port], urls, args)
                if theirs and name in their_paths:
                    split(name, "datasette", [p.pid for p in theirs.processes], theirs.ports, their_paths[name], args)
        say(f"load {load()}")
    finally:
        portal.stop()
        if theirs:
            theirs.stop()


if __name__ == "__main__":
    main()
