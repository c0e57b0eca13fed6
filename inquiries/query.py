"""The query of an inquiry list: what the list page, the feeds, the alerts and the API ask for.

``InquiryFilterSet`` validates the URL parameters and builds one ``InquiryQuery`` per
request (``filterset.query``): the search text parsed once, each filter as typed
values, the ordering in effect and the page. Everything below the FilterSet — the
results selector (``selectors.listing.results``), the facets, the search engine's
clauses and the cache keys — reads this object, never the form.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Mapping

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from inquiries import search
from inquiries.choices import DeadlineStatus
from inquiries.models import Asker, Faction, Ministry, Person, Question


class Sort:
    """The whitelist of orderings: parameter value → label and ``order_by`` terms."""

    RELEVANCE = "relevance"
    CHOICES = {
        RELEVANCE: _("Relevanz"),
        "-answered": _("Antwortdatum, neueste zuerst"),
        "answered": _("Antwortdatum, älteste zuerst"),
        "-asked": _("Fragedatum, neueste zuerst"),
        "asked": _("Fragedatum, älteste zuerst"),
        "reference": _("Drucksache, aufsteigend"),
        "-reference": _("Drucksache, absteigend"),
        "answer_time": _("Antwortzeit, kürzeste zuerst"),
        "-answer_time": _("Antwortzeit, längste zuerst"),
    }
    # Stable and total, so pages never overlap: always ends in the primary key.
    ORDER = {
        RELEVANCE: [F("search_rank").desc(), F("answered_on").desc(nulls_last=True), "-pk"],
        "-answered": [F("answered_on").desc(nulls_last=True), "-reference_number", "-pk"],
        "answered": [F("answered_on").asc(nulls_last=True), "reference_number", "pk"],
        "-asked": [F("asked_on").desc(nulls_last=True), "-reference_number", "-pk"],
        "asked": [F("asked_on").asc(nulls_last=True), "reference_number", "pk"],
        "reference": ["parliament__code", "term__number", "reference_number", "pk"],
        "-reference": ["parliament__code", "-term__number", "-reference_number", "-pk"],
        "answer_time": [F("answer_days").asc(nulls_last=True), "-answered_on", "pk"],
        "-answer_time": [F("answer_days").desc(nulls_last=True), "-answered_on", "-pk"],
    }
    DEFAULT = "-answered"


@dataclass(frozen=True)
class DateSpan:
    """A range of days as the form gives it: from the start of ``start``'s day to the end
    of ``stop``'s (aware date-times), either end open (None)."""

    start: datetime.datetime | None = None
    stop: datetime.datetime | None = None


# Filters that facets count over; each facet leaves out its own parameters.
FACET_PARAMETERS: dict[str, frozenset[str]] = {
    "parliament": frozenset({"parliament"}),
    "term": frozenset({"term"}),
    "kind": frozenset({"kind"}),
    "faction": frozenset({"faction"}),
    "ministry": frozenset({"ministry"}),
    "status": frozenset({"status"}),
}

# The parameters that select results, in the order of the cache key (ordering and page do not).
SELECTING = ("answer_kind", "answered", "asked", "faction", "kind", "ministry", "modified_since", "parliament", "person", "q", "status", "term")


@dataclass(frozen=True)
class InquiryQuery:
    """One valid request for inquiries: search text, filters, ordering and page.

    Categorical filters are tuples (any of them matches); factions, people and
    ministries are the model instances their slugs named (a slug may name one per
    parliament). ``ordering`` is what was asked for, ``sort`` what is in effect.
    """

    text: str = ""
    parliaments: tuple[str, ...] = ()  # lower-case codes
    term: int | None = None
    kinds: tuple[str, ...] = ()
    factions: tuple[Faction, ...] = ()
    people: tuple[Person, ...] = ()
    ministries: tuple[Ministry, ...] = ()
    status: str = ""
    answer_kinds: tuple[str, ...] = ()
    asked: DateSpan | None = None
    answered: DateSpan | None = None
    modified_since: datetime.datetime | None = None
    ordering: str = ""
    page: int = 1
    # Read once, shared by the filter, the ordering, the engine and the highlights.
    parsed: search.ParsedQuery = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.parsed is None:
            object.__setattr__(self, "parsed", search.parse_query(self.text))

    @classmethod
    def from_cleaned(cls, data: Mapping[str, Any], *, page: Any = None) -> InquiryQuery:
        """The query of a valid ``InquiryFilterSet``'s ``cleaned_data``; ``page`` is the raw
        page parameter, read as Django's paginator does (not a whole number: page 1)."""

        def span(value: Any) -> DateSpan | None:
            if not value or (value.start is None and value.stop is None):
                return None
            return DateSpan(value.start, value.stop)

        return cls(
            text=data.get("q") or "",
            parliaments=tuple(data.get("parliament") or ()),
            term=data.get("term"),
            kinds=tuple(data.get("kind") or ()),
            factions=_objects(data.get("faction")),
            people=_objects(data.get("person")),
            ministries=_objects(data.get("ministry")),
            status=data.get("status") or "",
            answer_kinds=tuple(data.get("answer_kind") or ()),
            asked=span(data.get("asked")),
            answered=span(data.get("answered")),
            modified_since=data.get("modified_since"),
            ordering=data.get("ordering") or "",
            page=page_number(page),
        )

    # --- what is asked ------------------------------------------------------------------

    @property
    def sort(self) -> str:
        """The ordering in effect: the requested one, else relevance with a search, else newest answer."""
        has_query = not self.parsed.is_empty
        if self.ordering and (self.ordering != Sort.RELEVANCE or has_query):
            return self.ordering
        return Sort.RELEVANCE if has_query else Sort.DEFAULT

    @property
    def active(self) -> frozenset[str]:
        """The names of the parameters that narrow the results (``SELECTING`` names)."""
        values = {
            "q": self.text, "parliament": self.parliaments, "term": self.term, "kind": self.kinds,
            "faction": self.factions, "person": self.people, "ministry": self.ministries, "status": self.status,
            "answer_kind": self.answer_kinds, "asked": self.asked, "answered": self.answered,
            "modified_since": self.modified_since,
        }
        return frozenset(name for name, value in values.items() if value not in (None, "", ()))

    @cached_property
    def key(self) -> str:
        """A stable digest of the parameters that select results (not ordering or page):
        equal for the same filters in any order of values or parameters."""
        return hashlib.sha256(self.key_text.encode("utf-8", "surrogateescape")).hexdigest()

    @property
    def key_text(self) -> str:
        values = {
            "answer_kind": self.answer_kinds, "answered": self.answered, "asked": self.asked, "faction": self.factions,
            "kind": self.kinds, "ministry": self.ministries, "modified_since": self.modified_since,
            "parliament": self.parliaments, "person": self.people, "q": self.text, "status": self.status, "term": self.term,
        }
        return "\x1f".join(f"{name}={_key_value(values[name])}" for name in SELECTING)

    # --- applied to a queryset ----------------------------------------------------------

    def filter(self, queryset: QuerySet, *, without: Iterable[str] = ()) -> QuerySet:
        """``queryset`` narrowed by every parameter but those named (``SELECTING`` names), unordered."""
        skip = set(without)

        def wanted(name: str) -> bool:
            return name not in skip

        if self.text and wanted("q"):
            queryset = search.search(self.parsed, queryset)
        if self.parliaments and wanted("parliament"):
            queryset = queryset.filter(parliament__code__in=[code.upper() for code in self.parliaments])
        if self.term is not None and wanted("term"):
            queryset = queryset.filter(term__number=self.term)
        if self.kinds and wanted("kind"):
            queryset = queryset.filter(kind__in=sorted(set(self.kinds)))
        if self.factions and wanted("faction"):
            queryset = queryset.by_faction(list(self.factions))
        if self.people and wanted("person"):
            queryset = queryset.filter(pk__in=Asker.objects.filter(person__in=list(self.people)).values("inquiry_id"))
        if self.ministries and wanted("ministry"):
            queryset = queryset.filter(answering_ministry__in=list(self.ministries))
        if self.status and wanted("status"):
            verbs = {DeadlineStatus.ANSWERED: queryset.answered, DeadlineStatus.OPEN: queryset.open, DeadlineStatus.OVERDUE: queryset.overdue}
            queryset = verbs[DeadlineStatus(self.status)]()
        if self.answer_kinds and wanted("answer_kind"):
            queryset = queryset.filter(pk__in=Question.objects.filter(answer_kind__in=list(self.answer_kinds)).values("inquiry_id"))
        for name, column, span in (("asked", "asked_on", self.asked), ("answered", "answered_on", self.answered)):
            if span is not None and wanted(name):
                if span.start is not None and span.stop is not None:
                    queryset = queryset.filter(**{f"{column}__range": (span.start, span.stop)})
                elif span.start is not None:
                    queryset = queryset.filter(**{f"{column}__gte": span.start})
                else:
                    queryset = queryset.filter(**{f"{column}__lte": span.stop})
        if self.modified_since is not None and wanted("modified_since"):
            queryset = queryset.filter(updated_at__gte=self.modified_since)
        return queryset

    def ordered(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (filtered by this query) in the order in effect; relevance without a
        rank (a search of exclusions only) falls back to the default."""
        if self.sort == Sort.RELEVANCE and "search_rank" not in queryset.query.annotations:
            return queryset.order_by(*Sort.ORDER[Sort.DEFAULT])
        return queryset.order_by(*Sort.ORDER[self.sort])


def _objects(value: Any) -> tuple:
    """The objects a slug field chose: a form gives an empty queryset for none, which
    says so without a query (its truth would compile and run one)."""
    if value is None or (isinstance(value, QuerySet) and value.query.is_empty()):
        return ()
    return tuple(value)


def page_number(raw: Any) -> int:
    # As ``Paginator.validate_number``: anything but a whole number is page 1.
    if raw is None or raw == "":
        return 1
    try:
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError
        return int(raw)
    except (TypeError, ValueError):
        return 1


def _key_value(value: Any) -> str:
    """A filter value as stable text, whatever order or objects it came in."""
    if isinstance(value, DateSpan):
        return f"{_key_value(value.start)}..{_key_value(value.stop)}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(sorted(str(getattr(item, "pk", item)) for item in value))
    return "" if value is None else str(value)
