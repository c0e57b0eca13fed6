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
from inquiries.models import AnswerTable, Asker, Faction, Inquiry, InquiryMinistry, Ministry, Parliament, Person, Question

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
    faction, ministry, parliament = _table(Faction), _table(Ministry), _table(Parliament)
    return {
        "askers": f'SELECT p."title", p."first_name", p."last_name", p."slug", f."slug", f."short_name", fp."code" FROM {asker} a'
        f' INNER JOIN {person} p ON p."id" = a."person_id" LEFT OUTER JOIN {faction} f ON f."id" = a."faction_id"'
        f' LEFT OUTER JOIN {parliament} fp ON fp."id" = f."parliament_id" WHERE a."inquiry_id" = %s ORDER BY a."position", a."id"',
        "factions": f'SELECT f."slug", f."short_name", fp."code" FROM {factions} x INNER JOIN {faction} f ON f."id" = x."faction_id"'
        f' INNER JOIN {parliament} fp ON fp."id" = f."parliament_id" WHERE x."inquiry_id" = %s',
        "ministries": f'SELECT x."role", m."slug", m."name", mp."code" FROM {ministries} x INNER JOIN {ministry} m ON m."id" = x."ministry_id"'
        f' INNER JOIN {parliament} mp ON mp."id" = m."parliament_id" WHERE x."inquiry_id" = %s ORDER BY x."role", x."position"',
        "questions": f'SELECT q."id", q."number", q."text", q."answer", q."answer_kind", q."refusal_reason",'
        f' EXISTS (SELECT 1 FROM {table} t WHERE t."question_id" = q."id") FROM {question} q'
        f' WHERE q."inquiry_id" = %s ORDER BY q."position"',
        "history": f'SELECT "state" FROM {history} WHERE "id" = %s ORDER BY "history_date", "history_id"',
    }


def _page_columns() -> dict[str, F]:
    """The joined columns the page shows, as annotations of the inquiry."""
    return {
        **{f"page_parliament_{name}": F(f"parliament__{name}") for name in _PARLIAMENT_FIELDS},
        **{f"page_signer_{name}": F(f"signed_by__{name}") for name in _SIGNER_FIELDS},
        "page_term_number": F("term__number"),
        "page_ministry_slug": F("answering_ministry__slug"),
        "page_ministry_name": F("answering_ministry__name"),
        "page_ministry_parliament": F("answering_ministry__parliament__code"),
    }


def _with_relations(inquiry: Inquiry, alias: str) -> Inquiry:
    inquiry.parliament = Parliament.from_db(alias, _PARLIAMENT_FIELDS, [getattr(inquiry, f"page_parliament_{name}") for name in _PARLIAMENT_FIELDS])
    if inquiry.signed_by_id is not None:
        inquiry.signed_by = Person.from_db(alias, _SIGNER_FIELDS, [getattr(inquiry, f"page_signer_{name}") for name in _SIGNER_FIELDS])
    return inquiry


@functools.cache
def _inquiry_statement(alias: str) -> tuple[str, tuple]:
    """The public inquiry by parliament and reference, without its printed text, with the
    joined columns the page shows: the ORM's SQL (visibility stays the queryset's), compiled
    once per database instead of on every page."""
    queryset = (
        Inquiry.objects.public()
        .filter(parliament__code=_CODE, reference=_REFERENCE)
        .defer("full_text")
        .annotate(**_page_columns())
        .order_by()
    )
    return queryset.query.get_compiler(using=alias).as_sql()


def public_inquiry(parliament_code: str, reference: str) -> Inquiry | None:
    """The published or retracted inquiry ``reference`` of parliament ``parliament_code``
    (upper case), with its parliament and signer (the columns the page uses) attached, and
    its term's number and answering ministry's slug, name and parliament code as
    ``page_term_number``, ``page_ministry_slug``, ``page_ministry_name``, ``page_ministry_parliament``."""
    alias = router.db_for_read(Inquiry)
    sql, params = _inquiry_statement(alias)
    values = [parliament_code if value == _CODE else reference if value == _REFERENCE else value for value in params]
    found = list(Inquiry.objects.db_manager(alias).raw(sql, values))
    return _with_relations(found[0], alias) if found else None


def any_inquiry(pk: int) -> Inquiry | None:
    """The inquiry ``pk`` in any state, read as ``public_inquiry`` reads it (for the staff preview)."""
    inquiry = Inquiry.objects.defer("full_text").annotate(**_page_columns()).filter(pk=pk).first()
    return _with_relations(inquiry, inquiry._state.db) if inquiry is not None else None


def _rows(name: str, inquiry_id: int) -> list[tuple]:
    with connections[router.db_for_read(Inquiry)].cursor() as cursor:
        cursor.execute(_statements()[name], [inquiry_id])
        return cursor.fetchall()


def asker_rows(inquiry_id: int) -> list[tuple[str, str, str, str, str | None, str | None, str | None]]:
    """(title, first name, last name, slug; the faction's slug, short name and parliament code,
    or None) of each asker, in the printed order."""
    return _rows("askers", inquiry_id)


def faction_rows(inquiry_id: int) -> list[tuple[str, str, str]]:
    """(slug, short name, parliament code) of each faction of the inquiry, in no order."""
    return _rows("factions", inquiry_id)


def ministry_rows(inquiry_id: int) -> list[tuple[str, str, str, str]]:
    """(role, slug, name, parliament code) of each involved ministry, by role, then in the printed order."""
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
