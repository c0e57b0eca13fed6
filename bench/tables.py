"""Print the figures of bench/run.py's JSON files as Markdown tables for bench/RESULTS.md.

    python bench/tables.py bench/out/results-sqlite-100000.json bench/out/results-postgres-100000.json

One table per file: per scenario p50/p95 at one client and req/s at the most clients, the
portal beside Datasette where both were measured, with the ratios.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def table(path: Path) -> str:
    result = json.loads(path.read_text())
    figures = result["figures"]
    most = max(result["concurrency"]) if isinstance(result["concurrency"], list) else result["concurrency"]
    by_key = {(f.get("server", "portal"), f["mode"], f["scenario"], f.get("concurrency", 8)): f for f in figures}
    lines = [
        f"**{result['database']}, {result['count']:,} inquiries** (commit {result['machine'].get('commit', '?')}, "
        f"{result['machine']['date']}, load {result['machine'].get('load_at_start', '?')} → {result['machine'].get('load_at_end', '?')})",
        "",
        f"| scenario | portal p50 / p95, 1 client | Datasette p50 / p95, 1 client | p95 portal ÷ Datasette | portal req/s, {most} clients"
        f" | Datasette req/s, {most} clients | req/s portal ÷ Datasette |",
        "|---|---|---|---|---|---|---|",
    ]
    seen = []
    for f in figures:
        if f.get("server", "portal") == "portal" and (f["mode"], f["scenario"]) not in seen:
            seen.append((f["mode"], f["scenario"]))
    for mode, scenario in seen:
        ours1, theirs1 = by_key.get(("portal", mode, scenario, 1)), by_key.get(("datasette", mode, scenario, 1))
        ours, theirs = by_key.get(("portal", mode, scenario, most)), by_key.get(("datasette", mode, scenario, most))
        cells = [
            f"{scenario}" + (f" ({mode})" if mode != "cold" else ""),
            f"{number(ours1['p50_ms'])} / {number(ours1['p95_ms'])}" if ours1 else "",
            f"{number(theirs1['p50_ms'])} / {number(theirs1['p95_ms'])}" if theirs1 else "",
            f"{ours1['p95_ms'] / theirs1['p95_ms']:.1f}" if ours1 and theirs1 else "",
            number(ours["rps"]) if ours else "",
            number(theirs["rps"]) if theirs else "",
            f"{ours['rps'] / theirs['rps']:.2f}" if ours and theirs and theirs["rps"] else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for name in sys.argv[1:]:
        print(table(Path(name)))
        print()


if __name__ == "__main__":
    main()
