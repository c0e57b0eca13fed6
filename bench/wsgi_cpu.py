"""CPU time per request through the WSGI handler, as a gunicorn worker runs it.

    python bench/wsgi_cpu.py --count 100000 --requests 400
    python bench/wsgi_cpu.py --scenarios "inquiry page" --profile /tmp/inquiry.prof
    python bench/wsgi_cpu.py --dump /tmp/bodies     # every response's status, headers and body
    python bench/wsgi_cpu.py --dump /tmp/bodies --cookies   # … also with a CSRF cookie and as an editor
    python bench/wsgi_cpu.py --compare /tmp/before /tmp/after   # dumps equal but for CSRF values

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

from run import HOST, commit, corpus_database_url, corpus_marker, corpus_options, load, portal_env, say  # noqa: E402

DETAIL = re.compile(r'href="(/[a-z]{2}/drucksache/[^"#]+/)"')


def environ(path: str, language: str = "de", cookie: str = "") -> dict:
    address, _, query = path.partition("?")
    return ({"HTTP_COOKIE": cookie} if cookie else {}) | {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": address, "QUERY_STRING": query,
        "SERVER_NAME": HOST, "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST, "HTTP_ACCEPT_LANGUAGE": language, "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


def call(application, path: str, language: str = "de", cookie: str = "") -> tuple[str, list, bytes]:
    """One request as gunicorn makes it: status, headers and the body read to the end."""
    answer: dict = {}

    def start_response(status: str, headers: list, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    response = application(environ(path, language, cookie), start_response)
    try:
        body = b"".join(response)
    finally:
        close = getattr(response, "close", None)
        if close:
            close()
    return answer["status"], answer["headers"], body


def corpus_application(database: str, count: int, pg_prefix: str):
    """The portal's WSGI application on a corpus of bench/run.py, as gunicorn loads it (gc freeze
    included): page cache and cache of counts off, DEBUG off, the engine's threads off."""
    if not corpus_marker(database, count, pg_prefix).exists():
        raise SystemExit(f"no corpus of {count} on {database}: run bench/run.py first")
    env = portal_env(corpus_database_url(database, count, pg_prefix), mode="cold")
    env["SEARCH_ENGINE_THREADS"] = "0"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    from portal.wsgi import application

    return application


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


def editor_cookie() -> str:
    """A session cookie of an editor ("Redaktion") of the corpus, made once (the corpus's
    database gets the user ``bench-editor`` and a session)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    from inquiries import roles

    user, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"sessionid={session.session_key}"


# Random per request or per run: the CSRF token and its cookie, a session's key, cookies' expiry.
VOLATILE = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"'), b'name="csrfmiddlewaretoken" value="~"'),
    (re.compile(r"(csrftoken|sessionid)=[A-Za-z0-9]+"), r"\1=~"),
    (re.compile(r"expires=[^;]+"), "expires=~"),
]


def compare(before: Path, after: Path) -> None:
    """Say which dumped responses differ between two folders, once the volatile parts are masked."""
    names = sorted(path.name for path in before.iterdir())
    if names != sorted(path.name for path in after.iterdir()):
        raise SystemExit("the folders hold different responses")
    differ = []
    for name in names:
        old, new = (folder / name for folder in (before, after))
        if name.endswith(".body"):
            masked = [VOLATILE[0][0].sub(VOLATILE[0][1], path.read_bytes()) for path in (old, new)]
        else:
            masked = [path.read_text() for path in (old, new)]
            for pattern, replacement in VOLATILE[1:]:
                masked = [pattern.sub(replacement, text) for text in masked]
        if masked[0] != masked[1]:
            differ.append(name)
    responses = len([name for name in names if name.endswith(".body")])
    say(f"{responses} responses compared (status, headers, body), {len(differ)} differ" + "".join(f"\n  {name}" for name in differ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus_options(parser)
    parser.add_argument("--requests", type=int, default=400, help="measured requests per scenario (after a warm-up)")
    parser.add_argument("--scenarios", type=lambda value: [name.strip() for name in value.split(",")], default=[])
    parser.add_argument("--language", default="de")
    parser.add_argument("--profile", help="write a cProfile of the measured requests to this file")
    parser.add_argument("--dump", help="write every scenario URL's response (status, headers, body) to this folder")
    parser.add_argument("--cookies", action="store_true", help="with --dump: each response also with a CSRF cookie and as a logged-in editor")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two --dump folders and stop")
    args = parser.parse_args()
    if args.compare:
        compare(Path(args.compare[0]), Path(args.compare[1]))
        return
    application = corpus_application(args.database, args.count, args.pg_prefix)

    urls = scenario_urls(application)
    if args.scenarios:
        urls = {name: addresses for name, addresses in urls.items() if name in args.scenarios}
    if args.dump:
        # And the other pages that extend the same frame.
        urls["other pages"] = ["/", "/anfragen/", "/anfragen/?page=2", "/personen/", "/fraktionen/", "/ministerien/", "/offene-daten/",
                               "/nicht-da/", "/anfragen/feed/"]
        folder = Path(args.dump)
        folder.mkdir(parents=True, exist_ok=True)
        cookies = {"": ""}
        if args.cookies:
            cookies |= {"csrf_": "csrftoken=" + "a1B2c3D4" * 4, "editor_": editor_cookie() + "; csrftoken=" + "a1B2c3D4" * 4}
        dumped = 0
        for name, addresses in urls.items():
            for prefix, cookie in cookies.items():
                for language in ("de", "en"):
                    for address in addresses:
                        status, headers, body = call(application, address, language, cookie)
                        key = re.sub(r"[^a-z0-9]+", "_", f"{prefix}{language}{address}".lower())
                        (folder / f"{key}.json").write_text(json.dumps({"url": address, "status": status, "headers": headers}, indent=1))
                        (folder / f"{key}.body").write_bytes(body)
                        dumped += 1
        say(f"dumped {dumped} responses into {folder}")
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
