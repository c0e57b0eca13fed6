"""Benchmark the portal under gunicorn: latency and throughput of the public pages.

    python bench/run.py --count 10000 --database sqlite
    python bench/run.py --count 100000 --database postgres --workers 3
    # issue 13: caches off, one client and 8, Datasette beside it on the same records
    python bench/run.py --count 100000 --database postgres --workers 2 --modes cold --concurrency 1,8 --datasette

The corpus is built once and reused: N generated inquiry.v1 records
(bench/generate_inquiries.py, keyed by N and the generator's version) are imported into an
SQLite file under bench/out/ or a PostgreSQL database ``<prefix>_<N>_g<version>``, the import
timed, then ``manage.py rebuild_search_index`` builds whatever search index the portal has
(again whenever the search code or the migrations change). ``--rebuild`` builds everything
anew. gunicorn (DEBUG off) runs on 127.0.0.1 only and every scenario gets a bounded number of
requests (with wrk: seconds) at each concurrency: p50/p95 in ms and requests/s (one client from this script, several
from Debian's ``wrk``, whose own CPU per request is a fraction of a Python client's, so that the
two cores go to the servers measured; ``--load python`` for this script's threads), in three modes:

- cold: no cache at all; every request counts, ranks and marks up its results;
- warm: every page rendered, with the counts, first results and highlights that the
  data-version cache of each worker kept (AGGREGATE_CACHE_SECONDS; no Redis needed);
- cached: whole pages from the page cache in Redis.

With ``--datasette`` Datasette 0.65.5 serves the same records (bench/datasette_side.py) and its
comparable paths are measured right after the portal's, in the same run; the ratios are printed.
Also printed: the share of the words searched for, memory per worker, the size on disk against
the raw text, the import rate and the machine's load.

Prints the figures and writes them as JSON to bench/out/. A benchmark, not a test: it
reports and judges nothing beyond printing which of issue 13's targets the figures meet.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasette_side  # noqa: E402
from generate_inquiries import GENERATOR_VERSION  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
HOST = "127.0.0.1"
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "ap_bench"  # the prefix of the corpus databases on PostgreSQL (--pg-prefix)
# A separate Redis database so that the benchmark's pages never mix with anything else.
REDIS_URL = "redis://127.0.0.1:6379/12"

# The common, rare and second word are picked from the corpus by their share (pick_words).
ABSENT_WORD = "Wasserstoffstrategie"  # in none: the index lookup alone
PHRASE = '"Ausstattung der Feuerwehren"'  # one topic of fifteen, about 4 %


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
    concurrency: int = 8
    server: str = "portal"


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


def commit() -> str:
    described = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return described.stdout.strip() or "unknown"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def corpus_key(count: int) -> str:
    return f"{count}-g{GENERATOR_VERSION}"


def data_file(count: int, *, rebuild: bool = False) -> Path:
    """The generated records, written once per count and generator version."""
    path = OUT / f"inquiries-{corpus_key(count)}.jsonl"
    if rebuild or not path.exists():
        say(f"generating {count} inquiries → {path}")
        tmp = path.with_suffix(".tmp")
        started = time.perf_counter()
        subprocess.run([PYTHON, str(ROOT / "bench" / "generate_inquiries.py"), str(count), "--output", str(tmp)], check=True)
        tmp.rename(path)
        say(f"  generated in {time.perf_counter() - started:.1f} s")
        path.with_suffix(".words.json").unlink(missing_ok=True)
    return path


_TOKEN = re.compile(r"[a-zäöüß]+")


def _searchable_text(record: dict) -> str:
    """The text Datasette searches (title, questions, answers), lower case."""
    parts = [record["title"]]
    for question in record["questions"]:
        parts += [question["text"], question.get("answer") or ""]
    return "\n".join(parts).lower()


def pick_words(path: Path) -> dict:
    """The words the searches use, chosen by their share of the corpus's inquiries, and its raw text size.

    Candidates are ranked on the first 20,000 records; the shares printed are counted over all
    of them (whole words in title, questions and answers, as Datasette's index sees them).
    """
    cache = path.with_suffix(".words.json")
    if cache.exists():
        return json.loads(cache.read_text())
    frequencies: dict[str, int] = {}
    sample = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if sample == 20_000:
                break
            sample += 1
            for word in set(_TOKEN.findall(_searchable_text(json.loads(line)))):
                frequencies[word] = frequencies.get(word, 0) + 1

    def closest(low: float, high: float, aim: float) -> str:
        candidates = [w for w, n in frequencies.items() if len(w) >= 6 and low <= n / sample <= high]
        if not candidates:
            raise SystemExit(f"no word in {low:.0%}–{high:.0%} of the inquiries")
        return min(candidates, key=lambda w: (round(abs(frequencies[w] / sample - aim), 3), len(w), w))

    chosen = {"common": closest(0.20, 0.40, 0.25), "rare": closest(0.01, 0.03, 0.02), "second": closest(0.40, 0.70, 0.5)}
    patterns = {role: re.compile(rf"\b{word}\b") for role, word in chosen.items()}
    hits = dict.fromkeys(chosen, 0)
    records = raw_bytes = searchable_bytes = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            records += 1
            text = _searchable_text(record)
            searchable_bytes += len(text.encode("utf-8"))
            raw_bytes += len(text.encode("utf-8")) + len((record.get("explanation") or "").encode("utf-8"))
            for role, pattern in patterns.items():
                if pattern.search(text):
                    hits[role] += 1
    words = {role: {"word": word.capitalize() if role != "second" else word, "share": round(hits[role] / records, 4)}
             for role, word in chosen.items()}
    result = {**words, "records": records, "raw_text_bytes": raw_bytes, "searchable_text_bytes": searchable_bytes}
    cache.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result


def corpus_options(parser, *, database: str = "sqlite", count: int = 100_000) -> None:
    """The options of a script that measures a corpus this script built: --database, --count, --pg-prefix."""
    parser.add_argument("--database", choices=["sqlite", "postgres"], default=database)
    parser.add_argument("--count", type=int, default=count, help="which corpus of bench/run.py")
    parser.add_argument("--pg-prefix", default=BENCH_DB, help="as given to bench/run.py")


def corpus_database_url(kind: str, count: int, prefix: str = BENCH_DB) -> str:
    if kind == "postgres":
        return f"postgres://postgres@127.0.0.1:5432/{prefix}_{count}_g{GENERATOR_VERSION}"
    return f"sqlite:///{OUT / f'corpus-{corpus_key(count)}.sqlite3'}"


def corpus_marker(kind: str, count: int, prefix: str) -> Path:
    name = f"{prefix}-{kind}" if kind == "postgres" else kind
    return OUT / f"corpus-{name}-{corpus_key(count)}.json"


def index_dir(database_url: str) -> Path:
    """Where a search index outside the database lives (SEARCH_INDEX_DIR, if the portal uses one):
    one folder per corpus database, unless SEARCH_INDEX_DIR is set for the run."""
    if os.environ.get("SEARCH_INDEX_DIR"):
        return Path(os.environ["SEARCH_INDEX_DIR"])
    return OUT / f"search-index-{Path(database_url.rsplit('/', 1)[1]).stem}"


# Modules of the search package that only read the index (queries, threads, suggestions):
# a change there leaves what is indexed as it was, so it rebuilds nothing.
_QUERY_SIDE = {"engine_search.py", "query.py", "snippets.py", "threads.py", "suggest.py"}


def search_fingerprint() -> str:
    """Changes when the code that writes the index or the migrations change: the index is then rebuilt."""
    digest = hashlib.sha256()
    for folder in (ROOT / "inquiries" / "search", ROOT / "inquiries" / "migrations"):
        for path in sorted(folder.rglob("*.py")):
            if folder.name == "search" and path.name in _QUERY_SIDE:
                continue
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def drop_database(kind: str, database_url: str) -> None:
    if kind == "postgres":
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
        return
    path = database_url.removeprefix("sqlite:///")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def has_command(name: str) -> bool:
    return (ROOT / "inquiries" / "management" / "commands" / f"{name}.py").exists()


def rebuild_search_index(env: dict[str, str], count: int) -> dict | None:
    if not has_command("rebuild_search_index"):
        return None
    say("rebuilding the search index (manage.py rebuild_search_index)")
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "manage.py", "rebuild_search_index"], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"rebuild_search_index failed: {done.stderr[-2000:]}")
    figures = {"seconds": round(seconds, 1), "records_per_s": round(count / seconds, 1),
               "summary": (done.stdout.strip().splitlines() or [""])[-1]}
    say(f"  {figures}")
    return figures


def corpus(
    kind: str, count: int, *, prefix: str, rebuild: bool, rebuild_index: bool, keep_import_index: bool = False, keep_index: bool = False
) -> tuple[str, dict]:
    """The loaded corpus database (built once, reused) and what its building measured."""
    database_url = corpus_database_url(kind, count, prefix)
    marker = corpus_marker(kind, count, prefix)
    env = portal_env(database_url)
    info = json.loads(marker.read_text()) if marker.exists() and not rebuild else None
    if info is None:
        path = data_file(count, rebuild=rebuild)
        say(f"building the corpus: {count} inquiries into {database_url}")
        marker.unlink(missing_ok=True)
        drop_database(kind, database_url)
        shutil.rmtree(index_dir(database_url), ignore_errors=True)
        manage(env, "migrate", "--noinput")
        info = {"built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit(), "load": load(),
                "import": timed_import(env, path, count)}
        say(f"import: {info['import']}")
        # The import keeps the index up to date; the rebuild after it measures the rebuild's rate.
        info["rebuild_search_index"] = None if keep_import_index else rebuild_search_index(env, count)
        info["search_fingerprint"] = search_fingerprint()
        marker.write_text(json.dumps(info, indent=2, ensure_ascii=False))
        return database_url, info
    say(f"reusing the corpus {database_url} (built {info['built']} at {info['commit']}; --rebuild builds it anew)")
    manage(env, "migrate", "--noinput")
    if keep_index and not rebuild_index and info.get("search_fingerprint") != search_fingerprint():
        # The fingerprint covers whole files, so a change of how the index is opened or written
        # changes it too; whoever passes --keep-index says what is indexed did not change.
        say(f"keeping the index built at {info.get('index_rebuilt_at', info['commit'])} although the search code changed (--keep-index)")
        info.setdefault("index_kept_at", []).append(commit())
        marker.write_text(json.dumps(info, indent=2, ensure_ascii=False))
    elif rebuild_index or info.get("search_fingerprint") != search_fingerprint():
        say("the search code or the migrations changed since the index was built" if not rebuild_index else "")
        info["rebuild_search_index"] = rebuild_search_index(env, count)
        info["search_fingerprint"] = search_fingerprint()
        info["index_rebuilt_at"] = commit()
        marker.write_text(json.dumps(info, indent=2, ensure_ascii=False))
    return database_url, info


def fresh_database(kind: str, count: int) -> str:
    """An empty database for the demo data (not a corpus: loaded on every run)."""
    url = (f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}_demo" if kind == "postgres"
           else f"sqlite:///{OUT / 'bench-demo.sqlite3'}")
    drop_database(kind, url)
    return url


def storage(kind: str, database_url: str) -> dict:
    """Bytes on disk: the database (with its WAL) and any search index folder."""
    if kind == "postgres":
        import psycopg

        with psycopg.connect(database_url) as connection:
            database = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    else:
        path = database_url.removeprefix("sqlite:///")
        database = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    folder = index_dir(database_url)
    index = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
    return {"database_bytes": database, "index_dir": str(folder) if folder.exists() else None, "index_bytes": index}


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
        SEARCH_INDEX_DIR=str(index_dir(database_url)),
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


def ensure_port_free(port: int) -> None:
    """Stop when something listens on ``port`` already: gunicorn would fail to bind it, keep
    retrying for a few seconds, and the health check would meanwhile measure that other server
    (another checkout's benchmark on the default port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As gunicorn binds: closed connections waiting out TIME_WAIT do not count, a listener does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise SystemExit(f"port {port} is taken ({error.strerror}): give another with --port") from None


def wait_until_up(port: int, server: str, seconds: float = 60) -> None:
    """Return once the portal on ``port`` answers its health check; stop the benchmark if it does not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(port, "/health/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{server} did not come up within {seconds:g} s")


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int) -> None:
        ensure_port_free(port)
        self.port = port
        self.process = subprocess.Popen(
            # The production settings (portal/gunicorn.conf.py, as `make serve`), but for these.
            [str(Path(PYTHON).parent / "gunicorn"), "-c", str(ROOT / "portal" / "gunicorn.conf.py"), "portal.wsgi",
             "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        try:
            wait_until_up(port, "gunicorn")
        except BaseException:
            self.stop()  # also on TERM or Ctrl-C while waiting
            raise

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

    def rss_mb(self) -> list[float]:
        """VmRSS of each worker now."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

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


def measure(port: int | list[int], name: str, urls: list[str], *, requests: int, concurrency: int, mode: str,
            seconds: float = 60, server: str = "portal") -> Figure:
    """``requests`` GETs spread over ``concurrency`` threads, cycling through ``urls``.

    With several ports (Datasette's processes) the requests go to them in turn. No new
    request starts after ``seconds``, so a very slow page cannot hold up the run; the figure
    then rests on the requests that finished (``requests`` in the result).
    """
    ports = port if isinstance(port, list) else [port]
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
                status, _ = get(ports[n % len(ports)], url, timeout=120)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return Figure(name, mode, len(latencies), errors[0], round(statistics.median(latencies), 1), round(quantiles[94], 1),
                  round(len(latencies) / wall, 1), concurrency, server)


WRK_SCRIPT = ROOT / "bench" / "wrk_paths.lua"
# wrk processes per measurement at several clients: Datasette runs two processes on two ports,
# so each server gets two load processes with half the connections, the portal's on its one port.
WRK_PROCESSES = 2


@dataclass
class WrkRun:
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    cpu_seconds: float  # the wrk processes' own (user + system)


def run_wrk(ports: list[int], urls: list[str], *, concurrency: int, seconds: float) -> WrkRun:
    """``concurrency`` connections for ``seconds``, cycling through ``urls``, from Debian's wrk
    (C, an event loop): two processes of one thread, each with half the connections and, with
    several ports (Datasette's two processes), one port each. Every request on a new connection
    (``Connection: close``, bench/wrk_paths.lua), as ``get`` does. p50 and p95 are the mean of
    the processes' own, weighted by their requests."""
    shares = [concurrency // WRK_PROCESSES + (i < concurrency % WRK_PROCESSES) for i in range(WRK_PROCESSES)]
    shares = [share for share in shares if share]
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(urls) + "\n")
        paths_file = handle.name
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        processes = [
            subprocess.Popen(
                ["wrk", "-t", "1", "-c", str(share), "-d", f"{max(1, round(seconds))}s", "--timeout", "120s",
                 "-s", str(WRK_SCRIPT), f"http://{HOST}:{ports[i % len(ports)]}/", "--", paths_file, str(i * 7919)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for i, share in enumerate(shares)
        ]
        results = []
        for process in processes:
            out, err = process.communicate()
            lines = [line for line in out.splitlines() if line.startswith("{")]
            if process.returncode != 0 or not lines:
                raise SystemExit(f"wrk failed ({process.returncode}): {err.strip() or out.strip()}")
            results.append(json.loads(lines[-1]))
    finally:
        os.unlink(paths_file)
    # The children reaped since ``before``: the wrk processes (the servers are reaped when stopped).
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests = sum(result["requests"] for result in results)

    def weighted(key: str) -> float:
        return round(sum(result[key] * result["requests"] for result in results) / max(requests, 1) / 1000, 1)

    return WrkRun(
        requests=requests,
        errors=sum(result[kind] for result in results for kind in ("connect", "read", "write", "status", "timeout")),
        rps=round(sum(result["requests"] / (result["microseconds"] / 1e6) for result in results), 1),
        p50_ms=weighted("p50_us"),
        p95_ms=weighted("p95_us"),
        cpu_seconds=round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 3),
    )


def measure_wrk(port: int | list[int], name: str, urls: list[str], *, concurrency: int, mode: str,
                seconds: float = 60, server: str = "portal") -> Figure:
    """``measure`` by wrk: the threads of ``measure`` are Python on the same two cores as the
    servers, each request costing the client a few hundred microseconds of CPU (and the GIL)
    that the server measured does not get; wrk's cost per request is a small part of that."""
    run = run_wrk(port if isinstance(port, list) else [port], urls, concurrency=concurrency, seconds=seconds)
    return Figure(name, mode, run.requests, run.errors, run.p50_ms, run.p95_ms, run.rps, concurrency, server)


def measure_by(load: str, port: int | list[int], name: str, urls: list[str], *, requests: int, concurrency: int, mode: str,
               seconds: float, server: str) -> Figure:
    """``measure_wrk`` with ``load`` "wrk" at several clients, else ``measure`` (``requests`` requests)."""
    if load == "wrk" and concurrency > 1:
        return measure_wrk(port, name, urls, concurrency=concurrency, mode=mode, seconds=seconds, server=server)
    return measure(port, name, urls, requests=requests, concurrency=concurrency, mode=mode, seconds=seconds, server=server)


def scenarios(port: int, words: dict | None = None) -> dict[str, list[str]]:
    """URLs per scenario, taken from the pages themselves so they exist in this database.

    ``words`` (pick_words) name the common, rare and second word; without them (the demo
    data, load.py, fault.py) fixed words of the generator's text are used.
    """
    words = words or {"common": {"word": "Polizei"}, "rare": {"word": "Notfallpraxen"}, "second": {"word": "landesregierung"}}
    common, rare, second = words["common"]["word"], words["rare"]["word"], words["second"]["word"]
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
        "search: common word": [f"/anfragen/?q={q(common)}"],
        "search: rare word": [f"/anfragen/?q={q(rare)}"],
        "search: absent word": [f"/anfragen/?q={q(ABSENT_WORD)}"],
        "search: phrase": [f"/anfragen/?q={q(PHRASE)}"],
        "search: exclusion": [f"/anfragen/?q={q(f'{common} -{second}')}"],
        "search: two words": [f"/anfragen/?q={q(f'{common} {second}')}"],
        "search: common word + parliament": [f"/anfragen/?q={q(common)}&parliament=bw"],
        "search: filters + facets": [
            f"/anfragen/?q={q(common)}&parliament=bw&kind=minor&status=answered" + (f"&faction={factions[0]}" if factions else ""),
        ],
        "list page": ["/anfragen/", "/anfragen/?page=2", "/anfragen/?page=3"],
        "inquiry page": details,
        "feed": ["/anfragen/feed/", f"/anfragen/feed/?q={q(rare)}"],
    }
    status, body = get(port, "/api/v1/inquiries/")
    if status == 200:
        mix["API list"] = ["/api/v1/inquiries/", "/api/v1/inquiries/?page=2"]
        ids = sorted(set(re.findall(r'"id":\s*(\d+)', body.decode())))
        if ids:
            mix["API detail"] = [f"/api/v1/inquiries/{pk}/" for pk in ids]
    return mix


# Issue 13's targets for one client, p95 in ms (they are set for 1,000,000 inquiries).
TARGET_P95_MS = {
    "search: common word": 50, "search: rare word": 30, "search: phrase": 30, "search: exclusion": 30,
    "search: two words": 30, "search: common word + parliament": 30, "search: filters + facets": 30,
    "list page": 30, "inquiry page": 10, "API list": 15, "API detail": 5, "feed": 20,
}


def report_line(figure: Figure) -> str:
    return (f"  {figure.mode:6} {figure.server:9} c={figure.concurrency:<2} {figure.scenario:34} n {figure.requests:4}"
            f"  p50 {figure.p50_ms:7.1f} ms  p95 {figure.p95_ms:7.1f} ms  {figure.rps:7.1f} req/s  errors {figure.errors}")


def run_server_phase(env: dict[str, str], args, mode: str, port: int, words: dict | None = None,
                     datasette: datasette_side.Servers | None = None) -> tuple[list[Figure], dict]:
    server = Server(env, port, args.workers)
    try:
        mix = scenarios(port, words)
        if args.scenarios:
            mix = {name: urls for name, urls in mix.items() if name in args.scenarios}
        their = datasette_side.paths(datasette, words, args.count) if datasette else {}
        figures = []
        for name, urls in mix.items():
            # First hits load the search vocabulary. In the warm mode they also fill each
            # worker's cache of counts and results (each URL a few times over); in the cached
            # mode every URL once, into the page cache all workers share.
            warm_up = {"cold": urls[:5], "warm": urls[:5] * args.workers * 2, "cached": urls}[mode]
            for url in warm_up:
                get(port, url, timeout=120)
            for url in their.get(name, [])[:4]:
                for datasette_port in datasette.ports:
                    get(datasette_port, url, timeout=120)
            for concurrency in args.concurrency:
                if concurrency == 1:
                    requests = args.one_client_requests
                else:
                    requests = args.cached_requests if mode == "cached" else args.requests
                figure = measure_by(args.load, port, name, urls, requests=requests, concurrency=concurrency, mode=mode,
                                    seconds=args.scenario_seconds, server="portal")
                say(report_line(figure))
                figures.append(figure)
                # Datasette's counterpart right after, so that both meet the same load of the machine.
                if name in their:
                    figure = measure_by(args.load, datasette.ports, name, their[name],
                                        requests=args.requests if concurrency > 1 else args.one_client_requests,
                                        concurrency=concurrency, mode=mode, seconds=args.scenario_seconds, server="datasette")
                    say(report_line(figure))
                    figures.append(figure)
        memory = {"peak_rss_mb": server.peak_rss_mb(), "rss_mb": server.rss_mb()}
        if datasette:
            memory["datasette_peak_rss_mb"] = datasette.rss_mb()
        return figures, memory
    finally:
        server.stop()


def comparison(figures: list[Figure]) -> list[dict]:
    """Portal against Datasette per scenario: p95 at one client, req/s at the most clients."""
    rows = []
    by_key = {(f.mode, f.server, f.scenario, f.concurrency): f for f in figures}
    for (mode, server, scenario, concurrency), theirs in by_key.items():
        if server != "datasette":
            continue
        ours = by_key.get((mode, "portal", scenario, concurrency))
        if ours is None:
            continue
        row = {"mode": mode, "scenario": scenario, "concurrency": concurrency,
               "portal_p95_ms": ours.p95_ms, "datasette_p95_ms": theirs.p95_ms,
               "p95_ratio": round(ours.p95_ms / theirs.p95_ms, 2) if theirs.p95_ms else None,
               "portal_rps": ours.rps, "datasette_rps": theirs.rps,
               "rps_ratio": round(ours.rps / theirs.rps, 2) if theirs.rps else None}
        rows.append(row)
    return rows


def print_verdicts(figures: list[Figure], rows: list[dict], count: int, database: str) -> list[str]:
    """Issue 13's targets, met or missed, as lines (also stored in the JSON)."""
    lines = []
    scale = "" if count >= 1_000_000 else f" (the target is for 1,000,000; this is {count:,})"
    for figure in figures:
        if figure.server != "portal" or figure.concurrency != 1 or figure.scenario not in TARGET_P95_MS:
            continue
        target = TARGET_P95_MS[figure.scenario]
        verdict = "met" if figure.p95_ms <= target else "MISSED"
        lines.append(f"{figure.mode} {figure.scenario}: p95 {figure.p95_ms} ms at one client, target ≤ {target} ms: {verdict}{scale}")
    for row in rows:
        if row["concurrency"] == 1 and row["p95_ratio"] is not None:
            verdict = "met" if row["p95_ratio"] <= 1 else "MISSED"
            lines.append(f"{row['mode']} {row['scenario']}: p95 portal/Datasette {row['p95_ratio']} at one client, target ≤ 1: {verdict}")
        elif row["concurrency"] > 1 and row["rps_ratio"] is not None:
            verdict = "met" if row["rps_ratio"] >= 2 else "MISSED"
            lines.append(f"{row['mode']} {row['scenario']}: req/s portal/Datasette {row['rps_ratio']} at {row['concurrency']} clients,"
                         f" target ≥ 2: {verdict}")
    # Growth: p95 at this count against a tenth of it, if that run's figures are there.
    smaller = OUT / f"results-{database}-{count // 10}.json"
    if count >= 100_000 and smaller.exists():
        before = {(f["mode"], f["scenario"]): f["p95_ms"] for f in json.loads(smaller.read_text())["figures"]
                  if f.get("server", "portal") == "portal" and f.get("concurrency", 8) == 1}
        for figure in figures:
            if figure.server == "portal" and figure.concurrency == 1 and (figure.mode, figure.scenario) in before:
                ratio = round(figure.p95_ms / max(before[figure.mode, figure.scenario], 0.1), 2)
                verdict = "met" if ratio <= 3 else "MISSED"
                lines.append(f"{figure.mode} {figure.scenario}: p95 at {count:,} / at {count // 10:,} = {ratio}, target ≤ 3: {verdict}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2–4 on a 2-core machine)")
    parser.add_argument("--concurrency", type=lambda value: [int(v) for v in value.split(",")], default=[8],
                        help="comma-separated numbers of clients, each scenario measured at each (e.g. 1,8)")
    parser.add_argument("--requests", type=int, default=120, help="requests per scenario, cold and warm")
    parser.add_argument("--one-client-requests", type=int, default=40, help="requests per scenario at one client")
    parser.add_argument("--cached-requests", type=int, default=1000, help="requests per scenario, page cache on")
    parser.add_argument("--scenario-seconds", type=float, default=40, help="no new request after this long")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--scenarios", type=lambda value: [name.strip() for name in value.split(",")], default=[],
                        help='comma-separated scenario names to measure, e.g. "feed,API list,search: exclusion" (default: all)')
    parser.add_argument("--modes", type=lambda value: value.split(","), default=list(MODES),
                        help=f"comma-separated, of {', '.join(MODES)} (default: all, in that order)")
    parser.add_argument("--demo", action="store_true", help="load the real demo data (~9,770 inquiries) instead of generated ones")
    parser.add_argument("--rebuild", action="store_true", help="generate and load the corpus anew even if it was built before")
    parser.add_argument("--rebuild-index", action="store_true", help="run rebuild_search_index on the reused corpus")
    parser.add_argument("--build-only", action="store_true", help="build the corpus (and Datasette's file with --datasette), measure nothing")
    parser.add_argument("--keep-import-index", action="store_true",
                        help="a new corpus keeps the search index its import wrote instead of rebuilding it (the rebuild's rate is not measured)")
    parser.add_argument("--keep-index", action="store_true",
                        help="reuse the corpus's search index although the index code changed since it was built: only for a "
                             "change that does not alter what is indexed (how the index is opened, locked or written)")
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)  # the default now; kept for old commands
    parser.add_argument("--pg-prefix", default=BENCH_DB, help=f"name prefix of the PostgreSQL corpus databases (default {BENCH_DB})")
    parser.add_argument("--datasette", action="store_true",
                        help="measure Datasette 0.65.5 on the same records beside the portal (ports --port+1 and +2)")
    parser.add_argument("--load", choices=["wrk", "python"], default="wrk",
                        help="what loads the servers at several clients: wrk (Debian's package, `make bench-tools`; "
                             "for a scenario's whole --scenario-seconds) or this script's Python threads (--requests "
                             "requests, whose own CPU competes with the servers'); one client is always measured by Python")
    args = parser.parse_args()
    # A TERM (or INT, ignored in background jobs) then stops gunicorn and Datasette through the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if not 1 <= args.workers <= 8:
        parser.error("--workers must be between 1 and 8")
    if not args.modes or set(args.modes) - set(MODES):
        parser.error(f"--modes takes {', '.join(MODES)}")
    if not all(1 <= c <= 64 for c in args.concurrency):
        parser.error("--concurrency takes 1–64 clients")
    if not (1 <= args.requests <= 10_000 and 1 <= args.one_client_requests <= 10_000 and 1 <= args.scenario_seconds <= 600):
        parser.error("requests 1–10,000 per scenario, --scenario-seconds 1–600")
    if args.demo and (args.datasette or args.build_only):
        parser.error("--datasette and --build-only need the generated corpus, not --demo")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", args.pg_prefix):
        parser.error("--pg-prefix: lower-case letters, digits and _")
    if args.load == "wrk" and any(c > 1 for c in args.concurrency) and not args.build_only and not shutil.which("wrk"):
        parser.error("--load wrk needs wrk (make bench-tools installs Debian's package), or use --load python")

    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["commit"] = commit()
    info["load_at_start"] = load()
    info["load_generator"] = "wrk" if args.load == "wrk" else "python threads"
    say(f"machine: {info}")
    say(f"database: {args.database}, inquiries: {args.count}, gunicorn workers: {args.workers}, clients: {args.concurrency}")
    words = None
    if args.demo:
        database_url = fresh_database(args.database, args.count)
        env = portal_env(database_url)
        manage(env, "migrate", "--noinput")
        start = time.perf_counter()
        manage(env, "load_demo_data")
        built = {"import": {"demo_data": True, "seconds": round(time.perf_counter() - start, 1)},
                 "rebuild_search_index": rebuild_search_index(env, 1)}
    else:
        database_url, built = corpus(args.database, args.count, prefix=args.pg_prefix, rebuild=args.rebuild,
                                     rebuild_index=args.rebuild_index, keep_import_index=args.keep_import_index,
                                     keep_index=args.keep_index)
        env = portal_env(database_url)
        words = pick_words(data_file(args.count))
        for role in ("common", "rare", "second"):
            say(f"  {role} word: {words[role]['word']!r} in {words[role]['share']:.1%} of the inquiries")
    manage(env, "collectstatic", "--noinput")

    datasette = None
    if args.datasette:
        datasette_side.ensure_venv(say)
        file = datasette_side.build(data_file(args.count), OUT / f"datasette-{corpus_key(args.count)}.db", say, rebuild=args.rebuild)
    if args.build_only:
        say(f"built: {database_url}")
        return
    figures: list[Figure] = []
    memory: dict[str, dict] = {}
    try:
        if args.datasette:
            for port in (args.port + 1, args.port + 2):
                ensure_port_free(port)
            datasette = datasette_side.Servers(file, [args.port + 1, args.port + 2], HOST, get)
            say(f"Datasette: {datasette_side.version()}, two processes (-i, immutable) on ports {datasette.ports},"
                f" requests in turn; settings {datasette_side.SETTINGS}")
        for mode in args.modes:
            mode_figures, memory[mode] = run_server_phase(portal_env(database_url, mode=mode), args, mode=mode, port=args.port,
                                                          words=words, datasette=datasette)
            figures += mode_figures
            say(f"  memory ({mode} run): {memory[mode]} MB; load now {load()}")
    finally:
        if datasette:
            datasette.stop()

    rows = comparison(figures)
    if rows:
        say("portal against Datasette (same run):")
        for row in rows:
            say(f"  {row['mode']:6} {row['scenario']:34} c={row['concurrency']:<2} p95 {row['portal_p95_ms']:8.1f} / {row['datasette_p95_ms']:7.1f} ms"
                f" = {row['p95_ratio']:6.2f}   req/s {row['portal_rps']:6.1f} / {row['datasette_rps']:6.1f} = {row['rps_ratio']:5.2f}")
    disk = storage(args.database, database_url)
    if words:
        disk["raw_text_bytes"] = words["raw_text_bytes"]
        disk["ratio_to_raw_text"] = round((disk["database_bytes"] + disk["index_bytes"]) / words["raw_text_bytes"], 2)
    if datasette:
        disk["datasette_file_bytes"] = datasette.path.stat().st_size
    say(f"on disk: database {disk['database_bytes'] / 1e9:.2f} GB, index folder {disk['index_bytes'] / 1e9:.2f} GB"
        + (f", raw text {disk['raw_text_bytes'] / 1e9:.2f} GB (title, explanation, questions, answers): {disk['ratio_to_raw_text']}×"
           if words else "")
        + (f"; Datasette's file {disk['datasette_file_bytes'] / 1e9:.2f} GB" if datasette else ""))
    say(f"import when the corpus was built: {built.get('import')}; search index rebuild: {built.get('rebuild_search_index')}")
    verdicts = print_verdicts(figures, rows, args.count, args.database) if not args.demo else []
    if verdicts:
        say("issue 13's targets:")
        for line in verdicts:
            say(f"  {line}")
    info["load_at_end"] = load()
    say(f"load (1, 5, 15 min): at start {info['load_at_start']}, at end {info['load_at_end']}")

    result = {"machine": info, "database": args.database, "count": args.count, "workers": args.workers,
              "concurrency": args.concurrency,
              "requests_per_scenario": {"cold/warm": args.requests, "one client": args.one_client_requests, "cached": args.cached_requests},
              "corpus": built, "words": words, "figures": [asdict(f) for f in figures], "memory": memory,
              "datasette": rows, "storage": disk, "verdicts": verdicts}
    target = OUT / f"results-{args.database}-{args.count}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    say(f"written: {target}")
    say(f"this process's children peak RSS: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
