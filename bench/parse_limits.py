"""How long parsing takes and how much memory it needs for huge uploads (issue 18).

    python bench/parse_limits.py              # 1,000,000-line text and 60,000-page PDF (about 6 minutes)
    python bench/parse_limits.py --quick      # smaller sizes (a minute)

Each case runs in a fresh Python process (so that its peak memory is its own) and calls
``inquiries.importers.document.parse_document`` exactly as an upload does:

- with the configured limits (DOCUMENT_MAX_LINES, DOCUMENT_MAX_PAGES, DOCUMENT_PARSE_SECONDS):
  how soon the file is refused, and with which message;
- with the limits lifted: how long the parse itself takes at growing sizes, which shows
  whether it is linear in the input.

The text is a real answer document (tests/fixtures, Landtag BW 17/5123) whose last answer
runs on for the given number of short lines (about 8 bytes each, like the upload of the
issue); the PDF has one short line per page, made with pypdf (tests/pdfs.py).
Prints one line per case: lines or pages, bytes, seconds, peak memory (MB) and the outcome.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "documents" / "bw-17-5123-kleine-anfrage.txt"
MARK = "Die Wirkung dieser Maßnahmen wird im Schuljahr 2024/2025 ausgewertet."


def text_document(lines: int) -> bytes:
    """The seed answer with ``lines`` more lines of one long paragraph in its last answer."""
    seed = SEED.read_text(encoding="utf-8")
    filler = "\n".join(f"Wort {index % 997}" for index in range(lines))
    return seed.replace(MARK, f"{MARK[:-1]}\n{filler}.").encode("utf-8")


def pdf_document(pages: int) -> bytes:
    """A PDF with ``pages`` pages of one short line each (pypdf, as tests/pdfs.py makes them)."""
    sys.path.insert(0, str(ROOT))
    from tests.pdfs import make_pdf

    return make_pdf([f"Seite {number} Text" for number in range(1, pages + 1)])


def child(kind: str, size: int, limits: bool) -> None:
    """One case in this process; prints a JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "true")
    if not limits:
        os.environ.update(DOCUMENT_MAX_LINES="0", DOCUMENT_MAX_PAGES="0", DOCUMENT_PARSE_SECONDS="0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from inquiries.importers.base import DocumentError
    from inquiries.importers.document import parse_document

    data = text_document(size) if kind == "text" else pdf_document(size)
    name = f"huge-{size}.{'txt' if kind == 'text' else 'pdf'}"
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        result = parse_document(name, data)
        outcome = f"parsed: {len(result.record.get('questions', []))} questions"
    except DocumentError as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Under the time budget the parse runs in a forked helper: its peak resident memory
    # (which includes what it shares with this process, e.g. the document) is the figure.
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    parsing_peak = helper if limits else peak
    print(json.dumps({"bytes": len(data), "seconds": seconds, "peak_mb": parsing_peak / 1024,
                      "growth_mb": (parsing_peak - baseline) / 1024, "outcome": outcome}))


def run(kind: str, size: int, limits: bool) -> None:
    env = dict(os.environ)
    command = [sys.executable, __file__, "--child", kind, str(size), "1" if limits else "0"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        print(f"{kind} {size}: failed\n{result.stderr[-2000:]}")
        return
    row = json.loads(result.stdout.strip().splitlines()[-1])
    unit = "lines" if kind == "text" else "pages"
    # The helper's peak includes what it shares with its parent; only an in-process parse has a growth.
    growth = "" if limits else f" (+{row['growth_mb']:.0f} parsing)"
    print(
        f"{kind:4} {size:>9,} {unit}  {row['bytes'] / 1e6:7.1f} MB  limits {'on ' if limits else 'off'}  "
        f"{row['seconds']:7.2f} s  peak {row['peak_mb']:5.0f} MB{growth}  {row['outcome'][:150]}"
    )
    sys.stdout.flush()


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1")
        return
    quick = "--quick" in sys.argv
    texts = [10_000, 100_000] if quick else [100_000, 300_000, 1_000_000]
    # Without limits pypdf's text extraction takes about 5 ms a page, and counting the
    # pages of a flat page tree grows faster than the count: 60,000 pages would take many
    # minutes, so the unlimited runs stop at 6,000.
    pdfs = [300, 1_000] if quick else [1_000, 3_000, 6_000]
    huge_pdf = 6_000 if quick else 60_000
    run("text", texts[-1], limits=True)
    for size in texts:
        run("text", size, limits=False)
    run("pdf", huge_pdf, limits=True)
    for size in pdfs:
        run("pdf", size, limits=False)


if __name__ == "__main__":
    main()
