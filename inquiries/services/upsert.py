"""The single upsert of an inquiry.v1 record, and the rules every write of an inquiry shares.

``inquiry_fields`` is the one mapping from a record to an inquiry's fields, used here
and by the bulk writer (``services.bulk``); reference rows come from one ``Resolver``.
"""

from __future__ import annotations

import datetime
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from inquiries import answer_tables
from inquiries.exchange import check_record_rules, validate_record
from inquiries.models import Asker, Inquiry, InquiryMinistry, InquiryState, MinistryRole, Question
from inquiries.services import changes
from inquiries.services.editing import ensure_history_baseline
from inquiries.services.reference import Resolver


def record_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def inquiry_fields(record: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    """The fields of the inquiry a record describes, by attribute name (state and times aside).

    The reference rows (term, answering ministry, signer) come from ``resolver``; in bulk
    mode a new signer is not saved yet.
    """
    code = record["parliament"]
    ministry_name = record.get("answering_ministry")
    signer = record.get("signed_by")
    return {
        "term": resolver.term(code, record["term"]),
        "kind": record["kind"],
        "title": record["title"].strip(),
        "asked_on": record_date(record.get("asked_on")),
        "answered_on": record_date(record.get("answered_on")),
        "explanation": record.get("explanation") or "",
        "government_preface": record.get("government_preface") or "",
        "full_text": record.get("full_text") or "",
        "source_url": record.get("source_url") or "",
        "related_references": list(record.get("related_references") or []),
        "topics": list(record.get("topics") or []),
        "answering_ministry": resolver.ministry(code, ministry_name) if ministry_name else None,
        "signed_by": resolver.person(signer["name"]) if signer else None,
        "signed_by_role": (signer or {}).get("role") or "",
    }


def asker_rows(record: dict[str, Any], resolver: Resolver) -> Iterable[tuple[int, Any, Any]]:
    """(position, person, faction) of each asker, a person once; their memberships are ensured.

    The membership must cover the day asked, or the day answered where that is all a record
    has (the archive), or else the term's start.
    """
    code = record["parliament"]
    term = resolver.term(code, record["term"])
    asked_on = record_date(record.get("asked_on")) or record_date(record.get("answered_on"))
    seen: set[int] = set()
    for position, asker in enumerate(record.get("askers") or []):
        person = resolver.person(asker["name"])
        # An unsaved person (bulk mode) is one object per name.
        key = person.pk if person.pk is not None else id(person)
        if key in seen:
            continue
        seen.add(key)
        faction = resolver.faction(code, asker.get("faction"))
        if faction is not None:
            resolver.membership(person, faction, term, asked_on)
        yield position, person, faction


def faction_rows(record: dict[str, Any], resolver: Resolver) -> list[Any]:
    """The asking factions, each once, in the record's order."""
    found = {}
    for name in record.get("factions") or []:
        faction = resolver.faction(record["parliament"], name)
        if faction is not None:
            found.setdefault(faction.pk, faction)
    return list(found.values())


def ministry_rows(record: dict[str, Any], resolver: Resolver) -> Iterable[tuple[str, int, Any]]:
    """(role, position, ministry) of the consulted ministries and those sent a copy, each once per role."""
    for role, names in ((MinistryRole.CONSULTED, record.get("consulted_ministries")), (MinistryRole.COPIED, record.get("copied_to"))):
        seen: set[int] = set()
        for position, name in enumerate(names or []):
            ministry = resolver.ministry(record["parliament"], name)
            if ministry.pk in seen:
                continue
            seen.add(ministry.pk)
            yield str(role), position, ministry


@transaction.atomic
def upsert_inquiry(
    record: dict[str, Any],
    *,
    state: str | None = None,
    published_at: datetime.datetime | None = None,
    resolver: Resolver | None = None,
) -> tuple[Inquiry, bool]:
    """Create or update the inquiry of an inquiry.v1 record; returns it and whether it is new.

    An existing inquiry (same parliament and reference) is updated in place: its
    questions keep their rows where the position is the same, so that the history
    of an answer stays attached to it. ``state`` applies to new inquiries and drafts;
    a published or withdrawn inquiry keeps its state.
    """
    validate_record(record)
    check_record_rules(record)
    resolver = resolver or Resolver()
    parliament = resolver.parliament(record["parliament"])

    inquiry = Inquiry.objects.filter(parliament=parliament, reference=record["reference"]).first()
    created = inquiry is None
    if created:
        inquiry = Inquiry(parliament=parliament, reference=record["reference"])
    else:
        ensure_history_baseline(inquiry)
    for name, value in inquiry_fields(record, resolver).items():
        setattr(inquiry, name, value)
    # A public or withdrawn inquiry keeps its state: a re-import corrects its content (and
    # shows in the correction log), only publish() and withdraw() change the state.
    if state is not None and (created or inquiry.state == InquiryState.DRAFT):
        inquiry.state = state
    if inquiry.state == InquiryState.PUBLISHED and inquiry.published_at is None:
        inquiry.published_at = published_at or timezone.now()
    inquiry.save()

    inquiry.asker_links.all().delete()
    for position, person, faction in asker_rows(record, resolver):
        Asker.objects.create(inquiry=inquiry, person=person, faction=faction, position=position)
    inquiry.factions.set(faction_rows(record, resolver))
    inquiry.ministry_links.all().delete()
    links = [
        InquiryMinistry(inquiry=inquiry, ministry=ministry, role=role, position=position)
        for role, position, ministry in ministry_rows(record, resolver)
    ]
    if links:
        bulk_create_with_history(links, InquiryMinistry, default_user=None)
    _replace_questions(inquiry, record.get("questions") or [])
    changes.inquiries_changed([inquiry.pk])
    return inquiry, created


def _replace_questions(inquiry: Inquiry, questions: list[dict]) -> None:
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
        question.classify_answer()
        (keep if question.pk else create).append(question)
    Question.objects.filter(pk__in=[question.pk for question in existing.values()]).delete()
    # With history, so that a re-import of a corrected answer shows in the correction log.
    if keep:
        bulk_update_with_history(keep, Question, ["number", "text", "answer", "answer_kind", "refusal_reason"], default_user=None)
    if create:
        bulk_create_with_history(create, Question, default_user=None)
    answer_tables.replace_tables(list(inquiry.questions.order_by("position")), questions)
