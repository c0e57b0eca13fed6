"""CPU time per request through the WSGI handler, as a gunicorn worker runs it.

    python bench/wsgi_cpu.py --count 100000 --requests 400
    python bench/wsgi_cpu.py --scenarios "inquiry page" --profile /tmp/inquiry.prof
    python bench/wsgi_cpu.py --dump /tmp/bodies     # every response's status, headers and body

Requests go through ``portal.wsgi.application`` exactly as gunicorn calls it: a WSGI environ,
the body read and the response closed, so Django's ``request_started``/``request_finished``
handlers keep or close the database connection as in a worker (Django's test client, which
bench/request_cpu.py uses, disconnects them). The corpus is bench/run.py's, page cache and
cache of counts off, DEBUG off; the URLs are bench/run.py's scenarios (inquiry pages from the
list pages 1–4, API details from the API list's first page). Measures this thread's CPU per
request (``time.thread_time``); the load of a shared machine moves it far less than wall time.
To compare two versions of the code, run this file from a copy of each in turn (A/B, same
period). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import HOST, commit, corpus_database_url, corpus_marker, load, portal_env, say  # noqa: E402

DETAIL = re.compile(r'href="(/[a-z]{2}/drucksache/[^"#]+/)"')


def environ(path: str, language: str = "de") -> dict:
    address, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": address, "QUERY_STRING": query,
        "SERVER_NAME": HOST, "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST, "HTTP_ACCEPT_LANGUAGE": language, "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


def call(application, path: str, language: str = "de") -> tuple[str, list, bytes]:
    """One request as gunicorn makes it: status, headers and the body read to the end."""
    answer: dict = {}

    def start_response(status: str, headers: list, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    response = application(environ(path, language), start_response)
    try:
        body = b"".join(response)
    finally:
        close = getattr(response, "close", None)
        if close:
            close()
    return answer["status"], answer["headers"], body


def scenario_urls(application) -> dict[str, list[str]]:
    details: list[str] = []
    for page in ("", "?page=2", "?page=3", "?page=4"):
        details += DETAIL.findall(call(application, f"/anfragen/{page}")[2].decode())
    ids = sorted(set(re.findall(r'"id":\s*(\d+)', call(application, "/api/v1/inquiries/")[2].decode())))
    return {
        "inquiry page": sorted(set(details)),
        "API list": ["/api/v1/inquiries/", "/api/v1/inquiries/?page=2"],
        "API detail": [f"/api/v1/inquiries/{pk}/" for pk in ids],
        "robots.txt": ["/robots.txt"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=100_000, help="which corpus of bench/run.py")
    parser.add_argument("--pg-prefix", default="bench_portal", help="as given to bench/run.py")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per scenario (after a warm-up)")
    parser.add_argument("--scenarios", type=lambda value: [name.strip() for name in value.split(",")], default=[])
    parser.add_argument("--language", default="de")
    parser.add_argument("--profile", help="write a cProfile of the measured requests to this file")
    parser.add_argument("--dump", help="write every scenario URL's response (status, headers, body) to this folder")
    args = parser.parse_args()
    if not corpus_marker(args.database, args.count, args.pg_prefix).exists():
        raise SystemExit(f"no corpus of {args.count} on {args.database}: run bench/run.py first")
    env = portal_env(corpus_database_url(args.database, args.count, args.pg_prefix), mode="cold")
    env["SEARCH_ENGINE_THREADS"] = "0"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    from portal.wsgi import application  # as gunicorn loads it (gc freeze included)

    urls = scenario_urls(application)
    if args.scenarios:
        urls = {name: addresses for name, addresses in urls.items() if name in args.scenarios}
    if args.dump:
        # And the other pages that extend the same frame.
        urls["other pages"] = ["/", "/anfragen/", "/anfragen/?page=2", "/personen/", "/fraktionen/", "/ministerien/", "/offene-daten/",
                               "/nicht-da/", "/anfragen/feed/"]
        folder = Path(args.dump)
        folder.mkdir(parents=True, exist_ok=True)
        for name, addresses in urls.items():
            for language in ("de", "en"):
                for address in addresses:
                    status, headers, body = call(application, address, language)
                    key = re.sub(r"[^a-z0-9]+", "_", f"{language}{address}".lower())
                    (folder / f"{key}.json").write_text(json.dumps({"url": address, "status": status, "headers": headers}, indent=1))
                    (folder / f"{key}.body").write_bytes(body)
        say(f"dumped {sum(len(a) for a in urls.values()) * 2} responses into {folder}")
        return
    say(f"CPU per request through the WSGI handler: {args.database}, {args.count:,}, commit {commit()}, load {load()}")
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    for name, addresses in urls.items():
        for address in addresses[:5]:
            call(application, address, args.language)
        cpu = []
        for n in range(args.requests):
            address = addresses[n % len(addresses)]
            if profiler:
                profiler.enable()
            started = time.thread_time()
            status = call(application, address, args.language)[0]
            cpu.append((time.thread_time() - started) * 1000)
            if profiler:
                profiler.disable()
            if not status.startswith("200"):
                raise SystemExit(f"{address} answered {status}")
        q = statistics.quantiles(cpu, n=100)
        say(f"  {name:14} CPU ms  p50 {statistics.median(cpu):6.3f}  p95 {q[94]:6.3f}  mean {statistics.fmean(cpu):6.3f}  n {len(cpu)}")
    if profiler:
        profiler.dump_stats(args.profile)
    say(f"load at end {load()}")


if __name__ == "__main__":
    main()
