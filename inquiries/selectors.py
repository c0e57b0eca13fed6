"""Every read that a page, feed or API needs; the one place querysets are built.

Public reads all start from ``Inquiry.objects.published()`` (the inquiry page and the API's
tombstones from ``.public()``, which adds those withdrawn after publication).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inquiries import facet_names, papers, search, versions
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    InquiryState,
    Membership,
    MinisterialOffice,
    Ministry,
    Parliament,
    Person,
    Question,
    Term,
)
from inquiries.answer_kinds import AnswerKind
from inquiries.models.inquiry import DeadlineStatus
from inquiries.names import fold
from inquiries.querysets import InquiryQuerySet

# Answers that withhold all or part of what was asked.
REFUSING_KINDS = (AnswerKind.REFUSED, AnswerKind.PARTLY_REFUSED, AnswerKind.CLASSIFIED)


def public_inquiries() -> QuerySet[Inquiry]:
    return Inquiry.objects.published()


def inquiry_list() -> QuerySet[Inquiry]:
    return public_inquiries().with_list_related().order_by("-answered_on", "-reference_number")


# =====================================================================================
# Site pages: home, inquiry page, people, factions, ministries, statistics, sitemap.
# Every function counts and lists published inquiries only, in a number of queries
# that does not depend on the number of rows shown.
# =====================================================================================


# What the URLs may carry: anything else is a 404 before it reaches the database
# (PostgreSQL rejects NUL bytes in text, for instance, with an error).
PARLIAMENT_CODE = re.compile(r"[A-Za-z]{2}")
REFERENCE_SLUG = re.compile(r"\d{1,2}-\d{1,6}")


def _parliament_code(value: str) -> str:
    if not PARLIAMENT_CODE.fullmatch(value):
        raise Http404("unknown parliament")
    return value.upper()


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def inquiry_rows() -> QuerySet[Inquiry]:
    """Published inquiries with everything a row on the site's pages shows and links."""
    return public_inquiries().select_related("parliament", "term", "answering_ministry__parliament").prefetch_related(
        Prefetch("asker_links", queryset=Asker.objects.select_related("person", "faction__parliament").order_by("position")),
        Prefetch("factions", queryset=Faction.objects.select_related("parliament").order_by("short_name")),
    )


def _newest_first(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return queryset.order_by(F("answered_on").desc(nulls_last=True), "-reference_number", "-pk")


def _count(queryset: QuerySet) -> Subquery:
    """A correlated ``COUNT(*)`` of ``queryset`` as an annotation (0 when empty).

    Counting in a subquery keeps two counts on one row from multiplying each other
    (as two joined ``Count`` would) and needs no ``DISTINCT``.
    """
    return Coalesce(
        Subquery(queryset.order_by().values(_one=Value(1)).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def _asked_by_faction(faction: Any) -> Q:
    """Inquiries a faction asked: as a group (``Inquiry.factions``) or through a member (``Asker.faction``).

    ``faction`` is a pk or an ``OuterRef`` to one; ``Exists`` avoids the duplicate rows
    that joining both relations would give.
    """
    through = Inquiry.factions.through
    return Q(Exists(through.objects.filter(inquiry_id=OuterRef("pk"), faction_id=faction))) | Q(
        Exists(Asker.objects.filter(inquiry_id=OuterRef("pk"), faction_id=faction))
    )


def _year_counts(queryset: QuerySet[Inquiry]) -> list[dict[str, Any]]:
    """Inquiries per year (of the date asked, else answered), oldest first; ``year`` None = undated."""
    rows = (
        queryset.order_by()
        .annotate(year=ExtractYear(Coalesce("asked_on", "answered_on")))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by(F("year").asc(nulls_last=True))
    )
    return [{"year": row["year"], "count": row["count"]} for row in rows]


# --- home -----------------------------------------------------------------------------


def home_summary(*, latest: int = 10, on: datetime.date | None = None) -> dict[str, Any]:
    on = _today(on)
    published = public_inquiries()
    return {
        "inquiry_count": published.count(),
        "answered_count": published.answered(on).count(),
        "overdue_count": published.overdue(on).count(),
        "latest": list(_newest_first(inquiry_rows().answered(on))[:latest]),
        "overdue": list(inquiry_rows().overdue(on).order_by("due_on", "pk")[:latest]),
        "terms": list(
            Term.objects.select_related("parliament")
            .annotate(inquiry_count=_count(published.filter(term=OuterRef("pk"))))
            .filter(inquiry_count__gt=0)
            .order_by("parliament__name", "-number")
        ),
        "faction_count": Faction.objects.count(),
        "person_count": people_with_public_role().count(),
        "ministry_count": Ministry.objects.count(),
    }


# --- inquiry page -----------------------------------------------------------------------


@dataclass
class InquiryPage:
    inquiry: Inquiry
    # Printed papers of the same parliament that are published here: reference → URL.
    paper_urls: dict[str, str] = field(default_factory=dict)
    # ``related_references`` in order, each with its URL or None when not published here.
    related: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def withdrawn(self) -> bool:
        return self.inquiry.state == InquiryState.WITHDRAWN



@dataclass
class Deadline:
    """Whether an inquiry's deadline was kept, for its page (computed from stored dates, no query)."""

    status: DeadlineStatus
    # Days past the deadline: until the answer, or until today while unanswered (0 when in time).
    days_late: int

    @property
    def is_answered(self) -> bool:
        return self.status == DeadlineStatus.ANSWERED

    @property
    def is_overdue(self) -> bool:
        return self.status == DeadlineStatus.OVERDUE


def inquiry_deadline(inquiry: Inquiry, *, on: datetime.date | None = None) -> Deadline:
    on = _today(on)
    status = inquiry.deadline_status(on)
    days_late = 0
    if inquiry.due_on is not None:
        end = inquiry.answered_on if status == DeadlineStatus.ANSWERED else on
        days_late = max((end - inquiry.due_on).days, 0)
    return Deadline(status=status, days_late=days_late)


def inquiry_detail_page(parliament_code: str, reference_slug: str) -> InquiryPage:
    """The inquiry page's data; 404 for unknown references and drafts.

    An inquiry withdrawn after publication is returned too (only its reference, title
    and the reason are shown, with HTTP 410), so that old links explain what happened;
    one withdrawn before publication was never public and is a 404 like any draft.
    """
    if not REFERENCE_SLUG.fullmatch(reference_slug):
        raise Http404("not a printed-paper number")
    reference = reference_slug.replace("-", "/", 1)
    queryset = (
        Inquiry.objects.public()
        .select_related("parliament", "term", "answering_ministry__parliament", "signed_by")
        .prefetch_related(
            Prefetch("asker_links", queryset=Asker.objects.select_related("person", "faction__parliament").order_by("position")),
            Prefetch("factions", queryset=Faction.objects.select_related("parliament").order_by("short_name")),
            Prefetch(
                "ministry_links",
                queryset=InquiryMinistry.objects.select_related("ministry__parliament").order_by("role", "position"),
            ),
            Prefetch("questions", queryset=Question.objects.order_by("position")),
        )
    )
    inquiry = get_object_or_404(queryset, parliament__code=_parliament_code(parliament_code), reference=reference)
    if inquiry.state == InquiryState.WITHDRAWN:
        return InquiryPage(inquiry=inquiry)
    texts = [inquiry.explanation, inquiry.government_preface]
    for question in inquiry.questions.all():
        texts += [question.text, question.answer]
    wanted = set(inquiry.related_references) | {ref for text in texts for ref in papers.references_in(text)}
    wanted.discard(inquiry.reference)
    found = public_inquiries().filter(parliament=inquiry.parliament, reference__in=wanted).values_list("reference", flat=True)
    code = inquiry.parliament.code.lower()
    paper_urls = {
        ref: reverse("inquiries:inquiry-detail", kwargs={"parliament": code, "reference": ref.replace("/", "-")})
        for ref in found
    }
    related = [(ref, paper_urls.get(ref)) for ref in inquiry.related_references if ref != inquiry.reference]
    return InquiryPage(inquiry=inquiry, paper_urls=paper_urls, related=related)


# --- people -----------------------------------------------------------------------------


def people_with_public_role() -> QuerySet[Person]:
    """People who asked a published inquiry or held an office: those the site lists."""
    return Person.objects.filter(
        Q(Exists(Asker.objects.filter(InquiryQuerySet.published_condition("inquiry"), person_id=OuterRef("pk"))))
        | Q(Exists(MinisterialOffice.objects.filter(person_id=OuterRef("pk"))))
    )


def person_index() -> QuerySet[Person]:
    return (
        people_with_public_role()
        .annotate(
            inquiry_count=_count(Asker.objects.filter(InquiryQuerySet.published_condition("inquiry"), person_id=OuterRef("pk")))
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("faction__parliament").order_by(
                    F("start_date").desc(nulls_last=True)
                ),
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def person_detail(slug: str) -> Person:
    return get_object_or_404(Person, slug=slug)


def person_memberships(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("faction__parliament", "faction__party").order_by(
        F("start_date").asc(nulls_first=True), "pk"
    )


def person_offices(person: Person) -> QuerySet[MinisterialOffice]:
    return person.offices.select_related("ministry__parliament").order_by(F("start_date").asc(nulls_first=True), "pk")


def person_inquiries(person: Person) -> QuerySet[Inquiry]:
    asked = Exists(Asker.objects.filter(inquiry_id=OuterRef("pk"), person=person))
    return _newest_first(inquiry_rows().filter(asked))


def person_year_counts(person: Person) -> list[dict[str, Any]]:
    return _year_counts(public_inquiries().filter(Exists(Asker.objects.filter(inquiry_id=OuterRef("pk"), person=person))))


# --- factions ---------------------------------------------------------------------------


def faction_index() -> QuerySet[Faction]:
    return (
        Faction.objects.select_related("parliament", "party")
        .annotate(
            inquiry_count=_count(public_inquiries().filter(_asked_by_faction(OuterRef(OuterRef("pk"))))),
            member_count=_count(Person.objects.filter(Exists(Membership.objects.filter(person_id=OuterRef("pk"), faction_id=OuterRef(OuterRef("pk")))))),
        )
        .order_by("parliament__name", "short_name")
    )


def faction_detail(parliament_code: str, slug: str) -> Faction:
    return get_object_or_404(
        Faction.objects.select_related("parliament", "party"), parliament__code=_parliament_code(parliament_code), slug=slug
    )


def faction_inquiries(faction: Faction) -> QuerySet[Inquiry]:
    return _newest_first(inquiry_rows().filter(_asked_by_faction(faction.pk)))


def faction_year_counts(faction: Faction) -> list[dict[str, Any]]:
    return _year_counts(public_inquiries().filter(_asked_by_faction(faction.pk)))


def faction_members(faction: Faction) -> list[dict[str, Any]]:
    """The faction's members, each once, with the span of their memberships and their inquiries for it."""
    memberships = faction.memberships.select_related("person").order_by("person__last_name", "person__first_name", "start_date")
    asked = dict(
        Asker.objects.filter(InquiryQuerySet.published_condition("inquiry"), faction=faction)
        .order_by()
        .values("person_id")
        .annotate(n=Count("inquiry_id", distinct=True))
        .values_list("person_id", "n")
    )
    members: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        entry = members.setdefault(
            membership.person_id, {"person": membership.person, "spans": [], "inquiry_count": asked.get(membership.person_id, 0)}
        )
        entry["spans"].append((membership.start_date, membership.end_date))
    return list(members.values())


# --- ministries -------------------------------------------------------------------------


def ministry_index() -> QuerySet[Ministry]:
    return (
        Ministry.objects.select_related("parliament", "successor")
        .annotate(answered_count=_count(public_inquiries().answered().filter(answering_ministry_id=OuterRef("pk"))))
        .order_by("parliament__name", F("valid_until").desc(nulls_first=True), "name")
    )


def ministry_detail(parliament_code: str, slug: str) -> Ministry:
    return get_object_or_404(
        Ministry.objects.select_related("parliament", "successor"), parliament__code=_parliament_code(parliament_code), slug=slug
    )


def ministry_inquiries(ministry: Ministry) -> QuerySet[Inquiry]:
    """Every published inquiry ``ministry`` is to answer or has answered (its feed)."""
    return _newest_first(inquiry_rows().filter(answering_ministry=ministry))


def ministry_answered_inquiries(ministry: Ministry, *, on: datetime.date | None = None) -> QuerySet[Inquiry]:
    """The inquiries ``ministry`` has answered (its page lists open and overdue ones apart)."""
    return ministry_inquiries(ministry).answered(_today(on))


def ministry_offices(ministry: Ministry) -> QuerySet[MinisterialOffice]:
    return ministry.offices.select_related("person").order_by(F("start_date").desc(nulls_last=True), "pk")


def median(frequencies: dict[int, int]) -> float | None:
    """The median of values given as value → how often it occurs."""
    total = sum(frequencies.values())
    if not total:
        return None
    ordered = sorted(frequencies.items())

    def nth(n: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        raise AssertionError("unreachable")

    middle = total // 2
    return float(nth(middle)) if total % 2 else (nth(middle - 1) + nth(middle)) / 2


@dataclass
class AnswerStats:
    answered: int
    with_deadline: int
    in_time: int
    median_days: float | None
    overdue: list[Inquiry]
    overdue_count: int
    # Answers (questions with an answer) and how many of them refused all or part of it.
    answers: int = 0
    refused: int = 0

    @property
    def in_time_share(self) -> float | None:
        return self.in_time / self.with_deadline if self.with_deadline else None

    @property
    def refused_share(self) -> float | None:
        """Share of answers refused in whole or in part (classified annexes included)."""
        return self.refused / self.answers if self.answers else None


def ministry_answer_stats(ministry: Ministry, *, on: datetime.date | None = None, overdue_limit: int = 20) -> AnswerStats:
    on = _today(on)
    answered = public_inquiries().filter(answering_ministry=ministry).answered(on)
    # One query: the join with the questions repeats each inquiry, so inquiries are counted distinct.
    counts = answered.aggregate(
        answered=Count("pk", distinct=True),
        with_deadline=Count("pk", filter=Q(due_on__isnull=False), distinct=True),
        in_time=Count("pk", filter=Q(due_on__isnull=False, answered_on__lte=F("due_on")), distinct=True),
        answers=Count("questions", filter=~Q(questions__answer_kind=""), distinct=True),
        refused=Count("questions", filter=Q(questions__answer_kind__in=REFUSING_KINDS), distinct=True),
    )
    days = dict(
        answered.filter(answer_days__isnull=False).order_by().values("answer_days").annotate(n=Count("pk")).values_list("answer_days", "n")
    )
    overdue = inquiry_rows().filter(answering_ministry=ministry).overdue(on)
    return AnswerStats(
        answers=counts["answers"],
        refused=counts["refused"],
        answered=counts["answered"],
        with_deadline=counts["with_deadline"],
        in_time=counts["in_time"],
        median_days=median(days),
        overdue=list(overdue.order_by("due_on", "pk")[:overdue_limit]),
        overdue_count=overdue.count(),
    )


# --- statistics -------------------------------------------------------------------------

# Answer-time classes of the distribution per ministry, in days (upper bound inclusive).
ANSWER_TIME_BUCKETS: list[tuple[int, int | None]] = [(0, 7), (8, 14), (15, 21), (22, 28), (29, 42), (43, None)]


def statistics_terms() -> list[Term]:
    """Terms with published inquiries, most inquiries first (the first is the default)."""
    return list(
        Term.objects.select_related("parliament")
        .annotate(inquiry_count=_count(public_inquiries().filter(term=OuterRef("pk"))))
        .filter(inquiry_count__gt=0)
        .order_by("-inquiry_count", "parliament__name", "-number")
    )


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _outside_term() -> Q:
    """Inquiries whose chart date (asked, else answered) lies outside their term's dates."""
    return Q(term__start_date__isnull=False, day__lt=F("term__start_date")) | Q(term__end_date__isnull=False, day__gt=F("term__end_date"))


def inquiries_dated_outside_term(queryset: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    """Inquiries (of ``queryset``, else all) dated before their term began or after it ended:
    a data problem for editors (admin list filter "Datum außerhalb der Wahlperiode");
    the statistics leave them out instead of stretching a term's time axis."""
    base = Inquiry.objects.all() if queryset is None else queryset
    return base.annotate(day=Coalesce("asked_on", "answered_on")).filter(day__isnull=False).filter(_outside_term())


def inquiries_per_month_by_faction(term: Term, *, today: datetime.date | None = None) -> dict[str, Any]:
    """Published inquiries of ``term`` per month (asked, else answered) and asking faction.

    Returns ``months`` (first days, without gaps: the term's months from its start to its
    end, or to the last month with data while it runs), ``factions``, ``counts`` (faction
    pk → list aligned with ``months``) and ``outside`` (how many inquiries are dated
    outside the term and left out). An inquiry asked by two factions counts for both.
    """
    dated = public_inquiries().filter(term=term).annotate(day=Coalesce("asked_on", "answered_on")).filter(day__isnull=False)
    outside = dated.filter(_outside_term()).count()
    published = dated.exclude(_outside_term())
    pairs: set[tuple[int, int]] = set(
        Inquiry.factions.through.objects.filter(inquiry__in=published.values("pk")).values_list("inquiry_id", "faction_id")
    )
    pairs |= set(
        Asker.objects.filter(inquiry__in=published.values("pk"), faction__isnull=False).values_list("inquiry_id", "faction_id")
    )
    days = dict(published.values_list("pk", "day"))
    factions = list(Faction.objects.filter(pk__in={faction for _, faction in pairs}).select_related("party").order_by("short_name"))
    if not pairs:
        return {"months": [], "factions": [], "counts": {}, "outside": outside}
    months_seen = sorted({_month(days[inquiry]) for inquiry, _ in pairs})
    first = _month(term.start_date) if term.start_date else months_seen[0]
    last = _month(term.end_date) if term.end_date else max(months_seen[-1], first)
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    index = {month: i for i, month in enumerate(months)}
    counts = {faction.pk: [0] * len(months) for faction in factions}
    for inquiry, faction in pairs:
        counts[faction][index[_month(days[inquiry])]] += 1
    return {"months": months, "factions": factions, "counts": counts, "outside": outside}


def answer_time_by_ministry(term: Term, *, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """Per answering ministry of ``term``: answers with a known answer time, their median and bucket counts."""
    on = _today(on)
    rows = (
        public_inquiries()
        .filter(term=term, answer_days__isnull=False, answering_ministry__isnull=False)
        .answered(on)
        .order_by()
        .values("answering_ministry_id", "answer_days")
        .annotate(n=Count("pk"))
    )
    per_ministry: dict[int, dict[int, int]] = {}
    for row in rows:
        per_ministry.setdefault(row["answering_ministry_id"], {})[row["answer_days"]] = row["n"]
    ministries = Ministry.objects.select_related("parliament").in_bulk(per_ministry.keys())
    # Answers of the same inquiries by kind: the share refused in whole or in part.
    kinds = {
        row["inquiry__answering_ministry_id"]: row
        for row in Question.objects.filter(
            inquiry__in=public_inquiries().filter(term=term, answer_days__isnull=False, answering_ministry__isnull=False).answered(on).order_by().values("pk")
        )
        .exclude(answer_kind="")
        .order_by()
        .values("inquiry__answering_ministry_id")
        .annotate(answers=Count("pk"), refused=Count("pk", filter=Q(answer_kind__in=REFUSING_KINDS)))
    }
    result = []
    for pk, frequencies in per_ministry.items():
        buckets = [
            sum(n for days, n in frequencies.items() if low <= days and (high is None or days <= high))
            for low, high in ANSWER_TIME_BUCKETS
        ]
        answers = kinds.get(pk, {}).get("answers", 0)
        refused = kinds.get(pk, {}).get("refused", 0)
        result.append(
            {
                "ministry": ministries[pk], "total": sum(frequencies.values()), "median": median(frequencies), "buckets": buckets,
                "answers": answers, "refused": refused, "refused_share": refused / answers if answers else None,
            }
        )
    return sorted(result, key=lambda row: row["ministry"].name)


def overdue_inquiries(*, on: datetime.date | None = None, limit: int = 50) -> tuple[list[Inquiry], int]:
    overdue = inquiry_rows().overdue(_today(on))
    return list(overdue.order_by("due_on", "pk")[:limit]), overdue.count()


# --- sitemap ----------------------------------------------------------------------------


def latest_inquiry_change() -> datetime.datetime | None:
    """When a published inquiry last changed (the sitemap index's ``lastmod``), in one query."""
    return public_inquiries().aggregate(latest=Max("updated_at"))["latest"]


def sitemap_inquiries() -> QuerySet[Inquiry]:
    return public_inquiries().select_related("parliament").only("reference", "updated_at", "parliament__code").order_by("pk")


def sitemap_people() -> QuerySet[Person]:
    return people_with_public_role().only("slug").order_by("pk")


def sitemap_factions() -> QuerySet[Faction]:
    return Faction.objects.select_related("parliament").only("slug", "parliament__code").order_by("pk")


def sitemap_ministries() -> QuerySet[Ministry]:
    return Ministry.objects.select_related("parliament").only("slug", "parliament__code").order_by("pk")


# =====================================================================================
# The inquiry list and search.
# =====================================================================================

# --- list, search and facets (the inquiry list page, feeds and later the API) ---------


def inquiry_search_base() -> QuerySet[Inquiry]:
    """What the list/search FilterSet starts from: every published inquiry."""
    return public_inquiries()


def inquiry_page(inquiries: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    """A filtered list with everything a result row shows, in a constant number of queries."""
    return inquiries.with_list_related()


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    # Extra parameters a link to this value sets (e.g. the parliament of a faction).
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


def _codes(codes: Iterable[str]) -> str:
    return ", ".join(sorted(set(codes)))


# What a row of the grouped count is keyed by: every facet but the faction one is a sum over these.
_FACET_COLUMNS = ("parliament__code", "parliament__name", "term__number", "kind", "answering_ministry__slug", "answering_ministry__name")


def _is_set(value: Any) -> bool:
    """Whether a cleaned filter value restricts anything (empty choices, None and '' do not)."""
    if isinstance(value, QuerySet):
        return not value.query.is_empty()
    return value not in (None, "", [], (), set())


def _grouped_counts(inquiries: QuerySet[Inquiry]) -> list[dict[str, Any]]:
    """Counts of ``inquiries`` per combination of the facet columns, with the three
    deadline statuses counted alongside: one pass over the matches for five facets."""
    today = _today(None)
    return list(
        inquiries.values(*_FACET_COLUMNS)
        .annotate(
            count=Count("pk"),
            answered=Count("pk", filter=InquiryQuerySet.answered_condition(today)),
            open=Count("pk", filter=InquiryQuerySet.open_condition(today)),
            overdue=Count("pk", filter=InquiryQuerySet.overdue_condition(today)),
        )
        .order_by()
    )


def inquiry_facets(filterset: Any) -> list[Facet]:
    """Counts beside each value of parliament, term, kind, faction, ministry and status.

    Each facet counts the published inquiries that match every other parameter of
    ``filterset`` (an ``InquiryFilterSet``, validated) but not its own, so the
    numbers say what choosing that value would give. Facets whose own parameters are
    not in use count over the same inquiries and share one grouped query; the
    faction facet (through two link tables) has its own.
    """
    from inquiries.models import InquiryKind
    from inquiries.models.inquiry import DeadlineStatus

    data = filterset.form.cleaned_data
    active = {name for name, value in data.items() if _is_set(value)}
    grouped: dict[frozenset[str], list[dict[str, Any]]] = {}

    def base(name: str) -> QuerySet[Inquiry]:
        # Filters join only to-one relations or use subqueries, so rows never repeat.
        return filterset.filtered(public_inquiries(), without=filterset.FACET_PARAMETERS[name]).order_by()

    def rows(name: str) -> list[dict[str, Any]]:
        key = frozenset(filterset.FACET_PARAMETERS[name] & active)
        if key not in grouped:
            grouped[key] = _grouped_counts(base(name))
        return grouped[key]

    parliament_counts: dict[str, list] = {}
    for row in rows("parliament"):
        parliament_counts.setdefault(row["parliament__code"], [row["parliament__name"], 0])[1] += row["count"]
    term_counts: dict[int, list] = {}
    for row in rows("term"):
        entry = term_counts.setdefault(row["term__number"], [set(), 0])
        entry[0].add(row["parliament__code"])
        entry[1] += row["count"]
    kind_counts: dict[str, int] = {}
    for row in rows("kind"):
        kind_counts[row["kind"]] = kind_counts.get(row["kind"], 0) + row["count"]
    per_faction = _faction_counts(base("faction"), matches=sum(row["count"] for row in rows("faction")))
    ministry_rows = [
        (row["answering_ministry__slug"], row["answering_ministry__name"], row["parliament__code"], row["count"])
        for row in rows("ministry")
        if row["answering_ministry__slug"] is not None
    ]
    status_rows = rows("status")
    status_counts = {status.value: sum(row[status.value] for row in status_rows) for status in DeadlineStatus}
    return _facet_list(data, parliament_counts, term_counts, kind_counts, per_faction, ministry_rows, status_counts)


def _facet_list(
    data: dict[str, Any],
    parliament_counts: dict[str, list],
    term_counts: dict[int, list],
    kind_counts: dict[str, int],
    per_faction: dict[int, int],
    ministry_rows: list[tuple[str, str, str, int]],
    status_counts: dict[str, int],
    known: dict[int, tuple[str, str, str]] | None = None,
) -> list[Facet]:
    """The facets from their counts: parliament code → [name, count], term number →
    [parliament codes, count], kind → count, faction id → count, (ministry slug, name,
    parliament code, count) rows, status → count; as the database or the engine counted them.
    ``known``: faction id → (slug, short name, parliament code), read here if not given."""
    from inquiries.models import InquiryKind

    chosen_parliaments = {code.upper() for code in data.get("parliament") or []}
    parliaments = [
        FacetValue(code.lower(), name, count, code in chosen_parliaments)
        for code, (name, count) in sorted(parliament_counts.items(), key=lambda item: (fold(item[1][0]), item[0]))
    ]

    chosen_term = data.get("term")
    terms = [
        FacetValue(
            str(number),
            _("%(number)s. Wahlperiode (%(parliaments)s)") % {"number": number, "parliaments": _codes(codes)},
            count,
            number == chosen_term,
        )
        for number, (codes, count) in sorted(term_counts.items(), reverse=True)
    ]

    chosen_kinds = set(data.get("kind") or [])
    kinds = [
        FacetValue(kind.value, str(kind.label), kind_counts.get(kind.value, 0), kind.value in chosen_kinds)
        for kind in InquiryKind
        if kind.value in kind_counts or kind.value in chosen_kinds
    ]

    # A faction counts an inquiry it is listed on or that one of its members asked
    # (the rule of InquiryQuerySet.by_faction), grouped by slug like the filter.
    chosen_factions = {faction.slug for faction in data.get("faction") or []}
    faction_groups: dict[str, dict[str, Any]] = {}
    if known is None:
        known = {
            faction.pk: (faction.slug, faction.short_name, faction.parliament.code)
            for faction in Faction.objects.filter(pk__in=per_faction).select_related("parliament")
        }
    for pk in sorted((pk for pk in per_faction if pk in known), key=lambda pk: (known[pk][1], pk)):
        slug, short_name, code = known[pk]
        group = faction_groups.setdefault(slug, {"label": short_name, "codes": set(), "count": 0})
        group["codes"].add(code)
        group["count"] += per_faction[pk]
    factions = [
        FacetValue(slug, f"{group['label']} ({_codes(group['codes'])})", group["count"], slug in chosen_factions)
        for slug, group in faction_groups.items()
    ]

    # Grouped by slug (one per parliament at most), named as the first name in German order.
    chosen_ministries = {ministry.slug for ministry in data.get("ministry") or []}
    ministry_groups: dict[str, dict[str, Any]] = {}
    for slug, name, code, count in sorted(ministry_rows, key=lambda row: (fold(row[1]), row[0])):
        group = ministry_groups.setdefault(slug, {"label": name, "codes": set(), "count": 0})
        group["codes"].add(code)
        group["count"] += count
    ministries = [
        FacetValue(slug, f"{group['label']} ({_codes(group['codes'])})", group["count"], slug in chosen_ministries)
        for slug, group in ministry_groups.items()
    ]

    chosen_status = data.get("status")
    statuses = [
        FacetValue(status.value, str(status.label), status_counts.get(status.value, 0), status.value == chosen_status)
        for status in DeadlineStatus
    ]

    return [
        Facet("parliament", _("Parlament"), parliaments),
        Facet("term", _("Wahlperiode"), terms),
        Facet("kind", _("Art"), kinds),
        Facet("faction", _("Fraktion"), factions),
        Facet("ministry", _("antwortendes Ministerium"), ministries),
        Facet("status", _("Stand"), statuses),
    ]


def _engine_parts(filterset: Any) -> tuple[Any, Any, Any, dict[str, Any]]:
    """(searcher, schema, parsed query, filter clauses) of a valid filterset, made once per
    filterset: its count, facets and page then read one state of the index."""
    parts = getattr(filterset, "_engine_parts", None)
    if parts is None:
        from inquiries.search import engine, engine_search

        searcher, schema, _index = engine.searcher()
        data = filterset.form.cleaned_data
        parts = (searcher, schema, search.parse_query(data.get("q") or ""), engine_search.filter_clauses(schema, data, _today(None)))
        filterset._engine_parts = parts
    return parts


# The facets the engine counts, each over a fast field of its index.
_ENGINE_FACET_FIELDS = {"parliament": "parliament", "term": "term", "kind": "kind", "faction": "factions", "ministry": "ministry"}


def _engine_facets(filterset: Any) -> list[Facet]:
    """``inquiry_facets`` from the search engine's index: a count per value of each
    facet's fast field over the matches of every other parameter, one aggregation per
    set of parameters left out (one for a search or list without facet filters)."""
    from inquiries.search import engine_search

    searcher, schema, parsed, filters = _engine_parts(filterset)
    data = filterset.form.cleaned_data
    today = _today(None)
    groups: dict[frozenset[str], list[str]] = {}
    for name in [*_ENGINE_FACET_FIELDS, "status"]:
        groups.setdefault(frozenset(filterset.FACET_PARAMETERS[name] & set(filters)), []).append(name)
    counts: dict[str, dict[Any, int]] = {}
    status_counts: dict[str, int] = {}
    for left_out, names in groups.items():
        query = engine_search.combined(schema, parsed, filters, without=left_out)
        fields = [_ENGINE_FACET_FIELDS[name] for name in names if name in _ENGINE_FACET_FIELDS]
        aggregated = engine_search.terms_counts(searcher, query, fields)
        for name in names:
            if name in _ENGINE_FACET_FIELDS:
                counts[name] = aggregated[_ENGINE_FACET_FIELDS[name]]
        if "status" in names:
            total = engine_search.count(searcher, query)
            answered, overdue = (
                engine_search.count(searcher, engine_search.combined(schema, parsed, {**filters, "status": engine_search.status_query(schema, status, today)}, without=left_out - {"status"}))
                for status in (DeadlineStatus.ANSWERED, DeadlineStatus.OVERDUE)
            )
            status_counts = {DeadlineStatus.ANSWERED: answered, DeadlineStatus.OVERDUE: overdue, DeadlineStatus.OPEN: total - answered - overdue}

    names = facet_names.current()
    parliament_counts = {names.parliaments[pk][0]: [names.parliaments[pk][1], count] for pk, count in counts["parliament"].items() if pk in names.parliaments}
    term_counts: dict[int, list] = {}
    for pk, count in counts["term"].items():
        if pk in names.terms:
            number, code = names.terms[pk]
            entry = term_counts.setdefault(number, [set(), 0])
            entry[0].add(code)
            entry[1] += count
    ministry_rows = [(*names.ministries[pk], count) for pk, count in counts["ministry"].items() if pk in names.ministries]
    per_faction = {int(pk): count for pk, count in counts["faction"].items()}
    return _facet_list(data, parliament_counts, term_counts, dict(counts["kind"]), per_faction, ministry_rows, status_counts, names.factions)


@dataclass(frozen=True)
class ListSummary:
    """What a list or search shows beside its page: the number of results and the facets."""

    count: int
    facets: list[Facet]


# Parameters that change neither the results' number nor the facets.
_NOT_SUMMARISED = frozenset({"ordering"})


def _key_value(value: Any) -> str:
    """A cleaned filter value as stable text, whatever order or objects it came in."""
    if isinstance(value, slice):
        return f"{_key_value(value.start)}..{_key_value(value.stop)}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (QuerySet, list, tuple, set, frozenset)):
        return ",".join(sorted(str(getattr(item, "pk", item)) for item in value))
    return "" if value is None else str(value)


def _aggregate_key(kind: str, filterset: Any, *extra: str) -> str:
    """A cache key for ``kind`` of the results of ``filterset``: the data version, today
    (open and overdue change at midnight), ``extra`` and every parameter that selects."""
    data = filterset.form.cleaned_data
    parts = [versions.current(), _today(None).isoformat(), *extra]
    parts += [f"{name}={_key_value(data[name])}" for name in sorted(data) if name not in _NOT_SUMMARISED]
    return f"{kind}:" + hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _cached_aggregate(key: Callable[[], str], compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in Django's cache under ``key()`` (AGGREGATE_CACHE_SECONDS)."""
    seconds = settings.AGGREGATE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    name = key()
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, seconds)
    return value


def _summary(filterset: Any) -> ListSummary:
    facets = _engine_facets(filterset) if search.uses_engine() else inquiry_facets(filterset)
    # The three statuses split the results without overlap; each is counted over
    # the results without the status parameter, so chosen or all of them make the total.
    statuses = next(facet for facet in facets if facet.name == "status")
    return ListSummary(count=sum(value.count for value in statuses.selected or statuses.values), facets=facets)


def inquiry_summary(filterset: Any) -> ListSummary:
    """The number of results and the facets of a valid ``InquiryFilterSet``.

    Computed once per data version, day, language and set of parameters, then taken
    from Django's cache for every page, ordering and format of the same results: the
    counts read every match, the page only its rows. The data version changes in the
    transaction of every write, so no app server serves counts of older data.
    """
    return _cached_aggregate(lambda: _aggregate_key("listsummary", filterset, get_language() or ""), lambda: _summary(filterset))


def inquiry_count(filterset: Any) -> int:
    """The number of results of a valid ``InquiryFilterSet``, cached like ``inquiry_summary``."""
    if search.uses_engine():
        return _cached_aggregate(lambda: _aggregate_key("listcount", filterset), lambda: len(EngineResults(filterset)))
    return _cached_aggregate(lambda: _aggregate_key("listcount", filterset), lambda: filterset.qs.count())


class EngineResults:
    """The results of a valid ``InquiryFilterSet`` as the search engine orders them: a
    slice is one query of the index for just those (id, rank) pairs, ``len()`` the
    exact total. Pages of the list, the search and the API search come from it."""

    def __init__(self, filterset: Any) -> None:
        self.filterset = filterset
        self._count: int | None = None

    def _query(self):
        from inquiries.search import engine_search

        searcher, schema, parsed, filters = _engine_parts(self.filterset)
        return searcher, engine_search.combined(schema, parsed, filters)

    def __len__(self) -> int:
        if self._count is None:
            from inquiries.search import engine_search

            searcher, query = self._query()
            self._count = engine_search.count(searcher, query)
        return self._count

    def __getitem__(self, span: slice) -> list[tuple[int, float]]:
        from inquiries.filters import Sort
        from inquiries.search import engine_search

        searcher, query = self._query()
        sort = self.filterset.sort
        results, self._count = engine_search.ranked(
            searcher, query, span.start or 0, span.stop or 0, sort=None if sort == Sort.RELEVANCE else sort
        )
        return results


# The first results of a search kept in order (ten pages of the site, five of the API):
# ranking orders every match, a page reads only its own rows by id.
SEARCH_RESULTS_KEPT = 250


def search_results_head(filterset: Any) -> list[tuple[int, float]] | None:
    """(id, rank) of the first ``SEARCH_RESULTS_KEPT`` results of a valid filterset with
    search words, in the order asked for; cached like ``inquiry_summary``. None for a list
    without search words (its pages come off an index) or with the cache turned off.

    With the search engine, every page comes from its index (``EngineResults``).
    """
    if search.uses_engine():
        return EngineResults(filterset)
    if not filterset.search_text or settings.AGGREGATE_CACHE_SECONDS <= 0:
        return None
    return _cached_aggregate(
        lambda: _aggregate_key("resulthead", filterset, filterset.sort),
        lambda: list(filterset.qs.values_list("pk", "search_rank")[:SEARCH_RESULTS_KEPT]),
    )


def kept_results(head: list[tuple[int, float]] | None, bottom: int, top: int, count: int) -> list[tuple[int, float]] | None:
    """Results ``bottom`` to ``top`` (of ``count``) from ``head``, the kept first results
    (``search_results_head``), or None when they do not all lie among them."""
    if isinstance(head, EngineResults):
        return head[bottom:top]
    if head is None or (top > len(head) and len(head) < count):
        return None
    return head[bottom:top]


def inquiries_in_order(results: list[tuple[int, float]], queryset: QuerySet[Inquiry] | None = None) -> list[Inquiry]:
    """The inquiries of ``results`` ((id, rank) pairs) from ``queryset`` (published inquiries
    unless given), in that order, with ``search_rank`` and loaded like a page of the list."""
    rows = inquiry_page(public_inquiries() if queryset is None else queryset).in_bulk([pk for pk, _rank in results])
    ordered = []
    for pk, rank in results:
        if pk in rows:
            rows[pk].search_rank = rank
            ordered.append(rows[pk])
    return ordered


# Up to this many matches the links of just the matching inquiries are read (two index
# passes); beyond it, reading every link once and filtering at the end is cheaper
# (measured at 100,000 inquiries: 25 instead of 85 ms for a rare word on SQLite, 100
# instead of 170 ms on PostgreSQL; 115 instead of 160 ms for a word in every inquiry).
_FACTION_LINKS_FILTERED_UP_TO = 20_000


def _faction_counts(inquiries: QuerySet[Inquiry], *, matches: int) -> dict[int, int]:
    """Faction id → how many of ``inquiries`` (``matches`` of them) it is listed on or one
    of its members asked.

    Counted in the database in one statement, each (faction, inquiry) pair once. For a
    few matches, the UNION of the pairs of just the matching inquiries. For many, every
    listed pair and the askers' pairs that are not listed as well, told apart by an
    anti-join on the listed pairs' unique index: cheaper than a UNION that sorts or
    hashes every pair of both kinds (bare list at 100,000 inquiries on PostgreSQL: 111
    instead of 246–394 ms), but for a few matches PostgreSQL plans it in parallel, and
    starting the workers costs more than the count (14 instead of 1 ms).
    """
    from inquiries.models import Asker

    matching_sql, params = inquiries.order_by().values("pk").query.sql_with_params()
    listed, asked = Inquiry.factions.through._meta.db_table, Asker._meta.db_table
    if matches <= _FACTION_LINKS_FILTERED_UP_TO:
        sql = (
            "SELECT links.faction_id, COUNT(*) FROM ("
            f" SELECT faction_id, inquiry_id FROM {listed} WHERE inquiry_id IN ({matching_sql})"
            f" UNION SELECT faction_id, inquiry_id FROM {asked} WHERE faction_id IS NOT NULL AND inquiry_id IN ({matching_sql})"
            ") links GROUP BY links.faction_id"
        )
        params = (*params, *params)
    else:
        sql = (
            "SELECT links.faction_id, COUNT(*) FROM ("
            f" SELECT l.faction_id, l.inquiry_id FROM {listed} l"
            f" UNION ALL SELECT DISTINCT a.faction_id, a.inquiry_id FROM {asked} a WHERE a.faction_id IS NOT NULL"
            f" AND NOT EXISTS (SELECT 1 FROM {listed} o WHERE o.inquiry_id = a.inquiry_id AND o.faction_id = a.faction_id)"
            f") links WHERE links.inquiry_id IN ({matching_sql}) GROUP BY links.faction_id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def inquiry_feed(inquiries: QuerySet[Inquiry], *, size: int) -> QuerySet[Inquiry]:
    """The newest published entries of a feed over ``inquiries``, loaded for their entries."""
    return (
        inquiries.prefetch_related(None)
        .with_list_related()
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:size]
    )
# --- correction log -------------------------------------------------------------------------


@dataclass
class CorrectionEntry:
    """What was corrected on one day after publication, for the public inquiry page."""

    date: datetime.date
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Public fields of an inquiry and how the log names them; state and derived fields are left out.
_INQUIRY_FIELD_LABELS = {
    "parliament": gettext_lazy("Parlament"),
    "term": gettext_lazy("Wahlperiode"),
    "reference": gettext_lazy("Drucksachennummer"),
    "kind": gettext_lazy("Art der Anfrage"),
    "title": gettext_lazy("Titel"),
    "asked_on": gettext_lazy("Datum der Anfrage"),
    "answered_on": gettext_lazy("Datum der Antwort"),
    "answering_ministry": gettext_lazy("antwortendes Ministerium"),
    "signed_by": gettext_lazy("Unterzeichnung"),
    "signed_by_role": gettext_lazy("Amtsbezeichnung des Unterzeichners"),
    "explanation": gettext_lazy("Begründung"),
    "government_preface": gettext_lazy("Vorbemerkung der Landesregierung"),
    "full_text": gettext_lazy("Volltext"),
    "document": gettext_lazy("Originaldokument"),
    "source_url": gettext_lazy("Quellenangabe"),
    "source_notice": gettext_lazy("Quellenhinweis"),
    "related_references": gettext_lazy("verwandte Drucksachen"),
    "topics": gettext_lazy("Themen"),
}


def _text(value: Any) -> Any:
    # Browsers send \r\n and editors leave trailing blanks: neither is a correction.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _changed(label: str, old: Any, new: Any) -> str:
    if old in (None, "", []):
        return _("%(field)s ergänzt") % {"field": label}
    if new in (None, "", []):
        return _("%(field)s entfernt") % {"field": label}
    return _("%(field)s korrigiert") % {"field": label}


def _inquiry_changes(before, after) -> list[str]:
    changes = []
    for name, label in _INQUIRY_FIELD_LABELS.items():
        attname = Inquiry._meta.get_field(name).attname
        old, new = _text(getattr(before, attname)), _text(getattr(after, attname))
        if old != new:
            changes.append(_changed(str(label), old, new))
    return changes


def _question_changes(before: dict[int, Any], after: dict[int, Any]) -> list[str]:
    removed = {pk: row for pk, row in before.items() if pk not in after}
    added = {pk: row for pk, row in after.items() if pk not in before}
    # A question deleted and created again under its number (re-import) is the same question.
    pairs = [(before[pk], after[pk]) for pk in before.keys() & after.keys()]
    for old_pk, old in list(removed.items()):
        match = next((pk for pk, row in added.items() if row.number == old.number), None)
        if match is not None:
            pairs.append((old, added.pop(match)))
            del removed[old_pk]
    changes: list[tuple[int, str]] = []
    reordered = False
    for old, new in pairs:
        number = new.number
        if old.number != new.number:
            changes.append((new.position, _("Frage %(old)s in %(new)s umnummeriert") % {"old": old.number, "new": number}))
        elif old.position != new.position:
            reordered = True
        if _text(old.text) != _text(new.text):
            changes.append((new.position, _("Wortlaut der Frage %(number)s korrigiert") % {"number": number}))
        old_answer, new_answer = _text(old.answer), _text(new.answer)
        if old_answer != new_answer:
            if not old_answer:
                message = _("Antwort zu Frage %(number)s ergänzt")
            elif not new_answer:
                message = _("Antwort zu Frage %(number)s entfernt")
            else:
                message = _("Antwort zu Frage %(number)s korrigiert")
            changes.append((new.position, message % {"number": number}))
    changes += [(row.position, _("Frage %(number)s ergänzt") % {"number": row.number}) for row in added.values()]
    changes += [(row.position, _("Frage %(number)s entfernt") % {"number": row.number}) for row in removed.values()]
    result = [message for _position, message in sorted(changes, key=lambda change: change[0])]
    if reordered:
        result.append(_("Reihenfolge der Fragen geändert"))
    return result


def _asker_changes(before: dict[int, Any], after: dict[int, Any], people: dict[int, Person]) -> list[str]:
    # Keyed by person: an import replaces the rows of unchanged askers with new ones.
    old = {row.person_id: row.faction_id for row in before.values()}
    new = {row.person_id: row.faction_id for row in after.values()}
    changes = []
    for person_id in [*new, *(pk for pk in old if pk not in new)]:
        name = people[person_id].full_name if person_id in people else _("unbekannt")
        if person_id not in old:
            changes.append(_("Fragesteller(in) %(name)s ergänzt") % {"name": name})
        elif person_id not in new:
            changes.append(_("Fragesteller(in) %(name)s entfernt") % {"name": name})
        elif old[person_id] != new[person_id]:
            changes.append(_("Fraktion von %(name)s korrigiert") % {"name": name})
    return changes


def _ministry_link_changes(before: dict[int, Any], after: dict[int, Any], ministries: dict[int, Ministry]) -> list[str]:
    old = {(row.ministry_id, row.role) for row in before.values()}
    new = {(row.ministry_id, row.role) for row in after.values()}
    changes = []
    for ministry_id, _role in sorted(new - old) + sorted(old - new):
        name = ministries[ministry_id].name if ministry_id in ministries else _("unbekannt")
        template = _("beteiligtes Ministerium %(name)s ergänzt") if (ministry_id, _role) in new else _("beteiligtes Ministerium %(name)s entfernt")
        changes.append(template % {"name": name})
    return changes


def _snapshots(records: list[Any], boundaries: list[datetime.datetime]) -> list[dict[int, Any]]:
    """The rows alive just before each boundary, from their history records (oldest first)."""
    alive: dict[int, Any] = {}
    result = []
    index = 0
    for boundary in boundaries:
        while index < len(records) and records[index].history_date < boundary:
            record = records[index]
            if record.history_type == "-":
                alive.pop(record.id, None)
            else:
                alive[record.id] = record
            index += 1
        result.append(dict(alive))
    return result


def correction_log(inquiry: Inquiry) -> list[CorrectionEntry]:
    """Changes made after the inquiry was first published, by day, newest first.

    Built from the history: each save of the inquiry (admin form or re-import) starts an
    event that also takes in the changes of its questions, askers and involved ministries
    made before the next save. Events before the first publication, the publishing and
    withdrawing themselves, and saves that changed nothing public are left out. Editors'
    names never appear; an editor's public note (the change reason) does.
    """
    from inquiries.models import Asker, InquiryMinistry, Question

    events = list(Inquiry.history.filter(id=inquiry.pk).order_by("history_date", "history_id"))
    if not events:
        return []
    children = {
        model: list(model.history.filter(inquiry_id=inquiry.pk).order_by("history_date", "history_id"))
        for model in (Question, Asker, InquiryMinistry)
    }
    far_future = events[-1].history_date + datetime.timedelta(days=1)
    boundaries = [event.history_date for event in events] + [far_future]
    states = {model: _snapshots(records, boundaries) for model, records in children.items()}
    people = Person.objects.in_bulk({record.person_id for record in children[Asker]})
    ministries = Ministry.objects.in_bulk({record.ministry_id for record in children[InquiryMinistry]})

    by_day: dict[datetime.date, CorrectionEntry] = {}
    was_published = False
    for index, event in enumerate(events):
        counts = was_published and index > 0
        was_published = was_published or event.state == InquiryState.PUBLISHED
        if not counts:
            continue
        before, after = index, index + 1
        changes = _inquiry_changes(events[index - 1], event)
        changes += _asker_changes(states[Asker][before], states[Asker][after], people)
        changes += _ministry_link_changes(states[InquiryMinistry][before], states[InquiryMinistry][after], ministries)
        changes += _question_changes(states[Question][before], states[Question][after])
        note = (event.history_change_reason or "").strip()
        if not changes and not note:
            continue
        day = timezone.localdate(event.history_date)
        entry = by_day.setdefault(day, CorrectionEntry(date=day))
        entry.changes += [change for change in changes if change not in entry.changes]
        if note and note not in entry.notes:
            entry.notes.append(note)
    return sorted(by_day.values(), key=lambda entry: entry.date, reverse=True)


# --- editorial reads (admin only, never public) ----------------------------------------------


def inquiry_for_preview(pk: int) -> Inquiry:
    """An inquiry in any state with everything its page shows, for the staff preview."""
    return get_object_or_404(Inquiry.objects.with_detail_related(), pk=pk)


@dataclass
class PartChange:
    """One change of a question, asker or involved ministry, for the admin's history page."""

    date: datetime.datetime
    user: Any
    kind: str
    part: str
    fields: list[str]


def inquiry_part_history(inquiry_id: int, *, limit: int = 300) -> list[PartChange]:
    """Changes of an inquiry's questions, askers and involved ministries, newest first, with who made them."""
    from inquiries.models import Asker, InquiryMinistry, Question

    kinds = {"+": _("angelegt"), "~": _("geändert"), "-": _("gelöscht")}
    histories = {
        model: list(
            model.history.filter(inquiry_id=inquiry_id).select_related("history_user").order_by("history_date", "history_id")
        )
        for model in (Question, Asker, InquiryMinistry)
    }
    people = Person.objects.in_bulk({record.person_id for record in histories[Asker]})
    ministries = Ministry.objects.in_bulk({record.ministry_id for record in histories[InquiryMinistry]})

    def describe(model, record) -> str:
        if model is Question:
            return _("Frage %(number)s") % {"number": record.number}
        if model is Asker:
            person = people.get(record.person_id)
            return _("Fragesteller(in) %(name)s") % {"name": person.full_name if person else record.person_id}
        ministry = ministries.get(record.ministry_id)
        return _("Ministerium %(name)s (%(role)s)") % {
            "name": ministry.name if ministry else record.ministry_id,
            "role": record.get_role_display(),
        }

    changes: list[PartChange] = []
    for model, records in histories.items():
        previous: dict[int, Any] = {}
        for record in records:
            before = previous.get(record.id)
            fields = []
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before)
                fields = [str(model._meta.get_field(change.field).verbose_name) for change in delta.changes]
            previous[record.id] = record
            if before is not None and record.history_type == "~" and not fields:
                continue  # saved again unchanged (e.g. a re-import)
            changes.append(PartChange(record.history_date, record.history_user, kinds[record.history_type], describe(model, record), fields))
    changes.sort(key=lambda change: change.date, reverse=True)
    return changes[:limit]


def exported_inquiries(*, drafts: bool = False, everything: bool = False) -> QuerySet[Inquiry]:
    """The inquiries of an inquiry.v1 export: the published ones, with ``drafts`` also
    the drafts, with ``everything`` also the withdrawn ones (exports that are not public)."""
    if everything:
        return Inquiry.objects.all()
    if drafts:
        return public_inquiries() | Inquiry.objects.drafts()
    return public_inquiries()


# =====================================================================================
# Name suggestions for the search box (/anfragen/vorschlaege/): public records only.
# =====================================================================================


@dataclass(frozen=True)
class NameSuggestion:
    """A person, faction or ministry whose name matches what was typed, with the
    search-page URL filtered by it."""

    kind: str
    label: str
    detail: str
    url: str


# Fewest characters before names are suggested, and most suggestions of each kind.
NAME_SUGGESTION_MIN_CHARS = 2
NAME_SUGGESTIONS_PER_KIND = 5


def name_suggestions(typed: str) -> list[NameSuggestion]:
    """People who asked a published inquiry or held an office, factions and ministries whose
    names contain every word typed (folded: "Ruelke" finds "Rülke"); at most a few of each."""
    typed_words = [word for word in (typed or "")[:100].split() if fold(word)][:4]
    words = [fold(word) for word in typed_words]
    if not words or sum(len(word) for word in words) < NAME_SUGGESTION_MIN_CHARS:
        return []
    limit = NAME_SUGGESTIONS_PER_KIND
    list_url = reverse("inquiries:inquiry-list")
    people = people_with_public_role()
    for word in words:
        people = people.filter(name_key__contains=word)
    found = [
        NameSuggestion("person", person.full_name, _("Person"), f"{list_url}?person={person.slug}")
        for person in people.order_by("last_name", "first_name", "pk")[:limit]
    ]
    factions = Faction.objects.select_related("parliament")
    for word in typed_words:
        factions = factions.filter(Q(short_name__icontains=word) | Q(name__icontains=word))
    found += [
        NameSuggestion("faction", faction.short_name, _("Fraktion (%(code)s)") % {"code": faction.parliament.code},
                       f"{list_url}?faction={faction.slug}&parliament={faction.parliament.code.lower()}")
        for faction in factions.order_by("short_name", "parliament__code", "pk")[:limit]
    ]
    ministries = Ministry.objects.select_related("parliament")
    for word in typed_words:
        ministries = ministries.filter(Q(name__icontains=word) | Q(short_name__icontains=word))
    found += [
        NameSuggestion("ministry", ministry.name, _("Ministerium (%(code)s)") % {"code": ministry.parliament.code},
                       f"{list_url}?ministry={ministry.slug}&parliament={ministry.parliament.code.lower()}")
        for ministry in ministries.order_by(F("valid_until").desc(nulls_first=True), "name", "pk")[:limit]
    ]
    return found
