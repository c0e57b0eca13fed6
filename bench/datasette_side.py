"""Datasette beside the portal: the same records in one SQLite table with an FTS5 index.

Used by bench/run.py (``--datasette``); not a harness of its own. The benchmark creates its own
virtualenv (bench/.datasette-venv, git-ignored) with ``datasette==0.65.5`` and ``sqlite-utils``,
exports the records of the corpus's JSON Lines file into ``inquiries`` (the searchable text
columns title, questions and answers plus the filter columns), builds the full-text index with
``sqlite-utils enable-fts --fts5`` and indexes the filter columns, as someone publishing the
data with Datasette would.

Datasette is one process (asyncio, with a few threads for SQL). To give it the two workers the
portal has under gunicorn, two Datasette processes serve the same file (immutable, ``-i``) on
two loopback ports and the load generator sends its requests to them in turn.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".datasette-venv"
DATASETTE_VERSION = "0.65.5"
TABLE = "inquiries"
# The export's layout; bumped when it changes, so that an old file is built anew.
EXPORT_VERSION = 1
# Datasette's defaults stop a query after 1 s and a facet after 200 ms and then show no count
# or facet; the portal always counts. Both limits are raised so that Datasette does the whole work.
# Its facet suggestions (on by default) try a facet on every column of every table page: at
# 100,000 rows they took 2.6 of 2.7 s of a search page under load (0.4–0.75 s without), so they
# are off, as Datasette's documentation advises for large tables: the portal is measured against
# Datasette at its fastest. Pages of 25 rows, as the portal shows.
SETTINGS = {"sql_time_limit_ms": 30000, "facet_time_limit_ms": 30000, "suggest_facets": "off", "default_page_size": 25}
FACETS = ("parliament", "term", "kind", "faction", "ministry", "status")  # the portal's facets


def bin_path(name: str) -> Path:
    return VENV / "bin" / name


def ensure_venv(say) -> None:
    if bin_path("datasette").exists() and bin_path("sqlite-utils").exists():
        return
    say(f"creating {VENV} with datasette=={DATASETTE_VERSION} and sqlite-utils")
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(bin_path("pip")), "install", "--quiet", f"datasette=={DATASETTE_VERSION}", "sqlite-utils"], check=True)


def version() -> str:
    return subprocess.run([str(bin_path("datasette")), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def rows(jsonl: Path):
    """One row per record, numbered from 1 in the order of the file."""
    with jsonl.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            record = json.loads(line)
            yield (
                number,
                record["parliament"],
                record["term"],
                record["reference"],
                record["kind"],
                "answered" if record.get("answered_on") else "pending",
                record["title"],
                "\n".join(question["text"] for question in record["questions"]),
                "\n".join(question.get("answer") or "" for question in record["questions"]),
                ", ".join(record.get("factions") or []),
                record.get("answering_ministry") or "",
                record.get("asked_on"),
                record.get("answered_on"),
            )


def build(jsonl: Path, target: Path, say, *, rebuild: bool = False) -> Path:
    """The SQLite file for Datasette, built once per corpus (``rebuild`` builds it anew)."""
    marker = target.with_suffix(".json")
    if target.exists() and marker.exists() and not rebuild:
        if json.loads(marker.read_text()).get("export_version") == EXPORT_VERSION:
            return target
    ensure_venv(say)
    for path in (target, marker, Path(f"{target}-wal"), Path(f"{target}-shm")):
        path.unlink(missing_ok=True)
    say(f"exporting the records for Datasette → {target}")
    started = time.perf_counter()
    tmp = target.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(tmp) as connection:
        connection.execute(
            f"""CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, parliament TEXT, term INTEGER, reference TEXT,
            kind TEXT, status TEXT, title TEXT, questions TEXT, answers TEXT, faction TEXT, ministry TEXT,
            asked_on TEXT, answered_on TEXT)"""
        )
        connection.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' * 13)})", rows(jsonl))
    connection.close()
    subprocess.run([str(bin_path("sqlite-utils")), "enable-fts", str(tmp), TABLE, "title", "questions", "answers", "--fts5"],
                   check=True)
    for column in ("parliament", "faction", "ministry", "status", "asked_on"):
        subprocess.run([str(bin_path("sqlite-utils")), "create-index", str(tmp), TABLE, column], check=True)
    subprocess.run([str(bin_path("sqlite-utils")), "analyze", str(tmp)], check=True)
    tmp.rename(target)
    seconds = round(time.perf_counter() - started, 1)
    marker.write_text(json.dumps({"export_version": EXPORT_VERSION, "seconds": seconds, "source": jsonl.name}))
    say(f"  Datasette's file: {target.stat().st_size / 1e9:.2f} GB in {seconds} s")
    return target


class Servers:
    """Two Datasette processes on ``ports``, serving ``path`` immutable."""

    def __init__(self, path: Path, ports: list[int], host: str, get) -> None:
        self.path = path
        self.ports = ports
        self.database = path.stem
        self.processes: list[subprocess.Popen] = []
        settings = [arg for name, value in SETTINGS.items() for arg in ("--setting", name, str(value))]
        env = {key: value for key, value in os.environ.items() if not key.startswith("DATASETTE")}
        for port in ports:
            self.processes.append(subprocess.Popen(
                [str(bin_path("datasette")), "serve", "-i", str(path), "--host", host, "--port", str(port), *settings],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
        try:
            self._wait(ports, get)
        except BaseException:
            # Also on TERM or Ctrl-C while waiting: no Datasette process outlives the run.
            self.stop()
            raise

    @staticmethod
    def _wait(ports: list[int], get) -> None:
        deadline = time.monotonic() + 120
        waiting = list(ports)
        while waiting and time.monotonic() < deadline:
            try:
                if get(waiting[0], "/-/versions.json")[0] == 200:
                    waiting.pop(0)
                    continue
            except OSError:
                pass
            time.sleep(0.3)
        if waiting:
            raise SystemExit("Datasette did not come up within 120 s")

    def table(self, **params: str | list[str]) -> str:
        return f"/{self.database}/{TABLE}?" + urllib.parse.urlencode(params, doseq=True)

    def row(self, pk: int) -> str:
        return f"/{self.database}/{TABLE}/{pk}"

    def rss_mb(self) -> list[float]:
        sizes = []
        for process in self.processes:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def paths(servers: Servers, words: dict, count: int) -> dict[str, list[str]]:
    """Datasette's counterparts of the portal's scenarios, under the portal's scenario names."""
    common, rare, second = words["common"]["word"], words["rare"]["word"], words["second"]["word"]
    step = max(count // 100, 1)
    return {
        "search: common word": [servers.table(_search=common)],
        "search: common word + parliament": [servers.table(_search=common, parliament="BW")],
        "search: rare word": [servers.table(_search=rare)],
        "search: two words": [servers.table(_search=f"{common} {second}")],
        "list page": [servers.table(_facet=list(FACETS))],
        "inquiry page": [servers.row(pk) for pk in range(1, count + 1, step)],
    }
