"""Helpers for driving the inquiry admin in tests."""

from __future__ import annotations

import json

from django.urls import reverse

from inquiries.models import Inquiry


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:inquiries_inquiry_{name}", args=args)


def change_data(inquiry: Inquiry, **overrides) -> dict:
    """The POST data of the inquiry's change form as it stands, with ``overrides``."""
    questions = list(inquiry.questions.order_by("position"))
    askers = list(inquiry.asker_links.all())
    links = list(inquiry.ministry_links.all())
    data = {
        "parliament": str(inquiry.parliament_id),
        "term": str(inquiry.term_id),
        "reference": inquiry.reference,
        "kind": inquiry.kind,
        "title": inquiry.title,
        "asked_on": inquiry.asked_on.isoformat() if inquiry.asked_on else "",
        "answered_on": inquiry.answered_on.isoformat() if inquiry.answered_on else "",
        "answering_ministry": str(inquiry.answering_ministry_id or ""),
        "signed_by": "",
        "signed_by_role": "",
        "explanation": inquiry.explanation,
        "government_preface": inquiry.government_preface,
        "full_text": inquiry.full_text,
        "source_url": inquiry.source_url,
        "source_notice": inquiry.source_notice,
        "related_references": json.dumps(inquiry.related_references),
        "topics": json.dumps(inquiry.topics),
        "asker_links-TOTAL_FORMS": str(len(askers)),
        "asker_links-INITIAL_FORMS": str(len(askers)),
        "ministry_links-TOTAL_FORMS": str(len(links)),
        "ministry_links-INITIAL_FORMS": str(len(links)),
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
    }
    for index, asker in enumerate(askers):
        data.update(
            {
                f"asker_links-{index}-id": str(asker.pk),
                f"asker_links-{index}-inquiry": str(inquiry.pk),
                f"asker_links-{index}-person": str(asker.person_id),
                f"asker_links-{index}-faction": str(asker.faction_id or ""),
                f"asker_links-{index}-position": str(asker.position),
            }
        )
    for index, link in enumerate(links):
        data.update(
            {
                f"ministry_links-{index}-id": str(link.pk),
                f"ministry_links-{index}-inquiry": str(inquiry.pk),
                f"ministry_links-{index}-ministry": str(link.ministry_id),
                f"ministry_links-{index}-role": link.role,
                f"ministry_links-{index}-position": str(link.position),
            }
        )
    for index, question in enumerate(questions):
        data.update(
            {
                f"questions-{index}-id": str(question.pk),
                f"questions-{index}-inquiry": str(inquiry.pk),
                f"questions-{index}-position": str(question.position),
                f"questions-{index}-number": question.number,
                f"questions-{index}-text": question.text,
                f"questions-{index}-answer": question.answer,
            }
        )
    data["factions"] = [str(pk) for pk in inquiry.factions.values_list("pk", flat=True)]
    data.update(overrides)
    return data


def add_question(data: dict, *, position: str, number: str, text: str, answer: str = "") -> dict:
    """Append a new question form to change-form data."""
    index = int(data["questions-TOTAL_FORMS"])
    data.update(
        {
            f"questions-{index}-position": position,
            f"questions-{index}-number": number,
            f"questions-{index}-text": text,
            f"questions-{index}-answer": answer,
            "questions-TOTAL_FORMS": str(index + 1),
        }
    )
    return data
