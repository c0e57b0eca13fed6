"""Baden-Württemberg: the printed paper (Drucksache) with inquiry and answer.

Cover: "Landtag von Baden-Württemberg Drucksache 17 / 5123", "17. Wahlperiode <date>",
"Kleine Anfrage der Abg. A und B CDU und Antwort des Ministeriums …" (or "Große
Anfrage der Fraktion der SPD und Antwort der Landesregierung"), the title. Then the
question paper ("Ich frage die Landesregierung:" / "Wir fragen …", numbered questions
with sub-questions "a)", the date and the askers' names, "Begründung") and the answer
("Antwort", "Mit Schreiben vom … Nr. … beantwortet das Ministerium … im Einvernehmen
mit … die Kleine Anfrage wie folgt:", each question repeated and answered under
"Zu 1.:", joint answers "Zu 1. und 2.:", the signature and role). The question texts
are taken from the question paper; the answer part supplies the answers.
"""

from __future__ import annotations

import re

from inquiries.importers import german, text as txt
from inquiries.importers.answers import answer_sections, build_questions
from inquiries.importers.base import DocumentError, ParseResult, Parser, new_record, reference_of, register
from inquiries.importers.bw_common import KINDS, is_structural, parse_intro, parse_signature, split_asker_line
from inquiries.names import ministry_display_name

HEADER = re.compile(r"^\s*Landtag von Baden-Württemberg\s+Drucksache\s+\d{1,2}\s*/\s*\d+")
_TERM = re.compile(r"(\d{1,2})\.\s*Wahlperiode(?:\s+(\d{1,2}\.\s?\d{1,2}\.\s?\d{4}))?")
_DROP = (
    re.compile(r"^\s*\d{1,2}\.\s*Wahlperiode\s+\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\s*$"),
    re.compile(r"^\s*Eingegangen:\s.*Ausgegeben:"),
    re.compile(r"^\s*Drucksachen und Plenarprotokolle sind im Internet abrufbar"),
    re.compile(r"^\s*www\.landtag-bw\.de/Dokumente\s*$"),
    re.compile(r"^\s*Der Landtag druckt auf Recyclingpapier"),
)
_ASKING = re.compile(r"^(?:Ich frage|Wir fragen) die Landesregierung:?$")
_KIND = re.compile(r"^(Kleine|Große) Anfrage$")
_PAPER_DATE = re.compile(r"^\d{1,2}\.\s?\d{1,2}\.\s?\d{4}$")
_QUESTION = re.compile(r"^(\d{1,3})\.\s+(?:([a-z])\)\s+)?(.*)$")
_SUB_QUESTION = re.compile(r"^([a-z])\)\s+(.*)$")
_PREFACE_HEADING = re.compile(r"^Vorbemerkung(?:\s+der\s+Landesregierung)?:?$")


@register
class BadenWuerttembergPrintedPaperParser(Parser):
    name = "bw_drucksache"
    label = "Baden-Württemberg: Drucksache with Kleine or Große Anfrage and answer"

    def detect(self, text: str) -> int:
        return 10 if re.search(HEADER.pattern, text, re.MULTILINE) else 0

    def parse(self, text: str, *, name: str) -> ParseResult:
        full_text = text
        text = txt.normalise(text)
        header = re.search(HEADER.pattern + r".*", text, re.MULTILINE)
        if header is None:
            raise DocumentError(name, "no header 'Landtag von Baden-Württemberg Drucksache N / N'")
        reference = reference_of(header.group(0))
        term = _TERM.search(text[header.start():header.start() + 300])
        lines = txt.join_pages(txt.split_pages(text, header=HEADER, drop=_DROP))
        groups = txt.line_blocks(lines)
        paragraphs = [txt.join_wrapped(group) for group in groups]
        warnings: list[str] = []

        kinds = [index for index, paragraph in enumerate(paragraphs) if _KIND.match(paragraph)]
        asking = next((index for index, paragraph in enumerate(paragraphs) if _ASKING.match(paragraph)), None)
        if asking is None or not kinds:
            raise DocumentError(name, "no question paper ('Kleine Anfrage' … 'Ich frage die Landesregierung:')")
        cover_start = next((index for index, group in enumerate(groups) if re.match(r"^(Kleine|Große) Anfrage", group[0].strip())), None)
        cover_end = kinds[-1] if kinds[-1] < asking else asking
        cover = groups[cover_start:cover_end] if cover_start is not None else []
        record = self._cover(name, reference, cover)
        if term and term.group(1) != str(record["term"]):
            warnings.append(f"term: the header says {term.group(1)}. Wahlperiode, the reference {reference}")

        # The question paper: questions, the date, the askers, "Begründung".
        date_at = next(
            (index for index in range(asking + 1, len(paragraphs)) if _PAPER_DATE.match(paragraphs[index])), None
        )
        if date_at is None:
            raise DocumentError(name, "no date under the questions of the question paper")
        known = _paper_questions(groups[asking + 1:date_at])
        if not known:
            raise DocumentError(name, "no numbered questions in the question paper")
        record["asked_on"] = german.iso(german.parse_date(paragraphs[date_at]))
        answer_at = next((index for index in range(date_at + 1, len(paragraphs)) if paragraphs[index] == "Antwort"), None)
        if answer_at is None:
            raise DocumentError(name, "no answer ('Antwort') after the question paper")
        reasons_at = next((index for index in range(date_at + 1, answer_at) if paragraphs[index] == "Begründung"), None)
        if reasons_at is not None:
            explanation = txt.join_broken_paragraphs(paragraphs[reasons_at + 1:answer_at])
            record["explanation"] = txt.join_paragraphs(explanation) or None

        # The answer: the ministry's sentence, the answers, the signature.
        intro_at = next((index for index in range(answer_at + 1, len(paragraphs)) if parse_intro(paragraphs[index])), None)
        if intro_at is None:
            raise DocumentError(name, "no sentence 'Mit Schreiben vom … beantwortet … die Kleine Anfrage wie folgt:'")
        intro = parse_intro(paragraphs[intro_at])
        record["answered_on"] = german.iso(intro["answered_on"])
        record["answering_ministry"] = intro["ministry"]
        record["consulted_ministries"] = intro["consulted"]
        if intro["kind"] != record["kind"]:
            warnings.append(f"kind: the cover says {record['kind']}, the answer {intro['kind']}")
        rest = [line for group in groups[intro_at + 1:] for line in [*group, ""]]
        signature_at, signer = parse_signature(rest)
        if signer is None:
            warnings.append("signed_by: no signature (name and role) at the end")
        record["signed_by"] = signer
        body = txt.join_broken_paragraphs(txt.blocks(rest[:signature_at]), keep_apart=is_structural)
        preamble, sections = answer_sections(body)
        if preamble and _PREFACE_HEADING.match(preamble[0]):
            preamble = preamble[1:]
        record["government_preface"] = txt.join_paragraphs(preamble) or None
        labels = {label for section in sections for label in section.labels}
        record["questions"], question_warnings = build_questions(sections, known=_labelled(known, labels))
        warnings.extend(question_warnings)
        record["full_text"] = full_text
        return ParseResult(self.name, record, warnings)

    def _cover(self, name: str, reference: str | None, cover: list[list[str]]) -> dict:
        """Kind, askers, answering body and title from the cover."""
        if reference is None:
            raise DocumentError(name, "no reference in the header")
        blocks = [txt.join_wrapped(group, tables=False) for group in cover]
        first = re.match(r"^(Kleine|Große) Anfrage\s+(.*)$", blocks[0]) if blocks else None
        if first is None:
            raise DocumentError(name, "no cover 'Kleine Anfrage der Abg. … und Antwort des Ministeriums …'")
        answer_block = next((index for index, block in enumerate(blocks) if block.startswith("Antwort ")), None)
        if answer_block is None or answer_block + 1 >= len(blocks):
            raise DocumentError(name, "no 'Antwort des Ministeriums …' and title on the cover")
        title = txt.join_wrapped(blocks[answer_block + 1:], tables=False)
        record = new_record("BW", reference, KINDS[f"{first.group(1)} Anfrage"], title)
        who = first.group(2)
        if re.match(r"^der Fraktion\b", who):
            record["factions"] = [german.faction_name(who)]
        else:
            record["askers"] = split_asker_line(re.sub(r"^(?:des|der)\s+Abg\.\s+|^(?:des|der)\s+Abgeordneten\s+", "", who))
            record["factions"] = sorted({asker["faction"] for asker in record["askers"] if asker["faction"]})
        body = blocks[answer_block][len("Antwort "):]
        if not re.match(r"^der\s+Landesregierung$", body):
            record["answering_ministry"] = ministry_display_name(body)
        return record


def _paper_questions(groups: list[list[str]]) -> dict[str, dict]:
    """The numbered questions of the question paper: {number: {"text": …, "subs": {letter: text}}}."""
    questions: dict[str, dict] = {}
    current: dict | None = None
    for group in groups:
        for part in _split_sub_questions(group):
            text = txt.join_wrapped(part, tables=False)
            main = _QUESTION.match(text)
            sub = _SUB_QUESTION.match(text)
            if main and int(main.group(1)) == len(questions) + 1:
                current = {"text": "", "subs": {}}
                questions[main.group(1)] = current
                if main.group(2):
                    current["subs"][main.group(2)] = main.group(3)
                else:
                    current["text"] = main.group(3)
            elif sub and current is not None:
                current["subs"][sub.group(1)] = sub.group(2)
            elif current is not None:
                current["text"] = txt.join_two(current["text"], text)
    return questions


def _split_sub_questions(group: list[str]) -> list[list[str]]:
    """A paragraph's lines, split where a sub-question "b) …" starts a line."""
    parts: list[list[str]] = [[]]
    for line in group:
        if parts[-1] and _SUB_QUESTION.match(line.strip()):
            parts.append([])
        parts[-1].append(line)
    return parts


def _labelled(questions: dict[str, dict], answered: set[str]) -> dict[str, str]:
    """Question texts by label: sub-questions answered on their own become "3a", "3b";
    otherwise they stay in the text of their question."""
    labelled: dict[str, str] = {}
    for number, question in questions.items():
        subs = question["subs"]
        if subs and any(f"{number}{letter}" in answered for letter in subs):
            for letter, text in subs.items():
                labelled[f"{number}{letter}"] = txt.join_two(question["text"], text) if question["text"] else text
        else:
            lines = [question["text"]] if question["text"] else []
            lines += [f"{letter}) {text}" for letter, text in subs.items()]
            labelled[number] = "\n".join(lines)
    return labelled
