"""The common reading of German answer documents: one parser for all 17 parliaments.

Every parliament prints the same parts, in its own words and order: a title block
(parliament, "Drucksache 21/1234", the kind of inquiry, the askers and their group,
the answering body, dates, the title), the askers' and the government's prefaces, the
numbered questions and their answers, a signature. This module reads those parts by
what they say, not by where they stand; what differs between parliaments (their name
as printed, running headers and footers, group spellings) is data in
``parliaments/<code>.yaml``.

Three ways of pairing questions with answers are told apart by the text itself:
- headed answers: "Zu 1.:", "Zu Frage 1:", "Antwort zu 1:", "Antwort zu Frage 1:"
  (the questions printed before, repeated or not);
- "Antwort:" after each question;
- the answer printed right after its question (Bundestag, Niedersachsen, NRW …),
  where the question ends at its question mark.

What cannot be read is left empty and named in ``ParseResult.abstained``, never guessed.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from inquiries.importers import german, text as txt
from inquiries.importers.base import DocumentError, ParseResult, Parser, new_record, register
from inquiries.importers.parliaments import DATE, common, data_digest, detect_parliament
from inquiries.names import ministry_display_name, ministry_key

_LETTERS = "A-Za-zÄÖÜäöüß"
_LETTERSPACED = re.compile(rf"(?<!\S)(?:[{_LETTERS}] ){{2,}}[{_LETTERS}](?!\S)")
_REFERENCE = re.compile(r"Drucksache\s*(?:Nr\.\s*)?(\d{1,2})\s*/\s*(\d{1,3}(?: \d{3})+|\d{1,6})(?![\d.,])", re.IGNORECASE)
_OTHER_REFERENCES = re.compile(
    # a full stop may end the sentence after the number ("vgl. Drs. 18/12723."), not run on into digits
    r"(?<![A-Za-z-])(?:Drucksachen?|Drs\.|Bundestagsdrucksache|Landtagsdrucksache|(?:Kleinen?|Großen?)\s+Anfrage)\s*(?:Nr\.\s*)?"
    r"(\d{1,2})\s*/\s*(\d{1,3}(?: \d{3})+|\d{1,6})(?![\d/]|[.,]\d)"
    # "Drucksache 16/1665 (16/1631)": the question's paper in brackets after the answer's
    r"|(?<=\d\s\()(\d{1,2})/(\d{1,6})(?=\))"
)
_GLUED_PAGE_NUMBER = re.compile(r"^\d{1,3}(?=(?:Frage|Antwort|Zu)\s)")
_DATE = re.compile(DATE, re.IGNORECASE)
_DATE_LINE = re.compile(rf"^(?:[\w.-]+,\s*(?:den\s+)?)?{DATE}$", re.IGNORECASE)

# A label as printed: "3", "3a", "3 a)", "1.1", "3.a".
_LABEL = r"\d{1,3}(?:\.\d{1,2})?\.?(?:\s?[a-z](?![a-zäöüß])\)?)?"
_LABELS = rf"{_LABEL}(?:\s*(?:,|und|bis|sowie|u\.)\s*{_LABEL})*"
_QUESTION_START = re.compile(
    rf"^(?:Frage\s+(?:Nr\.\s*)?(?P<asked>{_LABEL})\s*[.:)]?|(?P<plain>\d{{1,3}}\.\d{{1,2}}(?=\.?\s|\.[A-ZÄÖÜ„\"])|\d{{1,3}}(?=[.)](?!\d)))[.)]?(?:\s*(?P<sub>[a-z])\))?)\s*(?P<rest>.*)$"
)
_ANSWER_HEADING = re.compile(
    rf"^(?:Antwort(?:\s+der\s+\w+)?\s+(?:zu|auf)\s+(?:den\s+|der\s+)?(?:Fragen?\s+|Nr\.\s*)?|Zu\s+(?:den\s+|der\s+)?(?:Fragen?\s+|Nr\.\s*|Ziffern?\s+)?)"
    rf"(?P<labels>{_LABELS})\s*[.)]?\s*(?::\s*(?P<rest>.*)|$)",
    re.IGNORECASE,
)
_BARE_ANSWER = re.compile(r"^Antwort(?:\s+der\s+(?:Landesregierung|Staatsregierung|Bundesregierung))?\s*:\s*(?P<rest>.*)$")
_SUB_ITEM = re.compile(r"^[a-z]\)\s")
# A question mark ends a question; a table of contents prints the page after it ("? 2"), and
# a request in brackets may follow it ("…? (bitte nach Jahren aufschlüsseln)").
_QUESTION_END = re.compile(r"\?[\"'“”»)\]]*(?:\s*\([^()]{1,200}\)\.?)?(?:\s+\d{1,3})?$")
# The question mark is followed by a bracketed request that runs on over the next lines.
_OPEN_REQUEST = re.compile(r"\?[\"'“”»]*\s*\([^()]*$")
_SUBJECT = re.compile(r"^(?:(?:betr\.?|betreff|thema|zum\s+thema)\s*:|betreffend\b)\s*(?P<rest>.*)$", re.IGNORECASE)
_QUOTED_TITLE = re.compile(r"Anfrage\b[^„\"]{0,250}[„\"](?P<title>[^“\"]{5,400})[“\"]")
_ASKERS = re.compile(
    r"(?:(?:des|der|von)\s+(?:Abgeordneten|Abg\.)|\bAbgeordnete[rn]?|\bAbg\.)\s+(?P<who>.+)$"
)
# "Erika Beispiel (SPD) vom 01.02.2023": names with their groups and the date, no "Abgeordnete".
_NAMED_WITH_GROUP = re.compile(rf"^(?P<who>(?:[^()]{{3,80}}\([^()]{{2,40}}\)(?:,\s*|\s+und\s+)?)+)\s+vom\s+(?:{DATE})$", re.IGNORECASE)
# The askers sign the question paper (Bremen): "Anna Beispiel, Bernd Muster und Fraktion der SPD".
_SIGNED_BY_GROUP = re.compile(r"^(?P<names>[A-ZÄÖÜ][^.?!:;„“\"]{2,200}?),?\s+und\s+(?P<faction>Fraktion\s+[^.?!:;,„“\"]{2,40})$")
_FACTION_INTRO = re.compile(r"^(?:Die|Der)\s+(?P<who>Fraktion(?:en)?\s.+?)\s+(?:hat|haben)\s+folgende\b", re.IGNORECASE)
_FACTION_ONLY = re.compile(r"\b(?:Anfrage|Anfragen)\s+der\s+(?P<who>Fraktion(?:en)?\s.+)$", re.IGNORECASE)
_ASKERS_STOP = re.compile(
    r"\s+(?:vom\b|und\s+Antwort\b|Antwort\b|betr\.?|Betreff\b|zum\s+Thema\b|Thema:|[–-]\s*Drucksache\b|Drucksache\b|über\b|Drs\.|"
    r"eingegangen\b|\(Eingang\b)|\s+[„\"]|\s+[–-]\s*$",
    re.IGNORECASE,
)
_FACTION_TAIL = re.compile(
    r"(?:,\s*|\s+und\s+|\s+)(?:(?:der\s+|die\s+)?Fraktion\s+(?:der\s+|die\s+)?(?P<faction>.+)|(?P<named>[A-ZÄÖÜ][\w/ ]{1,30}?)-Fraktion)$"
)
_HEAD_KNOWN = re.compile(
    r"^(?:Drucksache\b|[–-]\s*Drucksache\b|zu\s+Drucksache\b|\d{1,2}\.\s*Wahlperiode\b|Wahlperiode\b|Antwort\b|A\s?N\s?T\s?W\s?O\s?R\s?T\b|"
    r"und\s+Antwort\b|(?:der|des|auf\s+die|zu\s+der|auf\s+eine)\s+(?:Bundesregierung|Landesregierung|Staatsregierung|Senats?|Kleine|Große|Schriftliche|Anfrage)|"
    r"auf\s+(?:die|eine)\b|Kleine\s+Anfrage\b|Große\s+Anfrage\b|Schriftliche\s+(?:Kleine\s+)?Anfrage\b|Anfrage\b|KLEINE\s+ANFRAGE|GROSSE\s+ANFRAGE|"
    r"(?:des|der)\s+Abgeordneten\b|Abgeordnete[rn]?\b|Abg\.|Mitglied\s+des\s+Landtage?s\b|Herrn?\b|Frau\b|über\b|den\s+Präsidenten\b|vom\s|\(?Eingang\b|Eingegangen\b|Ausgegeben\b|"
    r"Datum\s+des\b|zum\s+Thema\b|Thema\b|betr|Nr\.\s*\d|Landtag\b|LANDTAG\b|Bürgerschaft\b|BÜRGERSCHAFT\b|Abgeordnetenhaus|Senatsverwaltung\b|"
    r"Senatskanzlei\b|Mitteilung\s+des\s+Senats\b|und\s*$|Deutscher\s+Bundestag\b|KA\s+\d|Kleine\s+Anfrage\s*[-–]|.*\bmit\s+Antwort\b|.*\bAntwort\s+der\s+(?:Landes|Bundes|Staats)regierung\b|"
    r".*\bzur\s+schriftlichen\s+Beantwortung\b|gemäß\s+§)",
    re.IGNORECASE,
)

VERSION = "2"  # 2: the title-block, question-end and ministry-name rules of issue 14 (docs14b)
# A line of the title block that stops inside a phrase ("… auf eine Kleine Anfrage zur schriftlichen").
_OPEN_PHRASE = re.compile(r"\b(?:zur|zum|der|die|das|des|dem|den|für|auf|von|mit|über|einer?|eines)(?:\s+[a-zäöüß]+)?$")
# Words written small inside a ministry's name ("Ministerium für Inneres und Sport").
_NAME_SMALL_WORDS = {"der", "des", "die", "das", "dem", "den", "für", "und", "im", "in", "mit", "von", "zur", "zum", "sowie"}


@register
class CommonParser(Parser):
    name = "common"
    label = "Any German parliament: the common structure of answer documents (data per parliament)"

    @property
    def version(self) -> str:
        return f"{VERSION}+data.{data_digest()[:12]}"

    def detect(self, text: str) -> int:
        cleaned = _clean(text)
        return 1 if detect_parliament(cleaned) is not None and _REFERENCE.search(cleaned[:4000]) else 0

    def parse(self, text: str, *, name: str) -> ParseResult:
        return _Reading(name, text).result()


def _clean(text: str) -> str:
    """Normalised text with letter-spaced words closed up ("V o r b e m e r k u n g")."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.append(_LETTERSPACED.sub(lambda match: match.group(0).replace(" ", ""), line))
    return txt.strip_markup(txt.normalise("\n".join(lines)))


def _flat(lines: list[str]) -> str:
    """The lines as one line, hyphenation at line ends undone ("Anfra-" + "ge 8/980")."""
    text = ""
    for line in lines:
        if line == txt.PAGE_BREAK or not line.strip():
            continue
        line = txt.collapse(line)
        if re.search(r"[a-zäöüß]-$", text) and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def _date(printed: str) -> str | None:
    """ISO date of "12.03.2024", "7. März 2024" or "2025-02-14"."""
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", printed.strip())
    if iso:
        try:
            return datetime.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))).isoformat()
        except ValueError:
            return None
    return german.iso(german.parse_date(re.sub(r"\b(Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sept?|Okt|Nov|Dez)\.", _month, printed)))


_MONTH_NAMES = {
    "Jan": "Januar", "Feb": "Februar", "Mär": "März", "Apr": "April", "Jun": "Juni", "Jul": "Juli", "Aug": "August",
    "Sep": "September", "Sept": "September", "Okt": "Oktober", "Nov": "November", "Dez": "Dezember",
}


def _month(match: re.Match[str]) -> str:
    return _MONTH_NAMES[match.group(1)]


def label_list(printed: str) -> list[str]:
    """"3 bis 5" → 3, 4, 5; "2 und 3 a)" → 2, 3a; "1.1 bis 1.3" → 1.1, 1.2, 1.3."""
    labels: list[str] = []
    parts = re.split(r"\s*(,|\bund\b|\bsowie\b|\bu\.|\bbis\b)\s*", printed.strip())
    range_open = False
    for part in parts:
        if part == "bis":
            range_open = True
            continue
        if part in {",", "und", "sowie", "u.", ""}:
            continue
        label = normal_label(part)
        if label is None:
            continue
        if range_open and labels:
            labels.extend(_range(labels[-1], label))
        range_open = False
        labels.append(label)
    return list(dict.fromkeys(labels))


def _range(first: str, last: str) -> list[str]:
    """Labels strictly between ``first`` and ``last`` where they count up."""
    if first.isdigit() and last.isdigit():
        return [str(n) for n in range(int(first) + 1, int(last))]
    dotted = re.fullmatch(r"(\d+)\.(\d+)", first), re.fullmatch(r"(\d+)\.(\d+)", last)
    if all(dotted) and dotted[0].group(1) == dotted[1].group(1):
        return [f"{dotted[0].group(1)}.{n}" for n in range(int(dotted[0].group(2)) + 1, int(dotted[1].group(2)))]
    lettered = re.fullmatch(r"(\d+)([a-z]?)", first), re.fullmatch(r"(\d+)([a-z])", last)
    if all(lettered) and lettered[0].group(1) == lettered[1].group(1):
        start = ord(lettered[0].group(2)) + 1 if lettered[0].group(2) else ord("a")
        return [f"{lettered[0].group(1)}{chr(c)}" for c in range(start, ord(lettered[1].group(2)))]
    return []


def normal_label(printed: str) -> str | None:
    """"3 a)" / "3a" / "3. a)" → "3a"; "1.1" stays; "4." → "4"."""
    match = re.fullmatch(r"(\d{1,3}(?:\.\d{1,2})?)\s?\.?\s?([a-z])?\)?\.?", printed.strip())
    if not match:
        return None
    return f"{match.group(1)}{match.group(2) or ''}"


def _blocks(lines: list[str], start: int, end: int) -> list[list[str]]:
    """The lines ``start``–``end`` as paragraphs (separated by blank lines)."""
    blocks: list[list[str]] = [[]]
    for line in lines[start:end]:
        if not line or line == txt.PAGE_BREAK:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    return [block for block in blocks if block]


def _unglue(line: str, header: re.Pattern[str]) -> str:
    match = header.search(line)
    if match and match.start() > 0 and line[: match.start()].strip():
        return f"{line[: match.start()]}\n{line[match.start():]}"
    return line


def _joint_labels(printed: str, numbers: list[str]) -> list[str]:
    """The questions a joint answer names: "1.1 bis 2.2" takes every question printed between them."""
    labels: list[str] = []
    for part in re.split(r"\s*(?:,|\bund\b|\bsowie\b)\s*", printed.strip()):
        ends = re.split(r"\s+bis\s+", part)
        if len(ends) == 2:
            first, last = normal_label(ends[0]), normal_label(ends[1])
            if first in numbers and last in numbers and numbers.index(first) <= numbers.index(last):
                labels.extend(numbers[numbers.index(first):numbers.index(last) + 1])
                continue
        labels.extend(label_list(part))
    return list(dict.fromkeys(labels))


def _asks(lines: list[str]) -> bool:
    """Whether the lines start a question: a line ending "?" comes before any sentence ends."""
    for line in lines:
        if not line or line == txt.PAGE_BREAK:
            continue
        if _QUESTION_END.search(line):
            return True
        if re.search(r"[.!:]$", line):
            return False
    return False


def _unmarked(lines: list[str]) -> list[str]:
    """The lines without a leading sub-item mark "b) "."""
    if lines and _SUB_ITEM.match(lines[0] or ""):
        return [lines[0][3:].strip(), *lines[1:]]
    return lines


def _split_subs(question: list[str], letter: str) -> list[tuple[str | None, list[str]]]:
    """The question's own lines and its asking sub-items ("a) …?", "b) …?") from ``letter`` on."""
    cuts: list[int] = []
    expected = letter
    for index, line in enumerate(question):
        if (line or "").startswith(f"{expected}) "):
            cuts.append(index)
            expected = chr(ord(expected) + 1)
    if not cuts:
        return [(None, question)]
    segments = [question[start:(cuts[n + 1] if n + 1 < len(cuts) else len(question))] for n, start in enumerate(cuts)]
    if not all(_QUESTION_END.search(next((line for line in reversed(segment) if line and line != txt.PAGE_BREAK), "")) for segment in segments):
        return [(None, question)]
    parts: list[tuple[str | None, list[str]]] = []
    if any(line and line != txt.PAGE_BREAK for line in question[: cuts[0]]):
        parts.append((None, question[: cuts[0]]))
    for segment in segments:
        parts.append((segment[0][0], _unmarked(segment)))
    return parts


def _dotted_follows(previous: str, label: str) -> bool:
    """Whether ``label`` ("2.1") is the next after ``previous`` ("1.3", "2.0" or the heading "2")."""
    section, number = (int(part) for part in label.split("."))
    before = re.fullmatch(r"(\d+)(?:\.(\d+))?", previous)
    if before is None:
        return False
    previous_section, previous_number = int(before.group(1)), int(before.group(2) or 0)
    if before.group(2) is None:
        return section == previous_section and number == 1 or section == previous_section + 1 and number == 1
    return (section == previous_section and number == previous_number + 1) or (section == previous_section + 1 and number == 1)


def _asked_chunks(lines: list[str]) -> list[list[str]]:
    """Lines as chunks, each question (ending "?") one chunk, what comes before it another."""
    filled = [line for line in lines if line and line != txt.PAGE_BREAK]
    chunks: list[list[str]] = []
    current: list[str] = []
    for position, line in enumerate(filled):
        current.append(line)
        following = filled[position + 1] if position + 1 < len(filled) else ""
        # a heading over a question ("Vergleich mit anderen Konzeptvergaben" + "Gibt es …") ends there too
        heading = not re.search(r"[-,]$", line) and bool(_QUESTION_WORD.match(following))
        if _QUESTION_END.search(line) or re.search(r"[.!:;?][“”„\"'‘’»«)\]]*$", line) or heading:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    # Sentences of an answer come one chunk each: join the ones that do not ask.
    merged: list[list[str]] = []
    for chunk in chunks:
        asks = _chunk_asks(chunk)
        if merged and chunk[0].startswith("(") and _chunk_asks(merged[-1]) and _chunk_asks([*merged[-1], *chunk]):
            merged[-1] = merged[-1] + chunk  # "…?" + "(Bitte … aufschlüsseln.)"
        elif merged and not asks and not _chunk_asks(merged[-1]):
            merged[-1] = merged[-1] + chunk
        else:
            merged.append(chunk)
    return merged


# The words a German question starts with.
_QUESTION_WORD = re.compile(
    r"^(?:Wie|Was|Welche\w*|Wer|Wann|Wo\w*|Warum|Weshalb|Inwie\w+|Falls|Wenn|Sofern|Ist|Sind|Hat|Haben|Gibt|Plant|Kann|Wird|Werden|"
    r"In\s+welche\w*|Aus\s+welche\w*|Teilt|Trifft|Liegen)\b"
)


def _chunk_asks(chunk: list[str]) -> bool:
    """Whether a chunk ends a question: "…?" or "…? (Bitte … aufschlüsseln.)" over several lines."""
    if _QUESTION_END.search(chunk[-1]):
        return True
    joined = _flat(chunk)
    return bool(re.search(r"\?[\"'“”»]*\s*\([^()]{1,300}\)\.?$", joined))


def _label_key(label: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", label)) + tuple(ord(c) for c in re.sub(r"[\d.]", "", label))


def _main(label: str) -> int:
    return int(re.match(r"\d+", label).group(0))


class _Reading:
    """One document being read; each method reads one part."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.full_text = text
        self.text = _clean(text)
        self.data = common()
        self.abstained: list[str] = []
        self.warnings: list[str] = []
        self.answer_part = False
        self.questions_from: int | None = None  # first line of unnumbered questions before "Zu Frage 1:"
        self.untitled: list[str] = []  # the askers' text printed under the title without a heading
        self.question_paper_head: list[str] = []
        self.head_lines: list[str] = []  # the first lines of a question paper printed before the answer
        self._signed: dict[int, tuple[str, str]] | None = None  # line → (names, group) of the askers' signature

    # --- the whole ------------------------------------------------------------------

    def result(self) -> ParseResult:
        profile = detect_parliament(self.text)
        if profile is None:
            raise DocumentError(self.name, "unknown layout: no German parliament is named at the top of the text")
        self.profile = profile
        reference = _REFERENCE.search(self.text[:4000])
        if reference is None:
            raise DocumentError(self.name, f"no printed-paper number ('Drucksache N/N') at the top of this {profile.name} paper")
        self.reference = f"{int(reference.group(1))}/{int(reference.group(2).replace(' ', ''))}"
        whole_text = self.text
        answer_part = self._answer_part()
        if answer_part is not None:
            self.answer_part = True
            # The question paper printed before the answer paper: the answer paper repeats
            # what counts (title, askers, questions) and has the reference of the answer.
            start, self.reference = answer_part
            self.question_paper_head = [line.strip() for line in self.text[:start].split("\n")[:6]]
            self.text = self.text[start:]
            self.warnings.append(f"reference: the question paper is printed before the answer; the answer is Drucksache {self.reference}")
        flat_all = _flat(self.text.split("\n"))
        body_text = self.text
        for pattern in profile.drop_text:
            body_text = pattern.sub("", body_text)
        body_text = "\n".join(_GLUED_PAGE_NUMBER.sub("", line) for line in body_text.split("\n"))
        if profile.running_header is not None:
            # A running header glued to the end of the last line of a page ("… verwiesen.Drucksache
            # 19 / 12143 Bayerischer Landtag …") goes on a line of its own, so only it is dropped.
            body_text = "\n".join(_unglue(line, profile.running_header) for line in body_text.split("\n"))
        pages = txt.split_pages(body_text, header=profile.running_header, drop=(*self.data.drop_lines, *profile.drop_lines))
        self.lines = [txt.collapse(line) if line != txt.PAGE_BREAK else line for line in txt.join_pages(pages)]

        markers = self._markers()
        head_end = min([index for index, _ in markers] + [len(self.lines)])
        head_lines = self.lines[:head_end]
        self.head_lines = head_lines
        head = _flat(head_lines)

        # "Die Fraktion der CDU hat folgende Kleine Anfrage an den Senat gerichtet:": the sentence
        # that introduces the question paper names the kind and who asked where the head does not.
        intro = next((self.lines[index] for index, what in markers if what == "question_intro"), "")
        kind = self._kind(head, intro)
        asking: dict[str, Any] = {"askers": [], "factions": []}
        self.asker_lines: set[int] = set()
        self._askers(asking, head_lines, head, intro)
        title = self._title(head_lines, head)
        record = new_record(profile.code, self.reference, kind, title)
        record.update(asking)
        self._answer_facts(record, head, flat_all)

        signature_at, signer, signed_on = self._signature(after=head_end)
        record["signed_by"] = signer
        if record["answered_on"] is None and signed_on:
            record["answered_on"] = signed_on
        record["questions"] = self._questions(markers, signature_at)
        if not record["askers"] and (signed := self._signed_askers()):
            record["askers"] = signed
            record["factions"] = sorted({asker["faction"] for asker in signed if asker["faction"]} | set(record["factions"]))
            if "askers" in self.abstained:
                self.abstained.remove("askers")
        self._prefaces(record, markers, signature_at)
        if not record["explanation"] and self.untitled:
            record["explanation"] = self._reflow(self.untitled)
        if not record["explanation"]:
            record["explanation"] = self._quoted_preamble(markers)
        # The papers cited anywhere, the question paper printed before the answer included.
        record["related_references"] = self._related(_flat(whole_text.split("\n")))
        if record["asked_on"] is None:
            record["asked_on"] = self._signed_question_date(record["askers"])
        if record["asked_on"] and record["answered_on"] and record["answered_on"] < record["asked_on"]:
            self.warnings.append(f"asked_on: {record['asked_on']} lies after the answer; left out")
            record["asked_on"] = None
        record["full_text"] = self.full_text
        result = ParseResult("common", record, self.warnings, {"parliament_profile": profile.code, "answer_part": self.answer_part})
        result.abstained = list(dict.fromkeys(self.abstained))
        return result

    # --- where the parts start ----------------------------------------------------------

    def _answer_part(self) -> tuple[int, str] | None:
        """Where an answer paper with its own number starts after a question paper, and its number."""
        for match in _REFERENCE.finditer(self.text):
            reference = f"{int(match.group(1))}/{int(match.group(2).replace(' ', ''))}"
            line_start = self.text.rfind("\n", 0, match.start()) + 1
            before = self.text[max(0, line_start - 150):match.start()]
            # the parliament's name nearest to the number (a "Druck: Thüringer Landtag, …" line may come before it)
            named = sorted((found for pattern in self.profile.detect for found in pattern.finditer(before)), key=lambda found: found.start())
            prefix = self.text[line_start:match.start()]
            if not named and prefix.strip() and not re.fullmatch(r"\s*\d{1,2}\.\s*Wahlperiode\s*", prefix):
                continue
            following = self.text[match.end():match.end() + 600].split("\n")[1:9]
            if any(pattern.match(txt.collapse(candidate)) for candidate in following for pattern in self.data.answer_blocks):
                start = max(0, line_start - 150) + named[-1].start() if named else line_start
                if start < 200:
                    return None  # the answer paper is the whole document
                return start, reference
        return None

    def _markers(self) -> list[tuple[int, str]]:
        """(line, what) for the headings and sentences that end the title block."""
        markers: list[tuple[int, str]] = []
        first_question = None
        for index, line in enumerate(self.lines):
            if line == txt.PAGE_BREAK or not line:
                continue
            # a sentence running on ("… Auf die" + "Vorbemerkung der Landesregierung … wird verwiesen.") is no heading
            running_on = index > 0 and bool(re.search(r"\s(?:die|der|den|das|des|dem|zur|zum|auf)$", self.lines[index - 1] or ""))
            if not running_on and any(pattern.match(line) for pattern in self.data.explanation_headings):
                markers.append((index, "explanation"))
            elif not running_on and any(pattern.match(line) for pattern in self.data.preface_headings):
                markers.append((index, "preface"))
            elif any(pattern.search(line) for pattern in self.data.question_intros):
                markers.append((index, "question_intro"))
            elif any(pattern.search(line) for pattern in self.data.answer_intros) and index > 2:
                markers.append((self._sentence_start_line(index), "answer_intro"))
            elif first_question is not None and any(pattern.match(line) for pattern in self.data.answer_blocks):
                markers.append((index, "answer_intro"))
            elif first_question is None and self._starts_question(index, "1"):
                first_question = index
                markers.append((index, "questions"))
            elif first_question is None and (heading := _ANSWER_HEADING.match(line)) and label_list(heading.group("labels"))[:1] in (["1"], ["1.1"]):
                # Questions printed without numbers: the answer headings number them.
                first_question = index
                markers.append((index, "answers"))
        return sorted(markers)

    def _starts_question(self, index: int, label: str) -> bool:
        match = _QUESTION_START.match(self.lines[index])
        if not match:
            return False
        printed = normal_label(match.group("asked") or match.group("plain") or "")
        return printed is not None and (printed == label or printed.startswith(f"{label}.") and label.isdigit() and printed == f"{label}.1")

    # --- title block -----------------------------------------------------------------------

    def _kind(self, head: str, intro: str = "") -> str:
        kinds = {**self.data.kinds, **self.profile.kinds}
        found = []
        for phrase, kind in kinds.items():
            match = re.search(rf"\b{re.escape(phrase)}\b", head, re.IGNORECASE)
            if match:
                found.append((match.start(), -len(phrase), kind))
            elif intro and (match := re.search(rf"\b{re.escape(phrase)}\b", intro, re.IGNORECASE)):
                found.append((len(head) + match.start(), -len(phrase), kind))
        if not found:
            self.abstained.append("kind")
            return "minor"
        return min(found)[2]

    def _title(self, head_lines: list[str], head: str) -> str:
        for index, line in enumerate(head_lines):
            subject = _SUBJECT.match(line)
            if subject:
                parts = [subject.group("rest")] if subject.group("rest") else []
                end = index + 1
                for end in range(index + 1, len(head_lines) + 1):
                    following = head_lines[end] if end < len(head_lines) else None
                    if following is None or following == txt.PAGE_BREAK or not following or (_HEAD_KNOWN.match(following) and parts):
                        break
                    parts.append(following)
                title = txt.join_wrapped(parts, tables=False).strip()
                if title and len(title) <= 400:
                    # The askers' text printed under "Betr.:" without a heading (Hamburg) runs
                    # up to the sentence that introduces the questions.
                    rest = [line for line in head_lines[end:] if line != txt.PAGE_BREAK]
                    if any(rest) and not any(_HEAD_KNOWN.match(line) for line in rest if line):
                        self.untitled = rest
                    return title
        runs: list[tuple[bool, list[str]]] = []
        current: list[str] = []
        seen_asking = after_asking = False
        previous_known = ""
        full = max((len(line) for line in head_lines if line != txt.PAGE_BREAK), default=0)
        for position, line in enumerate(head_lines):
            # (a lone "und" is the header's "… und Antwort" split over lines, never a wrapped sentence)
            if current and line[:1].islower() and len(current[-1]) >= 0.85 * full and not txt.TERMINAL.search(current[-1]) and line.strip() not in {"und", "sowie"}:
                # a wrapped sentence goes on ("… einer Verlängerung der Beantwortungsfrist durch" +
                # "den Präsidenten gemäß § 60 …"), whatever words its next line starts with
                current.append(line)
                continue
            known = position in self.asker_lines or not line or line == txt.PAGE_BREAK or bool(_HEAD_KNOWN.match(line)) or bool(_DATE_LINE.match(line))
            known = known or self._is_ministry_line(line) or re.fullmatch(r"[\d\s./–-]+", line) is not None
            known = known or any(pattern.search(line) for pattern in self.profile.detect) or bool(_REFERENCE.search(line))
            # A known line that runs on: "… Ministerin für Allgemeine und Berufliche Bildung," + "Wissenschaft, …",
            # "… Ministerin für Inneres, Kommunales, Wohnen" + "und Sport (MIKWS)", "… zur schriftlichen" + "Beantwortung".
            known = known or (not current and bool(previous_known) and (
                bool(re.search(r"(?:,|\bund|-)$", previous_known)) or (line[:1].islower() and not txt.TERMINAL.search(previous_known))
                or bool(_OPEN_PHRASE.search(previous_known))
            ))
            if known:
                seen_asking = seen_asking or bool(re.search(r"Anfrage|Abgeordnete|ANFRAGE", line))
                if current:
                    runs.append((after_asking, current))
                    current = []
                previous_known = line if line and line != txt.PAGE_BREAK else previous_known
                continue
            if not current:
                after_asking = seen_asking
            previous_known = ""
            current.append(line)
        if current:
            runs.append((after_asking, current))
        runs = [run for after, run in runs if after] or [run for _, run in runs]
        quoted = _QUOTED_TITLE.search(head)
        if quoted and not (runs and head.find(_flat(runs[0]).lstrip("„\"")) < quoted.start("title")):
            # "Kleine Anfrage … „Titel“", unless the text quoted comes after the title (a preface
            # citing an earlier inquiry: "In der Antwort … auf die Kleine Anfrage „…“").
            return txt.collapse(quoted.group("title"))
        if runs:
            self.untitled = self._closing_paragraph(head_lines, runs[0])
        if runs:
            run = runs[0]
            sentence = self._sentence_start(run)
            if sentence:
                # A title is no sentence: the askers' text printed under it without a heading
                # ("Zur Thematik ergeben sich Fragen.") starts where the title ends.
                self.untitled = run[sentence:]
                run = run[:sentence]
            elif len(run) > 3:
                # A title set over a paragraph without a blank line: the title is the
                # first lines up to one clearly shorter than the paragraph's.
                full = max(len(line) for line in run)
                cut = next((index + 1 for index, line in enumerate(run[:4]) if len(line) < 0.75 * full), None)
                if cut is not None:
                    self.untitled = run[cut:]
                    run = run[:cut]
            title = txt.join_wrapped(run, tables=False).strip(" –-")
            if len(title) <= 400:
                return title
        self.abstained.append("title")
        return f"Drucksache {self.reference}"

    def _closing_paragraph(self, head_lines: list[str], title: list[str]) -> list[str]:
        """The paragraph that closes the title block after the title, when it is running text:
        the askers' text printed without a heading (MV: "… und ANTWORT der Landesregierung" +
        "In der Antwort … wurde dargelegt, … Hierzu ergeben sich Nachfragen.")."""
        paragraphs: list[list[int]] = [[]]
        for index, line in enumerate(head_lines):
            if not line or line == txt.PAGE_BREAK:
                if paragraphs[-1]:
                    paragraphs.append([])
                continue
            paragraphs[-1].append(index)
        paragraphs = [paragraph for paragraph in paragraphs if paragraph]
        if len(paragraphs) < 2:
            return []
        last = paragraphs[-1]
        lines = [head_lines[index] for index in last]
        title_at = next((index for index, line in enumerate(head_lines) if line == title[0]), None)
        if title_at is None or title_at >= last[0] or len(lines) < 2 or any(index in self.asker_lines for index in last):
            return []
        if not re.search(r"[.!?][\"'“”‘’»«)]*$", lines[-1]) or len(_flat(lines).split()) < 12:
            return []
        return lines

    @staticmethod
    def _sentence_start(run: list[str]) -> int | None:
        """Where a sentence starts under a title in the same run of lines, or None.

        The first line ending a sentence is found; the sentence runs back over lines of the
        full width (wrapped text) to the line after a shorter one, the title's last line.
        """
        end = next((index for index, line in enumerate(run) if re.search(r"[.!:][\"'“”‘’»«)]*$", line)), None)
        if end is None or end == 0:
            return None
        full = max(len(line) for line in run)
        start = end
        while start > 0 and len(run[start - 1]) >= 0.85 * full and not txt.TERMINAL.search(run[start - 1]):
            start -= 1
        return start or None

    def _is_ministry_line(self, line: str) -> bool:
        match = self.data.ministry_name.match(re.sub(r"^(?:das|dem|des|der|die|den)\s+", "", line))
        return bool(match) and len(line) < 90

    def _askers(self, record: dict[str, Any], head_lines: list[str], head: str, intro: str = "") -> None:
        chunk = None
        for index, line in enumerate(head_lines):
            match = _ASKERS.search(line) or _NAMED_WITH_GROUP.match(line)
            if not match:
                continue
            chunk = match.group("who")
            self.asker_lines.add(index)
            for offset, following in enumerate(head_lines[index + 1:index + 4], start=index + 1):
                if not following or following == txt.PAGE_BREAK:
                    break
                if chunk.rstrip().endswith((",", " und")) or re.match(r"^(?:und\s+)?(?:der\s+)?Fraktion\b|^\(|^[a-zäöü]", following):
                    chunk = f"{chunk} {following}"
                    self.asker_lines.add(offset)
                else:
                    break
            break
        if chunk is None:
            faction_only = _FACTION_ONLY.search(head) or _FACTION_INTRO.search(intro)
            if faction_only:
                who = _ASKERS_STOP.split(faction_only.group("who"), 1)[0]
                record["factions"] = [self._faction(part) for part in re.split(r",\s*|\s+und\s+(?=(?:der\s+)?Fraktion)", who) if part.strip()]
                record["factions"] = [faction for faction in record["factions"] if faction]
                return
            self.abstained.append("askers")
            return
        who = _ASKERS_STOP.split(chunk, 1)[0].strip(" ,–-")
        faction = None
        tail = _FACTION_TAIL.search(who)
        if tail and "(" not in who:
            faction = self._faction(tail.group("faction") or tail.group("named"))
            who = who[: tail.start()]
        if "(" in who:
            askers = german.split_askers(who)
            for asker in askers:
                asker["faction"] = self._faction(asker["faction"]) if asker["faction"] else faction
        else:
            askers = []
            for printed in german.split_list(who):
                printed_faction = faction
                for known in sorted(self.profile.factions, key=len, reverse=True):
                    if printed.endswith(f" {known}"):
                        printed, printed_faction = printed[: -len(known) - 1].strip(), known
                        break
                askers.append({"name": printed, "faction": printed_faction})
            if len(askers) > 1 and askers[-1]["faction"] and not any(asker["faction"] for asker in askers[:-1]):
                # "der Abgeordneten A, B, C AfD": the group printed once after the list is everyone's.
                for asker in askers[:-1]:
                    asker["faction"] = askers[-1]["faction"]
        askers = [asker for asker in askers if asker["name"] and not re.search(r"weitere[rn]?\s+Abgeordnete", asker["name"])]
        askers = [asker for asker in askers if len(asker["name"].split()) <= 6]
        if not askers and faction is None:
            self.abstained.append("askers")
        record["askers"] = askers
        record["factions"] = sorted({asker["faction"] for asker in askers if asker["faction"]} | ({faction} if faction else set()))

    def _faction(self, printed: str | None) -> str | None:
        if not printed:
            return None
        name = german.faction_name(printed)
        name = re.sub(r"[-\s]Fraktion$", "", name).strip(" ,.")
        return None if name.lower().startswith("fraktionslos") else name or None

    def _answer_facts(self, record: dict[str, Any], head: str, flat_all: str) -> None:
        ministry = None
        # The sentences in their order of trust, each looked for in the title block first.
        # The date comes from the first sentence found; the ministry from the first one naming
        # it ("Datum des Originals: …" gives the date, "Die Ministerin für … hat … beantwortet" both).
        for pattern in (*self.profile.answered, *self.data.answered):
            match = pattern.search(head) or pattern.search(flat_all)
            if not match:
                continue
            if record["answered_on"] is None:
                record["answered_on"] = _date(match.group("date"))
            if ministry is None and "ministry" in match.groupdict() and match.group("ministry"):
                ministry = self._ministry(match.group("ministry"))
            if ministry is not None:
                break
        if record["answered_on"] is None and self.profile.header_date == "answered_on":
            printed = _DATE.search(" ".join(line for line in self.lines[:4] if line != txt.PAGE_BREAK))
            record["answered_on"] = _date(printed.group(0)) if printed else None
        if ministry is None:
            for area in (head, flat_all):
                for pattern in self.data.answering:
                    match = pattern.search(area)
                    if match and (ministry := self._ministry(match.group("ministry"))):
                        break
                if ministry:
                    break
        if ministry is None:
            match = self.data.ministry_name.search(head)
            if match:
                ministry = self._ministry(head[match.start():])
        if ministry is None:
            ministry = self._letterhead_ministry()
        record["answering_ministry"] = self._within_its_lines(ministry) if ministry else None
        for area in (head, flat_all):
            for pattern in self.data.asked:
                match = pattern.search(area)
                if match:
                    record["asked_on"] = _date(match.group("date"))
                    break
            if record["asked_on"]:
                break
        if record["asked_on"] is None and self.question_paper_head:
            # The question paper printed before the answer: the date beside its number is the day it was put.
            printed = next((found for line in self.question_paper_head if (found := _DATE.search(line))), None)
            record["asked_on"] = _date(printed.group(0)) if printed else None
        consulted = self.data.consulted.search(flat_all)
        if consulted:
            record["consulted_ministries"] = [
                name for part in re.split(r",?\s+(?:und|sowie)\s+(?=(?:dem|der|den)\s)|,\s+(?=(?:dem|der|den)\s)", consulted.group("consulted"))
                if (name := self._ministry(part))
            ]

    def _within_its_lines(self, name: str) -> str:
        """The ministry's name cut where its printed line ends and a capitalised word follows
        ("… Kommunales und Landesentwicklung" + next line "Fragen zu Gutachten …"): a name runs
        on to the next line only after a comma, "und", "für" … or a hyphen."""
        for line in self.head_lines:
            line = line.strip()
            if not line or line == txt.PAGE_BREAK or re.search(r"(?:[,\-–‐]|\b(?:und|für|sowie|der|des|dem|im|in))$", line):
                continue
            tail = " ".join(line.split()[-2:])
            at = name.find(f"{tail} ")
            if at > 0 and name[at + len(tail) + 1:][:1].isupper():
                return name[: at + len(tail)]
        return name

    def _letterhead_ministry(self) -> str | None:
        """The sender of an answer letter printed in capitals ("SÄCHSISCHES STAATSMINISTERIUM DER
        FINANZEN"), as the name is written ("Sächsisches Staatsministerium der Finanzen")."""
        for line in self.lines:
            if line == txt.PAGE_BREAK or len(line) > 90 or not line.isupper() or _REFERENCE.search(line):
                continue
            if not re.search(r"MINISTERIUM\b|SENATSVERWALTUNG\b|STAATSKANZLEI\b", line):
                continue
            words = [
                word.lower() if word.lower() in _NAME_SMALL_WORDS and position else word.capitalize()
                for position, word in enumerate(line.split())
            ]
            return self._ministry(" ".join(words))
        return None

    def _ministry(self, printed: str) -> str | None:
        """The ministry's name from the printed words starting with it, or None for the whole government."""
        printed = txt.collapse(printed)
        printed = re.sub(r"^(?:das|dem|des|der|die|den)\s+", "", printed, flags=re.IGNORECASE)
        for office, body in self.data.minister_offices.items():
            office_match = re.match(rf"^(?:{office})\s+(?=(?:für|des|der)\b)", printed)
            if office_match:
                printed = f"{body} {printed[office_match.end():]}"
                break
        else:
            # "Kultusminister", "Finanzministerin": the office in one word stands for its ministry
            printed = re.sub(r"^([A-ZÄÖÜ][a-zäöüß]{3,})minister(?:in)?\b", r"\1ministerium", printed)
        match = self.data.ministry_name.match(printed)
        if match is None:
            return None
        rest = printed[match.end():]
        stop = self.data.ministry_stop.search(rest)
        words = rest[: stop.start()] if stop else rest
        # "für Umwelt, Verkehr und Klimaschutz": the name runs on over its commas.
        name = ministry_display_name(printed[: match.end()] + words)
        if ministry_key(name) in {ministry_key(body) for body in self.data.governments} or len(name) > 200:
            return None
        return name

    # --- prefaces, questions and answers -----------------------------------------------------

    def _prefaces(self, record: dict[str, Any], markers: list[tuple[int, str]], end: int) -> None:
        for position, (index, what) in enumerate(markers):
            if what not in {"explanation", "preface"}:
                continue
            until = markers[position + 1][0] if position + 1 < len(markers) else end
            if self.questions_from is not None and index < self.questions_from < until:
                until = self.questions_from
            heading = self.lines[index]
            match = next((m for p in (*self.data.explanation_headings, *self.data.preface_headings) if (m := p.match(heading))), None)
            first = [match.group("rest")] if match and match.group("rest") else []
            field = "explanation" if what == "explanation" else "government_preface"
            body = self._reflow([*first, *self.lines[index + 1:until]])
            if body and not record[field]:
                record[field] = body

    def _quoted_preamble(self, markers: list[tuple[int, str]]) -> str | None:
        """The askers' text between "… hat folgenden Wortlaut:" and "Ich frage die Landesregierung:"."""
        for (index, what), (following, next_what) in zip(markers, markers[1:]):
            if what == next_what == "question_intro" and following > index + 1:
                return self._reflow(self.lines[index + 1:following])
        return None

    def _reflow(self, lines: list[str]) -> str | None:
        lines = [line for line in lines if line is not None]
        if not lines:
            return None
        width = txt.line_width(self.lines)
        body = txt.reflow(lines, width=width).strip()
        return body or None

    def _questions(self, markers: list[tuple[int, str]], end: int) -> list[dict[str, Any]]:
        first = [index for index, what in markers if what in {"questions", "question_intro", "answer_intro", "answers"}]
        start = min(first) if first else None
        if start is None:
            self.abstained.append("questions")
            return []
        if (start, "answers") in markers:
            return self._finish(self._counted(markers, start, end))
        # Numbered lines before "Ich frage die Landesregierung:" (a preface quoting an earlier
        # inquiry) are no questions of this one.
        asking = [index for index, what in markers if what == "question_intro" and index > start]
        answering = [index for index, what in markers if what == "answer_intro"]
        if asking and not any(start <= index < asking[0] for index in answering):
            start = asking[0]
        stops = [index for index, what in markers if index > start and what in {"explanation", "preface"}]
        events = self._events(start, end, stops)
        headed = any(kind == "heading" for _, kind, _, _ in events)
        if headed:
            pairs = self._headed(events, end)
        else:
            pairs = self._inline(events, end)
        return self._finish(pairs)

    def _counted(self, markers: list[tuple[int, str]], first_heading: int, end: int) -> list[tuple[list[str], str | None, str | None]]:
        """Unnumbered questions, one paragraph each, before the heading that numbers them.

        "Zu den Fragen 2 und 3:" takes the two paragraphs before it; the paragraphs before
        those end the previous answer. Paragraphs are told by blank lines; where there
        are none, the questions cannot be told from the answer and are left out.
        """
        region_start = max([index + 1 for index, what in markers if index < first_heading] + [0])
        headings = []
        for index in range(first_heading, end):
            heading = _ANSWER_HEADING.match(self.lines[index]) if self.lines[index] != txt.PAGE_BREAK else None
            if heading and (labels := label_list(heading.group("labels"))):
                headings.append((index, labels, heading.group("rest") or ""))
        pairs: list[tuple[list[str], str | None, str | None]] = []
        previous_end = region_start
        pending: tuple[list[str], list[str], str] | None = None  # labels, texts, rest of the previous heading
        for position, (index, labels, rest) in enumerate(headings):
            blocks = _blocks(self.lines, previous_end, index)
            if len(blocks) < len(labels) + (1 if pending else 0):
                # No blank lines between paragraphs: a question runs from the end of the
                # sentence before it to its question mark.
                blocks = _asked_chunks(self.lines[previous_end:index])
            questions = blocks[-len(labels):] if len(blocks) >= len(labels) + (1 if pending else 0) else []
            if questions and self._after_page_break(previous_end, index, questions[0]):
                # A page break is no paragraph break: the question runs back only to the
                # sentence before it.
                chunks = _asked_chunks(questions[0])
                if len(chunks) > 1 and _chunk_asks(chunks[-1]):
                    questions[0] = chunks[-1]
            answer_blocks = blocks[: len(blocks) - len(questions)] if questions else blocks
            if pending is not None:
                answer_lines = [pending[2]] if pending[2] else []
                for block in answer_blocks:
                    answer_lines += [*block, ""]
                answer = self._reflow(answer_lines)
                pairs.extend(([label], text, answer) for label, text in zip(pending[0], pending[1]))
            elif questions:
                self.questions_from = self._first_line(index, blocks, questions)
            texts = [self._reflow(block) for block in questions] if questions else [None] * len(labels)
            pending = (labels, texts, rest)
            previous_end = index + 1
        if pending is not None:
            lines = [pending[2]] if pending[2] else []
            lines += self.lines[previous_end:end]
            answer = self._reflow(lines)
            pairs.extend(([label], text, answer) for label, text in zip(pending[0], pending[1]))
        return pairs

    def _after_page_break(self, start: int, end: int, block: list[str]) -> bool:
        """Whether ``block`` (a paragraph between ``start`` and ``end``) follows a page break, not a blank line."""
        for index in range(end - 1, start - 1, -1):
            if self.lines[index] == block[0] and (index == start or self.lines[index - 1] in ("", txt.PAGE_BREAK)):
                return index > start and self.lines[index - 1] == txt.PAGE_BREAK
        return False

    def _first_line(self, heading: int, blocks: list[list[str]], questions: list[list[str]]) -> int:
        """The line where the first question paragraph starts (searched back from its heading)."""
        wanted = sum(len(block) for block in questions)
        index, seen = heading - 1, 0
        while index >= 0 and seen < wanted:
            if self.lines[index] and self.lines[index] != txt.PAGE_BREAK:
                seen += 1
            index -= 1
        return index + 1

    def _events(self, start: int, end: int, stops: list[int]) -> list[tuple[int, str, list[str] | str | None, str]]:
        """(line, "question"|"heading"|"answer"|"stop", labels, text after the mark) in order.

        A "stop" ends the text before it: a preface or reasons ("Begründung") after the
        question paper, the question paper's date and askers, the sentence that the
        answers follow; nothing between a stop and the next mark is question or answer.
        """
        events: list[tuple[int, str, Any, str]] = []
        last_main = 0
        answered_since_restart = False
        intro_lines = self._intro_lines(start, end)
        for index in range(start, end):
            line = self.lines[index]
            if index in stops or index in intro_lines or self._paper_signature(index) or (last_main and index in self._signed_lines()) or (
                last_main and any(pattern.match(line) for pattern in self.data.answer_blocks)
            ):
                events.append((index, "stop", None, ""))
                answered_since_restart = True
                continue
            if not line or line == txt.PAGE_BREAK:
                continue
            heading = _ANSWER_HEADING.match(line)
            if heading and (labels := label_list(heading.group("labels"))):
                events.append((index, "heading", labels, heading.group("rest") or ""))
                answered_since_restart = True
                continue
            bare = _BARE_ANSWER.match(line)
            if bare:
                events.append((index, "answer", None, bare.group("rest") or ""))
                answered_since_restart = True
                continue
            question = _QUESTION_START.match(line)
            if not question:
                continue
            if question.group("asked"):
                label = normal_label(question.group("asked"))
            else:
                label = normal_label(question.group("plain") + (question.group("sub") or ""))
            if label is None:
                continue
            main = _main(label)
            dotted = re.fullmatch(r"(\d+)\.(\d+)", label)
            last_question = next((event for event in reversed(events) if event[1] == "question"), None)
            if dotted and last_question is not None and _dotted_follows(last_question[2], label):
                # "1.2" after "1.1", "2.1" after "1.3" or after the section heading "2. Fallzahlen"
                if events[-1][1] == "question" and events[-1][2] == dotted.group(1) and not _asks(self.lines[events[-1][0]:index]):
                    # A section heading over numbered questions is no question, nor part of an answer
                    # (but "2. Strebt der Senat an …?" over "2.1 Wenn …?" asks: a question of its own).
                    heading_line = events.pop()[0]
                    events.append((heading_line, "stop", None, ""))
                last_main = main
                events.append((index, "question", label, question.group("rest") or ""))
                continue
            # A number the text layer moved out of order is skipped over only by a question that asks.
            skipped = last_main and main == last_main + 2 and _asks(self.lines[index:index + 8])
            if main == last_main + 1 or skipped or (main == 1 and answered_since_restart) or (main == last_main and question.group("asked")):
                if main == 1 and last_main:
                    answered_since_restart = False
                last_main = main
                events.append((index, "question", label, question.group("rest") or ""))
            elif last_main and main > last_main + 1 and self._answered_with_it(index, label):
                # Printed out of order to be answered with the questions before it ("9." + "21." +
                # "Die Fragen 8, 9 und 21 werden gemeinsam beantwortet."): a question, and the
                # count goes on from the one before it.
                events.append((index, "question", label, question.group("rest") or ""))
        return events

    def _answered_with_it(self, index: int, label: str) -> bool:
        """Whether the joint-answer sentence right after the question at ``index`` names ``label``."""
        following = " ".join(line for line in self.lines[index + 1:index + 10] if line and line != txt.PAGE_BREAK)
        joint = self.data.joint_answer.search(following)
        return bool(joint) and label in label_list(joint.group("labels")) and _asks(self.lines[index:index + 8])

    def _signed_question_date(self, askers: list[dict[str, Any]]) -> str | None:
        """The date over the askers' own signature that closes the question paper
        ("28.5.2025" over "Neumann-Martin CDU"): the day the question was put."""
        surnames = {asker["name"].split()[-1] for asker in askers if asker.get("name")}
        for index, line in enumerate(self.lines):
            if not line or line == txt.PAGE_BREAK or not re.fullmatch(DATE, line.strip(), re.IGNORECASE):
                continue
            following = next((candidate for candidate in self.lines[index + 1:index + 3] if candidate and candidate != txt.PAGE_BREAK), "")
            if surnames and any(re.search(rf"(?<![\w-]){re.escape(surname)}\b", following) for surname in surnames):
                return _date(line.strip())
        return None

    def _signed_lines(self) -> set[int]:
        """Lines of the askers' signature under a question paper ("Anna Beispiel, Bernd Muster und
        Fraktion der SPD"), with the lines of names that run on to it."""
        if self._signed is None:
            self._signed = {}
            for index, line in enumerate(self.lines):
                match = _SIGNED_BY_GROUP.match(line or "")
                if not match:
                    continue
                names, first = match.group("names"), index
                while first > 0 and (self.lines[first - 1] or "").endswith(",") and len(self.lines[first - 1]) < 120:
                    first -= 1
                    names = f"{self.lines[first]} {names}"
                self._signed[first] = (names, match.group("faction"))
                for covered in range(first + 1, index + 1):
                    self._signed[covered] = ("", "")
        return set(self._signed)

    def _signed_askers(self) -> list[dict[str, Any]]:
        """The askers from the signature under the question paper, in the printed order."""
        self._signed_lines()
        signed = self._signed or {}
        askers = []
        for names, faction in (signed[index] for index in sorted(signed)):
            for name in german.split_list(names):
                if name and len(name.split()) <= 6:
                    askers.append({"name": name, "faction": self._faction(faction)})
        return askers

    def _paper_signature(self, index: int) -> bool:
        """A date on its own line over the askers' names ends a question paper."""
        if not _DATE_LINE.match(self.lines[index] or ""):
            return False
        following = next((line for line in self.lines[index + 1:index + 3] if line and line != txt.PAGE_BREAK), "")
        return self._looks_like_name(following) or any(following.endswith(f" {faction}") for faction in self.profile.factions)

    def _intro_lines(self, start: int, end: int) -> set[int]:
        """Lines of the sentences that announce the questions or the answers."""
        lines = set()
        for index in range(start, end):
            if any(p.search(self.lines[index]) for p in self.data.question_intros):
                lines.add(index)
            elif any(p.search(self.lines[index]) for p in self.data.answer_intros):
                # "Das Ministerium … hat die Kleine Anfrage namens der Landesregierung mit" +
                # "Schreiben vom … wie folgt beantwortet:": the whole sentence, not its last line
                lines.update(range(max(start, self._sentence_start_line(index)), index + 1))
        return lines

    def _sentence_start_line(self, index: int) -> int:
        """The line where the sentence ending on line ``index`` starts (within its paragraph, at most
        three lines up; a rule of dashes or a line ending a sentence is before it)."""
        for _ in range(3):
            previous = self.lines[index - 1] if index > 0 else ""
            if (
                not previous or previous == txt.PAGE_BREAK or not re.search(r"[A-Za-zÄÖÜäöüß]", previous)
                or re.search(r"[.?!:;“\")]$", previous) or _QUESTION_START.match(previous)
            ):
                break
            index -= 1
        return index

    def _headed(self, events: list, end: int) -> list[tuple[list[str], str | None, str | None]]:
        """Questions printed (once or repeated), answers under headings that name them."""
        events = self._sub_question_events(events)
        texts: dict[str, str] = {}
        pairs: list[tuple[list[str], str | None, str | None]] = []
        for position, (index, kind, labels, rest) in enumerate(events):
            following = events[position + 1][0] if position + 1 < len(events) else end
            if kind == "stop":
                continue
            if kind == "question":
                text = self._reflow([rest, *self.lines[index + 1:following]] if rest else self.lines[index + 1:following])
                if text and labels not in texts:
                    texts[labels] = text
            elif kind == "heading":
                answer = self._reflow([rest, *self.lines[index + 1:following]] if rest else self.lines[index + 1:following])
                pairs.append((labels, None, answer))
        result: list[tuple[list[str], str | None, str | None]] = []
        answered = {label for labels, _, _ in pairs for label in labels}
        for labels, _, answer in pairs:
            for label in labels:
                text = texts.get(label) or self._sub_text(label, texts)
                result.append(([label], text, answer))
        for label, text in texts.items():
            if label not in answered and not any(other.startswith(label) and other[len(label):].isalpha() for other in answered):
                result.append(([label], text, None))
        printed = list(texts)

        def order(pair: tuple[list[str], str | None, str | None]) -> tuple[int, tuple[int, ...]]:
            label = pair[0][0]
            family = [index for index, known in enumerate(printed) if known == label or re.sub(r"[a-z]$", "", known) == re.sub(r"[a-z]$", "", label)]
            return (family[0] if family else len(printed), _label_key(label))

        return sorted(result, key=order)

    def _sub_question_events(self, events: list) -> list:
        """Sub-questions printed just before their heading ("b. des Herbeiführens …" over
        "Zu 5. b.:"), inside the previous answer, become questions of their own."""
        result = list(events)
        for position, (index, kind, labels, _) in enumerate(events):
            if kind != "heading" or len(labels) != 1 or not re.fullmatch(r"\d+[a-z]", labels[0]):
                continue
            letter = labels[0][-1]
            floor = events[position - 1][0] if position else index - 6
            for candidate in range(index - 1, max(floor, index - 7), -1):
                line = self.lines[candidate] or ""
                if re.match(rf"^{letter}[.)]\s+\S", line):
                    if not any(event[0] == candidate for event in result):
                        result.append((candidate, "question", labels[0], line[3:].strip()))
                    break
        return sorted(result, key=lambda event: event[0])

    def _sub_text(self, label: str, texts: dict[str, str]) -> str | None:
        """The text of "3a" from question 3's lines "a) …"."""
        match = re.fullmatch(r"(\d+)([a-z])", label)
        parent_label = match and next((key for key in (match.group(1), f"{match.group(1)}a") if key in texts), None)
        if not match or parent_label is None:
            return None
        parent = texts[parent_label]
        part = re.search(rf"(?:^|\n|\s){match.group(2)}[).]\s*(.+?)(?=(?:\n|\s)[a-z][).]\s|$)", parent, re.DOTALL)
        if not part:
            return None
        lead = re.split(r"(?:^|\n|\s)a[).]\s", parent, maxsplit=1)[0].strip()
        return f"{lead}\n{part.group(1).strip()}" if lead else part.group(1).strip()

    def _inline(self, events: list, end: int) -> list[tuple[list[str], str | None, str | None]]:
        """Each question followed by its answer ("Antwort:" or the text after the question mark)."""
        pairs = []
        for position, (index, kind, label, rest) in enumerate(events):
            if kind != "question":
                continue
            following = events[position + 1][0] if position + 1 < len(events) else end
            lines = [rest, *self.lines[index + 1:following]] if rest else list(self.lines[index + 1:following])
            next_event = events[position + 1] if position + 1 < len(events) else None
            if next_event and next_event[1] == "answer":
                after = events[position + 2][0] if position + 2 < len(events) else end
                answer_lines = [next_event[3], *self.lines[next_event[0] + 1:after]]
                pairs.append(([label], self._reflow(lines), self._reflow(answer_lines)))
                continue
            for item_label, question_lines, answer_lines in self._group(label, lines):
                # Where a question ends cannot be told, its answer is None: left out, not guessed.
                pairs.append(([item_label], self._reflow(question_lines), self._reflow(answer_lines) if answer_lines else None))
        return pairs

    def _group(self, label: str, lines: list[str]) -> list[tuple[str, list[str], list[str] | None]]:
        """A numbered question with its sub-questions ("a) …?"), each with the answer printed after it.

        Sub-items that do not ask ("a) Anklageerhebungen,") stay lines of their question.
        """
        items: list[list[Any]] = []
        rest = lines
        letter = "a"
        while rest:
            split = self._question_end(rest)
            if split is None:
                items.append([label if not items else f"{label}{letter}", _unmarked(rest), None])
                break
            question, rest = rest[:split], rest[split:]
            for sub, part in _split_subs(question, letter):
                items.append([label if sub is None else f"{label}{sub}", part, None])
                if sub is not None:
                    letter = chr(ord(sub) + 1)
            following = next(
                (index for index, line in enumerate(rest) if (line or "").startswith(f"{letter}) ") and _asks(rest[index:index + 8])),
                None,
            )
            if following is None:
                items[-1][2] = rest
                break
            items[-1][2] = rest[:following]
            rest = rest[following:]
        return [(item[0], item[1], item[2]) for item in items]

    def _question_end(self, lines: list[str]) -> int | None:
        """Index of the first answer line: after the last line of the question (ending "?")."""
        end = None
        index = 0
        while index < len(lines):
            line = lines[index]
            if line and line != txt.PAGE_BREAK and (_QUESTION_END.search(line) or _OPEN_REQUEST.search(line)):
                end = index + 1
                end = self._request_end(lines, end, opened=bool(_OPEN_REQUEST.search(line)))
                # Sub-questions ("a) …?") and further asking sentences belong to the question.
                look = end
                while look < len(lines) and (not lines[look] or lines[look] == txt.PAGE_BREAK):
                    look += 1
                if look < len(lines) and _SUB_ITEM.match(lines[look]):
                    index = look
                    continue
                more = next((n for n in range(look, min(look + 4, len(lines))) if _QUESTION_END.search(lines[n] or "")), None)
                if more is not None and not any(txt.TERMINAL.search(lines[n]) and not _QUESTION_END.search(lines[n]) for n in range(look, more)) and (
                    _QUESTION_WORD.match(lines[look] or "")
                ):
                    index = more
                    continue
                return end
            index += 1
        return end

    @staticmethod
    def _request_end(lines: list[str], end: int, *, opened: bool) -> int:
        """After a question mark: the lines of a request in brackets ("(Bitte nach Jahren
        aufschlüsseln.)"), opened on the question's line or on the next, belong to the question."""
        look = end
        if not opened:
            while look < len(lines) and (not lines[look] or lines[look] == txt.PAGE_BREAK):
                look += 1
            if look >= len(lines) or not lines[look].startswith("(") or lines[look].startswith("(Antwort"):
                return end
        depth = 0 if not opened else 1
        for position in range(look, min(look + 4, len(lines))):
            line = lines[position] or ""
            if line == txt.PAGE_BREAK:
                continue
            if position == look and not opened:
                depth = 0
            depth += line.count("(") - line.count(")")
            if depth <= 0:
                return position + 1
        return end

    def _finish(self, pairs: list[tuple[list[str], str | None, str | None]]) -> list[dict[str, Any]]:
        """Questions in printed order; joint answers ("Die Fragen 3 bis 5 werden gemeinsam beantwortet") shared."""
        questions: list[dict[str, Any]] = []
        for labels, text, answer in pairs:
            for label in labels:
                known = next((question for question in questions if question["number"] == label), None)
                if known is None:
                    questions.append({"number": label, "text": text, "answer": answer})
                elif answer:
                    # The question paper (or its table of contents) printed it first; the answer
                    # part repeats it with its answer, which is the one that counts.
                    known["answer"] = answer
                    known["text"] = known["text"] or text
        numbers = [question["number"] for question in questions]
        for question in questions:
            answer = question["answer"]
            if not answer:
                continue
            joint = self.data.joint_answer.search(answer[:300])
            if not joint:
                continue
            for label in _joint_labels(joint.group("labels"), numbers):
                target = label if label in numbers else re.sub(r"[a-z]$", "", label)
                for other in questions:
                    if other["number"] == target and not other["answer"]:
                        other["answer"] = answer
        result = []
        for index, question in enumerate(questions):
            if question["text"]:
                # a table of contents prints the page after the question ("…? 4")
                question["text"] = re.sub(r"\?\s+\d{1,3}$", "?", question["text"])
            if not question["text"]:
                self.abstained.append(f"questions[{question['number']}].text")
                self.warnings.append(f"questions: the text of question {question['number']} is not printed; its answer is left out")
                continue
            result.append(question)
        return result

    # --- signature and references ---------------------------------------------------------------

    def _signature(self, *, after: int = 0) -> tuple[int, dict[str, Any] | None, str | None]:
        """Where the closing starts, who signed and the date beside the place (after the title
        block: in a short paper the last lines reach up to its "vom 06.04.2026")."""
        filled = [index for index, line in enumerate(self.lines) if line and line != txt.PAGE_BREAK and index > after]
        tail = filled[-12:]
        start = None
        for index in tail:
            line = self.lines[index]
            if self.data.closings.match(line) or self.data.place_date.match(line):
                start = index
                break
        if start is None:
            # "Name" over "Minister für …" at the very end.
            for position in range(len(tail) - 1, 0, -1):
                if self.data.signer_roles.match(self.lines[tail[position]]) and self._looks_like_name(self.lines[tail[position - 1]]):
                    start = tail[position - 1]
                    break
        if start is None:
            return len(self.lines), None, None
        closing = [self.lines[index] for index in filled if index >= start]
        signed_on = None
        names = []
        for line in closing:
            place = self.data.place_date.match(line)
            if place:
                signed_on = _date(place.group("date"))
                continue
            if self.data.closings.match(line):
                continue
            names.append(line)
        signer = None
        if names and self._looks_like_name(names[0]):
            signer = {"name": re.sub(r"^(?:gez\.|i\.\s?V\.)\s*", "", names[0]), "role": " ".join(names[1:3]) or None}
        return start, signer, signed_on

    @staticmethod
    def _looks_like_name(line: str) -> bool:
        words = line.split()
        return 2 <= len(words) <= 5 and not txt.TERMINAL.search(line) and all(word[:1].isupper() or word in {"von", "van", "de", "zu"} for word in words)

    def _related(self, flat_all: str) -> list[str]:
        references = []
        for match in _OTHER_REFERENCES.finditer(flat_all):
            term, number = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            reference = f"{int(term)}/{int(number.replace(' ', ''))}"
            if reference != self.reference and reference not in references:
                references.append(reference)
        return references
