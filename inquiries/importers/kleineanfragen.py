"""Metadata of inquiries from the kleineanfragen.de archive (CSV, one inquiry a row).

The archive has no question texts, only title, reference, kind, the date the
answer was published, asking groups and people and answering ministries. Rows
whose reference already exists are left alone, so loading twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from inquiries.models import Asker, Faction, Inquiry, InquiryKind, InquiryState, Membership, Person, Term
from inquiries.names import NON_FACTIONS, fold, split_person_name
from inquiries.services import (
    find_or_create_faction,
    find_or_create_ministry,
    get_or_create_parliament,
    get_or_create_term,
    inquiries_changed,
    optimize_after_bulk_write,
    unique_slug,
)

SOURCE_NOTICE = "Metadaten: kleineanfragen.de (Archiv 1.1.2021), Open Database License (ODbL 1.0)"
BODIES = {"Baden-Württemberg": "BW", "Bundestag": "BT"}


class CsvError(ValueError):
    pass


@dataclass
class Row:
    line: int
    parliament: str
    term: int
    reference: str
    kind: str
    title: str
    answered_on: datetime.date | None
    url: str
    factions: list[str]
    people: list[str]
    ministry: str | None
    asker_factions: dict[str, str | None] = field(default_factory=dict)


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def read_rows(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for number, raw in enumerate(reader, start=2):
            try:
                parliament = BODIES[raw["body"]]
                term = int(raw["legislative_term"])
                reference = f"{term}/{int(raw['reference'])}"
                answered_on = datetime.date.fromisoformat(raw["published_at"]) if raw["published_at"] else None
            except (KeyError, ValueError) as exc:
                raise CsvError(f"{path.name}: line {number}: {exc}") from None
            kind = raw.get("interpellation_type") or InquiryKind.MINOR
            if kind not in InquiryKind.values:
                raise CsvError(f"{path.name}: line {number}: unknown kind {kind!r}")
            ministries = _split(raw.get("answering_ministries_wikidata", ""))
            rows.append(
                Row(
                    line=number,
                    parliament=parliament,
                    term=term,
                    reference=reference,
                    kind=kind,
                    title=raw["title"].strip(),
                    answered_on=answered_on,
                    url=raw.get("html_url", "").strip(),
                    factions=[name for name in _split(raw.get("inquiring_parties_wikidata", "")) if fold(name) not in NON_FACTIONS],
                    people=_split(raw.get("inquiring_people_wikidata", "")),
                    ministry=ministries[0] if ministries else None,
                )
            )
    return rows


def _assign_asker_factions(rows: list[Row]) -> None:
    """Each asker's group: the row's only group, else the group the person asked for elsewhere."""
    known: dict[tuple[str, int, str], str] = {}
    for row in rows:
        if len(row.factions) == 1:
            for person in row.people:
                known.setdefault((row.parliament, row.term, person), row.factions[0])
    for row in rows:
        for person in row.people:
            if len(row.factions) == 1:
                row.asker_factions[person] = row.factions[0]
            else:
                guess = known.get((row.parliament, row.term, person))
                row.asker_factions[person] = guess if guess in row.factions else None


def load(paths: Iterable[Path], *, progress: Callable[[Iterable], Iterable] = lambda rows: rows) -> int:
    """Load the CSV files; returns the number of inquiries created."""
    rows = [row for path in paths for row in read_rows(path)]
    _assign_asker_factions(rows)
    with transaction.atomic():
        created = _create(rows, progress)
    if created:
        optimize_after_bulk_write()
    return created


def _create(rows: list[Row], progress: Callable[[Iterable], Iterable]) -> int:
    parliaments = {code: get_or_create_parliament(code) for code in {row.parliament for row in rows}}
    existing = set(Inquiry.objects.values_list("parliament__code", "reference"))
    rows = [row for row in rows if (row.parliament, row.reference) not in existing]
    terms: dict[tuple[str, int], Term] = {}
    factions: dict[tuple[str, str], Faction | None] = {}
    ministries: dict[tuple[str, str], object] = {}
    people = {person.name_key: person for person in Person.objects.order_by("-pk")}
    seen: set[tuple[str, str]] = set()

    inquiries, askers_of, factions_of = [], [], []
    for row in progress(rows):
        if (row.parliament, row.reference) in seen:
            continue  # the archive lists a few papers twice
        seen.add((row.parliament, row.reference))
        parliament = parliaments[row.parliament]
        term = terms.get((row.parliament, row.term)) or terms.setdefault(
            (row.parliament, row.term), get_or_create_term(parliament, row.term)
        )
        ministry = None
        if row.ministry:
            key = (row.parliament, row.ministry)
            ministry = ministries.get(key) or ministries.setdefault(key, find_or_create_ministry(parliament, row.ministry))
        inquiry = Inquiry(
            parliament=parliament,
            term=term,
            reference=row.reference,
            kind=row.kind,
            title=row.title[:1000],
            answered_on=row.answered_on,
            answering_ministry=ministry,
            source_url=row.url[:500],
            source_notice=SOURCE_NOTICE,
            state=InquiryState.PUBLISHED,
            published_at=timezone.make_aware(datetime.datetime.combine(row.answered_on or datetime.date(2021, 1, 1), datetime.time(12))),
        )
        inquiry.refresh_deadline()
        inquiries.append(inquiry)
        row_askers = []
        for name in row.people:
            person_name = split_person_name(name)
            person = people.get(person_name.key)
            if person is None:
                person = Person.objects.create(
                    title=person_name.title,
                    first_name=person_name.first_name,
                    last_name=person_name.last_name,
                    slug=unique_slug(Person, f"{person_name.first_name} {person_name.last_name}", max_length=140),
                )
                people[person_name.key] = person
            faction_name = row.asker_factions.get(name)
            row_askers.append((person, _faction(factions, parliament, faction_name)))
        askers_of.append(row_askers)
        factions_of.append([f for f in (_faction(factions, parliament, name) for name in row.factions) if f])

    Inquiry.objects.bulk_create(inquiries, batch_size=500)
    links, faction_links = [], []
    spans: dict[tuple[int, int, int], list[datetime.date]] = defaultdict(list)
    for inquiry, row_askers, row_factions in zip(inquiries, askers_of, factions_of):
        used = set()
        for position, (person, faction) in enumerate(row_askers):
            if person.pk in used:
                continue
            used.add(person.pk)
            links.append(Asker(inquiry=inquiry, person=person, faction=faction, position=position))
            if faction is not None:
                spans[(person.pk, faction.pk, inquiry.term_id)].append(inquiry.answered_on or inquiry.term.start_date)
        for faction in {f.pk: f for f in row_factions}.values():
            faction_links.append(Inquiry.factions.through(inquiry_id=inquiry.pk, faction_id=faction.pk))
    Asker.objects.bulk_create(links, batch_size=1000)
    Inquiry.factions.through.objects.bulk_create(faction_links, batch_size=1000)
    _create_memberships(spans, terms)
    inquiries_changed([inquiry.pk for inquiry in inquiries])
    return len(inquiries)


def _faction(cache: dict, parliament, name: str | None) -> Faction | None:
    if not name:
        return None
    key = (parliament.code, name)
    if key not in cache:
        cache[key] = find_or_create_faction(parliament, name)
    return cache[key]


def _create_memberships(spans: dict[tuple[int, int, int], list], terms: dict) -> None:
    """A membership per person, group and term; narrowed to the dates seen when a person
    asked for more than one group in the same term (a change of group)."""
    term_by_pk = {term.pk: term for term in terms.values()}
    groups_per_person_term: dict[tuple[int, int], int] = defaultdict(int)
    for person_id, _faction_id, term_id in spans:
        groups_per_person_term[(person_id, term_id)] += 1
    existing = set(Membership.objects.values_list("person_id", "faction_id", "start_date"))
    memberships = []
    for (person_id, faction_id, term_id), days in spans.items():
        term = term_by_pk[term_id]
        days = [day for day in days if day]
        if groups_per_person_term[(person_id, term_id)] > 1 and days:
            start, end = min(days), max(days)
        else:
            start, end = term.start_date, term.end_date
        if (person_id, faction_id, start) in existing:
            continue
        existing.add((person_id, faction_id, start))
        memberships.append(Membership(person_id=person_id, faction_id=faction_id, start_date=start, end_date=end))
    Membership.objects.bulk_create(memberships, batch_size=1000)
