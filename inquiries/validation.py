"""Checks of an inquiry's data that editors must pass before the public sees it.

Each check returns messages in plain German for the editor (empty list: all fine), so that
the admin forms, the models' ``clean()`` and ``services.workflow.publish`` say the same thing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Iterable

from django.utils.formats import date_format
from django.utils.translation import gettext as _

REFERENCE_RE = re.compile(r"^[0-9]{1,2}/[0-9]{1,6}$")


def _day(value: datetime.date) -> str:
    return date_format(value, "j.n.Y")


# --- reference and dates ---------------------------------------------------------------


def reference_problems(reference: str, term_number: int | None) -> list[str]:
    """The printed paper number must read "term/number" and belong to the inquiry's term."""
    reference = (reference or "").strip()
    if not REFERENCE_RE.match(reference):
        return [
            _("Drucksache „%(reference)s“ hat nicht die Form Wahlperiode/Nummer, z. B. „17/6206“.")
            % {"reference": reference}
        ]
    prefix = int(reference.split("/", 1)[0])
    if term_number is not None and prefix != term_number:
        return [
            _(
                "Drucksache %(reference)s gehört nicht zur %(term)d. Wahlperiode: "
                "die Zahl vor dem Schrägstrich muss die Wahlperiode sein."
            )
            % {"reference": reference, "term": term_number}
        ]
    return []


def date_problems(asked_on: datetime.date | None, answered_on: datetime.date | None) -> list[str]:
    if asked_on and answered_on and answered_on < asked_on:
        return [
            _("Das Antwortdatum (%(answered)s) liegt vor dem Datum der Anfrage (%(asked)s).")
            % {"answered": _day(answered_on), "asked": _day(asked_on)}
        ]
    return []


# --- question numbers ------------------------------------------------------------------

# One level of a printed label: a number, a lowercase letter or a Roman numeral (up to thirty-nine).
_PART = re.compile(r"([0-9]+)|([a-z])|(X{0,3}(?:IX|IV|V?I{0,3}))", re.ASCII)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman_value(numeral: str) -> int:
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


@dataclass(frozen=True)
class _Level:
    kind: str  # "number", "letter" or "roman"
    value: int  # 1-based

    def successor(self) -> "_Level":
        return _Level(self.kind, self.value + 1)


def parse_question_number(label: str) -> tuple[_Level, ...] | None:
    """ "3" → (3,), "3a" → (3, a), "II.2" → (II, 2); ``None`` when not readable.

    Dots, closing brackets and spaces between the levels are ignored, as printed ("3.", "3 a)").
    """
    text = re.sub(r"[\s.)]+", ".", (label or "").strip()).strip(".")
    if not text:
        return None
    levels: list[_Level] = []
    position = 0
    while position < len(text):
        if text[position] == ".":
            position += 1
            continue
        match = _PART.match(text, position)
        if match is None or match.end() == position:
            return None
        number, letter, roman = match.groups()
        if letter and levels and levels[-1].kind == "letter":
            return None  # "ab" is a word, not a label
        if number:
            levels.append(_Level("number", int(number)))
        elif letter:
            levels.append(_Level("letter", ord(letter) - ord("a") + 1))
        else:
            levels.append(_Level("roman", _roman_value(roman)))
        position = match.end()
    if len(levels) > 3 or any(level.value < 1 for level in levels):
        return None
    return tuple(levels)


def _follows(previous: tuple[_Level, ...], current: tuple[_Level, ...]) -> bool:
    """Whether ``current`` is a next label after ``previous`` without a gap.

    Allowed: the next number on some level, dropping deeper levels ("3b" → "4", "3a" → "3b"),
    optionally opening deeper levels at their first value ("2" → "3a", "3" → "3a").
    """
    for depth in range(len(previous) + 1):
        head = previous[:depth]
        if depth < len(previous):
            head = head + (previous[depth].successor(),)
        elif len(current) == len(previous):
            continue  # the same label again is a duplicate, reported elsewhere
        if current[: len(head)] == head and all(level.value == 1 for level in current[len(head) :]):
            return True
    return False


def question_number_problems(numbers: Iterable[str]) -> list[str]:
    """Numbers in printed order must run without gaps or doubles ("1", "2", "3a", "3b" …)."""
    numbers = [(number or "").strip() for number in numbers]
    problems: list[str] = []
    parsed: list[tuple[str, tuple[_Level, ...]]] = []
    seen: dict[tuple[_Level, ...], str] = {}
    for number in numbers:
        levels = parse_question_number(number)
        if levels is None:
            problems.append(
                _("Fragenummer „%(number)s“ ist nicht lesbar: erwartet wird z. B. „1“, „3a“ oder „II.2“.")
                % {"number": number}
            )
            continue
        if levels in seen:
            problems.append(_("Fragenummer „%(number)s“ kommt mehrmals vor.") % {"number": number})
            continue
        seen[levels] = number
        parsed.append((number, levels))
    if problems:
        return problems
    if parsed and any(level.value != 1 for level in parsed[0][1]):
        problems.append(
            _("Die erste Frage trägt die Nummer „%(number)s“; die Nummerierung muss mit 1 (oder 1a, I) beginnen.")
            % {"number": parsed[0][0]}
        )
    for (previous_label, previous), (label, current) in zip(parsed, parsed[1:]):
        if not _follows(previous, current):
            problems.append(
                _("Lücke oder falsche Reihenfolge in der Nummerierung: auf Frage „%(previous)s“ folgt „%(number)s“.")
                % {"previous": previous_label, "number": label}
            )
    return problems


# --- askers ----------------------------------------------------------------------------


def asker_faction_problem(person, faction, parliament_id: int | None, asked_on: datetime.date | None) -> str | None:
    """The faction given for an asker must be one this person belonged to on the asked date."""
    if faction is None or person is None:
        return None
    if parliament_id is not None and faction.parliament_id != parliament_id:
        return _("Die Fraktion %(faction)s gehört zu einem anderen Parlament als die Anfrage.") % {"faction": faction}
    if asked_on is None:
        return None
    if not person.memberships.filter(faction=faction).valid_on(asked_on).exists():
        return _(
            "%(person)s war am %(day)s nicht Mitglied der Fraktion %(faction)s. "
            "Bitte die Fraktion korrigieren oder die Mitgliedschaft bei der Person eintragen."
        ) % {"person": person.full_name, "day": _day(asked_on), "faction": faction.short_name}
    return None
