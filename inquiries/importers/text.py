"""Post-processing that every layout needs: clean characters and markup, drop page
furniture (running headers, page numbers, footers), undo hyphenation at line ends,
put paragraphs back together that a page break or the line width split, and move
footnotes out of the running text.

Two ways to rebuild paragraphs, for the two kinds of extracted text:
- ``blocks``: the text separates paragraphs by blank lines (letters, pdftotext output);
- ``reflow``: the text has no blank lines between paragraphs (e.g. the Niedersachsen
  PDFs), so a short line ending a sentence ends a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

PAGE_BREAK = "\f"

# A sentence or clause ends here (closing quotes and brackets, and a footnote mark
# "[1]", may follow the mark).
TERMINAL = re.compile(r"[.!?:;][\"'“”‘’»«)\]]*(?: ?\[\d{1,2}\])?$")
_SENTENCE_END = re.compile(r"[.!?][\"'“”‘’»«)\]]*$")
# Characters that attach to the previous line without a space.
_CLOSING = ".,;:!?)]“”‘’»"
# A conjunction after a hyphen at the line end keeps the hyphen: "Bürokratie- und …".
_CONJUNCTIONS = {"und", "oder", "bzw.", "sowie", "bis", "als", "wie", "noch", "statt"}
# List items: "– ", "• ", "a) ", "(1) ". A hyphen-minus is left out: it is a dash in
# running text far more often than a list mark.
_BULLET = re.compile(r"^(?:[–•▪●◦·]\s*|[a-z]\)\s+|\([a-z0-9]{1,3}\)\s+)")
_ENUMERATION = re.compile(r"^\d{1,3}\.\s+\S")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?\d{1,4}(?:\s*[-–])?\s*$|^\s*Seite\s+\d+(?:\s+von\s+\d+)?\s*$", re.IGNORECASE)
_NUMERIC_TOKEN = re.compile(r"^[<>=≤≥~]?[\d.,%/()+\-–]*\d[\d.,%/()+\-–]*%?\)?$|^[\d.,]*%\)?$")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# --- characters and markup ------------------------------------------------------------


def normalise(text: str) -> str:
    """NFC, Unix line ends, one kind of space, no soft hyphens or control characters.

    Form feeds (page breaks of PDF text) are kept; trailing spaces are removed.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


_LINK = re.compile(r"\[([^\]\n]+)\]\((?:mailto:|https?://)[^)\s]+\)")
_EMPHASIS = re.compile(r"(?<![\w*])\*+|\*+(?![\w*])")


def strip_markup(text: str) -> str:
    """Remove Markdown emphasis and links left by a document conversion.

    "**Zu 1.:**" → "Zu 1.:", "- 8.** *Welchen …*" → "8. Welchen …",
    "[a@b.de](mailto:a@b.de)" → "a@b.de".
    """
    lines = []
    for line in text.split("\n"):
        line = _LINK.sub(r"\1", line)
        if "*" in line:
            line = _EMPHASIS.sub("", line)
            line = re.sub(r" {2,}", " ", line).strip()
            # A list dash in front of a question number came with the emphasis.
            line = re.sub(r"^[-–]\s+(?=\d{1,3}[a-z]?\.\s)", "", line)
        lines.append(line.rstrip())
    return "\n".join(lines)


_RUN_OF_SPACES = re.compile(r" {2,}")


def collapse(text: str) -> str:
    """One space between words, none at the ends."""
    return _RUN_OF_SPACES.sub(" ", text).strip() if "  " in text else text.strip()


# --- pages ----------------------------------------------------------------------------


def split_pages(
    text: str,
    *,
    header: re.Pattern[str] | None = None,
    drop: Sequence[re.Pattern[str]] = (),
) -> list[list[str]]:
    """The text's pages as lines, without running header, page number and footer lines.

    Pages are separated by form feeds; where the extraction lost those, a line
    matching ``header`` starts a new page. Lines matching a ``drop`` pattern (footers,
    further header lines) are dropped wherever they stand.
    """
    pages: list[list[str]] = [[]]
    for line in text.split("\n"):
        for index, part in enumerate(line.split(PAGE_BREAK)):
            if index:
                pages.append([])
            if header is not None and header.search(part) and any(l.strip() for l in pages[-1]):
                pages.append([])
            pages[-1].append(part.rstrip())
    stripped = [_strip_furniture(page, header, drop) for page in pages]
    return [page for page in stripped if page]


def _strip_furniture(lines: list[str], header: re.Pattern[str] | None, drop: Sequence[re.Pattern[str]]) -> list[str]:
    start, seen_number = 0, False
    while start < len(lines):
        line = lines[start]
        if not line.strip() or (header is not None and header.search(line)):
            start += 1
        elif not seen_number and start < 6 and _PAGE_NUMBER.match(line):
            seen_number = True
            start += 1
        else:
            break
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    if end > start and _PAGE_NUMBER.match(lines[end - 1]):
        end -= 1
    body = [line for line in lines[start:end] if not any(pattern.search(line) for pattern in drop)]
    while body and not body[-1].strip():
        body.pop()
    return body


def join_pages(pages: Iterable[list[str]]) -> list[str]:
    """The lines of all pages, with a ``PAGE_BREAK`` line where a page ended."""
    lines: list[str] = []
    for page in pages:
        if lines:
            lines.append(PAGE_BREAK)
        lines.extend(page)
    return lines


# --- joining lines ----------------------------------------------------------------------


# ``join_two`` decides by the end of the text before and the start of the text after; it
# looks at no more than this many characters before (the fragment before a hyphen only
# matters when it has at most two letters).
_TAIL = 32
_HYPHENATED_FRAGMENT = re.compile(r"(\w+)-$")
_GLUED_DASH = re.compile(r"-\w")


def _attach(previous: str, following: str) -> tuple[int, str]:
    """How ``following`` (stripped, not empty) continues a text ending in ``previous`` (not
    empty): how many characters to take off that text's end, and what to add to it."""
    if previous.endswith("-") and len(previous) >= 2 and previous[-2].isalpha():
        space = following.find(" ")
        first_word = following if space < 0 else following[:space]
        fragment = _HYPHENATED_FRAGMENT.search(previous[-_TAIL:])
        short = fragment is not None and len(fragment.group(1)) <= 2  # "so-" + "wie"
        if following[0].islower() and (first_word not in _CONJUNCTIONS or short):
            return 1, following  # "Informa-" + "tionen"
        if following[0].islower():
            return 0, f" {following}"  # "Bürokratie-" + "und Dokumentation"
        return 0, following  # "EU-" + "Kommission"
    if previous.endswith("-") and previous[-2:-1].isdigit():
        return 0, following  # "2026-" + "2030"
    if following[0] in _CLOSING or _GLUED_DASH.match(following):
        return 0, following  # "(Fahrplanverdichtung" + ")."
    return 0, f" {following}"


def join_two(previous: str, following: str) -> str:
    """Two wrapped pieces of one sentence as one, undoing hyphenation at the line end."""
    following = following.strip()
    if not previous:
        return following
    if not following:
        return previous
    drop, addition = _attach(previous[-_TAIL:], following)
    return previous[: len(previous) - drop] + addition


class Joined:
    """A text built from many pieces in time linear in its length.

    ``join`` does what ``text = join_two(text, piece)`` does, and ``add`` what
    ``text += piece`` does, but neither copies the text so far: a paragraph of a million
    lines took minutes that way.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.tail = ""  # the last ``_TAIL`` characters: all that ``join_two`` looks at

    def __bool__(self) -> bool:
        return bool(self.tail)

    def __str__(self) -> str:
        return "".join(self.parts)

    def add(self, piece: str) -> None:
        if piece:
            self.parts.append(piece)
            self.tail = (self.tail + piece[-_TAIL:])[-_TAIL:]

    def join(self, piece: str) -> None:
        piece = piece.strip()
        if not piece:
            return
        if not self.tail:
            self.add(piece)
            return
        drop, addition = _attach(self.tail, piece)
        if drop:
            self.parts[-1] = self.parts[-1][:-drop]
            self.tail = self.tail[:-drop]
        self.add(addition)


def join_wrapped(lines: Iterable[str], *, tables: bool = True) -> str:
    """The lines of one paragraph as one line; rows of a table keep their own lines
    (unless ``tables`` is off, for headers whose dates and numbers are no table)."""
    text = Joined()
    previous = ""
    for line in lines:
        if line == PAGE_BREAK:
            continue
        line = collapse(line)
        if tables and previous and (is_table_row(previous) or is_table_row(line)):
            text.add(f"\n{line}")
        else:
            text.join(line)
        previous = line
    return str(text)


def line_blocks(lines: Sequence[str]) -> list[list[str]]:
    """The lines grouped into paragraphs: blank lines and page breaks separate them,
    and a line starting with a bullet or with "a)" starts one of its own."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line == PAGE_BREAK or not line.strip():
            if current:
                paragraphs.append(current)
                current = []
            continue
        if current and _BULLET.match(line.strip()):
            paragraphs.append(current)
            current = []
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def blocks(lines: Sequence[str]) -> list[str]:
    """Paragraphs (see ``line_blocks``), each joined to one line."""
    return [join_wrapped(paragraph) for paragraph in line_blocks(lines)]


def join_broken_paragraphs(
    paragraphs: Sequence[str],
    *,
    keep_apart: Callable[[str], bool] = lambda paragraph: False,
    min_length: int = 60,
) -> list[str]:
    """Join paragraphs that a page break (or a converter) split in mid-sentence.

    A paragraph that ends without a closing mark and is long enough not to be a
    heading continues in the next one: "… Das Ipai und die Polizei" + "BW beabsichtigen …".
    ``keep_apart`` names paragraphs that always stand alone (questions, headings).
    """
    result: list[str] = []
    for paragraph in paragraphs:
        if result and not keep_apart(paragraph) and not keep_apart(result[-1]) and _continues(result[-1], paragraph, min_length):
            result[-1] = join_two(result[-1], paragraph)
        else:
            result.append(paragraph)
    return result


def _continues(previous: str, following: str, min_length: int) -> bool:
    if _BULLET.match(following) or is_table_row(previous.rsplit("\n", 1)[-1]) or is_table_row(following.split("\n", 1)[0]):
        return False
    if previous.endswith("-") and previous[-2:-1].isalpha():
        return following[:1].islower()
    if previous.endswith(","):
        return True
    if TERMINAL.search(previous):
        return False
    return following[:1].islower() or len(previous) >= min_length


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs as one text: a blank line between them, a line break before a list
    item that follows another item or a line ending in a colon."""
    parts: list[str] = []
    last_line = ""  # the last line of the text so far
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if parts and _BULLET.match(paragraph) and (parts[-1].endswith(":") or _BULLET.match(last_line)):
            parts.append("\n")
        elif parts:
            parts.append("\n\n")
        parts.append(paragraph)
        last_line = paragraph.rsplit("\n", 1)[-1]
    return "".join(parts)


# --- reflowing text without blank lines ------------------------------------------------------


# Advance widths of Helvetica/Arial (1/1000 em), the typeface of most parliamentary
# papers: a line's printed width is told far better by these than by its length.
_GLYPH_WIDTHS = {
    **dict.fromkeys(" !,./:;I[\\]fijlt'", 278),
    **dict.fromkeys("il'j", 222),
    **dict.fromkeys("()-r*„“‚‘`", 333),
    **dict.fromkeys("0123456789#$?_abdeghnopquäöü§–+<=>~", 556),
    **dict.fromkeys("cksvxyzJ", 500),
    **dict.fromkeys("ABEKPSVXYÄ&", 667),
    **dict.fromkeys("CDHNRUwÜ", 722),
    **dict.fromkeys("GOQÖ", 778),
    **dict.fromkeys("FTZß", 611),
    **dict.fromkeys("mM", 833),
    "L": 556, "W": 944, "%": 889, "@": 1015, '"': 355, "—": 1000, "…": 1000,
}


def printed_width(text: str) -> int:
    """The width of ``text`` in Helvetica (1/1000 em)."""
    return sum(_GLYPH_WIDTHS.get(char, 556) for char in text)


def line_width(lines: Iterable[str]) -> int:
    """The printed width of a full line of running text (see ``printed_width``)."""
    widths = sorted(printed_width(line.strip()) for line in lines if line != PAGE_BREAK and len(line.strip()) > 30)
    if len(widths) < 5:
        return 45000
    return widths[int(len(widths) * 0.95) - 1]


def is_table_row(line: str) -> bool:
    """Mostly numbers: a row of a table, kept on its own line."""
    tokens = line.split()
    if len(tokens) < 3:
        return False
    numeric = sum(1 for token in tokens if _NUMERIC_TOKEN.match(token))
    return numeric * 2 >= len(tokens)


def reflow(lines: Sequence[str], *, width: int, slack: int = 1500) -> str:
    """Lines of text without blank lines between paragraphs, rebuilt into paragraphs.

    A line is joined with the next unless it is short enough that the next line's
    first word would have fitted (then it ended a paragraph, or is a heading or a
    table row). Paragraphs are separated by a blank line, headings, list items and
    table rows by a line break.
    """
    text = Joined()
    previous: str | None = None
    in_item = False
    blank = False
    for raw in lines:
        if raw == PAGE_BREAK:
            continue
        line = collapse(raw)
        if not line:
            blank = previous is not None
            continue
        if previous is None:
            text.add(line)
        else:
            how = "\n\n" if blank else _break_between(previous, line, width - slack, in_item)
            if how == "join":
                text.join(line)
            else:
                text.add(how + line)
                in_item = False
        in_item = in_item or bool(_BULLET.match(line))
        previous = raw.strip()
        blank = False
    return str(text)


def _break_between(previous: str, line: str, width: int, in_item: bool) -> str:
    """How ``line`` follows ``previous`` (both as printed): "join", a line break or a new paragraph."""
    if previous.endswith("-") and previous[-2:-1].isalnum():
        return "join"
    if _BULLET.match(line):
        return "\n"
    if is_table_row(previous) or is_table_row(line):
        return "\n"
    if line[0].islower() or line[0] in _CLOSING:
        return "join"
    if in_item:
        # A list item runs on over full lines, and over short ones that stop on a small
        # word or before a number ("… zum" + "01.01.2025;", set apart by tabs); after a
        # full stop the running text resumes.
        if TERMINAL.search(previous):
            return "\n\n" if previous.endswith(".") else "join"
        last = previous.split()[-1]
        if not fits(previous, line, width) or line[0].isdigit() or (last[0].islower() and not re.search(r"[/.]", last)):
            return "join"
        return "\n"
    if not fits(previous, line, width):
        return "join"
    if _ENUMERATION.match(line):
        return "\n"
    return "\n\n" if TERMINAL.search(previous) else "\n"


# Numbers are set with fixed spaces inside ("67 000") and before their unit ("50 %").
_FIRST_WORD = re.compile(
    r"^\d{1,3}(?: \d{3})*(?:,\d+)?(?: (?:%|Euro|Mio\.|Mrd\.|Millionen|Milliarden|Prozent|ha|km|kg|mg/l|µg/l|m|t|EW)(?=[\s,.;:)/]|$))"
    r"|^\d{1,3}(?: \d{3})+(?!\d)|^\S+"
)


def fits(previous: str, following: str, width: int) -> bool:
    """Whether ``following``'s first word would have fitted on the line ``previous``.

    Digit groups ("67 000") count as one word: they are set with fixed spaces.
    """
    match = _FIRST_WORD.match(collapse(following))
    first = match.group(0) if match else ""
    # Runs of spaces stand for tabs in the printed line, so they are measured as they are.
    return printed_width(previous.strip()) + _GLYPH_WIDTHS[" "] + printed_width(first) <= width


# --- footnotes ----------------------------------------------------------------------------


@dataclass
class Footnote:
    number: int
    page: int
    text: str
    line: int | None = None  # index of the body line that carries its mark


_FOOTNOTE_START = re.compile(r"^(\d{1,2})\s+(\S.*)$")


def extract_footnotes(pages: list[list[str]]) -> tuple[list[list[str]], list[Footnote]]:
    """Take the footnotes (numbered 1, 2, … through the document) out of the pages.

    A footnote starts after a blank line (or right after another footnote) with the
    next expected number; wrapped lines of it follow.
    """
    footnotes: list[Footnote] = []
    result: list[list[str]] = []
    for page_index, lines in enumerate(pages):
        body: list[str] = []
        in_note = False
        for index, line in enumerate(lines):
            stripped = collapse(line)
            match = _FOOTNOTE_START.match(stripped)
            after_blank = index == 0 or not lines[index - 1].strip()
            if (
                match
                and int(match.group(1)) == len(footnotes) + 1
                and (in_note or after_blank)
                and not re.match(r"^\d+[.,]", stripped)
            ):
                footnotes.append(Footnote(len(footnotes) + 1, page_index, match.group(2)))
                in_note = True
                continue
            if in_note and stripped and _footnote_continues(footnotes[-1].text):
                footnotes[-1].text = join_two(footnotes[-1].text, stripped)
                continue
            in_note = False
            body.append(line)
        while body and not body[-1].strip():
            body.pop()
        result.append(body)
    return result, footnotes


def _footnote_continues(text: str) -> bool:
    last = text.rsplit(" ", 1)[-1]
    if last.endswith("-"):
        return True
    if _SENTENCE_END.search(text):
        return False
    if text.endswith((",", ";")):
        return True
    return not ("/" in last or re.search(r"\.\w{2,4}$", last))


def place_footnote_marks(lines: list[str], page_of_line: Sequence[int], footnotes: list[Footnote]) -> None:
    """Find each footnote's mark on its page, write it as "[n]" and remember the line.

    Marks come in order, so each is searched after the previous one: first a number
    glued to a word ("Bestattungen.2"), then one standing alone ("2022 7,"). A mark
    that cannot be found is tied to the last line of the footnote's page.
    """
    after = (-1, -1)  # (line, column) of the previous mark
    for footnote in footnotes:
        candidates = [index for index, page in enumerate(page_of_line) if page == footnote.page and lines[index] != PAGE_BREAK]
        if not candidates:
            continue
        number = str(footnote.number)
        glued = re.compile(rf"(?<=[A-Za-zÄÖÜäöüß.:;,“”\"'’)\]]){number}(?!\d)")
        alone = re.compile(rf"(?<=\s){number}(?=[\s,.;:]|$)")
        found = None
        for pattern in (glued, alone):
            for index in candidates:
                if index < after[0]:
                    continue
                start = after[1] + 1 if index == after[0] else 0
                match = pattern.search(lines[index], start)
                if match:
                    found = (index, match.start(), match.end())
                    break
            if found:
                break
        if found is None:
            footnote.line = candidates[-1]
            continue
        index, begin, end = found
        mark = f"[{number}]"
        lines[index] = lines[index][:begin] + mark + lines[index][end:]
        footnote.line = index
        after = (index, begin + len(mark) - 1)


def footnotes_between(footnotes: Iterable[Footnote], start: int, end: int) -> str:
    """The footnotes whose marks stand in lines ``start`` to ``end`` (exclusive), as text."""
    return "\n".join(f"[{note.number}] {note.text}" for note in footnotes if note.line is not None and start <= note.line < end)
