"""The stored reference number, due date and answer time of an inquiry (no database needed).

``Inquiry.save`` keeps them in step through ``Inquiry.refresh_deadline``; the bulk writer,
which inserts plain rows, computes them with the same function.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple


class Deadline(NamedTuple):
    reference_number: int
    due_on: datetime.date | None
    answer_days: int | None


def deadline(
    reference: str, asked_on: datetime.date | None, answered_on: datetime.date | None, deadline_days: int | None
) -> Deadline:
    """The number after the slash of ``reference`` (0 if none), the due date by the parliament's
    rule of ``deadline_days`` and the days the answer took (None where a date is missing)."""
    try:
        number = int(reference.split("/", 1)[1])
    except (IndexError, ValueError):
        number = 0
    due_on = asked_on + datetime.timedelta(days=deadline_days) if asked_on and deadline_days is not None else None
    answer_days = (answered_on - asked_on).days if asked_on and answered_on and answered_on >= asked_on else None
    return Deadline(number, due_on, answer_days)
