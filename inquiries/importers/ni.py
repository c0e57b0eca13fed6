"""Niedersächsischer Landtag: printed papers with the government's answer (PDF text).

Two kinds of paper share the layout (running header "Niedersächsischer Landtag –
19. Wahlperiode Drucksache 19/11134" and a page number on every page, footnotes at
the page bottom, "(verteilt am …)" at the end):

- "Kleine Anfrage zur schriftlichen Beantwortung … mit Antwort der Landesregierung":
  askers, answering ministry, the received / forwarded / answered dates, the
  question's own paper ("Drs. 19/10805"), "Vorbemerkung der Abgeordneten",
  "Vorbemerkung der Landesregierung", then each question repeated with its answer
  directly below it.
- "Unterrichtung" on a resolution of the Landtag: the resolution's numbered requests
  to the government, answered "Zu 1:" …. inquiry.v1 has no kind for it; it is
  recorded as a Große Anfrage of the moving groups (with a warning).

The text has no blank lines between paragraphs, so paragraphs are rebuilt from the
line lengths (``text.reflow``); questions are set narrower than answers.
"""

from __future__ import annotations

import re
from typing import Any

from inquiries.importers import german, text as txt
from inquiries.importers.answers import heading_labels
from inquiries.importers.base import DocumentError, ParseResult, Parser, new_record, register
from inquiries.names import ministry_display_name

HEADER = re.compile(r"^Niedersächsischer Landtag\s*[–-]\s*(\d+)\.\s*Wahlperiode\s+Drucksache\s+(\d+\s*/\s*\d+)", re.MULTILINE)
_DISTRIBUTED = re.compile(r"\(verteilt am\s+([^)]*?)\s*\)")
_FOOTERS = (re.compile(r"^\s*\(verteilt am"),)
_QUESTION = re.compile(r"^(\d{1,2})\.\s+\S")
_PREFACE = re.compile(r"^Vorbemerkung (?:der|des) (?P<who>Abgeordneten|Fragesteller\w*|Landesregierung)\b")
_ASKED = re.compile(
    r"(?:Große |Kleine )?Anfrage (?P<who>(?:der Fraktion|der Abgeordneten|des Abgeordneten) (?:(?!Anfrage ).)+?),"
    r" eingegangen am (?P<received>[\d.]+)\s*-\s*Drs\.\s*(?P<paper>\d+\s*/\s*\d+),?"
    r"\s*an die Staatskanzlei übersandt am (?P<forwarded>[\d.]+)"
    r"\s*Antwort (?P<body>.+?) namens der Landesregierung vom (?P<answered>[\d.]+)"
)
_REFERENCES = re.compile(r"(?<![A-Za-z])(?<!BR[- ])(?<!BT[- ])(?:Drs\.|Drucksache)\s*(\d{1,2}\s*/\s*\d{1,6})")
_RESOLUTION = re.compile(
    r"^Unterrichtung .*?Landtagsverwaltung\s*-\s*(?P<title>.+?) Antrag (?P<movers>.+?)\s*-\s*Drs\.\s*(?P<motion>\d+/\d+)"
    r"\s*Beschluss des Landtages vom (?P<resolved>[\d.]+)\s*-\s*Drs\.\s*(?P<resolution>\d+/\d+)\s*-\s*nachfolgend abgedruckt:"
)
_SECTION = re.compile(r"^([IVX]{1,4})\.\s+\S")
_RESOLUTION_ANSWER = re.compile(r"^Antwort der Landesregierung vom\s+([\d.]+)")


@register
class NiedersachsenParser(Parser):
    name = "ni"
    label = "Niedersächsischer Landtag: Drucksache with the government's answer"

    def detect(self, text: str) -> int:
        return 10 if HEADER.search(text) else 0

    def parse(self, text: str, *, name: str) -> ParseResult:
        text = txt.normalise(text)
        header = HEADER.search(text)
        if header is None:
            raise DocumentError(name, "no running header 'Niedersächsischer Landtag – N. Wahlperiode Drucksache N/N'")
        reference = re.sub(r"\s", "", header.group(2))
        pages, footnotes = txt.extract_footnotes(txt.split_pages(text, header=HEADER, drop=_FOOTERS))
        lines: list[str] = []
        page_of_line: list[int] = []
        for index, page in enumerate(pages):
            if lines:
                lines.append(txt.PAGE_BREAK)
                page_of_line.append(index)
            lines.extend(page)
            page_of_line.extend([index] * len(page))
        document = _Document(name, reference, lines, page_of_line, footnotes)
        if any(line.strip() == "Unterrichtung" for line in lines[:3]):
            result = document.resolution_report()
        else:
            result = document.answer()
        result.record["full_text"] = text
        distributed = [german.parse_date(value) for value in _DISTRIBUTED.findall(text) if value.strip()]
        if distributed and distributed[-1]:
            result.extra["distributed_on"] = distributed[-1].isoformat()
        elif distributed:
            result.warnings.append("distributed_on: the date of distribution is not a valid date")
        return result


class _Document:
    def __init__(
        self, name: str, reference: str, lines: list[str], page_of_line: list[int], footnotes: list[txt.Footnote]
    ) -> None:
        self.name = name
        self.reference = reference
        self.lines = lines
        self.page_of_line = page_of_line
        self.footnotes = footnotes
        self.width = txt.line_width(lines)

    # --- helpers ---------------------------------------------------------------------

    def _text(self, start: int, end: int, *, width: int | None = None) -> str | None:
        """Lines ``start``–``end`` as paragraphs, with the footnotes marked there."""
        body = txt.reflow(self.lines[start:end], width=width or self.width).strip()
        notes = txt.footnotes_between(self.footnotes, start, end)
        if notes:
            body = f"{body}\n\n{notes}" if body else notes
        return body or None

    def _mark_footnotes(self, body_start: int) -> None:
        """Mark the footnotes in the text after the header (whose numbers are no marks)."""
        pages = [-1 if index < body_start else page for index, page in enumerate(self.page_of_line)]
        txt.place_footnote_marks(self.lines, pages, self.footnotes)

    def _is_blank(self, index: int) -> bool:
        return index < len(self.lines) and self.lines[index] != txt.PAGE_BREAK and not self.lines[index].strip()

    def _blank_before(self, index: int) -> bool:
        return index == 0 or not self.lines[index - 1].strip() or self.lines[index - 1] == txt.PAGE_BREAK

    def _next_line(self, index: int, end: int) -> int | None:
        """Index of the next line with text after ``index`` (before ``end``)."""
        for candidate in range(index + 1, end):
            if self.lines[candidate] != txt.PAGE_BREAK and self.lines[candidate].strip():
                return candidate
        return None

    def _related(self, first: list[str]) -> list[str]:
        """``first``, then the other papers of this parliament the text refers to."""
        text = "\n".join([*self.lines, *(note.text for note in self.footnotes)])
        references = list(first)
        for match in _REFERENCES.finditer(text):
            reference = re.sub(r"\s", "", match.group(1))
            if reference not in references and reference != self.reference:
                references.append(reference)
        return references

    # --- Kleine Anfrage with answer -------------------------------------------------------

    def answer(self) -> ParseResult:
        warnings: list[str] = []
        starts = self._question_starts()
        prefaces = [(index, match.group("who")) for index, line in enumerate(self.lines) if (match := _PREFACE.match(line.strip()))]
        body_start = min([index for index, _ in prefaces] + starts[:1] + [len(self.lines)])
        self._mark_footnotes(body_start)
        header = txt.join_wrapped(self.lines[:body_start], tables=False)
        asked = _ASKED.search(header)
        if asked is None:
            raise DocumentError(self.name, "no line 'Anfrage der Abgeordneten …, eingegangen am … - Drs. …, an die Staatskanzlei übersandt am … Antwort … vom …'")
        if not starts:
            raise DocumentError(self.name, "no numbered questions found")
        title_start = header.find("namens der Landesregierung")
        title = header[title_start + len("namens der Landesregierung"):asked.start()].strip() if title_start >= 0 else ""
        if not title:
            raise DocumentError(self.name, "no title between the answering ministry and the line 'Anfrage der Abgeordneten …'")
        kind = "major" if "Große Anfrage" in header[: title_start if title_start >= 0 else None] else "minor"
        record = new_record("NI", self.reference, kind, title)
        who = asked.group("who")
        if who.startswith("der Fraktion"):
            record["factions"] = sorted(german.faction_name(part) for part in re.split(r",\s*|\s+und\s+(?=der Fraktion)", who))
        else:
            record["askers"] = german.split_askers(re.sub(r"^(?:der|des) Abgeordneten\s+", "", who))
            record["factions"] = sorted({asker["faction"] for asker in record["askers"] if asker["faction"]})
        received = german.parse_date(asked.group("received"))
        forwarded = german.parse_date(asked.group("forwarded"))
        answered = german.parse_date(asked.group("answered"))
        record["asked_on"] = german.iso(forwarded)
        record["answered_on"] = german.iso(answered)
        record["answering_ministry"] = ministry_display_name(asked.group("body"))

        bounds = [index for index, _ in prefaces] + [starts[0]]
        for number, (index, who_prefaced) in enumerate(prefaces):
            field = "government_preface" if who_prefaced == "Landesregierung" else "explanation"
            record[field] = self._text(index + 1, bounds[number + 1])
        record["questions"], question_warnings = self._questions(starts)
        warnings.extend(question_warnings)
        record["related_references"] = self._related([re.sub(r"\s", "", asked.group("paper"))])
        extra = {"received_on": german.iso(received), "question_paper": record["related_references"][0]}
        return ParseResult("ni", record, warnings, extra)

    def _question_starts(self) -> list[int]:
        starts: list[int] = []
        for index, line in enumerate(self.lines):
            match = _QUESTION.match(line.strip())
            if match and int(match.group(1)) == len(starts) + 1 and self._blank_before(index):
                starts.append(index)
        return starts

    def _questions(self, starts: list[int]) -> tuple[list[dict[str, Any]], list[str]]:
        warnings: list[str] = []
        # Questions are set narrower than the answers: a line shorter than their width
        # (less the next word) ends the question.
        width = max(txt.printed_width(txt.collapse(self.lines[start])) for start in starts)
        questions = []
        for number, start in enumerate(starts, start=1):
            end = starts[number] if number < len(starts) else len(self.lines)
            last = self._question_end(start, end, width)
            if last is None:
                warnings.append(f"questions: question {number}: its end could not be told from the answer")
                last = end - 1
            question = txt.join_wrapped(self.lines[start:last + 1], tables=False)
            question = re.sub(r"^\d{1,2}\.\s+", "", question)
            notes = txt.footnotes_between(self.footnotes, start, last + 1)
            questions.append({
                "number": str(number),
                "text": f"{question}\n\n{notes}" if notes else question,
                "answer": self._text(last + 1, end),
            })
        return questions, warnings

    def _question_end(self, start: int, end: int, width: int) -> int | None:
        index = start
        while index < end:
            line = txt.collapse(self.lines[index])
            following = self._next_line(index, end)
            # A question mark ends the question (unless more asking follows); a full stop
            # only where the line is short, i.e. where the paragraph ends.
            if line and self.lines[index] != txt.PAGE_BREAK and (
                line.endswith("?")
                or txt.TERMINAL.search(line)
                and (following is None or self._is_blank(index + 1) or txt.fits(line, self.lines[following], width))
            ):
                # A following paragraph that still asks ("Falls ja, …?") belongs to the question.
                extension = self._asking_paragraph(following, end) if following is not None else None
                if extension is None:
                    return index
                index = extension
                continue
            index += 1
        return None

    def _asking_paragraph(self, start: int, end: int) -> int | None:
        """The last line of the paragraph at ``start`` if that paragraph ends with a question mark."""
        index = start
        while index < end:
            line = txt.collapse(self.lines[index])
            following = self._next_line(index, end)
            if not line:
                return None
            if txt.TERMINAL.search(line) and (following is None or txt.fits(line, self.lines[following], self.width - 1500)):
                return index if line.endswith("?") else None
            index = following if following is not None else end
        return None

    # --- Unterrichtung on a resolution ------------------------------------------------------

    def resolution_report(self) -> ParseResult:
        answer_at = next((index for index, line in enumerate(self.lines) if _RESOLUTION_ANSWER.match(line.strip())), None)
        if answer_at is None:
            raise DocumentError(self.name, "no line 'Antwort der Landesregierung vom …'")
        head_end = next(
            (index + 1 for index, line in enumerate(self.lines) if "nachfolgend abgedruckt:" in line), None
        )
        if head_end is None:
            raise DocumentError(self.name, "no line 'Beschluss des Landtages vom … - Drs. … - nachfolgend abgedruckt:'")
        self._mark_footnotes(head_end)
        header = txt.join_wrapped(self.lines[:head_end], tables=False)
        match = _RESOLUTION.search(header)
        if match is None:
            raise DocumentError(self.name, "no title, motion ('Antrag … - Drs. …') and resolution ('Beschluss des Landtages vom …') found")
        title = match.group("title").strip()
        record = new_record("NI", self.reference, "major", title)
        movers = re.split(r",\s*(?=der Fraktion)|\s+und\s+(?=der Fraktion)", match.group("movers"))
        record["factions"] = sorted(german.faction_name(mover) for mover in movers)
        record["asked_on"] = german.iso(german.parse_date(match.group("resolved")))
        record["answered_on"] = german.iso(german.parse_date(_RESOLUTION_ANSWER.match(self.lines[answer_at].strip()).group(1)))
        warnings = [
            f"kind: an 'Unterrichtung' on the resolution Drs. {match.group('resolution')} is no inquiry;"
            " inquiry.v1 has no kind for it, so it is recorded as a Große Anfrage (major) of the moving groups"
        ]

        # The resolution repeats the title, then its text up to the numbered requests.
        body_start = head_end
        printed_title = ""
        while body_start < answer_at and txt.collapse(printed_title) != title and len(printed_title) <= len(title):
            printed_title = txt.join_two(printed_title, txt.collapse(self.lines[body_start]))
            body_start += 1
        if txt.collapse(printed_title) != title:
            body_start = head_end
        sections, intro_lines = self._requests(body_start, answer_at)
        if not sections:
            raise DocumentError(self.name, "no numbered requests in the resolution")
        first_request = min([*intro_lines, sections[0][1][0][1]])
        explanation = self._text(body_start, first_request)
        intros = [txt.join_wrapped(self.lines[start:end], tables=False) for start, end in _runs(intro_lines)]
        record["explanation"] = "\n\n".join(part for part in [explanation or "", *intros] if part) or None

        answers = self._resolution_answers(answer_at + 1, len(sections))
        labelled = len(sections) > 1
        for section_number, (section, items) in enumerate(sections):
            for item, start, end in items:
                label = f"{section}.{item}" if labelled else item
                text = txt.join_wrapped(self.lines[start:end], tables=False)
                text = re.sub(r"^\d{1,2}\.\s+", "", text)
                answer = answers.get((section_number, item))
                record["questions"].append({"number": label, "text": text, "answer": answer})
        record["related_references"] = self._related([match.group("motion"), match.group("resolution")])
        return ParseResult("ni", record, warnings, {"resolution": match.group("resolution")})

    def _requests(self, start: int, end: int) -> tuple[list[tuple[str, list[tuple[str, int, int]]]], list[int]]:
        """The numbered requests, per section ("I.", "II."), as (number, first line, end line)."""
        sections: list[tuple[str, list[tuple[str, int, int]]]] = []
        intro_lines: list[int] = []
        expected = 1
        current_section = ""
        items: list[tuple[str, int, int]] = []
        for index in range(start, end):
            line = txt.collapse(self.lines[index])
            section = _SECTION.match(line)
            if section:
                if items:
                    sections.append((current_section, items))
                current_section, items, expected = section.group(1), [], 1
                intro_lines.append(index)
                continue
            match = _QUESTION.match(line)
            if match and int(match.group(1)) == expected:
                if items:
                    items[-1] = (items[-1][0], items[-1][1], index)
                items.append((match.group(1), index, end))
                expected += 1
                continue
            if intro_lines and intro_lines[-1] == index - 1 and not items:
                intro_lines.append(index)  # the section's lead-in wraps
            elif items:
                items[-1] = (items[-1][0], items[-1][1], index + 1)
        if items:
            sections.append((current_section, items))
        return sections, intro_lines

    def _resolution_answers(self, start: int, section_count: int) -> dict[tuple[int, str], str | None]:
        """The answers by (section, number); the numbering starts again in each section."""
        answers: dict[tuple[int, str], str | None] = {}
        headings: list[tuple[int, int, str]] = []  # (line, section, number)
        section, last_number = 0, 0
        for index in range(start, len(self.lines)):
            line = txt.collapse(self.lines[index])
            if not line.startswith("Zu "):
                continue
            labels = heading_labels(line)
            if labels is None:
                headings.append((index, -1, ""))  # a heading over several answers ("Zu den Bitten …:")
                continue
            number = int(re.match(r"\d+", labels[0]).group(0))
            if number <= last_number and section + 1 < section_count:
                section += 1
            last_number = number
            headings.append((index, section, labels[0]))
        for position, (index, section, label) in enumerate(headings):
            if section < 0:
                continue
            end = headings[position + 1][0] if position + 1 < len(headings) else len(self.lines)
            answers[(section, label)] = self._text(index + 1, end)
        return answers


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive line indices as (start, end) ranges."""
    runs: list[tuple[int, int]] = []
    for index in indices:
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs
