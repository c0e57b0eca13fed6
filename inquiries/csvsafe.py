"""CSV that a spreadsheet opens as data: the one rule for every CSV the portal writes.

Titles and names come from imported documents, so outsiders can choose how a cell
begins. Excel, LibreOffice and Google Sheets take a cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return for a formula, e.g. ``=HYPERLINK(…)`` or
``=cmd|' /C calc'!A0``. Such a cell is written with a leading ``'`` (which spreadsheets
read as "text follows" and do not show) and in quotes. Numbers are left alone: a Python ``int`` or ``float`` cannot hold a formula, and
``-3`` must stay a number. JSON and inquiry.v1 never pass through here; they keep the
exact values.
"""

from __future__ import annotations

from typing import Any, Iterable, Protocol

# What a cell must not begin with (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ","
LINE_END = "\r\n"
_NEEDS_QUOTES = (DELIMITER, '"', "\r", "\n")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def is_formula(value: Any) -> bool:
    """Whether a spreadsheet would read this cell as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """The cell's value as it is written: with a leading ``'`` when it would run as a formula."""
    return "'" + value if is_formula(value) else value


def cell(value: Any) -> str:
    """One cell as CSV text (RFC 4180), neutralised and quoted where needed."""
    if value is None:
        return ""
    formula = is_formula(value)
    text = str(neutralise(value))
    if formula or any(mark in text for mark in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def row(values: Iterable[Any]) -> str:
    """One line of CSV with its line end."""
    cells = [cell(value) for value in values]
    if cells == [""]:
        cells = ['""']  # a line with one empty cell is not an empty line
    return DELIMITER.join(cells) + LINE_END


class Writer:
    """A ``csv.writer`` look-alike that neutralises every cell; use it for every CSV the portal serves."""

    def __init__(self, stream: Writable) -> None:
        self.stream = stream

    def writerow(self, values: Iterable[Any]) -> None:
        self.stream.write(row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def writer(stream: Writable) -> Writer:
    return Writer(stream)
