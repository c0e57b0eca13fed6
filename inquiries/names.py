"""Matching printed names to people, factions and ministries.

Documents print names in many forms ("des Abgeordneten Dr. Hans Müller",
"dem Niedersächsischen Ministerium für Inneres", "Fraktion der FDP/DVP"); the
keys built here are equal for all forms of one name, so a second import finds
the record the first one created.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_FOLD_CASED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"})
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ẞ": "ss"})

_PERSON_PREFIXES = re.compile(
    r"^(?:(?:der|des|dem|den|die)\s+)?(?:(?:Abg\.|Abgeordneten?|Abgeordneter|Abgeordnete|MdL|MdB|Frau|Herrn?|Minister(?:in)?|Ministerpräsident(?:in)?)\s+)+",
    re.IGNORECASE,
)
_PERSON_SUFFIXES = re.compile(r"(?:,?\s+(?:MdL|MdB))+\s*$")
# Academic titles before a name: "Prof. Dr.", "Dr. h. c.", "Dr.-Ing.", "Dipl.-Kfm.", the Czech and
# Slovak doctorates "MUDr." / "PhDr." and the place of a foreign degree ("/ Univ.Prag").
_TITLE = re.compile(
    r"^((?:(?:Prof\.|Dr\.-Ing\.|[A-Z][A-Za-z]{0,3}Dr\.|Dr\.(?:\s?(?:h\.\s?c\.|med\.|phil\.|rer\.\s?nat\.|jur\.))?"
    r"|Dipl\.-\w+\.?|/\s*Univ\.\s?\w+)\s*)+)"
)
_PARTICLES = {"von", "van", "de", "der", "zu", "vom", "zum", "di", "du", "la", "le"}


def fold(text: str) -> str:
    """Lower-case, umlauts and ß spelled out, accents dropped, spaces collapsed."""
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class PersonName:
    title: str
    first_name: str
    last_name: str

    @property
    def key(self) -> str:
        return person_key(self.first_name, self.last_name)


def person_key(first_name: str, last_name: str) -> str:
    """Equal for "Hans-Ulrich Rülke" and "Hans-Ulrich Ruelke"."""
    return f"{fold(first_name)}|{fold(last_name)}"


def slug_base(text: str) -> str:
    """Text for ``slugify`` with umlauts spelled out ("Müller" → "mueller", not "muller")."""
    return text.translate(_FOLD_CASED)


def split_person_name(printed: str) -> PersonName:
    """Split "Abg. Dr. Hans-Ulrich Rülke" into title, first and last name."""
    name = re.sub(r"\s+", " ", printed).strip().strip(",;")
    name = _PERSON_PREFIXES.sub("", name)
    name = _PERSON_SUFFIXES.sub("", name).strip()
    title = ""
    match = _TITLE.match(name)
    if match:
        title = re.sub(r"\s+", " ", match.group(1)).strip()
        name = name[match.end():].strip()
    parts = name.split(" ")
    if len(parts) == 1:
        return PersonName(title, "", parts[0])
    # "Gabriele von Massow": the particle belongs to the last name.
    cut = len(parts) - 1
    while cut > 1 and parts[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return PersonName(title, " ".join(parts[:cut]), " ".join(parts[cut:]))


# Short names by which the same group is printed in different sources.
_FACTION_ALIASES = {
    "die gruenen": "gruene",
    "buendnis 90/die gruenen": "gruene",
    "bundnis 90/die grunen": "gruene",
    "b90/gruene": "gruene",
    "grune": "gruene",
    "die linke": "linke",
    "cdu/csu": "cdu/csu",
}


def faction_key(printed: str) -> str:
    """"Fraktion der FDP/DVP", "FDP/DVP-Fraktion" and "FDP/DVP" share one key."""
    key = fold(printed)
    key = re.sub(r"^(?:der\s+|die\s+)?fraktion(?:\s+der|\s+die)?\s+", "", key)
    key = re.sub(r"[\s-]+fraktion$", "", key)
    key = key.replace(" / ", "/").strip()
    return _FACTION_ALIASES.get(key, key)


NON_FACTIONS = {"fraktionslos", "fraktionslose", "fraktionsloser", "fraktionslose abgeordnete", ""}

_STATE_ADJECTIVE = re.compile(
    r"^(?:niedersaechsische|bayerische|saechsische|hessische|saarlaendische|thueringer|brandenburgische|"
    r"schleswig-holsteinische|baden-wuerttembergische|rheinland-pfaelzische|berliner|hamburger|bremer)[snmr]?\s+"
)


def ministry_key(printed: str) -> str:
    """Key shared by "des Ministeriums für Finanzen", "dem Ministerium für Finanzen" …"""
    key = fold(printed).strip(" .,;:")
    key = re.sub(r"^(?:das|dem|des|der|die|den)\s+", "", key)
    key = _STATE_ADJECTIVE.sub("", key)
    # Genitive of every kind of ministry: "des Ministeriums", "des Justizministeriums".
    key = re.sub(r"ministeriums\b", "ministerium", key)
    key = re.sub(r"\s+(?:des landes\s+)?(?:baden-wuerttemberg|niedersachsen|saarland)$", "", key)
    key = re.sub(r"\bfuer\b", "fuer", key)
    return key


_ADJECTIVE = re.compile(r"^(\w+isch)e[nmrs]?\s+(?=(\S+))")


def ministry_display_name(printed: str) -> str:
    """The name in the nominative, as a new record shows it.

    "des Niedersächsischen Ministeriums für Inneres" → "Niedersächsisches Ministerium für
    Inneres", "der Niedersächsischen Staatskanzlei" → "Niedersächsische Staatskanzlei".
    """
    name = re.sub(r"\s+", " ", printed).strip(" .,;:")
    name = re.sub(r"^(?:das|dem|des|der|die|den)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"(\w*(?:M|m)inisterium)s\b", r"\1", name)
    match = _ADJECTIVE.match(name)
    if match:
        ending = "es" if match.group(2).lower().endswith("ministerium") else "e"
        name = f"{match.group(1)}{ending} {name[match.end():]}"
    return name[:1].upper() + name[1:]
