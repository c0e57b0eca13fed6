"""Reference data: parliaments, terms, parties, factions, ministries and ministers."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from inquiries.models import Faction, MinisterialOffice, Ministry, Parliament, Party, Term
from inquiries.names import ministry_key
from inquiries.services.reference import find_or_create_person, get_or_create_parliament, unique_slug


def _as_date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _upsert_ministry(parliament: Parliament, name: str, **fields: Any) -> Ministry:
    for ministry in Ministry.objects.filter(parliament=parliament):
        if ministry_key(ministry.name) == ministry_key(name):
            changed = [key for key, value in fields.items() if getattr(ministry, key) != value]
            for key in changed:
                setattr(ministry, key, fields[key])
            if changed:
                ministry.save(update_fields=changed)
            return ministry
    return Ministry.objects.create(
        parliament=parliament, name=name, slug=unique_slug(Ministry, name, parliament=parliament), **fields
    )


@transaction.atomic
def load_reference_data(history_path: Path, bw17_path: Path) -> None:
    """Create or update the reference data; running it twice changes nothing."""
    history = yaml.safe_load(history_path.read_text(encoding="utf-8"))
    bw17 = yaml.safe_load(bw17_path.read_text(encoding="utf-8"))

    for code, terms in history["terms"].items():
        parliament = get_or_create_parliament(code)
        for term in terms:
            Term.objects.update_or_create(
                parliament=parliament,
                number=term["number"],
                defaults={"start_date": _as_date(term["start"]), "end_date": _as_date(term["end"])},
            )
    for code, rules in history["deadlines"].items():
        Parliament.objects.filter(code=code).update(
            minor_deadline_days=rules.get("minor"),
            major_deadline_days=rules.get("major"),
            written_deadline_days=rules.get("written"),
        )

    parties = {}
    for entry in history["parties"]:
        party = Party.objects.filter(short_name=entry["short"]).first() or Party(
            short_name=entry["short"], slug=unique_slug(Party, entry["short"], max_length=80)
        )
        party.name = entry["name"]
        party.save()
        parties[entry["short"]] = party
    for code, factions in history["factions"].items():
        parliament = Parliament.objects.get(code=code)
        for entry in factions:
            faction = Faction.objects.filter(parliament=parliament, short_name=entry["short"]).first() or Faction(
                parliament=parliament,
                short_name=entry["short"],
                slug=unique_slug(Faction, entry["short"], max_length=80, parliament=parliament),
            )
            faction.name = entry["name"]
            faction.party = parties.get(entry["party"]) if entry["party"] else None
            faction.save()

    _load_bw17_government(history, bw17)


def _load_bw17_government(history: dict, bw17: dict) -> None:
    bw = Parliament.objects.get(code="BW")
    sworn_in = _as_date(bw17["government"]["sworn_in"])
    roles = history["minister_roles"]["BW"]
    overrides = history["minister_overrides"]["BW"]
    names = history["ministry_name_overrides"]["BW"]
    current = {}
    for entry in bw17["government"]["ministries"]:
        abbr = entry["abbr"]
        name = names.get(abbr, entry["name"])
        ministry = _upsert_ministry(bw, name, short_name=abbr, valid_from=sworn_in)
        current[name] = ministry
        heads = overrides.get(abbr) or {"name": entry["head"]}
        for head in heads if isinstance(heads, list) else [heads]:
            person = find_or_create_person(head["name"])
            start = _as_date(head.get("from")) or sworn_in
            MinisterialOffice.objects.update_or_create(
                person=person,
                ministry=ministry,
                start_date=start,
                defaults={"role": roles.get(abbr, ""), "end_date": _as_date(head.get("until"))},
            )
    # Oldest names last in the file point to names defined before them; create
    # successors first so every successor exists when its predecessor is saved.
    for entry in history["ministry_history"]["BW"]:
        successor = current.get(entry["successor"]) or _upsert_ministry(bw, entry["successor"])
        current[entry["name"]] = _upsert_ministry(
            bw,
            entry["name"],
            valid_from=_as_date(entry["from"]),
            valid_until=_as_date(entry["until"]),
            successor=successor,
        )
