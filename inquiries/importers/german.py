"""Reading German dates, lists of names and groups as parliaments print them."""

from __future__ import annotations

import datetime
import re
from typing import Any

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}

_NUMERIC_DATE = r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})"
_WRITTEN_DATE = r"(\d{1,2})\.\s?(" + "|".join(MONTHS) + r")\s+(\d{4})"
# Hamburg and Bremen print "vom 06.03.23": two digits each, the century left out.
_SHORT_DATE = r"(\d{2})\.(\d{2})\.(\d{2})"
DATE = re.compile(
    rf"(?<![\d.]){_NUMERIC_DATE}(?!\d)|(?<![\d.]){_WRITTEN_DATE}|(?<![\d.]){_SHORT_DATE}(?![\d.])", re.IGNORECASE
)


def parse_date(text: str) -> datetime.date | None:
    """The first date in ``text`` ("28.02.2024", "7.2.2024", "7. Februar 2024"), or None."""
    match = DATE.search(text)
    if not match:
        return None
    if match.group(1):
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    elif match.group(4):
        day, month, year = int(match.group(4)), MONTHS[match.group(5).lower()], int(match.group(6))
    else:
        short = int(match.group(9))
        day, month, year = int(match.group(7)), int(match.group(8)), (2000 if short < 70 else 1900) + short
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def split_list(text: str) -> list[str]:
    """"A, B und C" → ["A", "B", "C"]."""
    parts = re.split(r",\s*|\s+und\s+|\s+sowie\s+", text.strip())
    return [part.strip() for part in parts if part.strip()]


_GROUP_IN_PARENS = re.compile(r"\s*\(([^()]+)\)\s*(?:,|\bund\b)?\s*")


def split_askers(text: str) -> list[dict[str, Any]]:
    """"Claus Seebeck und Eike Holsten (CDU)" → two askers of the CDU.

    Each group in parentheses applies to the names before it; "fraktionslos" gives
    no group.
    """
    askers: list[dict[str, Any]] = []
    position = 0
    for match in _GROUP_IN_PARENS.finditer(text):
        group = match.group(1).strip()
        faction = None if group.lower().startswith("fraktionslos") else group
        for name in split_list(text[position:match.start()]):
            askers.append({"name": name, "faction": faction})
        position = match.end()
    for name in split_list(text[position:]):
        askers.append({"name": name, "faction": None})
    return askers


def faction_name(printed: str) -> str:
    """"der Fraktion der SPD" → "SPD", "der Fraktion Bündnis 90/Die Grünen" → "Bündnis 90/Die Grünen"."""
    name = re.sub(r"\s+", " ", printed).strip(" ,.;:")
    name = re.sub(r"^(?:der|die)\s+", "", name)
    name = re.sub(r"^Fraktion\s+(?:der\s+|die\s+)?", "", name)
    return name


def askers_label(askers: list[dict[str, Any]]) -> str:
    """The askers as the Landtag lists them: "A und B (CDU)", "C (fraktionslos)"."""
    groups: list[tuple[str, list[str]]] = []
    for asker in askers:
        group = asker.get("faction") or "fraktionslos"
        if groups and groups[-1][0] == group:
            groups[-1][1].append(asker["name"])
        else:
            groups.append((group, [asker["name"]]))
    parts = []
    for group, names in groups:
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]
        parts.append(f"{joined} ({group})")
    return " und ".join(parts)
