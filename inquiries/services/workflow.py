"""The editorial workflow: publishing and withdrawing inquiries, with the editors' checks."""

from __future__ import annotations

import datetime
from typing import Any, Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries import validation
from inquiries.models import Inquiry, InquiryState
from inquiries.services import changes

class TransitionError(ValueError):
    """A change of state the workflow does not allow; the message tells the editor why."""


# draft → published → withdrawn, and a withdrawn inquiry may be published again. A draft
# may also be withdrawn (the askers withdrew it before it was published): it never shows.
TRANSITIONS: dict[str, frozenset[str]] = {
    InquiryState.DRAFT: frozenset({InquiryState.PUBLISHED, InquiryState.WITHDRAWN}),
    InquiryState.PUBLISHED: frozenset({InquiryState.WITHDRAWN}),
    InquiryState.WITHDRAWN: frozenset({InquiryState.PUBLISHED}),
}


def can_transition(inquiry: Inquiry, target: str) -> bool:
    return target in TRANSITIONS.get(inquiry.state, frozenset())


def publication_problems(inquiry: Inquiry) -> list[str]:
    """What keeps the stored inquiry from being published (empty: nothing)."""
    problems: list[str] = []
    if not inquiry.title.strip():
        problems.append(_("Der Titel fehlt."))
    problems += validation.reference_problems(inquiry.reference, inquiry.term.number)
    if inquiry.term.parliament_id != inquiry.parliament_id:
        problems.append(_("Die Wahlperiode %(term)s gehört zu einem anderen Parlament.") % {"term": inquiry.term})
    problems += validation.date_problems(inquiry.asked_on, inquiry.answered_on)
    problems += validation.question_number_problems(inquiry.questions.order_by("position").values_list("number", flat=True))
    for asker in inquiry.asker_links.select_related("person", "faction").order_by("position"):
        problem = validation.asker_faction_problem(asker.person, asker.faction, inquiry.parliament_id, inquiry.asked_on)
        if problem:
            problems.append(problem)
    return problems


def _locked(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().select_related("parliament", "term").get(pk=inquiry.pk)


def _refuse(current: Inquiry, target: str) -> TransitionError:
    reference = current.reference
    if current.state == target:
        messages = {
            InquiryState.PUBLISHED: _("Drucksache %(reference)s ist bereits veröffentlicht."),
            InquiryState.WITHDRAWN: _("Drucksache %(reference)s ist bereits zurückgezogen."),
        }
        return TransitionError(messages[target] % {"reference": reference})
    return TransitionError(
        _("Drucksache %(reference)s: von „%(state)s“ nach „%(target)s“ ist nicht möglich.")
        % {"reference": reference, "state": current.get_state_display(), "target": InquiryState(target).label}
    )


def _transition(inquiry: Inquiry, target: str, fields: Callable[[Inquiry], dict[str, Any]]) -> Inquiry:
    """Move ``inquiry`` to ``target`` after checking the stored row, locked against a parallel change."""
    current = _locked(inquiry)
    if not can_transition(current, target):
        raise _refuse(current, target)
    if target == InquiryState.PUBLISHED:
        problems = publication_problems(current)
        if problems:
            raise TransitionError(
                _("Drucksache %(reference)s kann nicht veröffentlicht werden: %(problems)s")
                % {"reference": current.reference, "problems": " ".join(problems)}
            )
    updates = fields(current)
    current.state = target
    for name, value in updates.items():
        setattr(current, name, value)
    current.save(update_fields=["state", *updates, "updated_at"])
    for name in ("state", *updates, "updated_at"):
        setattr(inquiry, name, getattr(current, name))
    changes.inquiries_changed([current.pk])
    return inquiry


@transaction.atomic
def publish(inquiry: Inquiry, *, at: datetime.datetime | None = None) -> Inquiry:
    """Make a draft (or a withdrawn inquiry) public; the first publication sets ``published_at``.

    Raises ``TransitionError`` when the inquiry is already public or its data does not pass
    the editors' checks (reference, dates, question numbers, askers' factions).
    """
    return _transition(
        inquiry,
        InquiryState.PUBLISHED,
        lambda current: {"published_at": current.published_at or at or timezone.now(), "withdrawn_reason": ""},
    )


@transaction.atomic
def withdraw(inquiry: Inquiry, *, reason: str) -> Inquiry:
    """Take an inquiry off all public lists (or keep a draft from ever reaching them); the reason is shown in its place."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Zum Zurückziehen wird ein Grund benötigt."))
    return _transition(inquiry, InquiryState.WITHDRAWN, lambda current: {"withdrawn_reason": reason})


