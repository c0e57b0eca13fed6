"""The parts of one inquiry its page shows, read in one statement in plain SQL.

The inquiry page is the site's most read page. Built by the ORM, each small query cost more
Python (compiling the query, then building instances or values) than the database spent
answering it; compiled once per connection (``inquiries/prepared.py``, as the API's record
reads are) and read as rows, each costs little more than a cursor call. The askers, groups,
ministries and questions come as JSON arrays in columns of the inquiry's own row (one
aggregate subquery each), so that a page is one statement, not five: on PostgreSQL every
statement is a round trip, and on both databases each costs a cursor call's Python
(``inquiries/json_rows.py``).

Callers check that the inquiry is public first: ``any_inquiry`` takes any id.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from inquiries.choices import AnswerKind, InquiryState, RefusalReason
from inquiries.json_rows import rows_of, sorted_rows
from inquiries.models import AnswerTable, Asker, Inquiry, InquiryMinistry, Parliament, Person, Question
from inquiries.prepared import PreparedQuery

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


# Each part's columns, then the keys that order it (dropped after sorting; none for the
# groups, which the page sorts by name).
_ASKER_COLUMNS = ("person__title", "person__first_name", "person__last_name", "person__slug",
                  "faction__slug", "faction__short_name", "faction__parliament__code")
_FACTION_COLUMNS = ("faction__slug", "faction__short_name", "faction__parliament__code")
_MINISTRY_COLUMNS = ("role", "ministry__slug", "ministry__name", "ministry__parliament__code")
_QUESTION_COLUMNS = ("pk", "number", "text", "answer", "answer_kind", "refusal_reason")


def _part_columns() -> dict[str, Subquery]:
    """The askers (in the printed order), groups, ministries (by role, then in the printed
    order) and questions (in order, whether each has tables) as JSON columns of the inquiry."""
    has_tables = Exists(AnswerTable.objects.filter(question_id=OuterRef("pk")))
    return {
        "page_askers": rows_of(Asker.objects.all(), *_ASKER_COLUMNS, "position", "pk"),
        "page_factions": rows_of(Inquiry.factions.through.objects.all(), *_FACTION_COLUMNS),
        "page_ministries": rows_of(InquiryMinistry.objects.all(), *_MINISTRY_COLUMNS, "position", "pk"),
        "page_questions": rows_of(Question.objects.all(), *_QUESTION_COLUMNS, has_tables, "position"),
    }


def _corrected_after_publication() -> Exists:
    """Whether the inquiry's history holds a save after one that published it (in the order
    of ``history_date``, then ``history_id``): only then can ``history.correction_log`` find an
    entry, so the page reads the whole history only then. Asked in the inquiry's own read."""
    history = Inquiry.history.model.objects
    later = history.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return Exists(history.filter(id=OuterRef("id"), state=InquiryState.PUBLISHED).filter(Exists(later)))


def _page_columns() -> dict[str, Any]:
    """The joined columns the page shows, as annotations of the inquiry."""
    return {
        **{f"page_parliament_{name}": F(f"parliament__{name}") for name in _PARLIAMENT_FIELDS},
        **{f"page_signer_{name}": F(f"signed_by__{name}") for name in _SIGNER_FIELDS},
        "page_term_number": F("term__number"),
        "page_ministry_slug": F("answering_ministry__slug"),
        "page_ministry_name": F("answering_ministry__name"),
        "page_ministry_parliament": F("answering_ministry__parliament__code"),
        "page_corrected": _corrected_after_publication(),
        **_part_columns(),
    }


def _with_relations(inquiry: Inquiry, alias: str) -> Inquiry:
    inquiry.parliament = Parliament.from_db(alias, _PARLIAMENT_FIELDS, [getattr(inquiry, f"page_parliament_{name}") for name in _PARLIAMENT_FIELDS])
    if inquiry.signed_by_id is not None:
        inquiry.signed_by = Person.from_db(alias, _SIGNER_FIELDS, [getattr(inquiry, f"page_signer_{name}") for name in _SIGNER_FIELDS])
    asker_width, ministry_width, question_width = len(_ASKER_COLUMNS), len(_MINISTRY_COLUMNS), len(_QUESTION_COLUMNS) + 1
    inquiry.page_askers = sorted_rows(inquiry.page_askers, asker_width, asker_width, asker_width + 1)
    inquiry.page_factions = sorted_rows(inquiry.page_factions, len(_FACTION_COLUMNS))
    inquiry.page_ministries = sorted_rows(inquiry.page_ministries, ministry_width, 0, ministry_width, ministry_width + 1)
    inquiry.page_questions = _questions(sorted_rows(inquiry.page_questions, question_width, question_width, 0))
    return inquiry


# The inquiry's own columns the page reads (all but its printed text), then the joined ones.
_INQUIRY_FIELDS = tuple(field.attname for field in Inquiry._meta.concrete_fields if field.name != "full_text")
_PAGE_COLUMNS = tuple(_page_columns())


def _public_inquiry_row(code: str, reference: str) -> QuerySet:
    return (
        Inquiry.objects.public()
        .filter(parliament__code=code, reference=reference)
        .annotate(**_page_columns())
        .order_by()
        .values_list(*_INQUIRY_FIELDS, *_PAGE_COLUMNS)
    )


# The ORM's SQL (visibility stays the queryset's), compiled once per connection instead of on every page.
_PUBLIC_INQUIRY = PreparedQuery(_public_inquiry_row, (_CODE, _REFERENCE))


def public_inquiry(parliament_code: str, reference: str) -> Inquiry | None:
    """The published or retracted inquiry ``reference`` of parliament ``parliament_code``
    (upper case), with its parliament and signer (the columns the page uses) attached, and
    its term's number and answering ministry's slug, name and parliament code as
    ``page_term_number``, ``page_ministry_slug``, ``page_ministry_name``, ``page_ministry_parliament``,
    whether it was corrected after publication as ``page_corrected``, and its parts as
    ``page_askers``, ``page_factions``, ``page_ministries`` (rows, see ``_part_columns``)
    and ``page_questions`` (``PageQuestion``); its ``full_text`` is deferred (read if asked for)."""
    rows = _PUBLIC_INQUIRY.rows(parliament_code, reference)
    if not rows:
        return None
    alias = router.db_for_read(Inquiry)
    count = len(_INQUIRY_FIELDS)
    inquiry = Inquiry.from_db(alias, _INQUIRY_FIELDS, rows[0][:count])
    for name, value in zip(_PAGE_COLUMNS, rows[0][count:]):
        setattr(inquiry, name, value)
    return _with_relations(inquiry, alias)


def any_inquiry(pk: int) -> Inquiry | None:
    """The inquiry ``pk`` in any state, read as ``public_inquiry`` reads it (for the staff preview)."""
    inquiry = Inquiry.objects.defer("full_text").annotate(**_page_columns()).filter(pk=pk).first()
    return _with_relations(inquiry, inquiry._state.db) if inquiry is not None else None


def _questions(rows: list[tuple]) -> list[PageQuestion]:
    """The questions of ``rows`` (in order); the tables of those that have any in one more query."""
    result, with_tables = [], {}
    for pk, number, text, answer, answer_kind, refusal_reason, has_tables in rows:
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
