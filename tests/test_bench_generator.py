"""The benchmark's generator writes valid, realistic inquiry.v1 records (the rate itself is
measured by bench/import_rate.py, never in a test)."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

from inquiries.importers.jsonl import check

_SPEC = importlib.util.spec_from_file_location("generate_inquiries", Path(__file__).resolve().parent.parent / "bench" / "generate_inquiries.py")
generate_inquiries = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate_inquiries)


def test_generated_records_are_valid_and_about_five_kilobytes():
    stream = io.StringIO()
    size = generate_inquiries.write(300, stream, seed=7)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(records) == 300
    for record in records:
        check(record)
        assert 3 <= len(record["questions"]) <= 10
    assert len({(r["parliament"], r["reference"]) for r in records}) == 300
    assert 4000 <= size / 300 <= 6000


def test_same_seed_same_records():
    first, second = io.StringIO(), io.StringIO()
    generate_inquiries.write(20, first, seed=3)
    generate_inquiries.write(20, second, seed=3)
    assert first.getvalue() == second.getvalue()
