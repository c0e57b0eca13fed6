"""Two gunicorn servers, one database, a search index directory each: how long until a
publish (and a withdrawal) through one is seen through the other.

    python bench/two_servers.py                                   # fresh SQLite database in a temporary folder
    DATABASE_URL=postgres://…/some_db python bench/two_servers.py --use-database-url   # an empty database of yours
    python bench/two_servers.py --rounds 5 --workers 2

Server A and server B are two gunicorn instances on two loopback ports (``--workers`` sync
workers each, ``DEBUG`` off, page cache off), started from this checkout with their own
``SEARCH_INDEX_DIR`` and the same ``DATABASE_URL``, as docs/deploy.md describes for several
app servers. An editor logs in to the admin of server A and publishes a draft there (the
admin's own confirmation form, CSRF and all); a client keeps asking server B's search page
for a word only that draft has, every 50 ms. Printed: the seconds from server A's answer to
the publish until server B's search page lists the inquiry, then the same for withdrawing it
(until server B no longer lists it), per round and as the worst of all rounds. Server B learns
of the change from the change log alone (``inquiries.search.engine``); the issue's limit is 2 s.

A benchmark, not a test: tests/test_search_engine.py::test_two_servers_each_with_its_own_index
shows the same in-process.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Server  # noqa: E402  (the gunicorn process of bench/run.py, started and stopped the same way)

WORD = "Zwergflusspferd"
TITLE = "Anfrage zu Zwergflusspferden im Wilhelma-Zoo"
USER, PASSWORD = "bench-editor", "bench-password-two-servers"
LIMIT_S = 2.0

SETUP = r"""
import django, sys
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", verbosity=0)
from inquiries.services.upsert import upsert_inquiry
sys.path.insert(0, "bench")
from generate_inquiries import generate
for record in generate(200):
    upsert_inquiry(record, state="published")
drafts = []
for n, record in enumerate(generate(int(sys.argv[1]), seed=99)):
    record.update(reference=record["reference"].split("/")[0] + f"/{99000 + n}", title="%s")
    drafts.append(upsert_inquiry(record, state="draft")[0].pk)
get_user_model().objects.create_superuser("%s", "bench@example.org", "%s")
print(" ".join(map(str, drafts)))
""" % (TITLE, USER, PASSWORD)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Browser:
    """Just enough of a browser for the admin: cookies (also the Secure ones, over loopback) and forms."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Host": HOST, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def log_in(self) -> None:
        self.request("GET", "/admin/login/")
        status, _ = self.request("POST", "/admin/login/", {
            "csrfmiddlewaretoken": self.cookies["csrftoken"], "username": USER, "password": PASSWORD, "next": "/admin/",
        })
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"could not log in to server A's admin (HTTP {status})")

    def change_state(self, pk: int, kind: str) -> None:
        form = {"csrfmiddlewaretoken": self.cookies["csrftoken"], "confirm": "yes"}
        if kind == "withdraw":
            form["reason"] = "Benchmark: zwei Server"
        status, text = self.request("POST", f"/admin/inquiries/inquiry/{pk}/{kind}/", form)
        if status != 302:
            raise SystemExit(f"{kind} through server A answered HTTP {status}: {text[:300]}")


def listed(port: int) -> bool:
    status, html = Browser(port).request("GET", f"/anfragen/?q={WORD}")
    if status != 200:
        raise SystemExit(f"server B's search page answered HTTP {status}")
    # The title comes with its matched word marked; its last words do not match.
    return 'class="inquiry-row hit"' in html and "im Wilhelma-Zoo" in html


def wait_until(port: int, wanted: bool, since: float, timeout: float = 30) -> float:
    """Seconds from ``since`` until server ``port`` lists the inquiry (``wanted``) or no longer does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if listed(port) == wanted:
            return time.perf_counter() - since
        time.sleep(0.05)
    return float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL (an empty database) instead of a new SQLite file")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="publish and withdraw this many drafts, one after another")
    parser.add_argument("--port", type=int, default=8781, help="server A's port; server B's is the next one")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds 1–20")

    workdir = Path(tempfile.mkdtemp(prefix="two-servers-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PAGE_CACHE", "AGGREGATE_CACHE", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="false", SEARCH_ENGINE="tantivy",
        SECRET_KEY="bench-only-secret-key-two-servers-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS=HOST, SECURE_SSL_REDIRECT="false", AXES_ENABLED="false", LOG_LEVEL="WARNING",
        PAGE_CACHE_SECONDS="0", AGGREGATE_CACHE_SECONDS="0", ADMIN_URL="admin/",
        MEDIA_ROOT=str(workdir / "media"), STATIC_ROOT=str(workdir / "static"),
    )
    if not args.use_database_url:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    database = "SQLite file" if not args.use_database_url else env["DATABASE_URL"].split("@")[-1]
    done = subprocess.run([sys.executable, "-c", SETUP, str(args.rounds)], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    drafts = [int(pk) for pk in done.stdout.split()[-args.rounds:]]
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)

    servers = []
    try:
        for name, offset in (("A", 0), ("B", 1)):
            servers.append(Server({**env, "SEARCH_INDEX_DIR": str(workdir / f"index-{name}")}, args.port + offset, args.workers))
        a, b = servers
        # Each server builds its own index from the database on its first search.
        for server in servers:
            for _ in range(args.workers * 2):
                listed(server.port)
        editor = Browser(a.port)
        editor.log_in()
        say(f"two gunicorn servers ({args.workers} workers each) on ports {a.port} and {b.port}, one database ({database}),"
            f" index directories index-A and index-B; load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        found, gone = [], []
        for n, pk in enumerate(drafts, 1):
            if listed(b.port):
                raise SystemExit("server B lists the draft before it was published")
            editor.change_state(pk, "publish")
            published = time.perf_counter()
            found.append(wait_until(b.port, True, published))
            editor.change_state(pk, "withdraw")
            withdrawn = time.perf_counter()
            gone.append(wait_until(b.port, False, withdrawn))
            say(f"round {n}: published through A → listed by B after {found[-1]:.2f} s; withdrawn through A → gone from B after {gone[-1]:.2f} s")
        worst_found, worst_gone = max(found), max(gone)
        say(f"worst of {len(drafts)}: found after {worst_found:.2f} s, gone after {worst_gone:.2f} s"
            f" ({'within' if max(worst_found, worst_gone) <= LIMIT_S else 'NOT within'} {LIMIT_S:.0f} s);"
            f" load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        say(json.dumps({"found_after_s": found, "gone_after_s": gone, "workers": args.workers, "database": database}))
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
