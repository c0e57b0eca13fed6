"""Instructions per request through the WSGI handler, counted by valgrind (callgrind): unlike
CPU time, the count does not move with the load of a shared machine.

    python bench/wsgi_instructions.py --scenarios "inquiry page,robots.txt"
    python bench/wsgi_instructions.py --scenarios "inquiry page" --language en

For each scenario bench/wsgi_cpu.py's requests (the same corpus, URLs and WSGI calls) run under
``valgrind --tool=callgrind`` twice, with ``--few`` and with ``--few + --requests`` requests
after the same warm-up; the difference of the two counts over ``--requests`` is the count of
one request, without the interpreter's start, Django's set-up and the warm-up. To compare two
versions of the code, run this file from a copy of each (A/B). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def run_requests(scenario: str, count: int, language: str) -> None:
    """In the process valgrind watches: set up as wsgi_cpu.py does, warm up, then ``count`` requests."""
    from run import corpus_database_url, corpus_marker, portal_env

    if not corpus_marker("sqlite", 100_000, "bench_portal").exists():
        raise SystemExit("no corpus of 100000 on sqlite: run bench/run.py first")
    env = portal_env(corpus_database_url("sqlite", 100_000, "bench_portal"), mode="cold")
    env["SEARCH_ENGINE_THREADS"] = "0"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    from portal.wsgi import application
    from wsgi_cpu import call, scenario_urls

    addresses = scenario_urls(application)[scenario]
    for address in addresses[:20]:
        call(application, address, language)
    for n in range(count):
        status = call(application, addresses[n % len(addresses)], language)[0]
        if not status.startswith("200"):
            raise SystemExit(f"{addresses[n % len(addresses)]} answered {status}")


def instructions(scenario: str, count: int, language: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
             "--inside", scenario, "--count", str(count), "--language", language],
            capture_output=True, text=True, check=False,
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode or not found:
            raise SystemExit(done.stderr[-3000:])
        return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=lambda value: [name.strip() for name in value.split(",")], default=["inquiry page", "robots.txt"])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--few", type=int, default=20)
    parser.add_argument("--language", default="de")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        run_requests(args.inside, args.count, args.language)
        return
    for scenario in args.scenarios:
        few, many = (instructions(scenario, count, args.language) for count in (args.few, args.few + args.requests))
        print(f"  {scenario:14} {(many - few) / args.requests / 1e6:7.3f} M instructions per request"
              f" ({args.requests} requests, {args.language})", flush=True)


if __name__ == "__main__":
    main()
