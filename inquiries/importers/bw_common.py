"""What the Baden-Württemberg layouts share: the sentence that says who answers, the
signature, the asker line, and the kind of inquiry."""

from __future__ import annotations

import re
from typing import Any

from inquiries.importers import german
from inquiries.importers.answers import heading_labels
from inquiries.importers.text import PAGE_BREAK, TERMINAL, collapse
from inquiries.names import ministry_display_name

KINDS = {"Kleine Anfrage": "minor", "Große Anfrage": "major"}

# "das Ministerium X beantwortet die Kleine Anfrage im Einvernehmen mit dem Ministerium Y wie folgt:"
_LETTER_INTRO = re.compile(
    r"^(?P<ministry>(?:das|der|die)\s.+?)\s+beantwortet\s+die\s+(?P<kind>Kleine|Große)\s+Anfrage"
    r"(?:\s+im\s+Namen\s+der\s+Landesregierung)?(?:\s+im\s+Einvernehmen\s+mit\s+(?P<consulted>.+?))?\s+wie\s+folgt:?$",
    re.IGNORECASE,
)
# "Mit Schreiben vom 11. März 2024 Nr. KM4-… beantwortet das Ministerium X (im Namen der
# Landesregierung) im Einvernehmen mit dem Ministerium Y die Kleine Anfrage wie folgt:"
_PAPER_INTRO = re.compile(
    r"^Mit\s+Schreiben\s+vom\s+(?P<date>.+?)(?:\s+Nr\.\s+(?P<file>\S+))?\s+beantwortet\s+(?P<ministry>(?:das|der|die)\s.+?)"
    r"(?:\s+im\s+Namen\s+der\s+Landesregierung)?(?:\s+im\s+Einvernehmen\s+mit\s+(?P<consulted>.+?))?"
    r"\s+die\s+(?P<kind>Kleine|Große)\s+Anfrage\s+wie\s+folgt:?$",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"^(?:Minister(?:in)?|Staatsminister(?:in)?|Ministerpräsident(?:in)?|Staatssekretär(?:in)?|Ministerialdirektor(?:in)?|Amtschef(?:in)?)\b"
)
_FACTION_TOKEN = re.compile(r"^(?:[A-ZÄÖÜ][A-Za-zÄÖÜäöü]*[A-ZÄÖÜ][A-Za-zÄÖÜäöü/]*|fraktionslos)$")


def is_structural(paragraph: str) -> bool:
    """Headings and question starts never join a neighbouring paragraph."""
    return heading_labels(paragraph) is not None or bool(re.match(r"^\d{1,3}\.\s|^[a-z]\)\s", paragraph))


def parse_intro(paragraph: str) -> dict[str, Any] | None:
    """Who answers, in agreement with whom, and (in printed papers) the date of the letter."""
    text = collapse(paragraph)
    match = _PAPER_INTRO.match(text) or _LETTER_INTRO.match(text)
    if match is None:
        return None
    groups = match.groupdict()
    consulted = groups.get("consulted")
    return {
        "ministry": ministry_display_name(groups["ministry"]),
        "consulted": [ministry_display_name(part) for part in split_ministries(consulted)] if consulted else [],
        "kind": KINDS[f"{groups['kind'].capitalize()} Anfrage"],
        "answered_on": german.parse_date(groups.get("date") or ""),
    }


def split_ministries(text: str) -> list[str]:
    """"dem Ministerium für Finanzen und dem Staatsministerium" → both, keeping the commas
    and "und" inside a name ("Ministerium des Inneren, für Digitalisierung und Kommunen")."""
    parts = re.split(r",?\s+(?:und|sowie)\s+(?=(?:dem|der|den)\s)|,\s+(?=(?:dem|der|den)\s)", text)
    return [part.strip() for part in parts if part.strip()]


_CLOSING_LINES = re.compile(r"^(?:Mit freundlichen Grüßen|In Vertretung|i\.\s?V\.|gez\.)$")


def parse_signature(lines: list[str]) -> tuple[int, dict[str, Any] | None]:
    """Where the closing starts among ``lines`` and who signed (name and role).

    The signer's name stands on the line before the role ("Minister des Inneren, …"),
    after an optional "Mit freundlichen Grüßen", "In Vertretung" or "gez.".
    """
    filled = [index for index, line in enumerate(lines) if line.strip() and line != PAGE_BREAK]
    for position in range(len(filled) - 1, 0, -1):
        role_at, name_at = filled[position], filled[position - 1]
        if not _ROLE.match(collapse(lines[role_at])):
            continue
        name = re.sub(r"^(?:gez\.|i\.\s?V\.|In Vertretung)\s*", "", collapse(lines[name_at])).strip()
        if not name or len(name.split()) > 5 or TERMINAL.search(name):
            return len(lines), None
        start = position - 1
        while start > 0 and _CLOSING_LINES.match(collapse(lines[filled[start - 1]])):
            start -= 1
        role = " ".join(collapse(lines[index]) for index in filled[position:])
        return filled[start], {"name": name, "role": role}
    return len(lines), None


def split_asker_line(text: str) -> list[dict[str, Any]]:
    """"Andreas Sturm und Tobias Vogt CDU" → two askers of the CDU (the group comes last)."""
    text = collapse(text)
    tokens = text.split(" ")
    faction = None
    if len(tokens) > 1 and _FACTION_TOKEN.match(tokens[-1]):
        faction = None if tokens[-1] == "fraktionslos" else tokens[-1]
        text = " ".join(tokens[:-1])
    return [{"name": name, "faction": faction} for name in german.split_list(text)]
