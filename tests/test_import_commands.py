"""The commands import_document, reparse_documents, import_inquiries and export_inquiries."""

from __future__ import annotations

import gzip
import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inquiries.models import Faction, Inquiry, InquiryState, Membership, Ministry, Parliament, Person, SourceDocument, Term
from inquiries.services.workflow import publish
from tests.importer_cases import DOCUMENTS, expected

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*args, **options) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue(), str(error.value)


# --- import_document -------------------------------------------------------------------------


def test_import_document_imports_each_file_and_names_the_bad_ones(tmp_path, shared_dir):
    empty = tmp_path / "leer.txt"
    empty.write_bytes(b"")
    good = [shared_dir / "documents" / "bw-17-6206-antwort.txt", DOCUMENTS / "bw-17-5402-kleine-anfrage.txt"]
    unknown = DOCUMENTS / "unknown-layout.txt"
    out, err, error = run_failing("import_document", str(good[0]), str(empty), str(unknown), str(good[1]), str(tmp_path / "fehlt.pdf"))
    assert Inquiry.objects.count() == 2
    assert f"{good[0]}: created BW 17/6206 with 9 questions (parser bw_letter, 0 warnings)" in out
    lines = err.strip().split("\n")
    assert lines[0] == f"{empty}: empty file"
    assert lines[1].startswith(f"{unknown}: unknown layout")
    assert lines[2].startswith(f"{tmp_path / 'fehlt.pdf'}: cannot be read")
    assert error == "3 of 5 files could not be imported"


def test_import_document_lists_the_warnings(tmp_path):
    out, _ = run("import_document", str(DOCUMENTS / "bw-17-5123-kleine-anfrage.txt"))
    assert "  - questions: question 5 has no answer" in out.split("\n")


def test_dry_run_prints_the_record_and_saves_nothing(shared_dir, media):
    path = shared_dir / "documents" / "sl-15-1284-answer.txt"
    out, err = run("import_document", str(path), "--dry-run")
    record = json.loads(out)
    expected_record = expected("sl-15-1284-answer")["record"]
    assert {key: value for key, value in record.items() if key not in {"full_text", "extraction"}} == expected_record
    assert record["extraction"]["parser"] == "sl" and record["extraction"]["abstained"] == ["answering_ministry"]
    assert f"{path}: warning: answering_ministry: the answering ministry is not named" in err.split("\n")
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists() and not media.exists()


def test_format_forces_a_parser(shared_dir):
    path = shared_dir / "documents" / "bw-17-6206-antwort.txt"
    _, err, _ = run_failing("import_document", str(path), "--format", "sl")
    assert err.strip() == f"{path}: no line 'N. Wahlperiode Drucksache N/N'"


def test_listing_beside_the_file_is_read(tmp_path, shared_dir):
    for suffix in (".txt", ".meta.json"):
        shutil.copy(shared_dir / "documents" / "ni" / f"ni-19-11206{suffix}", tmp_path / f"ni-19-11206{suffix}")
    run("import_document", str(tmp_path / "ni-19-11206.txt"))
    assert Inquiry.objects.get().source_url.endswith("/19-11206.pdf")
    Inquiry.objects.all().delete()
    run("import_document", str(tmp_path / "ni-19-11206.txt"), "--no-listing")
    assert Inquiry.objects.get().source_url == ""


def test_a_file_over_the_limit_is_not_read(tmp_path, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n" + b"x" * 5000)
    _, err, _ = run_failing("import_document", str(junk))
    assert err.strip() == f"{junk}: file too large: 5009 bytes, the limit is 1000 (DOCUMENT_MAX_BYTES)"


def test_fifty_megabytes_of_junk_fail_on_the_default_limit_and_the_other_files_import(tmp_path, shared_dir, settings):
    junk = tmp_path / "junk.pdf"
    with junk.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the size is there, the bytes need not be written
    good = shared_dir / "documents" / "bw-17-6206-antwort.txt"
    out, err, _ = run_failing("import_document", str(junk), str(good))
    limit = settings.DOCUMENT_MAX_BYTES
    assert err.strip() == f"{junk}: file too large: {50 * 1024 * 1024} bytes, the limit is {limit} (DOCUMENT_MAX_BYTES)"
    assert Inquiry.objects.get().reference == "17/6206"


def test_reparse_documents_command(shared_dir):
    run("import_document", str(shared_dir / "documents" / "bw-17-6206-antwort.txt"))
    out, _ = run("reparse_documents")
    assert "bw-17-6206-antwort.txt: updated BW 17/6206 (0 warnings)" in out
    assert "1 of 1 documents parsed again." in out


# --- import_inquiries / export_inquiries --------------------------------------------------------


def _seed_line(shared_dir) -> str:
    return (shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0]


def test_bad_lines_are_reported_by_number_and_the_rest_is_imported(tmp_path, shared_dir):
    seed = json.loads(_seed_line(shared_dir))
    other = {**seed, "reference": "17/6207", "title": "Zweite Anfrage"}
    lines = [
        json.dumps(seed, ensure_ascii=False),
        "{kein JSON",
        json.dumps({**seed, "reference": "17/9999", "kind": "gross"}),
        "",
        json.dumps({**seed, "reference": "18/1"}),
        json.dumps(other, ensure_ascii=False),
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err, error = run_failing("import_inquiries", str(path))
    assert out.strip() == "2 created, 0 updated, 3 bad lines."
    assert err.strip().split("\n") == [
        f"{path}: line 2: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{path}: line 3: kind: 'gross' is not one of ['minor', 'major', 'written']",
        f"{path}: line 5: reference: 18/1 does not belong to term 17",
    ]
    assert error == "3 bad lines were skipped"
    assert sorted(Inquiry.objects.values_list("reference", flat=True)) == ["17/6206", "17/6207"]
    assert Inquiry.objects.filter(state=InquiryState.PUBLISHED).count() == 2


def test_a_line_the_checks_let_through_but_the_database_refuses_is_reported(tmp_path, shared_dir):
    seed = json.loads(_seed_line(shared_dir))
    nameless = {**seed, "reference": "17/2", "askers": [{"name": "Dr.", "faction": "CDU"}]}
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps(seed) + "\n" + json.dumps(nameless) + "\n", encoding="utf-8")
    out, err, _ = run_failing("import_inquiries", str(path))
    assert out.strip() == "1 created, 0 updated, 1 bad lines."
    assert err.strip() == f"{path}: line 2: no name in 'Dr.'"
    assert list(Inquiry.objects.values_list("reference", flat=True)) == ["17/6206"]


def test_strict_imports_nothing_if_a_line_is_bad(tmp_path, shared_dir):
    path = tmp_path / "dump.jsonl"
    path.write_text(_seed_line(shared_dir) + "\n" + '{"format": "inquiry.v1"}\n', encoding="utf-8")
    _, err, error = run_failing("import_inquiries", str(path), "--strict")
    assert err.strip() == f"{path}: line 2: (record): 'parliament' is a required property"
    assert error == "1 bad lines; nothing was imported (--strict)"
    assert not Inquiry.objects.exists() and not Person.objects.exists()


def test_import_of_an_existing_paper_updates_it_in_place(tmp_path, shared_dir):
    seed = json.loads(_seed_line(shared_dir))
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps(seed) + "\n", encoding="utf-8")
    run("import_inquiries", str(path))
    inquiry = Inquiry.objects.get()
    question_ids = list(inquiry.questions.values_list("pk", flat=True))
    seed["questions"][0]["answer"] = "Neue Antwort."
    seed["title"] = "Neuer Titel"
    path.write_text(json.dumps(seed) + "\n" + json.dumps(seed) + "\n", encoding="utf-8")
    out, _ = run("import_inquiries", str(path), "--state", "draft")
    assert out.strip() == "0 created, 2 updated, 0 bad lines."
    inquiry.refresh_from_db()
    # Updated in place, and a re-import never takes a published inquiry back to draft.
    assert (inquiry.title, inquiry.state) == ("Neuer Titel", InquiryState.PUBLISHED)
    assert list(inquiry.questions.values_list("pk", flat=True)) == question_ids
    assert inquiry.questions.get(number="1").answer == "Neue Antwort."
    assert Person.objects.count() == 2  # the asker and the signer, once each


def test_export_contains_published_inquiries_unless_asked_otherwise(shared_dir):
    for path in (shared_dir / "documents" / "bw-17-6206-antwort.txt", DOCUMENTS / "bw-17-5402-kleine-anfrage.txt"):
        run("import_document", str(path))
    publish(Inquiry.objects.get(reference="17/6206"))
    out, err = run("export_inquiries")
    assert [json.loads(line)["reference"] for line in out.splitlines()] == ["17/6206"]
    assert err.strip() == "1 inquiries exported."
    out, _ = run("export_inquiries", "--include-drafts")
    assert [json.loads(line)["reference"] for line in out.splitlines()] == ["17/5402", "17/6206"]


def test_export_import_export_gives_the_same_file(tmp_path, shared_dir):
    documents = [shared_dir / "documents" / "bw-17-6206-antwort.txt", shared_dir / "documents" / "sl-15-1284-answer.txt"]
    documents += sorted((shared_dir / "documents" / "ni").glob("*.txt"))
    documents += sorted(DOCUMENTS.glob("bw-*.txt"))
    run("import_document", *map(str, documents), "--state", "published")
    first, second = tmp_path / "first.jsonl.gz", tmp_path / "second.jsonl.gz"
    run("export_inquiries", "--output", str(first))
    # Into an empty database:
    for model in (Inquiry, SourceDocument, Membership, Person, Faction, Ministry, Term, Parliament):
        model.objects.all().delete()
    out, _ = run("import_inquiries", str(first))
    assert out.strip() == "15 created, 0 updated, 0 bad lines."
    run("export_inquiries", "--output", str(second))
    assert first.read_bytes() == second.read_bytes()
    lines = gzip.decompress(first.read_bytes()).decode("utf-8").splitlines()
    assert len(lines) == 15 and json.loads(lines[0])["parliament"] == "BW"


def test_export_to_a_plain_file_and_import_from_standard_input(tmp_path, shared_dir, monkeypatch):
    run("import_document", str(shared_dir / "documents" / "bw-17-6206-antwort.txt"), "--state", "published")
    path = tmp_path / "out.jsonl"
    out, _ = run("export_inquiries", "-o", str(path))
    assert out.strip() == f"1 inquiries exported to {path}."
    Inquiry.objects.all().delete()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    out, _ = run("import_inquiries", "-")
    assert out.strip() == "1 created, 0 updated, 0 bad lines."


@pytest.mark.parametrize("engine", ["tantivy", "database"])
@pytest.mark.parametrize("helper", [True, False], ids=["helper-process", "in-process"])
def test_large_imports_check_lines_in_a_helper_process_with_the_same_result(tmp_path, shared_dir, monkeypatch, helper, engine, settings):
    from inquiries import search
    from inquiries.services import bulk
    from inquiries.search.models import SearchChange, SearchDocument

    settings.SEARCH_ENGINE = engine
    monkeypatch.setattr(bulk, "_helper_available", lambda: helper)
    seed = json.loads(_seed_line(shared_dir))
    lines = [json.dumps({**seed, "reference": f"17/{number}", "title": f"Anfrage Nummer {number} zu Feuerwehrhäusern"}) for number in range(1, 8)]
    lines.insert(4, "{kein JSON")  # line 5, in the third chunk of two lines
    lines.insert(6, "")
    report = bulk.import_records(lines, batch_size=2)

    assert (report.created, report.updated) == (7, 0)
    assert [str(error) for error in report.errors] == ["line 5: invalid JSON: Expecting property name enclosed in double quotes (column 2)"]
    # The engine logs each inquiry for its index; the database backend indexes the texts
    # analysed in the helper. Either way every record is found.
    indexed = SearchChange if engine == "tantivy" else SearchDocument
    assert Inquiry.objects.count() == indexed.objects.count() == 7
    found = search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)
    assert sorted(found) == sorted(f"17/{number}" for number in range(1, 8))
    if engine == "tantivy":
        return
    document = SearchDocument.objects.get(inquiry__reference="17/7")
    assert document.title == "Anfrage Nummer 7 zu Feuerwehrhäusern"
    assert document.questions.startswith(seed["questions"][0]["text"][:40])


def test_an_import_leaves_the_database_ready_for_fast_searches(tmp_path, shared_dir):
    from django.db import connection

    path = tmp_path / "dump.jsonl"
    path.write_text(_seed_line(shared_dir) + "\n", encoding="utf-8")
    run("import_inquiries", str(path))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'inquiries_inquiry'")
            # "1 …": one row; with it, the planner knows that state = 'published' selects everything.
            rows = [row[0].split()[0] for row in cursor.fetchall()]
            assert rows and set(rows) == {"1"}
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'inquiries_inquiry'")
            assert cursor.fetchone()[0] == 1
            # The GIN index's pending list was merged: nothing is left to clean.
            cursor.execute("SELECT gin_clean_pending_list('search_document_vector_gin'::regclass)")
            assert cursor.fetchone()[0] == 0


def test_the_planner_knows_how_many_inquiries_are_published_beyond_a_sample():
    """SQLite's statistics after a bulk write: the inquiries' state indexes read in full, so
    that ``state = 'published'`` is known to select every one of 1,200 inquiries (a sample of
    an index's first 1,000 entries saw one state and estimated ~1,000)."""
    from django.db import connection
    from django.utils import timezone

    from inquiries.models import Inquiry
    from inquiries.services import changes
    from tests.factories import ParliamentFactory, TermFactory

    parliament = ParliamentFactory()
    term = TermFactory(parliament=parliament)
    now = timezone.now()
    Inquiry.objects.bulk_create(
        Inquiry(parliament=parliament, term=term, reference=f"17/{number}", reference_number=number, title=f"Anfrage {number}",
                state="published", published_at=now)
        for number in range(1, 1201)
    )
    changes.optimize_after_bulk_write()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'inquiry_state_published_idx'")
            rows, per_state = (int(value) for value in cursor.fetchone()[0].split()[:2])
            assert rows == per_state == 1200
        else:
            # PostgreSQL samples rows at random: its one common state is every row.
            cursor.execute("SELECT most_common_vals::text, most_common_freqs FROM pg_stats WHERE tablename = 'inquiries_inquiry' AND attname = 'state'")
            assert cursor.fetchone() == ("{published}", [1.0])


def test_a_strict_import_checked_in_the_helper_process_imports_nothing(shared_dir, monkeypatch):
    from inquiries.services import bulk

    monkeypatch.setattr(bulk, "_helper_available", lambda: True)
    seed = json.loads(_seed_line(shared_dir))
    lines = [json.dumps({**seed, "reference": f"17/{number}"}) for number in range(1, 8)]
    lines[5] = json.dumps({**seed, "reference": "18/6"})  # line 6, checked in the helper
    report = bulk.import_records(lines, strict=True, batch_size=2)
    assert [str(error) for error in report.errors] == ["line 6: reference: 18/6 does not belong to term 17"]
    assert (report.created, report.updated) == (0, 0)
    assert not Inquiry.objects.exists()


def test_a_listing_with_a_malformed_field_is_named_and_the_document_still_imports(tmp_path, shared_dir):
    # The case: `askers` given as a list ended in "internal error (AttributeError …)".
    source = shared_dir / "documents" / "ni" / "ni-19-11134.txt"
    document = tmp_path / source.name
    shutil.copy(source, document)
    listing = json.loads(source.with_suffix(".meta.json").read_text(encoding="utf-8"))
    listing["askers"] = ["Claus Seebeck", "Eike Holsten"]
    document.with_suffix(".meta.json").write_text(json.dumps(listing), encoding="utf-8")
    out, err = run("import_document", str(document))
    assert "internal error" not in out + err
    assert f"{document}: created NI 19/11134" in out
    assert "  - listing: ni-19-11134.meta.json: field 'askers' must be a string, not list" in out


def _sqlite_settings() -> tuple[int, int] | None:
    from django.db import connection

    if connection.vendor != "sqlite":
        return None  # PostgreSQL has its shared buffers and checkpoints: nothing is set
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        return cache, cursor.fetchone()[0]


@pytest.mark.django_db
def test_an_import_writes_with_a_larger_page_cache_and_log_and_gives_them_back(monkeypatch, shared_dir):
    """SQLite's page cache is ``IMPORT_CACHE_KIB`` and its log is checkpointed at ``IMPORT_WAL_MIB``
    while the import writes; both as before afterwards."""
    from django.db import connection

    from inquiries.services import bulk

    seen = []
    run = bulk._run
    monkeypatch.setattr(bulk, "_run", lambda *args, **kwargs: seen.append(_sqlite_settings()) or run(*args, **kwargs))
    before = _sqlite_settings()
    lines = (shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()

    report = bulk.import_records(lines)

    assert report.created == 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_size")
            pages = bulk.IMPORT_WAL_MIB * 1024 * 1024 // cursor.fetchone()[0]
        assert seen == [(-bulk.IMPORT_CACHE_KIB, pages)] and pages > before[1]
    else:
        assert seen == [None]
    assert _sqlite_settings() == before


@pytest.mark.django_db(transaction=True)
def test_an_import_outside_a_transaction_checkpoints_its_log_at_the_end(shared_dir):
    """What the import left in SQLite's write-ahead log is copied into the database file when
    it returns (without waiting for readers), not by the next request that writes; within a
    transaction nothing is committed yet, and PostgreSQL is left to its own checkpoints."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inquiries.services import bulk

    lines = (shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()
    with CaptureQueriesContext(connection) as queries:
        report = bulk.import_records(lines)
    assert report.created == 1
    statements = [query["sql"] for query in queries.captured_queries]
    checkpoints = [number for number, sql in enumerate(statements) if sql == "PRAGMA wal_checkpoint(PASSIVE)"]
    if connection.vendor == "sqlite":
        assert len(checkpoints) == 1
        assert not any(sql.startswith("INSERT") for sql in statements[checkpoints[0]:])
    else:
        assert checkpoints == [] and not any("PRAGMA" in sql for sql in statements)


@pytest.mark.django_db(transaction=True)
def test_import_inquiries_indexes_through_one_writer_and_other_processes_do_not_wait_for_it(tmp_path, shared_dir, monkeypatch, settings):
    """From its second batch the command's import holds the index's writer (one writer, two
    indexing threads, ``engine.ImportWriter``); a search in another process meanwhile answers
    from the index's last commit instead of waiting for the lock, and everything is in the
    index when the command returns."""
    import functools
    import multiprocessing

    from inquiries import search
    from inquiries.management.commands import import_inquiries
    from inquiries.search import engine
    from inquiries.services import bulk

    if not search.uses_engine():
        settings.SEARCH_ENGINE = "tantivy"
        search.rebuild_index()
    seed = json.loads(_seed_line(shared_dir))
    path = tmp_path / "inquiries.jsonl"
    path.write_text(
        "".join(json.dumps({**seed, "reference": f"17/{number}", "title": f"Feuerwehrhäuser Nummer {number}"}) + "\n" for number in range(1, 8)),
        encoding="utf-8",
    )
    monkeypatch.setattr(import_inquiries, "import_records", functools.partial(bulk.import_records, batch_size=2))
    opened = []
    monkeypatch.setattr(engine.ImportWriter, "_open", lambda writer, _open=engine.ImportWriter._open: opened.append(1) or _open(writer))
    context = multiprocessing.get_context("fork")
    answers = context.Queue()

    def reader() -> None:
        with engine._writer_lock(unless_importing=True) as locked:
            answers.put(locked)

    write, batches = bulk.BulkWriter.write, []

    def writing(writer, batch, report):
        write(writer, batch, report)
        batches.append(len(batch))
        if len(batches) == 3:
            writer._wait_for_indexing()  # the index thread may lag: once it took batch 2, the import's writer is open
            child = context.Process(target=reader)
            child.start()
            child.join(60)
            batches.append(child.exitcode)

    monkeypatch.setattr(bulk.BulkWriter, "write", writing)
    out, _ = run("import_inquiries", str(path))

    assert out.strip() == "7 created, 0 updated, 0 bad lines."
    assert batches == [2, 2, 2, 0, 1] and opened == [1]
    assert answers.get(timeout=5) is False  # the other process did not wait for the lock
    assert not (engine.directory() / engine.IMPORTING).exists()
    found = search.search("Feuerwehrhaus", Inquiry.objects.all()).values_list("reference", flat=True)
    assert sorted(found) == sorted(f"17/{number}" for number in range(1, 8))
    assert engine._open_current().applied.last == engine.newest_log_id()
