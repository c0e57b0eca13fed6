"""Reference data every write needs: parliaments, terms, people, factions, ministries, memberships.

``Resolver`` is the one way a write finds (or creates) these rows from what a record
prints; it caches what it found, so a batch of records asks the database once per
distinct name. The single upsert uses a fresh resolver per record, the bulk writer one
per import (``bulk=True``: people and memberships are collected and written in bulk).
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import defaultdict
from typing import Any

from django.utils.text import slugify

from inquiries.exchange import RecordError
from inquiries.models import Faction, Membership, Ministry, Parliament, Person, Term
from inquiries.names import NON_FACTIONS, faction_key, fold, ministry_display_name, ministry_key, slug_base, split_person_name

PARLIAMENT_NAMES = {
    "BT": "Deutscher Bundestag",
    "BW": "Landtag von Baden-Württemberg",
    "BY": "Bayerischer Landtag",
    "BE": "Abgeordnetenhaus Berlin",
    "BB": "Landtag Brandenburg",
    "HB": "Bremische Bürgerschaft",
    "HH": "Hamburgische Bürgerschaft",
    "HE": "Hessischer Landtag",
    "MV": "Landtag Mecklenburg-Vorpommern",
    "NI": "Niedersächsischer Landtag",
    "NW": "Landtag Nordrhein-Westfalen",
    "RP": "Landtag Rheinland-Pfalz",
    "SL": "Landtag des Saarlandes",
    "SN": "Sächsischer Landtag",
    "ST": "Landtag von Sachsen-Anhalt",
    "SH": "Schleswig-Holsteinischer Landtag",
    "TH": "Thüringer Landtag",
}

PERSON_SLUG_LENGTH = 140


def _slug_root(base: str, max_length: int) -> str:
    return (slugify(slug_base(base)) or "x")[: max_length - 6]


def _free_slug(root: str, taken: set[str]) -> str:
    for n in itertools.count(1):
        candidate = root if n == 1 else f"{root}-{n}"
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable")


def unique_slug(model, base: str, *, max_length: int = 120, **scope: Any) -> str:
    """A slug from ``base`` not yet used by ``model`` within ``scope``."""
    root = _slug_root(base, max_length)
    return _free_slug(root, set(model.objects.filter(slug__startswith=root, **scope).values_list("slug", flat=True)))


def get_or_create_parliament(code: str) -> Parliament:
    code = code.upper()
    parliament, _ = Parliament.objects.get_or_create(code=code, defaults={"name": PARLIAMENT_NAMES.get(code, code)})
    return parliament


def get_or_create_term(parliament: Parliament, number: int) -> Term:
    term, _ = Term.objects.get_or_create(parliament=parliament, number=number)
    return term


def find_or_create_person(printed_name: str) -> Person:
    """The person printed as ``printed_name``, matched despite titles and "Abg."."""
    return Resolver().person(printed_name)


def find_faction(parliament: Parliament, printed: str | None) -> Faction | None:
    if printed is None or fold(printed) in NON_FACTIONS:
        return None
    key = faction_key(printed)
    for faction in Faction.objects.filter(parliament=parliament):
        if faction_key(faction.short_name) == key or (faction.name and faction_key(faction.name) == key):
            return faction
    return None


def find_or_create_faction(parliament: Parliament, printed: str | None) -> Faction | None:
    """The faction printed as ``printed``; ``None`` for members without a group."""
    if printed is None or fold(printed) in NON_FACTIONS:
        return None
    faction = find_faction(parliament, printed)
    if faction is None:
        short_name = printed.strip()
        faction = Faction.objects.create(
            parliament=parliament,
            short_name=short_name,
            slug=unique_slug(Faction, short_name, max_length=80, parliament=parliament),
        )
    return faction


def find_ministry(parliament: Parliament, printed: str) -> Ministry | None:
    key = ministry_key(printed)
    for ministry in Ministry.objects.filter(parliament=parliament):
        if ministry_key(ministry.name) == key:
            return ministry
    return None


def find_or_create_ministry(parliament: Parliament, printed: str, *, exact: bool = False) -> Ministry:
    """The ministry printed as ``printed`` in any grammatical form; created when new.

    A new ministry is named in the nominative (``ministry_display_name``), or with
    ``exact`` as given (an exported record already carries the record's name).
    """
    ministry = find_ministry(parliament, printed)
    if ministry is None:
        name = re.sub(r"\s+", " ", printed).strip() if exact else ministry_display_name(printed)
        ministry = Ministry.objects.create(
            parliament=parliament, name=name, slug=unique_slug(Ministry, name, parliament=parliament)
        )
    return ministry


def covers(spans: list[tuple[datetime.date | None, datetime.date | None]], day: datetime.date | None) -> bool:
    """Whether one of the (start, end) spans covers ``day`` (no day: any span will do)."""
    return any(day is None or ((start is None or start <= day) and (end is None or day <= end)) for start, end in spans)


def ensure_membership(person: Person, faction: Faction, term: Term, on: datetime.date | None) -> None:
    """Record that ``person`` sat in ``faction`` during ``term`` unless already known."""
    Resolver().membership(person, faction, term, on)


class Resolver:
    """Finds or creates the reference rows a record names, remembering each answer.

    With ``bulk``, every person and membership is loaded once, and new ones are kept
    until ``save_new`` writes them in one go (the caller calls it before rows point to
    them); otherwise each is looked up and created as it is met. Both follow the same
    rules: a person by the name key (titles and "Abg." aside), the oldest match wins and
    a new one gets a free slug; a faction by its folded short or long name; a ministry
    by its name in any grammatical form; a membership unless one covers the day asked.
    """

    def __init__(self, *, bulk: bool = False, exact_ministry_names: bool = False) -> None:
        self.bulk = bulk
        self.exact_ministry_names = exact_ministry_names
        self.reset()

    def reset(self) -> None:
        """Forget everything cached (after a rollback the rows may not exist)."""
        self.parliaments: dict[str, Parliament] = {}
        self.terms: dict[tuple[str, int], Term] = {}
        self.factions: dict[tuple[str, str], Faction | None] = {}
        self.ministries: dict[tuple[str, str], Ministry] = {}
        self.printed_people: dict[str, Person] = {}
        self.people: dict[str, Person] | None = None
        self.slugs: set[str] | None = None
        self.memberships: dict[tuple[int, int], list[tuple[datetime.date | None, datetime.date | None]]] | None = None
        self.new_people: list[Person] = []
        self.membership_requests: list[tuple[Person, Faction, Term, datetime.date | None]] = []

    def _load(self) -> None:
        if self.people is not None:
            return
        self.people = {}
        for person in Person.objects.order_by("pk"):
            self.people.setdefault(person.name_key, person)
        self.slugs = set(Person.objects.values_list("slug", flat=True))
        self.memberships = defaultdict(list)
        for person_id, faction_id, start, end in Membership.objects.values_list("person_id", "faction_id", "start_date", "end_date"):
            self.memberships[(person_id, faction_id)].append((start, end))

    def parliament(self, code: str) -> Parliament:
        if code not in self.parliaments:
            self.parliaments[code] = get_or_create_parliament(code)
        return self.parliaments[code]

    def term(self, code: str, number: int) -> Term:
        if (code, number) not in self.terms:
            self.terms[(code, number)] = get_or_create_term(self.parliament(code), number)
        return self.terms[(code, number)]

    def faction(self, code: str, printed: str | None) -> Faction | None:
        if printed is None:
            return None
        key = (code, printed)
        if key not in self.factions:
            self.factions[key] = find_or_create_faction(self.parliament(code), printed)
        return self.factions[key]

    def ministry(self, code: str, printed: str) -> Ministry:
        if (code, printed) in self.ministries:
            return self.ministries[(code, printed)]
        key = (code, "\0" + ministry_key(printed))
        if key not in self.ministries:
            self.ministries[key] = find_or_create_ministry(self.parliament(code), printed, exact=self.exact_ministry_names)
        self.ministries[(code, printed)] = self.ministries[key]
        return self.ministries[key]

    def person(self, printed: str) -> Person:
        """The person printed as ``printed``; in bulk mode a new one is unsaved until ``save_new``."""
        person = self.printed_people.get(printed)
        if person is None:
            person = self.printed_people[printed] = self._match_person(printed)
        return person

    def _match_person(self, printed: str) -> Person:
        name = split_person_name(printed)
        if not name.last_name:
            raise RecordError(f"no name in {printed!r}")
        if self.bulk:
            self._load()
            person = self.people.get(name.key)
            if person is None:
                slug = _free_slug(_slug_root(f"{name.first_name} {name.last_name}", PERSON_SLUG_LENGTH), self.slugs)
                self.slugs.add(slug)
                # bulk_create skips Person.save(), which fills the matching key.
                person = Person(title=name.title, first_name=name.first_name, last_name=name.last_name, slug=slug, name_key=name.key)
                self.people[name.key] = person
                self.new_people.append(person)
            elif name.title and not person.title:
                person.title = name.title
                if person.pk is not None:
                    Person.objects.filter(pk=person.pk).update(title=name.title)
            return person
        person = Person.objects.filter(name_key=name.key).order_by("pk").first()
        if person is not None:
            if name.title and not person.title:
                person.title = name.title
                person.save(update_fields=["title"])
            return person
        return Person.objects.create(
            title=name.title,
            first_name=name.first_name,
            last_name=name.last_name,
            slug=unique_slug(Person, f"{name.first_name} {name.last_name}", max_length=PERSON_SLUG_LENGTH),
        )

    def membership(self, person: Person, faction: Faction, term: Term, on: datetime.date | None) -> None:
        """Record that ``person`` sat in ``faction`` during ``term`` unless a membership covers ``on``
        (or, without a day, the term's start; without either, any membership of that faction)."""
        day = on or term.start_date
        if self.bulk:
            self.membership_requests.append((person, faction, term, day))
            return
        existing = Membership.objects.filter(person=person, faction=faction)
        if day is not None and existing.valid_on(day).exists():
            return
        if day is None and existing.exists():
            return
        Membership.objects.get_or_create(
            person=person, faction=faction, start_date=term.start_date, defaults={"end_date": term.end_date}
        )

    def save_new_people(self) -> None:
        """Write the people met since the last call (bulk mode), before rows point to them."""
        Person.objects.bulk_create(self.new_people, batch_size=500)
        self.new_people = []

    def save_new_memberships(self) -> None:
        """Write the memberships asked for since the last call (bulk mode), each unless known.

        A membership spans the term; when a person asked for more than one group in the
        same term among these records (a change of group), each spans the days seen instead.
        """
        self._load()
        # Keyed by ids: hashing model instances costs a Python call each, for every asker.
        days: dict[tuple[int, int, int], list[datetime.date | None]] = defaultdict(list)
        rows: dict[tuple[int, int, int], tuple[Person, Faction, Term]] = {}
        # (``.id``, the primary key's attribute itself: ``.pk`` is a property, a call each.)
        for person, faction, term, day in self.membership_requests:
            key = (person.id, faction.id, term.id)
            days[key].append(day)
            rows.setdefault(key, (person, faction, term))
        self.membership_requests = []
        groups: dict[tuple[int, int], int] = defaultdict(int)
        for person_id, _faction_id, term_id in days:
            groups[(person_id, term_id)] += 1
        new: list[Membership] = []
        for key, seen in days.items():
            person, faction, term = rows[key]
            dated = [day for day in seen if day is not None]
            if groups[(person.id, term.id)] > 1 and dated:
                start, end = min(dated), max(dated)
            else:
                start, end = term.start_date, term.end_date
            known = self.memberships[(person.id, faction.id)]
            if all(covers(known, day) for day in seen) or any(known_start == start for known_start, _ in known):
                continue
            known.append((start, end))
            new.append(Membership(person=person, faction=faction, start_date=start, end_date=end))
        Membership.objects.bulk_create(new, batch_size=1000)
