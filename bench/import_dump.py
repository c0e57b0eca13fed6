"""Import a .jsonl file into a fresh database and write everything it stored, to compare two versions.

    python bench/import_dump.py --file records.jsonl --output before.txt
    DATABASE_URL=postgres://… python bench/import_dump.py --file records.jsonl --output after.txt --use-database-url
    diff before.txt after.txt                         # no output: the same rows and index documents

A check, not a benchmark: run it with the code before and after a change of the import
(``git stash``, another checkout) and compare the files. Written: every row of every table
of the project's models (many-to-many and history tables included), ordered by all its
columns, and every document of the search engine's index (``SEARCH_ENGINE=tantivy``), by
id. Times the import takes from the clock (created, updated, published, history dates)
differ between two runs and are written as ``<time>``, as is the random token of the data
version; ids are kept (both runs import into
an empty database). The index's documents are written as handed to the engine, every
field (stored or not): the same documents give the same index. Then what the index holds
when the import has returned: every live document's id and stored fields, by id (the same
handed documents could still end in another index if one were lost or applied twice).
``--use-database-url`` imports into ``DATABASE_URL`` as it is: create it empty first.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import fresh_portal  # noqa: E402


def _value(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return "<time>"
    if isinstance(value, memoryview):
        value = bytes(value)
    return repr(value)


def _held_documents() -> dict[int, list]:
    """Every live document of the engine's index as it is now: its stored fields, by id."""
    import tantivy

    from inquiries.search import engine

    opened = engine._open_current()
    opened.index.reload()
    searcher = opened.index.searcher()
    result = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1), count=False)
    addresses = [address for _score, address in result.hits]
    held = {}
    for pk, address in zip(searcher.fast_field_values("id", addresses), addresses):
        held[pk] = sorted(searcher.doc(address).to_dict().items())
    return held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", required=True, help="the .jsonl file to import")
    parser.add_argument("--output", required=True, help="where to write the dump")
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL (empty) instead of a fresh SQLite file")
    args = parser.parse_args()

    fresh_portal.set_up("import-dump-", use_database_url=args.use_database_url)

    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from inquiries import search

    if search.uses_engine():
        from inquiries.search import engine

        # Every document as handed to the engine (all its fields, stored or not), by id.
        build = engine._document

        def recording(row, text):
            document = build(row, text)
            fields = document.to_dict()
            for name in ("updated", "published"):
                if name in fields:
                    fields[name] = ["<time>"]
            handed[fields["id"][0]] = sorted(fields.items())
            return document

        engine._document = recording
    handed: dict[int, list] = {}
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_inquiries", args.file, stdout=out, stderr=err)
    except Exception as exc:  # a bad line ends the command with an error: its report is part of the dump
        err.write(f"{type(exc).__name__}: {exc}\n")
    search.refresh()

    quote = connection.ops.quote_name
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    with open(args.output, "w", encoding="utf-8") as dump:
        dump.write(f"report: {out.getvalue().strip()}\n")
        for line in err.getvalue().splitlines():
            dump.write(f"error: {line}\n")
        existing = set(connection.introspection.table_names())
        for table in tables:
            if table not in existing:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT * FROM {quote(table)}")
                columns = [column[0] for column in cursor.description]
                rows = sorted(tuple(_value(value) for value in row) for row in cursor.fetchall())
            if table == "inquiries_dataversion":
                rows = [(row[0], "<random token>") for row in rows]  # new at every write, by design
            dump.write(f"table {table} ({', '.join(columns)}): {len(rows)} rows\n")
            for row in rows:
                dump.write("  " + " | ".join(row) + "\n")
        dump.write(f"index: {len(handed)} documents handed to the engine\n")
        for pk in sorted(handed):
            dump.write(f"  {handed[pk]!r}\n")
        if search.uses_engine():
            held = _held_documents()
            dump.write(f"index held after the import: {len(held)} documents\n")
            for pk in sorted(held):
                dump.write(f"  {pk}: {held[pk]!r}\n")
    print(f"{out.getvalue().strip()} -> {args.output}")


if __name__ == "__main__":
    main()
