"""The scale benchmark's corpus helpers: the words it searches for are picked by their share, and
Datasette gets the same records (the timing itself happens only in bench/ scripts)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate_inquiries = _load("generate_inquiries")
run = _load("run")
datasette_side = _load("datasette_side")


def _corpus(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "inquiries.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        generate_inquiries.write(count, stream, seed=1)
    return path


def test_words_are_picked_by_their_share_and_the_raw_text_is_counted(tmp_path):
    path = _corpus(tmp_path, 1500)
    words = run.pick_words(path)
    assert 0.20 <= words["common"]["share"] <= 0.40
    assert 0.01 <= words["rare"]["share"] <= 0.03
    assert 0.40 <= words["second"]["share"] <= 0.70
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    common = words["common"]["word"].lower()
    holding = sum(1 for record in records if re.search(rf"\b{common}\b", run._searchable_text(record)))
    assert round(holding / len(records), 4) == words["common"]["share"]
    assert words["records"] == 1500
    assert words["raw_text_bytes"] > words["searchable_text_bytes"] > 1500 * 3000
    # Kept beside the file: the second call reads it back.
    assert run.pick_words(path) == words


def test_datasette_gets_the_same_records(tmp_path):
    path = _corpus(tmp_path, 30)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = list(datasette_side.rows(path))
    assert [row[0] for row in rows] == list(range(1, 31))
    for record, row in zip(records, rows):
        number, parliament, term, reference, kind, status, title, questions, answers, faction, ministry, asked, answered = row
        assert (parliament, term, reference, kind, title) == (record["parliament"], record["term"], record["reference"], record["kind"], record["title"])
        assert questions.split("\n") == [q["text"] for q in record["questions"]]
        assert answers.split("\n") == [q["answer"] for q in record["questions"]]
        assert (faction, ministry, asked, answered, status) == (
            record["factions"][0], record["answering_ministry"], record["asked_on"], record["answered_on"], "answered"
        )


def test_corpus_names_carry_the_count_and_the_generator_version():
    version = generate_inquiries.GENERATOR_VERSION
    assert run.corpus_database_url("postgres", 1000, "bench13") == f"postgres://postgres@127.0.0.1:5432/bench13_1000_g{version}"
    assert run.corpus_database_url("sqlite", 1000).endswith(f"corpus-1000-g{version}.sqlite3")
    assert run.index_dir(run.corpus_database_url("sqlite", 1000)).name == f"search-index-corpus-1000-g{version}"


def test_a_taken_port_stops_the_benchmark_before_it_measures_another_server():
    import socket

    import pytest

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listening:
        listening.bind((run.HOST, 0))
        listening.listen()
        port = listening.getsockname()[1]
        with pytest.raises(SystemExit, match=f"port {port} is taken"):
            run.ensure_port_free(port)
    run.ensure_port_free(port)  # free again once closed
