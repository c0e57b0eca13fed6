"""Send about 10,000 generated search queries and filter values to the pages, feeds and API.

    python bench/bad_input.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ap_bench_bad python bench/bad_input.py

Runs tests/test_bad_input.py with every test's example count multiplied (the suite itself
runs about 190 examples), so the generated inputs are the same kind the suite checks;
prints pytest's summary line and the number of examples. Any 500 fails with the input.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE_EXAMPLES = 80 + 40 + 40 + 30
TARGET = 10_000


def main() -> None:
    scale = -(-TARGET // SUITE_EXAMPLES)
    env = dict(os.environ, DEBUG="true", BAD_INPUT_EXAMPLES_SCALE=str(scale))
    env.setdefault("DATABASE_URL", "")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_bad_input.py", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    lines = result.stdout.strip().splitlines()
    sys.stdout.write("\n".join(lines[-25:]) + "\n")
    sys.stdout.write(
        f"database: {env['DATABASE_URL'] or 'sqlite (test database)'}; examples: {SUITE_EXAMPLES * scale} "
        f"(scale {scale}); {time.perf_counter() - start:.0f} s; exit status {result.returncode}\n"
    )
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
