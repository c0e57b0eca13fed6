"""The rows of the list and search page, read as plain values instead of model instances.

A page of 25 results used to load 25 ``Inquiry`` instances with their parliament, term and
ministry joined and their askers (with person and faction) and factions prefetched as model
instances: about 100 objects, built field by field by the ORM, for the dozen values a row
shows. Here the same page is three ``values_list`` queries (the inquiries, their askers,
the factions of those without askers), turned into small frozen rows.

Visibility stays the queryset's: the rows are read from ``selectors.base.public_inquiries()``
(or the queryset given), so an id that is not published gives no row.
"""

from __future__ import annotations

import datetime
import functools
import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext as _

from inquiries.addresses import address
from inquiries.models import Asker, Inquiry, InquiryKind
from inquiries.prepared import rows_by_ids

# A URL reversed once with these placeholders, then filled in per row: ``reverse`` per
# row and asker is a good part of a page's cost.
_PARLIAMENT, _REFERENCE, _SLUG = "PARLIAMENTCODE", "REFERENCENUMBER", "PERSONSLUG"


@dataclass(frozen=True, slots=True)
class RowAsker:
    """An asker as a row shows it: the name linked to the person's page, the group in brackets."""

    name: str
    url: str
    faction: str | None


@dataclass(slots=True)
class ListRow:
    """One inquiry as a result row shows it (``templates/inquiries/inquiry_list.html``)."""

    pk: int
    reference: str
    title: str
    kind: str
    parliament_code: str
    asked_on: datetime.date | None
    answered_on: datetime.date | None
    ministry: str | None
    url: str
    askers: list[RowAsker] = field(default_factory=list)
    # The inquiry's groups, shown only when no asker is named.
    factions: list[str] = field(default_factory=list)
    search_rank: float = 0.0

    @property
    def kind_label(self) -> str:
        return str(InquiryKind(self.kind).label) if self.kind in InquiryKind.values else self.kind

    def get_absolute_url(self) -> str:
        return self.url


def _url_template(name: str, **placeholders: str) -> str:
    # Kept per process and script prefix (``addresses``): two ``reverse`` a page were ~0.1 ms.
    return address(name, **placeholders)


# The three reads of a page, compiled to SQL once per connection (``prepared.rows_by_ids``)
# and then run with the page's ids: building and compiling them with the ORM cost about
# three times what SQLite needs to answer them.


def _inquiry_rows(source: QuerySet[Inquiry], ids: Any) -> QuerySet:
    return (
        source.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "reference", "title", "kind", "parliament__code", "asked_on", "answered_on", "answering_ministry__name")
    )


def _asker_rows(ids: Any) -> QuerySet:
    return (
        Asker.objects.filter(inquiry_id__in=ids)
        .order_by("inquiry_id", "position", "pk")
        .values_list("inquiry_id", "person__title", "person__first_name", "person__last_name", "person__slug", "faction__short_name")
    )


def _faction_rows(ids: Any) -> QuerySet:
    # The order of ``Faction.Meta.ordering``, as the prefetched factions had it.
    return (
        Inquiry.factions.through.objects.filter(inquiry_id__in=ids)
        .order_by("faction__parliament__name", "faction__short_name")
        .values_list("inquiry_id", "faction__short_name")
    )


def _read(read: str, ids: list[int]) -> list[tuple]:
    """``read`` ("inquiries", "askers", "factions") of ``ids``, compiled once per connection
    (``prepared.rows_by_ids``)."""
    from inquiries.selectors.base import public_inquiries

    build = {"inquiries": lambda *keys: _inquiry_rows(public_inquiries(), keys), "askers": lambda *keys: _asker_rows(keys),
             "factions": lambda *keys: _faction_rows(keys)}[read]
    return rows_by_ids(f"list rows: {read}", build, ids)


def list_rows(results: Iterable[Any], queryset: QuerySet[Inquiry] | None = None) -> list[ListRow]:
    """The rows of ``results`` — (id, rank) pairs, ids or inquiries — in that order, read from
    ``queryset`` (published inquiries unless given); ids it does not hold are left out."""
    ranks: dict[int, float] = {}
    for result in results:
        if isinstance(result, tuple):
            ranks[int(result[0])] = float(result[1] or 0.0)
        else:
            ranks[int(getattr(result, "pk", result))] = float(getattr(result, "search_rank", 0.0) or 0.0)
    if not ranks:
        return []
    ids = list(ranks)
    inquiry_url = _url_template("inquiries:inquiry-detail", parliament=_PARLIAMENT, reference=_REFERENCE)
    person_url = _url_template("inquiries:person-detail", slug=_SLUG)
    rows: dict[int, ListRow] = {}
    found = _read("inquiries", ids) if queryset is None else _inquiry_rows(queryset, ids)
    for pk, reference, title, kind, code, asked_on, answered_on, ministry in found:
        url = inquiry_url.replace(_PARLIAMENT, code.lower()).replace(_REFERENCE, reference.replace("/", "-"))
        rows[pk] = ListRow(pk, reference, title, kind, code, asked_on, answered_on, ministry, url, search_rank=ranks[pk])
    if not rows:
        return []
    for inquiry_id, title, first, last, slug, faction in _read("askers", list(rows)):
        name = " ".join(part for part in (title, first, last) if part)
        rows[inquiry_id].askers.append(RowAsker(name, person_url.replace(_SLUG, slug), faction))
    without_askers = [pk for pk, row in rows.items() if not row.askers]
    if without_askers:
        groups: dict[int, list[str]] = defaultdict(list)
        for inquiry_id, short_name in _read("factions", without_askers):
            groups[inquiry_id].append(short_name)
        for pk, names in groups.items():
            rows[pk].factions = names
    return [rows[pk] for pk in ids if pk in rows]


def ranked_ids(queryset: QuerySet[Inquiry]) -> QuerySet:
    """What a paginator of ``queryset`` (ordered) slices instead of instances: (id, rank)
    pairs of a search, plain ids of a list; ``list_rows`` reads the page's rows from them."""
    if "search_rank" in queryset.query.annotations:
        return queryset.values_list("pk", "search_rank")
    return queryset.values_list("pk", flat=True)


# --- rendering -----------------------------------------------------------------------------
#
# The 25 rows are the bulk of the page's HTML; rendered by Django's template engine they
# cost more than everything else on the page together (variable lookups, a filter call
# per date, a translation lookup per label and row). Here each row is one f-string over
# values escaped once, with the labels translated once per page. The values are plain
# ``str`` (never lazy or safe), so the standard library's ``html.escape`` escapes them, as
# ``django.utils.html.escape`` would (the same five characters), without the lazy check
# and the SafeString of each call: some 300 escapes a page.
_escape = html.escape


@functools.lru_cache(maxsize=16)
def month_names(language: str | None) -> dict[int, str]:
    """The months' names in ``language`` (the active one), read once per language and process."""
    return {number: str(name) for number, name in MONTHS.items()}


def time_html(value: datetime.date, months: dict[int, str]) -> str:
    """``<time datetime="{{ value|date:'Y-m-d' }}">{{ value|date:"j. F Y" }}</time>`` with
    ``months`` (``month_names``): without Django's formatter and lazy month names, a
    twentieth of a row's or an inquiry page's article."""
    return f'<time datetime="{value.isoformat()}">{value.day}. {months[value.month]} {value.year}</time>'


@dataclass(frozen=True)
class _Labels:
    asked: str
    answered: str
    unanswered: str
    by: str
    by_faction: str
    answer: str
    in_question: str
    in_answer: str
    months: dict[int, str]
    kinds: dict[str, str]


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> _Labels:
    """The rows' labels in ``language``, escaped: translated once per language and process
    (the catalogues do not change while it runs), not per page, row and date."""
    return _Labels(
        asked=_escape(_("gestellt am")),
        answered=_escape(_("beantwortet am")),
        unanswered=_escape(_("noch nicht beantwortet")),
        by=_escape(_("Von")),
        by_faction=_escape(_("Von der Fraktion")),
        answer=_escape(_("Antwort")),
        in_question=_escape(_("In der Anfrage")),
        in_answer=_escape(_("In der Antwort")),
        months=month_names(language),
        kinds={kind.value: _escape(str(kind.label)) for kind in InquiryKind},
    )


def render_hits(hits: Iterable[tuple[ListRow, Any]]) -> SafeString:
    """The ``<li>`` of each (row, highlight) of a results page (``search.Highlight`` or None)."""
    labels = _labels(get_language())
    asked, answered, unanswered, by, by_faction = labels.asked, labels.answered, labels.unanswered, labels.by, labels.by_faction
    answer, in_question, in_answer, months, kinds = labels.answer, labels.in_question, labels.in_answer, labels.months, labels.kinds
    parts = []
    for row, highlight in hits:
        kind = kinds.get(row.kind) or _escape(str(row.kind_label))
        meta = f"{_escape(row.parliament_code)} {_escape(row.reference)}</span> · {kind}"
        if row.asked_on:
            meta += f" · {asked} {time_html(row.asked_on, months)}"
        meta += f" · {answered} {time_html(row.answered_on, months)}" if row.answered_on else f" · {unanswered}"
        title = conditional_escape(highlight.title) if highlight is not None and highlight.title else _escape(row.title)
        if row.askers:
            people = f"{by} " + ", ".join(
                f'<a href="{_escape(asker.url)}">{_escape(asker.name)}</a>' + (f" ({_escape(asker.faction)})" if asker.faction else "")
                for asker in row.askers
            )
        elif row.factions:
            people = f"{by_faction} " + ", ".join(_escape(name) for name in row.factions)
        else:
            people = ""
        if row.ministry:
            people += f'<span class="ministry"> · {answer}: {_escape(row.ministry)}</span>'
        snippet = ""
        if highlight is not None and highlight.excerpt:
            label = in_question if highlight.field == "question" else in_answer
            snippet = f'<p class="snippet"><span class="snippet-field">{label}:</span> {conditional_escape(highlight.excerpt)}</p>'
        parts.append(
            f'\n    <li class="inquiry-row hit">\n      <p class="meta"><span class="reference">{meta}</p>\n'
            f'      <h3><a href="{_escape(row.url)}">{title}</a></h3>\n'
            f'      <p class="people">{people}</p>\n      {snippet}\n    </li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above; highlights are SafeStrings
