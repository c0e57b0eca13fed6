"""The parts of one inquiry its page shows, read by primary key in plain SQL.

The inquiry page is the site's most read page and each read here is a lookup by the
inquiry's id on an indexed column. Built by the ORM, each of these small queries cost more
Python (compiling the query, then building instances or values) than the database spent
answering it; as fixed SQL (as ``versions`` reads the data version) they cost a cursor call.
Only the identifiers come from the models' metadata; every value is a parameter.

Callers check that the inquiry is public first: these reads take any id.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import F

from inquiries.choices import AnswerKind, InquiryState, RefusalReason
from inquiries.models import AnswerTable, Asker, Inquiry, InquiryMinistry, Parliament, Person, Question

# Stand-ins for the request's values in the inquiry's statement, compiled once.
_CODE, _REFERENCE = "\x00parliament", "\x00reference"
# What the page uses of the parliament (its name, code and deadlines) and of the signer.
_PARLIAMENT_FIELDS = ("id", "code", "name", "minor_deadline_days", "major_deadline_days", "written_deadline_days")
_SIGNER_FIELDS = ("id", "title", "first_name", "last_name", "slug")


@dataclass(slots=True)
class PageQuestion:
    """A question with its answer as the page prints it (``inquiries/inquiry_html.py``)."""

    pk: int
    number: str
    text: str
    answer: str
    answer_kind: str
    refusal_reason: str
    # Its answer's tables (``AnswerTable``), read only for the questions that have any.
    tables: list[AnswerTable] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"frage-{self.number}"

    def get_answer_kind_display(self) -> str:
        # As Django's ``get_FOO_display``: the label, or the stored value when it has none.
        return str(AnswerKind(self.answer_kind).label) if self.answer_kind in AnswerKind.values else self.answer_kind

    def get_refusal_reason_display(self) -> str:
        return str(RefusalReason(self.refusal_reason).label) if self.refusal_reason in RefusalReason.values else self.refusal_reason


def _table(model: Any) -> str:
    return f'"{model._meta.db_table}"'


@functools.cache
def _statements() -> dict[str, str]:
    asker, person, question, table = _table(Asker), _table(Person), _table(Question), _table(AnswerTable)
    factions, ministries, history = _table(Inquiry.factions.through), _table(InquiryMinistry), _table(Inquiry.history.model)
    return {
        "askers": f'SELECT p."title", p."first_name", p."last_name", p."slug", a."faction_id" FROM {asker} a'
        f' INNER JOIN {person} p ON p."id" = a."person_id" WHERE a."inquiry_id" = %s ORDER BY a."position", a."id"',
        "factions": f'SELECT "faction_id" FROM {factions} WHERE "inquiry_id" = %s',
        "ministries": f'SELECT "role", "ministry_id" FROM {ministries} WHERE "inquiry_id" = %s ORDER BY "role", "position"',
        "questions": f'SELECT q."id", q."number", q."text", q."answer", q."answer_kind", q."refusal_reason",'
        f' EXISTS (SELECT 1 FROM {table} t WHERE t."question_id" = q."id") FROM {question} q'
        f' WHERE q."inquiry_id" = %s ORDER BY q."position"',
        "history": f'SELECT "state" FROM {history} WHERE "id" = %s ORDER BY "history_date", "history_id"',
    }


@functools.cache
def _inquiry_statement(alias: str) -> tuple[str, tuple]:
    """The public inquiry by parliament and reference, without its printed text, with the
    parliament's and the signer's columns: the ORM's SQL (visibility stays the queryset's),
    compiled once per database instead of on every page."""
    queryset = (
        Inquiry.objects.public()
        .filter(parliament__code=_CODE, reference=_REFERENCE)
        .defer("full_text")
        .annotate(
            **{f"page_parliament_{name}": F(f"parliament__{name}") for name in _PARLIAMENT_FIELDS},
            **{f"page_signer_{name}": F(f"signed_by__{name}") for name in _SIGNER_FIELDS},
        )
        .order_by()
    )
    return queryset.query.get_compiler(using=alias).as_sql()


def public_inquiry(parliament_code: str, reference: str) -> Inquiry | None:
    """The published or retracted inquiry ``reference`` of parliament ``parliament_code``
    (upper case), with its parliament and signer (their columns the page uses) attached."""
    alias = router.db_for_read(Inquiry)
    sql, params = _inquiry_statement(alias)
    values = [parliament_code if value == _CODE else reference if value == _REFERENCE else value for value in params]
    found = list(Inquiry.objects.db_manager(alias).raw(sql, values))
    if not found:
        return None
    inquiry = found[0]
    inquiry.parliament = Parliament.from_db(alias, _PARLIAMENT_FIELDS, [getattr(inquiry, f"page_parliament_{name}") for name in _PARLIAMENT_FIELDS])
    if inquiry.signed_by_id is not None:
        inquiry.signed_by = Person.from_db(alias, _SIGNER_FIELDS, [getattr(inquiry, f"page_signer_{name}") for name in _SIGNER_FIELDS])
    return inquiry


def _rows(name: str, inquiry_id: int) -> list[tuple]:
    with connections[router.db_for_read(Inquiry)].cursor() as cursor:
        cursor.execute(_statements()[name], [inquiry_id])
        return cursor.fetchall()


def asker_rows(inquiry_id: int) -> list[tuple[str, str, str, str, int | None]]:
    """(title, first name, last name, slug, faction id) of each asker, in the printed order."""
    return _rows("askers", inquiry_id)


def faction_ids(inquiry_id: int) -> list[int]:
    return [faction_id for (faction_id,) in _rows("factions", inquiry_id)]


def ministry_link_rows(inquiry_id: int) -> list[tuple[str, int]]:
    """(role, ministry id) of each involved ministry, by role, then in the printed order."""
    return _rows("ministries", inquiry_id)


def questions(inquiry_id: int) -> list[PageQuestion]:
    """The questions in order; the tables of those that have any in one more query."""
    result, with_tables = [], {}
    for pk, number, text, answer, answer_kind, refusal_reason, has_tables in _rows("questions", inquiry_id):
        question = PageQuestion(pk, number, text, answer, answer_kind, refusal_reason)
        result.append(question)
        if has_tables:
            with_tables[pk] = question
    if with_tables:
        tables: dict[int, list[AnswerTable]] = defaultdict(list)
        for table in AnswerTable.objects.filter(question_id__in=list(with_tables)):
            tables[table.question_id].append(table)
        for pk, question in with_tables.items():
            question.tables = tables[pk]
    return result


def corrected_after_publication(inquiry_id: int) -> bool:
    """Whether the inquiry's history holds a save after one that published it: only then can
    ``history.correction_log`` find an entry, so the page reads the whole history only then."""
    states = [state for (state,) in _rows("history", inquiry_id)]
    return InquiryState.PUBLISHED in states[:-1]
