"""Tables in answers: from records to rows and back, as CSV, and beside the answer's text.

The importer reads them (``inquiries/importers/tables.py``); here they are written with
their questions by every write path that takes inquiry.v1 records (``upsert_inquiry``
and the bulk import), turned back into records, and laid out for the page.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from inquiries import csvsafe
from inquiries.models import AnswerTable, Question

# A cell that is a number as printed ("10 470", "1.159", "26,4 M.", "12 %", "–"): right-aligned.
_NUMERIC_CELL = re.compile(r"^[<>≤≥~+\-–]?\d[\d .]*(?:,\d+)?\s?(?:%|€|[A-Za-zäöü]{1,4}\.?)?\*{0,3}$|^(?:-{1,3}|–{1,3}|—|x|\.|/)$")


def table_from_record(question: Question, position: int, data: dict[str, Any]) -> AnswerTable:
    span = data.get("span") or [None, None]
    return AnswerTable(
        question=question,
        position=position,
        caption=data.get("caption") or "",
        header=[list(row) for row in data.get("header") or []],
        rows=[list(row) for row in data["rows"]],
        span_start=span[0],
        span_end=span[1],
    )


def table_to_record(table: AnswerTable) -> dict[str, Any]:
    return table_record(table.caption, table.header, table.rows, table.span_start, table.span_end)


def table_record(caption: str, header: list, rows: list, span_start: int | None, span_end: int | None) -> dict[str, Any]:
    """A table of an inquiry.v1 record from its columns."""
    record: dict[str, Any] = {"caption": caption or None, "header": header, "rows": rows}
    if span_start is not None and span_end is not None:
        record["span"] = [span_start, span_end]
    return record


def replace_tables(questions: Sequence[Question], data: Sequence[dict[str, Any]]) -> None:
    """Give each saved question the tables of its record (``data[i]["tables"]``)."""
    AnswerTable.objects.filter(question__in=[question.pk for question in questions]).delete()
    tables = [
        table_from_record(question, position, table)
        for question, record in zip(questions, data)
        for position, table in enumerate(record.get("tables") or [], start=1)
    ]
    if tables:
        AnswerTable.objects.bulk_create(tables)


def insert_tables(records_by_inquiry: dict[int, dict[str, Any]]) -> None:
    """The tables of newly inserted inquiries (bulk import), by inquiry id and question position."""
    wanted = {pk: record for pk, record in records_by_inquiry.items() if any(q.get("tables") for q in record.get("questions") or [])}
    if not wanted:
        return
    ids = dict(
        ((inquiry_id, position), pk)
        for pk, inquiry_id, position in Question.objects.filter(inquiry_id__in=list(wanted)).values_list("pk", "inquiry_id", "position")
    )
    tables = []
    for inquiry_id, record in wanted.items():
        for position, data in enumerate(record.get("questions") or [], start=1):
            for number, table in enumerate(data.get("tables") or [], start=1):
                tables.append(table_from_record(Question(pk=ids[(inquiry_id, position)]), number, table))
    AnswerTable.objects.bulk_create(tables, batch_size=500)


def table_csv(table: AnswerTable) -> str:
    """The table as CSV: its header rows, then its rows (every cell as printed)."""
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerows([*table.header, *table.rows])
    return buffer.getvalue()


def is_numeric(cell: str) -> bool:
    return bool(_NUMERIC_CELL.match(cell.strip()))


@dataclass
class Segment:
    """A piece of an answer on the page: text, or a table in place of its lines."""

    text: str = ""
    table: AnswerTable | None = None


def numeric_columns(table: AnswerTable) -> list[bool]:
    """Which columns hold figures (every filled cell a number), to align them right."""
    columns = table.columns
    flags = []
    for index in range(columns):
        cells = [row[index] for row in table.rows if index < len(row) and row[index].strip()]
        flags.append(bool(cells) and all(is_numeric(cell) for cell in cells))
    return flags


def _figures_in(table: AnswerTable, text: str) -> bool:
    """Whether the figures of the table's cells stand in ``text`` in their order (a header
    printed again between them, after a page break, may interrupt them)."""
    printed = iter(re.sub(r"\D", "", text))
    return all(digit in printed for digit in re.sub(r"\D", "", "".join(cell for row in table.rows for cell in row)))


def answer_segments(answer: str, tables: Iterable[AnswerTable]) -> list[Segment]:
    """The answer as text and tables: each table in place of the lines it was read from.

    Where the answer's text was edited since and the lines are no longer those of the
    table (checked by the figures in them), the table follows the text instead.
    """
    segments: list[Segment] = []
    position = 0
    trailing: list[AnswerTable] = []
    for table in sorted(tables, key=lambda table: (table.span_start is None, table.span_start or 0, table.position)):
        start, end = table.span_start, table.span_end
        if start is None or end is None or start < position or end > len(answer) or not _figures_in(table, answer[start:end]):
            trailing.append(table)
            continue
        before = answer[position:start].strip("\n")
        if before.strip():
            segments.append(Segment(text=before))
        segments.append(Segment(table=table))
        position = end
    rest = answer[position:].strip("\n")
    if rest.strip():
        segments.append(Segment(text=rest))
    segments.extend(Segment(table=table) for table in trailing)
    return segments


# --- the public table and its page ---------------------------------------------------------


def public_table(parliament_code: str, reference_slug: str, number: str, position: int) -> AnswerTable:
    """A table of a public inquiry's answer; 404 for drafts, unknown inquiries,
    questions and tables (like the inquiry page). The table of an inquiry withdrawn
    after publication is found too: its caller answers 410, as the page does."""
    from django.http import Http404

    from inquiries.models import Inquiry
    from inquiries.selectors.base import PARLIAMENT_CODE, REFERENCE_SLUG

    if not PARLIAMENT_CODE.fullmatch(parliament_code) or not REFERENCE_SLUG.fullmatch(reference_slug):
        raise Http404("no such inquiry")
    table = (
        AnswerTable.objects.select_related("question__inquiry__parliament")
        .filter(
            question__inquiry__in=Inquiry.objects.public(),
            question__inquiry__parliament__code=parliament_code.upper(),
            question__inquiry__reference=reference_slug.replace("-", "/", 1),
            question__number=number,
            position=position,
        )
        .first()
    )
    if table is None:
        raise Http404("no such table")
    return table


@dataclass
class Cell:
    text: str
    numeric: bool = False
    row_header: bool = False


@dataclass
class TableView:
    """A table laid out for the page: header rows, rows of cells, and its CSV address."""

    table: AnswerTable
    caption: str
    header: list[list[str]]
    rows: list[list[Cell]]
    numeric: list[bool]
    csv_url: str
    html_id: str


def table_view(table: AnswerTable, question: Question, inquiry: Any) -> TableView:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    numeric = numeric_columns(table)
    # The first column names the rows, unless it holds figures like the others.
    labelled = bool(numeric) and not numeric[0]
    columns = table.columns
    rows = [
        [Cell(cell, numeric=numeric[index] if index < len(numeric) else False, row_header=labelled and index == 0) for index, cell in enumerate(row + [""] * (columns - len(row)))]
        for row in table.rows
    ]
    header = [row + [""] * (columns - len(row)) for row in table.header]
    caption = table.caption or _("Tabelle %(position)s zur Antwort auf Frage %(number)s") % {"position": table.position, "number": question.number}
    url = reverse(
        "inquiries:answer-table-csv",
        kwargs={
            "parliament": inquiry.parliament.code.lower(),
            "reference": inquiry.reference.replace("/", "-"),
            "number": question.number,
            "position": table.position,
        },
    )
    html_id = re.sub(r"\s+", "-", f"{question.anchor}-tabelle-{table.position}")
    return TableView(table, caption, header, rows, numeric, url, html_id)
