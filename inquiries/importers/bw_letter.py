"""Baden-Württemberg: a ministry's answer letter to the President of the Landtag.

The layout of the seed document (Drs. 17/6206): letterhead, address, "Datum …",
"nachrichtlich" and the ministries that get a copy, the subject ("Kleine Anfrage des
Abgeordneten … Fraktion …", "- <title>", "- Drucksache 17/…", "Ihr Schreiben vom …"),
"das Ministerium … beantwortet die Kleine Anfrage im Einvernehmen mit … wie folgt:",
each question repeated and answered under "Zu 1.:", then "gez. <name>" and the role.
Letters converted to text often keep Markdown emphasis; it is removed first.
"""

from __future__ import annotations

import re

from inquiries.importers import german, text as txt
from inquiries.importers.answers import answer_sections, build_questions
from inquiries.importers.base import DocumentError, ParseResult, Parser, new_record, reference_of, register
from inquiries.importers.bw_common import KINDS, is_structural, parse_intro, parse_signature, split_asker_line
from inquiries.names import ministry_display_name

_SUBJECT = re.compile(r"^(?P<kind>Kleine|Große) Anfrage (?P<who>.+)$")
_DATE_LINE = re.compile(r"^(?:Datum|Stuttgart,?(?:\s+den)?)\s+(?P<date>.+)$")
_ASKED = re.compile(r"Ihr Schreiben vom\s+(?P<date>.+)$")
_INTRO = re.compile(r"beantwortet\s+die\s+(?:Kleine|Große)\s+Anfrage\b.*wie\s+folgt", re.IGNORECASE | re.DOTALL)


@register
class BadenWuerttembergLetterParser(Parser):
    name = "bw_letter"
    label = "Baden-Württemberg: ministry's answer letter to the Landtag"

    def detect(self, text: str) -> int:
        squeezed = re.sub(r"\s", "", text).lower()
        if "baden-württemberg" not in squeezed or not _INTRO.search(text):
            return 0
        return 5 if re.search(r"Drucksache\s+\d{1,2}\s?/\s?\d+", text) else 2

    def parse(self, text: str, *, name: str) -> ParseResult:
        full_text = text
        lines = txt.strip_markup(txt.normalise(text)).split("\n")
        groups = txt.line_blocks(lines)
        paragraphs = [txt.join_wrapped(group) for group in groups]
        intro_at = next((index for index, paragraph in enumerate(paragraphs) if parse_intro(paragraph)), None)
        if intro_at is None:
            raise DocumentError(name, "no sentence '… beantwortet die Kleine Anfrage … wie folgt:'")
        intro = parse_intro(paragraphs[intro_at])
        warnings: list[str] = []

        header = [txt.collapse(line) for group in groups[:intro_at] for line in group]
        subject_at = next((index for index, line in enumerate(header) if _SUBJECT.match(line)), None)
        if subject_at is None:
            raise DocumentError(name, "no subject line 'Kleine Anfrage des Abgeordneten …'")
        subject = _SUBJECT.match(header[subject_at])
        reference, title_parts = None, []
        for line in header[subject_at + 1:]:
            if re.match(r"^-?\s*Drucksache\b", line):
                reference = reference_of(line)
                continue
            if line.startswith("- ") and reference is None:
                title_parts.append(line[2:].strip())
            elif title_parts and reference is None and not _ASKED.search(line):
                title_parts.append(line)
            else:
                break
        if reference is None:
            reference = reference_of(" ".join(header))
        if reference is None:
            raise DocumentError(name, "no reference 'Drucksache 17/…' in the subject")
        title = txt.join_wrapped(title_parts, tables=False)
        if not title:
            raise DocumentError(name, "no title ('- <title>') under the subject line")

        record = new_record("BW", reference, KINDS[f"{subject.group('kind')} Anfrage"], title)
        who = subject.group("who")
        if re.match(r"^der Fraktion\b", who):
            record["factions"] = [german.faction_name(who)]
        else:
            names = re.sub(r"^(?:des|der)\s+(?:Abgeordneten|Abg\.)\s+", "", who)
            if " Fraktion " in names:
                names, faction = names.rsplit(" Fraktion ", 1)
                record["askers"] = [{"name": person, "faction": german.faction_name(faction)} for person in german.split_list(names)]
            else:
                record["askers"] = split_asker_line(names)
            record["factions"] = sorted({asker["faction"] for asker in record["askers"] if asker["faction"]})
        for line in header:
            if (match := _ASKED.search(line)) and not record["asked_on"]:
                record["asked_on"] = german.iso(german.parse_date(match.group("date")))
            if (match := _DATE_LINE.match(line)) and not record["answered_on"]:
                record["answered_on"] = german.iso(german.parse_date(match.group("date")))
        record["copied_to"] = _copied_to(groups[:intro_at])
        record["answering_ministry"] = intro["ministry"]
        record["consulted_ministries"] = intro["consulted"]

        rest = [line for group in groups[intro_at + 1:] for line in [*group, ""]]
        signature_at, signer = parse_signature(rest)
        if signer is None:
            warnings.append("signed_by: no signature (name and role) at the end")
        record["signed_by"] = signer
        body = txt.join_broken_paragraphs(txt.blocks(rest[:signature_at]), keep_apart=is_structural)
        preamble, sections = answer_sections(body)
        if not sections:
            raise DocumentError(name, "no answers ('Zu 1.:') found")
        record["government_preface"] = txt.join_paragraphs(preamble) or None
        record["questions"], question_warnings = build_questions(sections)
        warnings.extend(question_warnings)
        record["full_text"] = full_text
        return ParseResult(self.name, record, warnings)


def _copied_to(groups: list[list[str]]) -> list[str]:
    """The ministries listed under "nachrichtlich"."""
    for group in groups:
        lines = [txt.collapse(line) for line in group]
        if lines and lines[0].lower() == "nachrichtlich":
            return [ministry_display_name(line) for line in lines[1:] if line]
    return []
