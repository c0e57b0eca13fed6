"""Inquiries as the feeds and the API's inquiry list show them, read as plain values.

A feed of 50 entries or an API page of 50 used to load 50 ``Inquiry`` instances with their
parliament, term and ministry joined and their askers (with person, faction and its
parliament) and factions (with parliament) prefetched: some 700 model instances for the
twenty values an entry shows, more CPU than everything else in the request. Here they are
three ``values_list`` queries (the inquiries, their askers, their factions) turned into
small rows, written out by ``feed_description`` and ``api_list_item`` without the template
engine or the serializer's per-field machinery; the feed and the JSON stay the same byte
for byte (tests/test_inquiry_entries.py compares them with the template and serializer).

Visibility stays the queryset's: rows are read from ``selectors.base.public_inquiries()``
(or the queryset given), so an id that is not published gives no row.
"""

from __future__ import annotations

import datetime
import functools
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inquiries.choices import DeadlineStatus, InquiryState
from inquiries.models import Asker, Inquiry, InquiryKind

# Reversed once with these placeholders, then filled in per row.
_PARLIAMENT, _REFERENCE, _ID = "PARLIAMENTCODE", "REFERENCENUMBER", "999999999999999999"


@dataclass(frozen=True, slots=True)
class EntryAsker:
    name: str  # as ``Person.full_name``
    faction: str | None  # the faction's short name


@dataclass(slots=True)
class InquiryEntry:
    """One published inquiry with what a feed entry and an API list item show."""

    pk: int
    parliament_code: str
    parliament_name: str
    term_number: int
    reference: str
    kind: str
    title: str
    asked_on: datetime.date | None
    answered_on: datetime.date | None
    due_on: datetime.date | None
    answer_days: int | None
    ministry: str | None
    source_url: str
    source_notice: str
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    url: str
    askers: list[EntryAsker] = field(default_factory=list)
    # Short names of its groups, in the order of their names.
    factions: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(InquiryKind(self.kind).label) if self.kind in InquiryKind.values else self.kind

    def get_absolute_url(self) -> str:
        return self.url

    def deadline_status(self, on: datetime.date) -> DeadlineStatus:
        """As ``Inquiry.deadline_status``."""
        if self.answered_on and self.answered_on <= on:
            return DeadlineStatus.ANSWERED
        if self.due_on and on > self.due_on:
            return DeadlineStatus.OVERDUE
        return DeadlineStatus.OPEN


_COLUMNS = (
    "pk", "parliament__code", "parliament__name", "term__number", "reference", "kind", "title", "asked_on",
    "answered_on", "due_on", "answer_days", "answering_ministry__name", "source_url", "source_notice",
    "published_at", "updated_at",
)


def _entry_rows(source: QuerySet[Inquiry], ids: Any) -> QuerySet:
    return source.filter(pk__in=ids).order_by().values_list(*_COLUMNS)


def _asker_rows(*ids: int) -> QuerySet:
    return (
        Asker.objects.filter(inquiry_id__in=ids)
        .order_by("inquiry_id", "position")
        .values_list("inquiry_id", "person__title", "person__first_name", "person__last_name", "faction__short_name")
    )


def _faction_rows(*ids: int) -> QuerySet:
    return (
        Inquiry.factions.through.objects.filter(inquiry_id__in=ids)
        .order_by("faction__short_name", "faction__parliament__name", "faction_id")
        .values_list("inquiry_id", "faction__short_name")
    )


def inquiry_entries(ids: Iterable[int], queryset: QuerySet[Inquiry] | None = None) -> list[InquiryEntry]:
    """The entries of the inquiries ``ids``, in that order, read from ``queryset`` (published
    inquiries unless given); ids it does not hold are left out.

    The three reads are compiled once per connection (``prepared.rows_by_ids``) unless a
    queryset is given: compiling them cost more than running them (API list page: about
    1.5 ms of its CPU)."""
    from inquiries.prepared import rows_by_ids
    from inquiries.selectors.base import public_inquiries

    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    if not wanted:
        return []
    if queryset is None:
        found = rows_by_ids("entries", lambda *keys: _entry_rows(public_inquiries(), keys), wanted)
    else:
        found = _entry_rows(queryset, wanted)
    inquiry_url = reverse("inquiries:inquiry-detail", kwargs={"parliament": _PARLIAMENT, "reference": _REFERENCE})
    rows: dict[int, InquiryEntry] = {}
    for values in found:
        pk, code, reference = values[0], values[1], values[4]
        url = inquiry_url.replace(_PARLIAMENT, code.lower()).replace(_REFERENCE, reference.replace("/", "-"))
        rows[pk] = InquiryEntry(*values, url=url)
    if not rows:
        return []
    held = list(rows)
    for inquiry_id, title, first, last, faction in rows_by_ids("entry askers", _asker_rows, held):
        rows[inquiry_id].askers.append(EntryAsker(" ".join(part for part in (title, first, last) if part), faction))
    for inquiry_id, short_name in rows_by_ids("entry factions", _faction_rows, held):
        rows[inquiry_id].factions.append(short_name)
    return [rows[pk] for pk in wanted if pk in rows]


# --- the feed entry's summary --------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _words(language: str | None) -> dict[Any, str]:
    """The summary's labels, kinds and month names in ``language``, escaped: translated once
    per process and language instead of eight times per entry."""
    words: dict[Any, str] = {
        label: escape(_(label))
        for label in ("Drucksache", "gestellt am", "beantwortet am", "noch nicht beantwortet", "Fragesteller", "Antwort", "Quelle")
    }
    words.update({kind: escape(str(label)) for kind, label in InquiryKind.choices})
    words.update({month: str(name) for month, name in MONTHS.items()})
    return words


def feed_description(entry: InquiryEntry) -> str:
    """The HTML summary of a feed entry: where and when it was asked and answered, by whom,
    the answering ministry and any source notice (as the template ``feed_entry.html`` wrote it)."""
    words = _words(get_language())
    # The values are str: the standard library's escape, the one Django's ``escape`` calls,
    # without its lazy-string wrapper and SafeString (nine calls per entry).
    text = html.escape

    def day(value: datetime.date) -> str:
        # As the template filter ``date:"j. F Y"`` writes it, month names in the active language.
        return f"{value.day}. {words[value.month]} {value.year}"

    kind = words.get(entry.kind) or text(entry.kind)
    line = f"<p>{text(entry.parliament_name)}, {words['Drucksache']} {text(entry.reference)} ({kind})"
    if entry.asked_on:
        line += f", {words['gestellt am']} {day(entry.asked_on)}"
    if entry.answered_on:
        line += f", {words['beantwortet am']} {day(entry.answered_on)}"
    else:
        line += f", {words['noch nicht beantwortet']}"
    parts = [line + ".</p>\n"]
    if entry.askers:
        names = ", ".join(text(asker.name) + (f" ({text(asker.faction)})" if asker.faction is not None else "") for asker in entry.askers)
        parts.append(f"<p>{words['Fragesteller']}: {names}</p>")
    parts.append("\n")
    if entry.ministry is not None:
        parts.append(f"<p>{words['Antwort']}: {text(entry.ministry)}</p>")
    parts.append("\n")
    if entry.source_notice:
        parts.append(f"<p>{words['Quelle']}: {text(entry.source_notice)}</p>")
    parts.append("\n")
    return "".join(parts)


# --- the API's inquiry list ----------------------------------------------------------------


def _moment(value: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> str | None:
    # As rest_framework's DateTimeField: in the current time zone, ISO 8601, UTC as "Z".
    # ``zone``: the current time zone, looked up once per page by the caller (each lookup
    # goes through asgiref's Local: with two per item, 50 items cost 1.28 ms instead of 0.62).
    if not value:
        return None
    text = timezone.localtime(value, zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


class ApiListItems:
    """Writes entries as ``api.serializers.InquiryListSerializer`` does, with the addresses
    built once per page: ``items(entries)``."""

    def __init__(self, request: Any, today: datetime.date) -> None:
        def absolute(path: str) -> str:
            return request.build_absolute_uri(path) if request is not None else path

        self.api_url = absolute(reverse("api:inquiry-detail", kwargs={"pk": int(_ID)}))
        self.web_url = absolute(reverse("inquiries:inquiry-detail", kwargs={"parliament": _PARLIAMENT, "reference": _REFERENCE}))
        self.today = today
        self.zone = timezone.get_current_timezone()

    def item(self, entry: InquiryEntry) -> dict[str, Any]:
        return {
            "url": self.api_url.replace(_ID, str(entry.pk)),
            "id": entry.pk,
            "state": InquiryState.PUBLISHED.value,
            "parliament": entry.parliament_code,
            "term": entry.term_number,
            "reference": entry.reference,
            "kind": entry.kind,
            "title": entry.title,
            "asked_on": _date(entry.asked_on),
            "answered_on": _date(entry.answered_on),
            "due_on": _date(entry.due_on),
            "status": str(entry.deadline_status(self.today)),
            "answer_days": entry.answer_days,
            "askers": [asker.name for asker in entry.askers],
            "factions": sorted(entry.factions),
            "answering_ministry": entry.ministry,
            "source_url": entry.source_url,
            "source_notice": entry.source_notice,
            "web_url": self.web_url.replace(_PARLIAMENT, entry.parliament_code.lower()).replace(
                _REFERENCE, entry.reference.replace("/", "-")
            ),
            "published_at": _moment(entry.published_at, self.zone),
            "modified_at": _moment(entry.updated_at, self.zone),
        }

    def items(self, entries: Iterable[InquiryEntry]) -> list[dict[str, Any]]:
        return [self.item(entry) for entry in entries]
