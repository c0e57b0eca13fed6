"""Reading inquiry.v1 lines (importers/jsonl.py): orjson reads them, and the record and every
problem are exactly those of ``json.loads``, the reading the import had before."""

from __future__ import annotations

import json

import pytest

from inquiries.exchange import RecordError
from inquiries.importers import jsonl


def json_read_line(line: bytes | str) -> tuple[dict | None, str | None]:
    """The import's reading with ``json`` alone (as it was before orjson)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    try:
        jsonl.check(record)
    except RecordError as exc:
        return None, str(exc)
    return record, None


@pytest.fixture
def seed(shared_dir) -> dict:
    return json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])


def lines_of(seed: dict) -> list[bytes | str]:
    good = json.dumps(seed, ensure_ascii=False)
    table = {**seed["questions"][0], "answer": "Jahr Zahl\n2020 10", "tables": [{"rows": [["2020", "10"]], "span": [0, 17]}]}
    huge = 10**25
    return [
        good,
        good.encode("utf-8"),
        json.dumps({**seed, "questions": [table]}, ensure_ascii=False),
        # Numbers beyond 64 bits: orjson reads them as floats, json as integers.
        good.replace('"term": 17', f'"term": {huge}'),
        json.dumps({**seed, "term": huge, "reference": f"{huge}/1"}),
        json.dumps({**seed, "questions": [{**table, "tables": [{"rows": [["1"]], "span": [0, huge]}]}]}),
        json.dumps({**seed, "title": huge}),
        json.dumps({**seed, "term": 17.0}),
        # What orjson refuses and json takes or refuses in its own words.
        '{"format": "inquiry.v1", "title": NaN}',
        json.dumps({**seed, "title": "\ud800 einsam"}),
        json.dumps({**seed, "title": "\ud800 einsam"}, ensure_ascii=False).encode("utf-8", "surrogatepass"),
        "\ufeff" + good,
        ("\ufeff" + good).encode("utf-8"),
        good.encode("utf-16"),
        b'{"title": "\xff"}',
        "{kein JSON",
        "[1, 2]",
        '"nur ein Text"',
        json.dumps({**seed, "kind": "gross"}),
        '{"title": 1e400}',
        '{"a": 1, "a": 2}',
    ]


def test_a_line_reads_as_json_reads_it(seed):
    for line in lines_of(seed):
        record, problem = jsonl.read_line(line)
        expected_record, expected_problem = json_read_line(line)
        assert problem == expected_problem, line
        assert repr(record) == repr(expected_record), line
        if record is not None:
            # The importing process reads a good line again (the helper sends no records).
            assert repr(jsonl.read_good_line(line)) == repr(expected_record)


def test_a_number_beyond_64_bits_is_named_as_the_integer_it_is(seed):
    huge = 10**25
    table = {**seed["questions"][0], "answer": "Jahr Zahl", "tables": [{"rows": [["2020"]], "span": [0, huge]}]}
    _, problem = jsonl.read_line(json.dumps({**seed, "questions": [table]}))
    assert problem == f"questions/0/tables/0/span: [0, {huge}] is not a range of the answer's 9 characters"
    _, problem = jsonl.read_line(json.dumps({**seed, "title": huge}))
    assert problem == f"title: {huge} is not of type 'string'"
