"""Tables in answers: rows of figures in an answer's text become structured tables.

The tables are read from each answer's text as the parsers left it (one space between
words, rows of a table on lines of their own), so that every layout gets them:

- A **row** is a line that ends in at least two values: German numbers ("10 470",
  "1.159", "26,4", "12 %", "13,6 M."), or the marks for "none" ("–", "---", "x").
  What stands before the values is the row's label ("Gesamt", "Dauer Klageverfahren").
- A **table** is a run of rows; between them may stand blank lines, text lines that
  label the row of bare values after them ("Ausreisepflichtige syrische" /
  "Staatsangehörige (gesamt)" / "931 972 1.159 1.287", a cell over several lines),
  section lines, and a header printed again after a page break.
- Its **columns** come from the values: every row must split into the same number of
  values in exactly one way. A space inside a number ("10 470") is only a thousands
  separator before exactly three digits, so "1 744 3 1" is "1 744 | 3 | 1" in a table
  whose other rows have three values. Where the text of a PDF still shows the
  printed positions (pypdf's layout mode), the columns are taken from the gaps that
  all rows share instead, which also finds empty cells.
- The **header** is the line(s) right above the first row when they split into one name
  per column ("2023* 2024* 2025* 2026**"); the **caption** a "Tabelle 1: …" line above.

Abstain, never guess: a run of rows that cannot be split into the same columns (rows
with empty cells in a text without positions, as in a table whose rows have 3, 5 and 2
values) stays text only and is named in the extraction's abstained fields
(``questions[3].tables``); so is a header that does not split into its columns
(``questions[3].tables[0].header``), whose table then has no header row.

The answer's text keeps everything; each table records the characters of the answer
it was read from (``span``), so that the page can show the table in their place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence

from inquiries.importers.base import ParseResult

# Part of the common reading's version: a change of these rules is a new version.
VERSION = "1"

_NUMBER = re.compile(r"^[<>≤≥~+\-–]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?%?\*{0,3}$")
# The first group of a number whose thousands are separated by spaces, and a further group.
_GROUP_HEAD = re.compile(r"^[<>≤≥~+\-–]?\d{1,3}$")
_GROUP = re.compile(r"^\d{3}(?:,\d+)?%?\*{0,3}$")
_NONE = re.compile(r"^(?:-{1,3}|–{1,3}|—|x|X|\.|/|k\.A\.|n\.v\.)$")
_UNITS = frozenset({"%", "€", "EUR", "Euro", "T€", "Mio.", "Mrd.", "Tsd.", "M.", "Mon.", "J.", "Std.", "h", "km", "kg", "t", "ha", "Pers."})
_YEAR = re.compile(r"^(?:19|20)\d\d\*{0,3}$")
_CAPTION = re.compile(r"^(?:Tabelle|Tab\.|Übersicht|Anlage)\s*\d*[a-z]?\s*[:.–-]\s*\S")
_FOOTNOTE_OR_SOURCE = re.compile(r"^(?:\*|\d\)\s|Quelle\b|Quellen\b|Stand\b|Anmerkung\b|Hinweis\b)")
_ALIGNED_GAP = re.compile(r"\S( {2,})(?=\S)")

# A row's label and a line of a cell over several lines are short; a sentence is not.
_MAX_LABEL = 100
_MAX_HEADER_LINE = 120
_MAX_PENDING = 3
_MAX_CAPTION_LINES = 5
_MAX_COLUMNS = 30


@dataclass
class _Line:
    text: str
    start: int
    end: int


@dataclass
class _Row:
    label: str | None
    values: list[str]  # tokens of the values, not yet split into cells
    lines: list[_Line]
    pending: list[str] = field(default_factory=list)  # text lines above that may label it
    # Several rows run together on one line ("armenisch 10 - aserbaidschanisch 2 - …"):
    # a label holding values of its own cannot be told apart from them.
    merged: bool = False


@dataclass
class TableReading:
    """What the reading of one answer found: tables, and the holes it left."""

    tables: list[dict[str, Any]] = field(default_factory=list)
    abstained: list[str] = field(default_factory=list)


# --- values ----------------------------------------------------------------------------


def _is_value_start(token: str) -> bool:
    return bool(_NUMBER.match(token) or _NONE.match(token))


# More groups than this are no number of a printed table (999 999 999 999 999).
_MAX_GROUPS = 4


def _cell_ends(tokens: Sequence[str], start: int) -> list[int]:
    """The positions after each way one cell can be read from ``tokens[start:]``."""
    first = tokens[start]
    if not _is_value_start(first):
        return []
    end = start + 1
    ends = [end]
    # "10 470", "1 234 567": only after a head of one to three digits, only groups of three.
    if _GROUP_HEAD.match(first):
        while end < len(tokens) and end - start <= _MAX_GROUPS and _GROUP.match(tokens[end]):
            end += 1
            ends.append(end)
    with_units = [stop + 1 for stop in ends if stop < len(tokens) and tokens[stop] in _UNITS and _NUMBER.match(tokens[stop - 1])]
    return sorted(set(ends + with_units))


@lru_cache(maxsize=4096)
def _ways(tokens: tuple[str, ...]) -> tuple[list[list[int]], list[list[int]]]:
    """The cell ends at each token, and ways[start][left]: in how many ways (capped at 2)
    ``tokens[start:]`` are ``left`` values — counted once per line, linear in its length."""
    size = len(tokens)
    ends = [_cell_ends(tokens, start) for start in range(size)]
    ways = [[0] * (_MAX_COLUMNS + 1) for _ in range(size + 1)]
    ways[size][0] = 1
    for start in range(size - 1, -1, -1):
        for left in range(1, _MAX_COLUMNS + 1):
            ways[start][left] = min(2, sum(ways[end][left - 1] for end in ends[start]))
    return ends, ways


def _splits(tokens: Sequence[str], count: int, limit: int = 2) -> list[list[str]]:
    """Up to ``limit`` ways of reading ``tokens`` as exactly ``count`` values."""
    if not tokens or count > _MAX_COLUMNS:
        return []
    tokens = tuple(tokens)
    ends, ways = _ways(tokens)
    found: list[list[str]] = []

    def walk(start: int, left: int, cells: list[str]) -> None:
        if len(found) >= limit:
            return
        if start == len(tokens):
            found.append(list(cells))
            return
        for end in ends[start]:
            if left and ways[end][left - 1]:
                cells.append(" ".join(tokens[start:end]))
                walk(end, left - 1, cells)
                cells.pop()

    if ways[0][count]:
        walk(0, count, [])
    return found


def _counts(tokens: Sequence[str]) -> set[int]:
    """The numbers of values ``tokens`` can be read as."""
    if not tokens:
        return set()
    _, ways = _ways(tuple(tokens))
    return {count for count in range(1, _MAX_COLUMNS + 1) if ways[0][count]}


def _value_tail(tokens: Sequence[str]) -> int:
    """Index of the first token of the values at the end of a line (len(tokens) if none)."""
    index = len(tokens)
    while index > 0:
        token = tokens[index - 1]
        if _is_value_start(token) or _GROUP.match(token) or (token in _UNITS and index >= 2 and _NUMBER.match(tokens[index - 2])):
            index -= 1
        else:
            break
    # A tail must start with a value (not with a unit or a bare group of a number before it).
    while index < len(tokens) and not _is_value_start(tokens[index]):
        index += 1
    return index


def _row(line: _Line, aligned: dict[str, str] | None = None) -> _Row | None:
    """The line as a row, if it ends in values: two at least, or one where the PDF's
    positions show the other cells empty ("Bremen            3")."""
    tokens = line.text.split()
    tail = _value_tail(tokens)
    values = tokens[tail:]
    if not values or len(values) > _MAX_COLUMNS * 4:
        return None
    if (len(values) < 2 or not _counts(values) - {1}) and not (tail and aligned and line.text in aligned):
        return None
    label = " ".join(tokens[:tail]) or None
    head = tokens[:tail]
    # Figures inside the label ("… 15.500.000,00 € Barmstedt Rantzauer Schlossinsel 2017"):
    # the line holds several rows, which a table must not leave out.
    merged = any(_is_value_start(one) and (_is_value_start(two) or two in _UNITS) for one, two in zip(head, head[1:]))
    if label and not merged and (len(label) > _MAX_LABEL or label.endswith((":", ","))):
        return None
    return _Row(label, values, [line], merged=merged)


def _years(text: str) -> int:
    return sum(1 for token in text.split() if _YEAR.match(token))


def _is_year_header(row: _Row) -> bool:
    """A first row naming years ("2023* 2024* 2025*", "Merkmal 2020 2021 …") is the header."""
    return (row.label is None or len(row.label.split()) <= 2) and all(_YEAR.match(token) for token in row.values)


# --- the answer's lines ----------------------------------------------------------------


def _lines(answer: str) -> list[_Line]:
    lines, start = [], 0
    for text in answer.split("\n"):
        lines.append(_Line(text.strip(), start, start + len(text)))
        start += len(text) + 1
    return lines


def _regions(lines: list[_Line], aligned: dict[str, str]) -> Iterable[tuple[int, list[_Row]]]:
    """(index of the first row's line, rows) of each run of rows."""
    index = 0
    while index < len(lines):
        first = _row(lines[index])
        if first is None:
            index += 1
            continue
        start, rows, pending, pending_lines, pending_from = index, [first], [], [], index
        index += 1
        blanks = 0
        while index < len(lines):
            line = lines[index]
            if not line.text:
                blanks += 1
                if blanks > 1:
                    break
                index += 1
                continue
            if _CAPTION.match(line.text) or _FOOTNOTE_OR_SOURCE.match(line.text):
                break
            row = _row(line, aligned)
            if row is not None and line.text == lines[start].text and _is_year_header(first) and not pending:
                # The header row printed again after a page break.
                index += 1
                continue
            if row is not None and pending and row.label and row.label[0].islower():
                # A label over two lines, its figures on the second: "Mecklenburg-Vorpommern" / "und Umland 5 6".
                row.label = " ".join([*pending, row.label])
                row.lines = pending_lines + row.lines
                rows.append(row)
                pending, pending_lines, blanks = [], [], 0
                index += 1
                continue
            if row is not None and pending and row.label:
                above = [lines[position].text for position in range(max(0, start - len(pending)), start)]
                if pending == above:
                    # The header printed again after a page break.
                    pending, pending_lines = [], []
                elif any(_years(text) >= 2 for text in pending):
                    # The header of the next table.
                    break
            if row is not None:
                row.pending = pending
                row.lines = pending_lines + row.lines
                rows.append(row)
                pending, pending_lines, blanks = [], [], 0
            else:
                if len(line.text) > _MAX_LABEL or len(pending) >= _MAX_PENDING:
                    break
                if not pending:
                    pending_from = index
                pending.append(line.text)
                pending_lines.append(line)
            index += 1
        # Text lines after the last row belong to the text after the table.
        if pending_lines:
            index = pending_from
        yield start, rows


def _header_and_caption(lines: list[_Line], first: int) -> tuple[list[_Line], list[_Line]]:
    """The caption lines and the header lines right above the line ``first``."""
    above: list[_Line] = []
    index = first - 1
    while index >= 0 and lines[index].text and len(above) < _MAX_CAPTION_LINES + 4:
        above.insert(0, lines[index])
        index -= 1
    for position, line in enumerate(above):
        if _CAPTION.match(line.text):
            caption = [line]
            rest = above[position + 1 :]
            while rest and len(caption[-1].text) >= 60 and not caption[-1].text.endswith((".", ")")) and len(caption) < _MAX_CAPTION_LINES:
                caption.append(rest.pop(0))
            return caption, rest
    header: list[_Line] = []
    for line in reversed(above):
        if len(line.text) > _MAX_HEADER_LINE or line.text.endswith((".", ":", ";", ",")):
            break
        header.insert(0, line)
    return [], header[-4:]


def _hint(header_row: _Row | None, header_lines: list[_Line]) -> int | None:
    """The number of values the header names, where it is a row of years."""
    if header_row is not None:
        return len(header_row.values)
    tokens = " ".join(line.text for line in header_lines).split()
    if tokens and all(_YEAR.match(token) for token in tokens):
        return len(tokens)
    return None


def _header_cells(text: str, columns: int, labelled: bool) -> list[str] | None:
    """The header split into one name per column, or None where it does not split."""
    tokens = text.split()
    values = columns - (1 if labelled else 0)
    if not tokens:
        return None
    if len(tokens) == columns:
        return tokens
    if labelled and len(tokens) == values:
        return ["", *tokens]
    # Years and one last heading: "2021 2022 2023 2024 2025 Jan. bis Mai 2026".
    years = 0
    while years < len(tokens) and _YEAR.match(tokens[years]):
        years += 1
    if years == values - 1 and years < len(tokens):
        rest = " ".join(tokens[years:])
        return ([""] if labelled else []) + tokens[:years] + [rest]
    return None


# --- splitting a run of rows into columns -----------------------------------------------


def _split_by_values(rows: list[_Row], hint: int | None = None) -> tuple[list[list[str]], bool] | None:
    """Cells of each row from the values alone, and whether there is a label column.

    Where the rows split in more than one way ("931 972 1.159" as two or three values),
    ``hint`` — the number of values the header names — decides, else nothing does.
    """
    if any(row.merged for row in rows):
        return None
    labelled = any(row.label or row.pending for row in rows)
    tokens_of: list[list[str]] = []
    labels: list[str] = []
    for row in rows:
        tokens = list(row.values)
        if row.label:
            label = row.label
        elif row.pending:
            label = " ".join(row.pending)
        elif labelled and len(tokens) > 1 and (_YEAR.match(tokens[0]) or not _GROUP_HEAD.match(tokens[0])):
            # "2013 10 470 1 1" in a table with labels: the year names the row. A first
            # figure that may begin a number ("1 234 …") is not taken for a label.
            label = tokens.pop(0)
        else:
            label = ""
        if row.label and row.pending:
            # Lines above a row with its own label are a section of the table.
            labels.append(" ".join(row.pending))
            tokens_of.append([])
        labels.append(label)
        tokens_of.append(tokens)
    if labelled and any(not label for label, tokens in zip(labels, tokens_of) if tokens):
        # A row without the name the others have: its name stands elsewhere (above the table).
        return None
    counts: set[int] | None = None
    for tokens in tokens_of:
        if tokens:
            counts = _counts(tokens) if counts is None else counts & _counts(tokens)
    if not counts:
        return None
    unique = [count for count in sorted(counts) if all(not tokens or len(_splits(tokens, count)) == 1 for tokens in tokens_of)]
    if len(unique) > 1 and hint in unique:
        unique = [hint]
    if len(unique) != 1:
        return None
    count = unique[0]
    cells = []
    for label, tokens in zip(labels, tokens_of):
        values = _splits(tokens, count)[0] if tokens else [""] * count
        cells.append(([label] if labelled else []) + values)
    return cells, labelled


def _split_by_positions(rows: list[_Row], aligned: dict[str, str]) -> tuple[list[list[str]], bool] | None:
    """Cells of each row from the printed positions of the PDF's text, where it has them.

    A column boundary is a run of at least two positions blank in every line; a line
    with only its first cell filled continues the label above it.
    """
    raw = []
    for row in rows:
        for number, line in enumerate(row.lines):
            printed = aligned.get(line.text)
            if printed is None and number < len(row.lines) - 1:
                printed = line.text  # a line of a label above its figures: one cell, at the left
            if printed is None:
                return None
            raw.append(printed.rstrip())
    width = max(len(line) for line in raw)
    blank = [all(position >= len(line) or line[position] == " " for line in raw) for position in range(width)]
    bounds, position = [], 0
    while position < width:
        if blank[position]:
            end = position
            while end < width and blank[end]:
                end += 1
            if end - position >= 2 and position > 0 and end < width:
                bounds.append((position, end))
            position = end
        else:
            position += 1
    if not bounds:
        return None
    edges = [0] + [end for _, end in bounds]
    stops = [start for start, _ in bounds] + [width]
    cells = [[line[edge:stop].strip() for edge, stop in zip(edges, stops)] for line in raw]
    # A label over several lines: lines with only a label, above a row of bare values.
    merged: list[list[str]] = []
    carry: list[str] = []
    for row_cells in cells:
        if row_cells[0] and not any(row_cells[1:]):
            carry.append(row_cells[0])
            continue
        if carry and (not row_cells[0] or row_cells[0][0].islower()):
            row_cells[0] = " ".join([*carry, row_cells[0]]).strip()
            carry = []
        elif carry:
            merged.extend([[text] + [""] * (len(row_cells) - 1) for text in carry])
            carry = []
        merged.append(row_cells)
    merged.extend([[text] + [""] * (len(edges) - 1) for text in carry])
    if any(len(_value_cells(row_cells[1:])) != len(row_cells) - 1 for row_cells in merged):
        return None
    return merged, True


def _value_cells(cells: Sequence[str]) -> list[str]:
    """The cells that are values or empty (a column of text is no table of figures)."""
    return [cell for cell in cells if not cell or _splits(cell.split(), 1, limit=1)]


# --- the reading ---------------------------------------------------------------------


def read_tables(answer: str, *, aligned: dict[str, str] | None = None, path: str = "answer") -> TableReading:
    """The tables of one answer, and the paths of the runs of rows that did not split.

    ``aligned`` maps a line of the answer to the line of the document's text it came
    from, where that still has the printed positions (see ``aligned_lines``).
    """
    reading = TableReading()
    if not answer:
        return reading
    lines = _lines(answer)
    for first, rows in _regions(lines, aligned or {}):
        header_row = rows[0] if _is_year_header(rows[0]) and not rows[0].pending else None
        body = rows[1:] if header_row else rows
        # One row of figures in running text is no table.
        if not body or (len(body) < 2 and header_row is None):
            continue
        caption_lines, header_lines = _header_and_caption(lines, first)
        header_cells = None
        split = _split_by_positions(rows, aligned) if aligned else None
        if split is not None and header_row is not None:
            header_cells, split = split[0][0], (split[0][1:], split[1])
        if split is None:
            split = _split_by_values(body, _hint(header_row, header_lines))
            if split is not None and header_row is not None:
                header_cells = _header_cells(" ".join([*([header_row.label] if header_row.label else []), *header_row.values]), len(split[0][0]), split[1])
        if split is None or not split[0]:
            reading.abstained.append(f"{path}.tables")
            continue
        cells, labelled = split
        columns = max(len(row) for row in cells)
        if header_row is None and header_lines:
            header_cells = _header_cells(" ".join(line.text for line in header_lines), columns, labelled)
        if (header_lines or header_row) and header_cells is None:
            reading.abstained.append(f"{path}.tables[{len(reading.tables)}].header")
        body_lines = [line for row in rows for line in row.lines]
        # The table stands in for the lines it was read from: its caption and header
        # too, where they were read; a header that was not stays text above it.
        first_line = body_lines[0]
        if header_lines and header_cells is not None:
            first_line = header_lines[0]
        if caption_lines and (header_cells is not None or not header_lines):
            first_line = caption_lines[0]
        reading.tables.append(
            {
                "caption": " ".join(line.text for line in caption_lines) or None,
                "header": [header_cells] if header_cells else [],
                "rows": [row + [""] * (columns - len(row)) for row in cells],
                "span": [first_line.start, body_lines[-1].end],
            }
        )
    reading.abstained = list(dict.fromkeys(reading.abstained))
    return reading


def aligned_lines(text: str) -> dict[str, str]:
    """The lines of a document's text that keep printed positions (runs of spaces
    between cells), by their text with one space between words."""
    found: dict[str, str] = {}
    for line in re.split(r"[\n\f]", text):
        line = line.replace("\t", "    ").rstrip()
        if _ALIGNED_GAP.search(line.strip()):
            found.setdefault(" ".join(line.split()), line)
    return found


def attach_tables(result: ParseResult, text: str) -> None:
    """Read the tables of every answer of a parsed record into ``questions[i].tables``."""
    aligned = aligned_lines(text)
    for index, question in enumerate(result.record.get("questions") or []):
        reading = read_tables(question.get("answer") or "", aligned=aligned, path=f"questions[{index}]")
        if reading.tables:
            question["tables"] = reading.tables
        for hole in reading.abstained:
            if hole not in result.abstained:
                result.abstained.append(hole)
