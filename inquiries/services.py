"""Every write to the domain: upserts from imports, reference data, publishing.

All functions that change several rows are transactional, so an import either
lands whole or not at all.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from inquiries.exchange import RecordError, validate_record
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    InquiryState,
    Membership,
    Ministry,
    MinistryRole,
    Parliament,
    Person,
    Question,
    Term,
)
from inquiries.names import NON_FACTIONS, faction_key, fold, ministry_display_name, ministry_key, split_person_name

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


def unique_slug(model, base: str, *, max_length: int = 120, **scope: Any) -> str:
    """A slug from ``base`` not yet used by ``model`` within ``scope``."""
    root = (slugify(base.translate(str.maketrans({"ß": "ss"}))) or "x")[: max_length - 6]
    existing = set(model.objects.filter(slug__startswith=root, **scope).values_list("slug", flat=True))
    for n in itertools.count(1):
        candidate = root if n == 1 else f"{root}-{n}"
        if candidate not in existing:
            return candidate
    raise AssertionError("unreachable")


# --- reference data -----------------------------------------------------------------


def get_or_create_parliament(code: str) -> Parliament:
    code = code.upper()
    parliament, _ = Parliament.objects.get_or_create(code=code, defaults={"name": PARLIAMENT_NAMES.get(code, code)})
    return parliament


def get_or_create_term(parliament: Parliament, number: int) -> Term:
    term, _ = Term.objects.get_or_create(parliament=parliament, number=number)
    return term


def find_or_create_person(printed_name: str) -> Person:
    """The person printed as ``printed_name``, matched despite titles and "Abg."."""
    name = split_person_name(printed_name)
    if not name.last_name:
        raise RecordError(f"no name in {printed_name!r}")
    first_key, last_key = name.key
    for candidate in Person.objects.filter(last_name__iexact=name.last_name):
        if fold(candidate.first_name) == first_key and fold(candidate.last_name) == last_key:
            if name.title and not candidate.title:
                candidate.title = name.title
                candidate.save(update_fields=["title"])
            return candidate
    return Person.objects.create(
        title=name.title,
        first_name=name.first_name,
        last_name=name.last_name,
        slug=unique_slug(Person, f"{name.first_name} {name.last_name}", max_length=140),
    )


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


def find_or_create_ministry(parliament: Parliament, printed: str) -> Ministry:
    """The ministry printed as ``printed`` in any grammatical form; created when new."""
    ministry = find_ministry(parliament, printed)
    if ministry is None:
        name = _ministry_display_name(printed)
        ministry = Ministry.objects.create(
            parliament=parliament, name=name, slug=unique_slug(Ministry, name, parliament=parliament)
        )
    return ministry


def _ministry_display_name(printed: str) -> str:
    """"des Ministeriums für Finanzen" → "Ministerium für Finanzen" for a new record."""
    return ministry_display_name(printed)


def ensure_membership(person: Person, faction: Faction, term: Term, on: datetime.date | None) -> None:
    """Record that ``person`` sat in ``faction`` during ``term`` unless already known."""
    existing = Membership.objects.filter(person=person, faction=faction)
    day = on or term.start_date
    if day is not None and existing.valid_on(day).exists():
        return
    if day is None and existing.exists():
        return
    Membership.objects.get_or_create(
        person=person, faction=faction, start_date=term.start_date, defaults={"end_date": term.end_date}
    )


# --- inquiries ------------------------------------------------------------------------


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def upsert_inquiry(
    record: dict[str, Any],
    *,
    state: str | None = None,
    published_at: datetime.datetime | None = None,
) -> tuple[Inquiry, bool]:
    """Create or update the inquiry of an inquiry.v1 record; returns it and whether it is new.

    An existing inquiry (same parliament and reference) is updated in place: its
    questions keep their rows where the position is the same, so that the history
    of an answer stays attached to it.
    """
    validate_record(record)
    parliament = get_or_create_parliament(record["parliament"])
    term = get_or_create_term(parliament, record["term"])
    if record["reference"].split("/", 1)[0] != str(record["term"]):
        raise RecordError(f"reference: {record['reference']} does not belong to term {record['term']}")
    asked_on, answered_on = _date(record.get("asked_on")), _date(record.get("answered_on"))
    if asked_on and answered_on and answered_on < asked_on:
        raise RecordError(f"answered_on: {answered_on} is before asked_on {asked_on}")

    inquiry = Inquiry.objects.filter(parliament=parliament, reference=record["reference"]).first()
    created = inquiry is None
    if created:
        inquiry = Inquiry(parliament=parliament, reference=record["reference"])
    inquiry.term = term
    inquiry.kind = record["kind"]
    inquiry.title = record["title"].strip()
    inquiry.asked_on = asked_on
    inquiry.answered_on = answered_on
    inquiry.explanation = record.get("explanation") or ""
    inquiry.government_preface = record.get("government_preface") or ""
    inquiry.full_text = record.get("full_text") or ""
    inquiry.source_url = record.get("source_url") or ""
    inquiry.related_references = list(record.get("related_references") or [])
    inquiry.topics = list(record.get("topics") or [])
    ministry_name = record.get("answering_ministry")
    inquiry.answering_ministry = find_or_create_ministry(parliament, ministry_name) if ministry_name else None
    signer = record.get("signed_by")
    inquiry.signed_by = find_or_create_person(signer["name"]) if signer else None
    inquiry.signed_by_role = (signer or {}).get("role") or ""
    if state is not None:
        inquiry.state = state
    if inquiry.state == InquiryState.PUBLISHED and inquiry.published_at is None:
        inquiry.published_at = published_at or timezone.now()
    inquiry.save()

    _replace_askers(inquiry, record.get("askers") or [], term, asked_on)
    factions = [find_or_create_faction(parliament, name) for name in record.get("factions") or []]
    inquiry.factions.set([faction for faction in factions if faction is not None])
    _replace_ministry_links(inquiry, parliament, record)
    _replace_questions(inquiry, record.get("questions") or [])
    inquiries_changed([inquiry.pk])
    return inquiry, created


def _replace_askers(inquiry: Inquiry, askers: list[dict], term: Term, asked_on: datetime.date | None) -> None:
    inquiry.asker_links.all().delete()
    seen: set[int] = set()
    for position, asker in enumerate(askers):
        person = find_or_create_person(asker["name"])
        if person.pk in seen:
            continue
        seen.add(person.pk)
        faction = find_or_create_faction(inquiry.parliament, asker.get("faction"))
        if faction is not None:
            ensure_membership(person, faction, term, asked_on)
        Asker.objects.create(inquiry=inquiry, person=person, faction=faction, position=position)


def _replace_ministry_links(inquiry: Inquiry, parliament: Parliament, record: dict) -> None:
    inquiry.ministry_links.all().delete()
    links = []
    for role, names in ((MinistryRole.CONSULTED, record.get("consulted_ministries")), (MinistryRole.COPIED, record.get("copied_to"))):
        seen: set[int] = set()
        for position, name in enumerate(names or []):
            ministry = find_or_create_ministry(parliament, name)
            if ministry.pk in seen:
                continue
            seen.add(ministry.pk)
            links.append(InquiryMinistry(inquiry=inquiry, ministry=ministry, role=role, position=position))
    InquiryMinistry.objects.bulk_create(links)


def _replace_questions(inquiry: Inquiry, questions: list[dict]) -> None:
    numbers = [question["number"] for question in questions]
    duplicates = {number for number in numbers if numbers.count(number) > 1}
    if duplicates:
        raise RecordError(f"questions: number {sorted(duplicates)[0]} appears twice")
    existing = {question.position: question for question in inquiry.questions.all()}
    # Park the kept rows on free numbers first, so renumbering never trips the
    # unique (inquiry, number) constraint halfway through.
    for question in existing.values():
        question.number = f"~{question.position}"
    Question.objects.bulk_update(existing.values(), ["number"])
    keep, create = [], []
    for position, data in enumerate(questions, start=1):
        question = existing.pop(position, None) or Question(inquiry=inquiry, position=position)
        question.number = data["number"]
        question.text = data["text"]
        question.answer = data.get("answer") or ""
        (keep if question.pk else create).append(question)
    Question.objects.filter(pk__in=[question.pk for question in existing.values()]).delete()
    Question.objects.bulk_update(keep, ["number", "text", "answer"])
    Question.objects.bulk_create(create)


def inquiries_changed(inquiry_ids: Iterable[int]) -> None:
    """Bring everything derived from inquiries up to date after they were written.

    Every write path (upsert, bulk loaders, admin, publishing) calls this with the
    ids it changed, so that derived data such as the search index has one hook.
    """
    from inquiries import search

    search.update_index(list(inquiry_ids))


# --- publishing -----------------------------------------------------------------------


def publish(inquiry: Inquiry, *, at: datetime.datetime | None = None) -> Inquiry:
    inquiry.state = InquiryState.PUBLISHED
    inquiry.published_at = inquiry.published_at or at or timezone.now()
    inquiry.withdrawn_reason = ""
    inquiry.save(update_fields=["state", "published_at", "withdrawn_reason", "updated_at"])
    inquiries_changed([inquiry.pk])
    return inquiry


def withdraw(inquiry: Inquiry, *, reason: str) -> Inquiry:
    if not reason.strip():
        raise ValueError("a withdrawal needs a reason")
    inquiry.state = InquiryState.WITHDRAWN
    inquiry.withdrawn_reason = reason.strip()
    inquiry.save(update_fields=["state", "withdrawn_reason", "updated_at"])
    inquiries_changed([inquiry.pk])
    return inquiry


def recompute_deadlines(inquiries: Iterable[Inquiry] | None = None) -> int:
    """Refresh stored due dates and answer times, e.g. after a parliament's rule changed."""
    queryset = Inquiry.objects.select_related("parliament") if inquiries is None else inquiries
    changed = []
    for inquiry in queryset:
        before = (inquiry.due_on, inquiry.answer_days, inquiry.reference_number)
        inquiry.refresh_deadline()
        if (inquiry.due_on, inquiry.answer_days, inquiry.reference_number) != before:
            changed.append(inquiry)
    Inquiry.objects.bulk_update(changed, ["due_on", "answer_days", "reference_number"], batch_size=500)
    return len(changed)


__all__ = [
    "PARLIAMENT_NAMES",
    "RecordError",
    "ensure_membership",
    "find_faction",
    "find_ministry",
    "find_or_create_faction",
    "find_or_create_ministry",
    "find_or_create_person",
    "get_or_create_parliament",
    "get_or_create_term",
    "inquiries_changed",
    "publish",
    "recompute_deadlines",
    "unique_slug",
    "upsert_inquiry",
    "withdraw",
]
