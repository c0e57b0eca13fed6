"""Benchmark the portal under gunicorn: latency and throughput of the public pages.

    python bench/run.py --count 10000 --database sqlite
    python bench/run.py --count 10000 --database postgres      # database ap_bench, recreated
    python bench/run.py --count 100000 --database postgres --workers 3

Loads N generated inquiry.v1 records (bench/generate_inquiries.py) into a fresh database
(PostgreSQL ``ap_bench`` or an SQLite file under bench/out/), timing the import, starts
gunicorn (DEBUG off) on 127.0.0.1 only and sends a bounded number of requests per scenario
at the given concurrency: p50/p95 in ms and requests/s, in three modes:

- cold: no cache at all; every request counts, ranks and marks up its results;
- warm: every page rendered, with the counts, first results and highlights that the
  data-version cache of each worker kept (AGGREGATE_CACHE_SECONDS; no Redis needed);
- cached: whole pages from the page cache in Redis.

Prints the figures and writes them as JSON to bench/out/. A benchmark, not a test: it
reports and judges nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
HOST = "127.0.0.1"
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "ap_bench"
# A separate Redis database so that the benchmark's pages never mix with anything else.
REDIS_URL = "redis://127.0.0.1:6379/12"

COMMON_WORD = "Landesregierung"  # in nearly every inquiry of the generator
RARE_WORD = "Notfallpraxen"  # one topic of fifteen
ABSENT_WORD = "Wasserstoffstrategie"  # in none: the index lookup alone
PHRASE = '"Ausstattung der Feuerwehren"'


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


MODES = ("cold", "warm", "cached")


@dataclass
class Figure:
    scenario: str
    mode: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    rps: float


def machine() -> dict:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
    return {"nproc": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1), "cpu": model,
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


# --- data and database -----------------------------------------------------------------------


def data_file(count: int) -> Path:
    path = OUT / f"inquiries-{count}.jsonl"
    if not path.exists():
        say(f"generating {count} inquiries → {path}")
        tmp = path.with_suffix(".tmp")
        subprocess.run([PYTHON, str(ROOT / "bench" / "generate_inquiries.py"), str(count), "--output", str(tmp)], check=True)
        tmp.rename(path)
    return path


def fresh_database(kind: str, count: int) -> str:
    if kind == "postgres":
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {BENCH_DB}")
        return f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    path = OUT / f"bench-{count}.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def portal_env(database_url: str, *, mode: str = "cold") -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "PAGE_CACHE", "AGGREGATE_CACHE", "CACHE_SECONDS"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=str(OUT / "media"),
        LOG_LEVEL="WARNING",
        AXES_ENABLED="false",
        PAGE_CACHE_SECONDS="600" if mode == "cached" else "0",
        AGGREGATE_CACHE_SECONDS="0" if mode == "cold" else "600",
        # Every client of the benchmark is 127.0.0.1: the API's per-address limit (120 a
        # minute by default) would answer 429 to the benchmark instead of measuring it.
        API_THROTTLE_RATE="1000000/minute",
    )
    if mode == "cached":
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def timed_import(env: dict[str, str], path: Path, count: int) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "manage.py", "import_inquiries", str(path)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"import failed: {process.stderr.read().decode()[-2000:]}")
    summary = process.stdout.read().decode().strip().splitlines()[-1]
    return {"records": count, "seconds": round(seconds, 1), "records_per_s": round(count / seconds, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "summary": summary}


# --- server ------------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers),
             "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(port, "/health/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not come up within 60 s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def peak_rss_mb(self) -> list[float]:
        """VmHWM of each worker: the most resident memory it ever had."""
        peaks = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(round(int(line.split()[1]) / 1024, 1))
        return peaks

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(port: int, url: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", url, headers={"Host": HOST, "Accept-Language": "de"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure(port: int, name: str, urls: list[str], *, requests: int, concurrency: int, mode: str,
            seconds: float = 60) -> Figure:
    """``requests`` GETs spread over ``concurrency`` threads, cycling through ``urls``.

    No new request starts after ``seconds``, so a very slow page cannot hold up the run;
    the figure then rests on the requests that finished (``requests`` in the result).
    """
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None or time.monotonic() > deadline:
                return
            url = urls[n % len(urls)]
            start = time.perf_counter()
            try:
                status, _ = get(port, url, timeout=120)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=100)
    return Figure(name, mode, len(latencies), errors[0], round(statistics.median(latencies), 1), round(quantiles[94], 1),
                  round(len(latencies) / wall, 1))


def scenarios(port: int) -> dict[str, list[str]]:
    """URLs per scenario, taken from the pages themselves so they exist in this database."""
    status, body = get(port, "/anfragen/")
    html = body.decode()
    details = sorted(set(re.findall(r'href="(/[a-z]{2}/drucksache/[^"#]+/)"', html)))
    factions = sorted(set(re.findall(r"faction=([a-z0-9-]+)", html)))
    if status != 200 or not details:
        raise SystemExit("the list page shows no inquiries; was the import empty?")
    # More inquiry pages than one list shows: a few pages of the list.
    for page in (2, 3, 4):
        details += re.findall(r'href="(/[a-z]{2}/drucksache/[^"#]+/)"', get(port, f"/anfragen/?page={page}")[1].decode())
    details = sorted(set(details))
    q = urllib.parse.quote
    mix = {
        "search: common word": [f"/anfragen/?q={q(COMMON_WORD)}"],
        "search: rare word": [f"/anfragen/?q={q(RARE_WORD)}"],
        "search: absent word": [f"/anfragen/?q={q(ABSENT_WORD)}"],
        "search: phrase": [f"/anfragen/?q={q(PHRASE)}"],
        "search: filters + facets": [
            f"/anfragen/?q={q('Schulen')}&parliament=bw&kind=minor&status=answered" + (f"&faction={factions[0]}" if factions else ""),
        ],
        "list page": ["/anfragen/", "/anfragen/?page=2", "/anfragen/?page=3"],
        "inquiry page": details,
        "feed": ["/anfragen/feed/", f"/anfragen/feed/?q={q(RARE_WORD)}"],
    }
    status, body = get(port, "/api/v1/inquiries/")
    if status == 200:
        mix["API list"] = ["/api/v1/inquiries/", "/api/v1/inquiries/?page=2"]
        ids = sorted(set(re.findall(r'"id":\s*(\d+)', body.decode())))
        if ids:
            mix["API detail"] = [f"/api/v1/inquiries/{pk}/" for pk in ids]
    return mix


def run_server_phase(env: dict[str, str], args, mode: str, port: int) -> tuple[list[Figure], list[float]]:
    server = Server(env, port, args.workers)
    try:
        mix = scenarios(port)
        figures = []
        for name, urls in mix.items():
            # First hits load the search vocabulary. In the warm mode they also fill each
            # worker's cache of counts and results (each URL a few times over); in the cached
            # mode every URL once, into the page cache all workers share.
            warm_up = {"cold": urls[:5], "warm": urls[:5] * args.workers * 2, "cached": urls}[mode]
            for url in warm_up:
                get(port, url, timeout=120)
            requests = args.cached_requests if mode == "cached" else args.requests
            figure = measure(port, name, urls, requests=requests, concurrency=args.concurrency, mode=mode,
                             seconds=args.scenario_seconds)
            say(f"  {mode:6} {name:26} n {figure.requests:4}  p50 {figure.p50_ms:7.1f} ms  p95 {figure.p95_ms:7.1f} ms"
                f"  {figure.rps:7.1f} req/s  errors {figure.errors}")
            figures.append(figure)
        return figures, server.peak_rss_mb()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2–4 on a 2-core machine)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=120, help="requests per scenario, cold and warm")
    parser.add_argument("--cached-requests", type=int, default=1000, help="requests per scenario, page cache on")
    parser.add_argument("--scenario-seconds", type=float, default=40, help="no new request after this long")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--modes", type=lambda value: value.split(","), default=list(MODES),
                        help=f"comma-separated, of {', '.join(MODES)} (default: all, in that order)")
    parser.add_argument("--demo", action="store_true", help="load the real demo data (~9,770 inquiries) instead of generated ones")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded database of an earlier run")
    args = parser.parse_args()
    if not 1 <= args.workers <= 8:
        parser.error("--workers must be between 1 and 8")
    if not args.modes or set(args.modes) - set(MODES):
        parser.error(f"--modes takes {', '.join(MODES)}")

    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    say(f"machine: {info}")
    say(f"database: {args.database}, inquiries: {args.count}, gunicorn workers: {args.workers}, concurrency: {args.concurrency}")
    if args.reuse:
        database_url = (f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}" if args.database == "postgres"
                        else f"sqlite:///{OUT / f'bench-{args.count}.sqlite3'}")
        env = portal_env(database_url)
        imported = None
    else:
        database_url = fresh_database(args.database, args.count)
        env = portal_env(database_url)
        manage(env, "migrate", "--noinput")
        if args.demo:
            start = time.perf_counter()
            manage(env, "load_demo_data")
            imported = {"demo_data": True, "seconds": round(time.perf_counter() - start, 1)}
        else:
            imported = timed_import(env, data_file(args.count), args.count)
        say(f"import: {imported}")
    manage(env, "collectstatic", "--noinput")

    figures: list[Figure] = []
    rss: dict[str, list[float]] = {}
    for mode in args.modes:
        mode_figures, rss[mode] = run_server_phase(portal_env(database_url, mode=mode), args, mode=mode, port=args.port)
        figures += mode_figures
        say(f"  peak RSS per worker ({mode} run): {rss[mode]} MB")

    result = {"machine": info, "database": args.database, "count": args.count, "workers": args.workers,
              "concurrency": args.concurrency, "requests_per_scenario": {"cold/warm": args.requests, "cached": args.cached_requests},
              "import": imported, "figures": [asdict(f) for f in figures], "peak_rss_mb": rss}
    target = OUT / f"results-{args.database}-{args.count}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    say(f"written: {target}")
    say(f"this process's children peak RSS: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
