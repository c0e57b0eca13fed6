"""What the common reading of answer documents knows about each parliament, as data.

``common.yaml`` holds what all German parliaments share (kinds, preface headings,
closings, the sentences naming who answered and when); ``<code>.yaml`` what one
parliament adds (its name as printed at the top, running headers and footers to drop,
the spelling of its groups). The parser code has no branch for any parliament.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DIRECTORY = Path(__file__).resolve().parent
# A German date as printed: "12.03.2024", "7. März 2024", "16. Nov. 2021".
DATE = (
    r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\s?(?:\d{1,2}\.\s?\d{4}|(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober"
    r"|November|Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\.?\s+\d{4})"
    # "06.03.23" (Hamburg, Bremen): zero-padded, the century left out
    r"|\d{2}\.\d{2}\.\d{2}(?![\d.])"
)


def _compile(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern.replace("DATE", DATE), flags)


@dataclass(frozen=True)
class Profile:
    """One parliament: how to recognise its papers and what to drop from them."""

    code: str
    name: str
    detect: tuple[re.Pattern[str], ...]
    weak_detect: tuple[re.Pattern[str], ...]
    government: str
    running_header: re.Pattern[str] | None
    drop_lines: tuple[re.Pattern[str], ...]
    drop_text: tuple[re.Pattern[str], ...]
    kinds: dict[str, str]
    factions: tuple[str, ...]
    # Tried before the common sentences naming who answered and when.
    answered: tuple[re.Pattern[str], ...] = ()
    # What the date printed under the paper's number means here ("answered_on" or None).
    header_date: str | None = None


@dataclass(frozen=True)
class Common:
    """What every parliament's papers share (see common.yaml)."""

    kinds: dict[str, str]
    governments: tuple[str, ...]
    ministry_name: re.Pattern[str]
    ministry_stop: re.Pattern[str]
    minister_offices: dict[str, str]
    explanation_headings: tuple[re.Pattern[str], ...]
    preface_headings: tuple[re.Pattern[str], ...]
    answer_intros: tuple[re.Pattern[str], ...]
    question_intros: tuple[re.Pattern[str], ...]
    joint_answer: re.Pattern[str]
    closings: re.Pattern[str]
    place_date: re.Pattern[str]
    signer_roles: re.Pattern[str]
    drop_lines: tuple[re.Pattern[str], ...]
    answered: tuple[re.Pattern[str], ...]
    asked: tuple[re.Pattern[str], ...]
    answering: tuple[re.Pattern[str], ...]
    answer_blocks: tuple[re.Pattern[str], ...]
    consulted: re.Pattern[str]
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def _heading(pattern: str) -> re.Pattern[str]:
    # A heading stands at the start of its line; text may follow a colon.
    return _compile(rf"^(?:{pattern})\s*(?::\s*(?P<rest>.*))?$")


def _read(name: str) -> dict[str, Any]:
    return yaml.safe_load((DIRECTORY / name).read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def common() -> Common:
    data = _read("common.yaml")
    return Common(
        kinds=dict(data["kinds"]),
        governments=tuple(data["governments"]),
        ministry_name=_compile("|".join(f"(?:{p})" for p in data["ministry_names"]), 0),
        ministry_stop=_compile(data["ministry_stops"], 0),
        minister_offices=dict(data["minister_offices"]),
        explanation_headings=tuple(_heading(p) for p in data["explanation_headings"]),
        preface_headings=tuple(_heading(p) for p in data["preface_headings"]),
        answer_intros=tuple(_compile(p) for p in data["answer_intros"]),
        question_intros=tuple(_compile(p) for p in data["question_intros"]),
        joint_answer=_compile(data["joint_answer"]),
        closings=_compile(rf"^(?:{'|'.join(data['closings'])})\s*,?$"),
        place_date=_compile(data["place_date"]),
        signer_roles=_compile(data["signer_roles"], 0),
        drop_lines=tuple(_compile(p) for p in data["drop_lines"]),
        answered=tuple(_compile(p, re.DOTALL) for p in data["answered"]),
        asked=tuple(_compile(p, re.IGNORECASE) for p in data["asked"]),
        answering=tuple(_compile(p, 0) for p in data["answering"]),
        consulted=_compile(data["consulted"], 0),
        answer_blocks=tuple(_compile(p, 0) for p in data["answer_blocks"]),
        raw=data,
    )


@lru_cache(maxsize=1)
def profiles() -> dict[str, Profile]:
    """Every parliament's profile by its code (BT, BW, BY, …)."""
    result = {}
    for path in sorted(DIRECTORY.glob("*.yaml")):
        if path.name == "common.yaml":
            continue
        data = _read(path.name)
        header = data.get("running_header")
        result[data["code"]] = Profile(
            code=data["code"],
            name=data["name"],
            detect=tuple(_compile(p) for p in data["detect"]),
            weak_detect=tuple(_compile(p) for p in data.get("weak_detect", [])),
            government=data.get("government", "Landesregierung"),
            running_header=_compile(header) if header else None,
            drop_lines=tuple(_compile(p) for p in data.get("drop_lines", [])),
            drop_text=tuple(_compile(p) for p in data.get("drop_text", [])),
            kinds=dict(data.get("kinds", {})),
            factions=tuple(data.get("factions", [])),
            answered=tuple(_compile(p, re.DOTALL) for p in data.get("answered", [])),
            header_date=data.get("header_date"),
        )
    return result


@lru_cache(maxsize=1)
def data_digest() -> str:
    """SHA-256 over all data files: a change in them is a change of the parser's version."""
    digest = hashlib.sha256()
    for path in sorted(DIRECTORY.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def detect_parliament(text: str, *, window: int = 6000) -> Profile | None:
    """The parliament whose name stands first in the paper (its header or running header).

    Where no parliament's name is printed (a logo in the PDF), its weaker signs count:
    the names of its ministries, phrases only its papers use.
    """
    head = text[:window]
    for kind in ("detect", "weak_detect"):
        found = []
        for profile in profiles().values():
            positions = [match.start() for pattern in getattr(profile, kind) if (match := pattern.search(head))]
            if positions:
                found.append((min(positions), profile.code, profile))
        if found:
            return min(found)[2]
    return None
