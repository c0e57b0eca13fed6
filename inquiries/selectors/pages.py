"""Reads of the site's pages: home, inquiry page, people, factions, ministries, the
staff preview and the name suggestions of the search box.

Every function counts and lists published inquiries only, in a number of queries
that does not depend on the number of rows shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from inquiries import papers
from inquiries.choices import AnswerKind, DeadlineStatus, InquiryState
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    Membership,
    MinisterialOffice,
    Ministry,
    Person,
    Question,
    Term,
)
from inquiries.names import fold
from inquiries.querysets import InquiryQuerySet
from inquiries.selectors.base import (
    REFERENCE_SLUG,
    REFUSING_KINDS,
    count_of,
    inquiry_rows,
    median,
    newest_first,
    on_or_today,
    checked_parliament_code,
    public_inquiries,
    year_counts,
)


# --- home -----------------------------------------------------------------------------


def home_summary(*, latest: int = 10, on: datetime.date | None = None) -> dict[str, Any]:
    on = on_or_today(on)
    published = public_inquiries()
    return {
        "inquiry_count": published.count(),
        "answered_count": published.answered(on).count(),
        "overdue_count": published.overdue(on).count(),
        "latest": list(newest_first(inquiry_rows().answered(on))[:latest]),
        "overdue": list(inquiry_rows().overdue(on).order_by("due_on", "pk")[:latest]),
        "terms": list(
            Term.objects.select_related("parliament")
            .annotate(inquiry_count=count_of(published.filter(term=OuterRef("pk"))))
            .filter(inquiry_count__gt=0)
            .order_by("parliament__name", "-number")
        ),
        "faction_count": Faction.objects.count(),
        "person_count": Person.objects.public().count(),
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
    on = on_or_today(on)
    status = inquiry.deadline_status(on)
    days_late = 0
    if inquiry.due_on is not None:
        end = inquiry.answered_on if status == DeadlineStatus.ANSWERED else on
        days_late = max((end - inquiry.due_on).days, 0)
    return Deadline(status=status, days_late=days_late)


# What the inquiry page never shows of the rows it reads (the whole printed text, bookkeeping
# and the joined rows' own details); a deferred column the page did use would cost a query per
# row, which tests/test_views_queries.py would catch.
_DETAIL_DEFERRED = (
    "full_text",
    "signed_by__name_key",
    "signed_by__created_at",
    "signed_by__updated_at",
    "answering_ministry__created_at",
    "answering_ministry__updated_at",
)
_ASKER_COLUMNS = (
    "inquiry_id", "position", "person__title", "person__first_name", "person__last_name", "person__slug",
    "faction__short_name", "faction__slug", "faction__parliament__code",
)
_FACTION_COLUMNS = ("short_name", "slug", "parliament__code")
_MINISTRY_LINK_COLUMNS = ("inquiry_id", "role", "position", "ministry__name", "ministry__slug", "ministry__parliament__code")


def inquiry_detail_page(parliament_code: str, reference_slug: str) -> InquiryPage:
    """The inquiry page's data; 404 for unknown references and drafts.

    An inquiry withdrawn after publication is returned too (only its reference, title
    and the reason are shown, with HTTP 410), so that old links explain what happened;
    one withdrawn before publication was never public and is a 404 like any draft.
    """
    if not REFERENCE_SLUG.fullmatch(reference_slug):
        raise Http404("not a printed-paper number")
    reference = reference_slug.replace("-", "/", 1)
    # The related rows are read with the columns the page shows only: building the queries and
    # the objects costs per column, and the page is read far more often than it changes.
    queryset = (
        Inquiry.objects.public()
        .select_related("parliament", "term", "answering_ministry__parliament", "signed_by")
        .defer(*_DETAIL_DEFERRED)
        .prefetch_related(
            Prefetch(
                "asker_links",
                queryset=Asker.objects.select_related("person", "faction__parliament").only(*_ASKER_COLUMNS).order_by("position"),
            ),
            Prefetch("factions", queryset=Faction.objects.select_related("parliament").only(*_FACTION_COLUMNS).order_by("short_name")),
            Prefetch(
                "ministry_links",
                queryset=InquiryMinistry.objects.select_related("ministry__parliament").only(*_MINISTRY_LINK_COLUMNS).order_by("role", "position"),
            ),
            Prefetch("questions", queryset=Question.objects.order_by("position").prefetch_related("tables")),
        )
    )
    inquiry = get_object_or_404(queryset, parliament__code=checked_parliament_code(parliament_code), reference=reference)
    if inquiry.state == InquiryState.WITHDRAWN:
        return InquiryPage(inquiry=inquiry)
    texts = [inquiry.explanation, inquiry.government_preface]
    for question in inquiry.questions.all():
        texts += [question.text, question.answer]
    wanted = set(inquiry.related_references) | {ref for text in texts for ref in papers.references_in(text)}
    wanted.discard(inquiry.reference)
    # Most inquiries name no other paper: then there is nothing to look up.
    found = (
        public_inquiries().filter(parliament=inquiry.parliament, reference__in=wanted).values_list("reference", flat=True)
        if wanted
        else []
    )
    code = inquiry.parliament.code.lower()
    paper_urls = {
        ref: reverse("inquiries:inquiry-detail", kwargs={"parliament": code, "reference": ref.replace("/", "-")})
        for ref in found
    }
    related = [(ref, paper_urls.get(ref)) for ref in inquiry.related_references if ref != inquiry.reference]
    return InquiryPage(inquiry=inquiry, paper_urls=paper_urls, related=related)


# --- people -----------------------------------------------------------------------------


def person_index() -> QuerySet[Person]:
    return (
        Person.objects.public()
        .annotate(
            inquiry_count=count_of(Asker.objects.filter(InquiryQuerySet.published_condition("inquiry"), person_id=OuterRef("pk")))
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
    """A person with a public role (``Person.objects.public()``); 404 for anyone else, as in the API."""
    return get_object_or_404(Person.objects.public(), slug=slug)


def person_memberships(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("faction__parliament", "faction__party").order_by(
        F("start_date").asc(nulls_first=True), "pk"
    )


def person_offices(person: Person) -> QuerySet[MinisterialOffice]:
    return person.offices.select_related("ministry__parliament").order_by(F("start_date").asc(nulls_first=True), "pk")


def person_inquiries(person: Person) -> QuerySet[Inquiry]:
    asked = Exists(Asker.objects.filter(inquiry_id=OuterRef("pk"), person=person))
    return newest_first(inquiry_rows().filter(asked))


def person_year_counts(person: Person) -> list[dict[str, Any]]:
    return year_counts(public_inquiries().filter(Exists(Asker.objects.filter(inquiry_id=OuterRef("pk"), person=person))))


# --- factions ---------------------------------------------------------------------------


def faction_index() -> QuerySet[Faction]:
    return (
        Faction.objects.select_related("parliament", "party")
        .annotate(
            inquiry_count=count_of(public_inquiries().by_faction(OuterRef(OuterRef("pk")))),
            member_count=count_of(Person.objects.filter(Exists(Membership.objects.filter(person_id=OuterRef("pk"), faction_id=OuterRef(OuterRef("pk")))))),
        )
        .order_by("parliament__name", "short_name")
    )


def faction_detail(parliament_code: str, slug: str) -> Faction:
    return get_object_or_404(
        Faction.objects.select_related("parliament", "party"), parliament__code=checked_parliament_code(parliament_code), slug=slug
    )


def faction_inquiries(faction: Faction) -> QuerySet[Inquiry]:
    return newest_first(inquiry_rows().by_faction(faction))


def faction_year_counts(faction: Faction) -> list[dict[str, Any]]:
    return year_counts(public_inquiries().by_faction(faction))


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
        .annotate(answered_count=count_of(public_inquiries().answered().filter(answering_ministry_id=OuterRef("pk"))))
        .order_by("parliament__name", F("valid_until").desc(nulls_first=True), "name")
    )


def ministry_detail(parliament_code: str, slug: str) -> Ministry:
    return get_object_or_404(
        Ministry.objects.select_related("parliament", "successor"), parliament__code=checked_parliament_code(parliament_code), slug=slug
    )


def ministry_inquiries(ministry: Ministry) -> QuerySet[Inquiry]:
    """Every published inquiry ``ministry`` is to answer or has answered (its feed)."""
    return newest_first(inquiry_rows().filter(answering_ministry=ministry))


def ministry_answered_inquiries(ministry: Ministry, *, on: datetime.date | None = None) -> QuerySet[Inquiry]:
    """The inquiries ``ministry`` has answered (its page lists open and overdue ones apart)."""
    return ministry_inquiries(ministry).answered(on_or_today(on))


def ministry_offices(ministry: Ministry) -> QuerySet[MinisterialOffice]:
    return ministry.offices.select_related("person").order_by(F("start_date").desc(nulls_last=True), "pk")


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
    on = on_or_today(on)
    answered = public_inquiries().filter(answering_ministry=ministry).answered(on)
    # One query: the join with the questions repeats each inquiry, so inquiries are counted distinct.
    counts = answered.aggregate(
        answered=Count("pk", distinct=True),
        with_deadline=Count("pk", filter=Q(due_on__isnull=False), distinct=True),
        in_time=Count("pk", filter=Q(due_on__isnull=False, answered_on__lte=F("due_on")), distinct=True),
        answers=Count("questions", filter=~Q(questions__answer_kind=AnswerKind.NONE), distinct=True),
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


def inquiry_for_preview(pk: int) -> Inquiry:
    """An inquiry in any state with everything its page shows, for the staff preview."""
    return get_object_or_404(Inquiry.objects.with_detail_related(), pk=pk)


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


def _named(queryset: QuerySet, typed_words: list[str]) -> QuerySet:
    """Factions or ministries whose name or short name contains every word typed."""
    for word in typed_words:
        queryset = queryset.filter(Q(short_name__icontains=word) | Q(name__icontains=word))
    return queryset.select_related("parliament")


def _filter_suggestion(kind: str, record: Faction | Ministry, label: str, detail: str, list_url: str) -> NameSuggestion:
    """A faction or ministry as a suggestion that filters the list by it and its parliament."""
    code = record.parliament.code
    return NameSuggestion(kind, label, detail % {"code": code}, f"{list_url}?{kind}={record.slug}&parliament={code.lower()}")


def name_suggestions(typed: str) -> list[NameSuggestion]:
    """Public people (``Person.objects.public()``), factions and ministries whose names
    contain every word typed (folded: "Ruelke" finds "Rülke"); at most a few of each."""
    typed_words = [word for word in (typed or "")[:100].split() if fold(word)][:4]
    words = [fold(word) for word in typed_words]
    if not words or sum(len(word) for word in words) < NAME_SUGGESTION_MIN_CHARS:
        return []
    limit = NAME_SUGGESTIONS_PER_KIND
    list_url = reverse("inquiries:inquiry-list")
    people = Person.objects.public()
    for word in words:
        people = people.filter(name_key__contains=word)
    found = [
        NameSuggestion("person", person.full_name, _("Person"), f"{list_url}?person={person.slug}")
        for person in people.order_by("last_name", "first_name", "pk")[:limit]
    ]
    found += [
        _filter_suggestion("faction", faction, faction.short_name, _("Fraktion (%(code)s)"), list_url)
        for faction in _named(Faction.objects.all(), typed_words).order_by("short_name", "parliament__code", "pk")[:limit]
    ]
    ministries = _named(Ministry.objects.all(), typed_words).order_by(F("valid_until").desc(nulls_first=True), "name", "pk")
    found += [
        _filter_suggestion("ministry", ministry, ministry.name, _("Ministerium (%(code)s)"), list_url)
        for ministry in ministries[:limit]
    ]
    return found
