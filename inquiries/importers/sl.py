"""Landtag des Saarlandes: the government's answer to an Anfrage (pdftotext output).

"LANDTAG DES SAARLANDES", "15. Wahlperiode Drucksache 15/1284 (15/1217)" (the answer's
paper and, in brackets, the question's), the date, "A N T W O R T zu der Anfrage des
Abgeordneten … (<group>)", "betr.: <title>", "Vorbemerkung des Fragestellers:",
"Vorbemerkung der Landesregierung:", then the questions, unnumbered, each group of them
followed by "Zu Frage 2:" / "Zu den Fragen 1 und 3:" and the answer. The headings number
the questions: a heading for n questions belongs to the n paragraphs before it.
"""

from __future__ import annotations

import re

from inquiries.importers import german, text as txt
from inquiries.importers.answers import answer_sections, build_questions, heading_labels
from inquiries.importers.base import DocumentError, ParseResult, Parser, new_record, register

_TITLE = re.compile(r"LANDTAG DES SAARLANDES", re.IGNORECASE)
_REFERENCE = re.compile(r"(\d+)\.\s*Wahlperiode\s+Drucksache\s+(\d+/\d+)(?:\s*\((\d+/\d+)\))?")
_PAGE_HEADER = re.compile(r"^\s*Drucksache\s+\d+/\d+.*Landtag des Saarlandes", re.IGNORECASE)
_FOOTERS = (re.compile(r"^\s*Ausgegeben:"),)
_ISSUED = re.compile(r"Ausgegeben:\s*(?P<answer>[\d.]+)(?:\s*\((?P<question>[\d.]+)\))?")
_ASKER = re.compile(r"^(?:Große\s+)?Anfrage\s+(?P<who>(?:des|der)\s+Abgeordneten\s+.+|der\s+.*Fraktion.+)$")
_SUBJECT = re.compile(r"^betr\.?:\s*", re.IGNORECASE)
_EXPLANATION = re.compile(r"^Vorbemerkung\s+(?:des|der)\s+Fragesteller\w*\s*:?$")
_PREFACE = re.compile(r"^Vorbemerkung\s+der\s+Landesregierung\s*:?$")


def _keep_apart(paragraph: str) -> bool:
    return heading_labels(paragraph) is not None


@register
class SaarlandParser(Parser):
    name = "sl"
    label = "Landtag des Saarlandes: answer to an Anfrage"

    def detect(self, text: str) -> int:
        return 10 if _TITLE.search(text[:2000]) and _REFERENCE.search(text[:2000]) else 0

    def parse(self, text: str, *, name: str) -> ParseResult:
        full_text = text
        text = txt.normalise(text)
        head = _REFERENCE.search(text)
        if head is None:
            raise DocumentError(name, "no line 'N. Wahlperiode Drucksache N/N'")
        lines = txt.join_pages(txt.split_pages(text, header=_PAGE_HEADER, drop=_FOOTERS))
        paragraphs = txt.blocks(lines)
        subject_at = next((index for index, paragraph in enumerate(paragraphs) if _SUBJECT.match(paragraph)), None)
        explanation_at = next((index for index, paragraph in enumerate(paragraphs) if _EXPLANATION.match(paragraph)), None)
        preface_at = next((index for index, paragraph in enumerate(paragraphs) if _PREFACE.match(paragraph)), None)
        if subject_at is None:
            raise DocumentError(name, "no subject line 'betr.: <title>'")
        # The title runs from "betr.:" to the first preliminary remark.
        title_end = min([index for index in (explanation_at, preface_at) if index is not None], default=subject_at + 1)
        title = txt.join_wrapped([_SUBJECT.sub("", paragraphs[subject_at]), *paragraphs[subject_at + 1:title_end]], tables=False)
        record = new_record("SL", head.group(2), "minor", title)
        record["related_references"] = [head.group(3)] if head.group(3) else []

        asker = next((match for paragraph in paragraphs[:subject_at] if (match := _ASKER.match(paragraph))), None)
        if asker:
            who = asker.group("who")
            if "Fraktion" in who.split("(")[0]:
                record["kind"] = "major" if asker.group(0).startswith("Große") else "minor"
                record["factions"] = [german.faction_name(who)]
            else:
                record["askers"] = german.split_askers(re.sub(r"^(?:des|der)\s+Abgeordneten\s+", "", who))
                record["factions"] = sorted({person["faction"] for person in record["askers"] if person["faction"]})
        issued = _ISSUED.search(text)
        if issued:
            record["answered_on"] = german.iso(german.parse_date(issued.group("answer")))
            record["asked_on"] = german.iso(german.parse_date(issued.group("question") or ""))
        else:
            record["answered_on"] = german.iso(german.parse_date(text[head.end():head.end() + 40]))
        warnings = []
        if record["answered_on"]:
            warnings.append("answered_on: the date the answer was issued as a printed paper (the letter's date is not printed)")
        if record["asked_on"]:
            warnings.append("asked_on: the date the question was issued as a printed paper")

        body_start = (preface_at if preface_at is not None else explanation_at if explanation_at is not None else subject_at) + 1
        body = txt.join_broken_paragraphs(paragraphs[body_start:], keep_apart=_keep_apart)
        preamble, sections = answer_sections(body, questions="counted")
        if not sections:
            raise DocumentError(name, "no answers ('Zu Frage 1:') found")
        if explanation_at is not None:
            end = preface_at if preface_at is not None and preface_at > explanation_at else len(paragraphs)
            explanation = paragraphs[explanation_at + 1:end] if preface_at is not None else preamble
            record["explanation"] = txt.join_paragraphs(txt.join_broken_paragraphs(explanation, keep_apart=_keep_apart)) or None
        if preface_at is not None:
            record["government_preface"] = txt.join_paragraphs(preamble) or None
        record["questions"], question_warnings = build_questions(sections, counted=True)
        warnings.extend(question_warnings)
        record["full_text"] = full_text
        return ParseResult(self.name, record, warnings, {"question_paper": head.group(3)} if head.group(3) else {})
