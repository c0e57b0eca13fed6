"""Edits outside the import paths: the history baseline of bulk-written rows, the admin's
question renumbering and stored deadlines after a rule changed."""

from __future__ import annotations

from typing import Iterable

from django.utils import timezone

from inquiries.models import Asker, Inquiry, InquiryMinistry, Question


def ensure_history_baseline(inquiry: Inquiry) -> None:
    """Record the stored state of an inquiry and its parts where the history has none yet.

    Rows written in bulk (the archive loader) have no history. Before their first change
    their state is recorded, dated with the inquiry's first record, so that the change can
    be told apart from what was there (see ``selectors.history.correction_log``).
    """
    history = Inquiry.history.filter(id=inquiry.pk)
    first = history.order_by("history_date", "history_id").first()
    if first is None:
        stored = Inquiry.objects.get(pk=inquiry.pk)
        stored._history_user = None
        Inquiry.history.bulk_history_create([stored], default_date=timezone.now())
        first = history.order_by("history_date", "history_id").first()
    for model in (Question, Asker, InquiryMinistry):
        tracked = set(model.history.filter(inquiry_id=inquiry.pk).values_list("id", flat=True))
        missing = [row for row in model.objects.filter(inquiry_id=inquiry.pk) if row.pk not in tracked]
        for row in missing:
            row._history_user = None
        if missing:
            model.history.bulk_history_create(missing, default_date=first.history_date)


def free_question_slots(question_ids: Iterable[int]) -> None:
    """Move questions to temporary numbers and positions before they are saved one by one.

    The admin saves a renumbered list row by row; parked first, no row ever collides with
    the unique number and position of another. The parking is not recorded in the history.
    """
    for offset, question_id in enumerate(question_ids):
        Question.objects.filter(pk=question_id).update(number=f"~{question_id}", position=30000 + offset)


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


