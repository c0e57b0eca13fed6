"""Reads of the site's pages: home, inquiry page, people, factions, ministries, the
staff preview and the name suggestions of the search box.

Every function counts and lists published inquiries only, in a number of queries
that does not depend on the number of rows shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from inquiries import papers, search
from inquiries.addresses import address
from inquiries.choices import REFUSING_KINDS, AnswerKind, DeadlineStatus, InquiryState, MinistryRole
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    Membership,
    MinisterialOffice,
    Ministry,
    Person,
    Question,
)
from inquiries.names import fold
from inquiries.query import InquiryQuery, page_number
from inquiries.selectors import counts, inquiry_parts, listing
from inquiries.selectors.base import (
    REFERENCE_SLUG,
    inquiry_rows,
    median,
    newest_first,
    on_or_today,
    checked_parliament_code,
    public_inquiries,
)


# --- home -----------------------------------------------------------------------------


def home_summary(*, latest: int = 10, on: datetime.date | None = None) -> dict[str, Any]:
    on = on_or_today(on)
    by_status = counts.published_by_status(on=on)
    terms = counts.terms_with_inquiries("parliament__name", "-number")
    return {
        "inquiry_count": by_status["total"],
        "answered_count": by_status["answered"],
        "overdue_count": by_status["overdue"],
        "latest": list(newest_first(inquiry_rows().answered(on))[:latest]),
        "overdue": list(inquiry_rows().overdue(on).order_by("due_on", "pk")[:latest]),
        "terms": terms,
        "faction_count": Faction.objects.count(),
        "person_count": Person.objects.public().count(),
        "ministry_count": Ministry.objects.count(),
    }


# --- inquiry page -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageLink:
    """A name on the inquiry page linked to its page (a person, faction or ministry)."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class PageAsker:
    person: PageLink
    # The group the person asked for, if any.
    faction: PageLink | None


@dataclass
class InquiryPage:
    inquiry: Inquiry
    # Printed papers of the same parliament that are published here: reference → URL.
    paper_urls: dict[str, str] = field(default_factory=dict)
    # ``related_references`` in order, each with its URL or None when not published here.
    related: list[tuple[str, str | None]] = field(default_factory=list)
    term_number: int | None = None
    askers: list[PageAsker] = field(default_factory=list)
    factions: list[PageLink] = field(default_factory=list)
    answering_ministry: PageLink | None = None
    # The involved ministries by role (consulted, then copied): (role label, ministries).
    ministry_roles: list[tuple[str, list[PageLink]]] = field(default_factory=list)
    questions: list[inquiry_parts.PageQuestion] = field(default_factory=list)
    # Whether the history holds a change after the first publication (the correction log is
    # read only then).
    corrected: bool = False

    @property
    def withdrawn(self) -> bool:
        return self.inquiry.state == InquiryState.WITHDRAWN

    @cached_property
    def kind_label(self) -> str:
        # The page prints it four times; Django's get_kind_display() rebuilds its lookup of the choices on each call.
        return self.inquiry.get_kind_display()


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


def _link(name: str, view: str, code: str, slug: str) -> PageLink:
    return PageLink(name, address(view, parliament=code.lower(), slug=slug))


def inquiry_detail_page(parliament_code: str, reference_slug: str) -> InquiryPage:
    """The inquiry page's data; 404 for unknown references and drafts.

    An inquiry withdrawn after publication is returned too (only its reference, title
    and the reason are shown, with HTTP 410), so that old links explain what happened;
    one withdrawn before publication was never public and is a 404 like any draft.

    The page is read far more often than it changes, and building queries and model
    instances costs per query, join and column: the inquiry and its parts are read by SQL
    compiled once (``inquiry_parts``), the tables of an answer only when it has any.
    """
    if not REFERENCE_SLUG.fullmatch(reference_slug):
        raise Http404("not a printed-paper number")
    reference = reference_slug.replace("-", "/", 1)
    inquiry = inquiry_parts.public_inquiry(checked_parliament_code(parliament_code), reference)
    if inquiry is None:
        raise Http404("no such inquiry")
    if inquiry.state == InquiryState.WITHDRAWN:
        return InquiryPage(inquiry=inquiry)
    return inquiry_page_of(inquiry)


def inquiry_page_of(inquiry: Inquiry) -> InquiryPage:
    """What the inquiry page shows of ``inquiry`` (read by ``inquiry_parts``), whatever its
    state: the public page checks visibility before, the staff preview shows any state."""
    askers = [
        PageAsker(
            PageLink(" ".join(part for part in (title, first, last) if part), address("inquiries:person-detail", slug=slug)),
            _link(short_name, "inquiries:faction-detail", code, faction_slug) if faction_slug is not None else None,
        )
        for title, first, last, slug, faction_slug, short_name, code in inquiry.page_askers
    ]
    factions = sorted(
        (_link(short_name, "inquiries:faction-detail", code, slug) for slug, short_name, code in inquiry.page_factions),
        key=lambda link: link.name,
    )
    ministry_roles: list[tuple[str, list[PageLink]]] = []
    last_role = None
    for role, slug, name, code in inquiry.page_ministries:
        if role != last_role:
            ministry_roles.append((str(MinistryRole(role).label) if role in MinistryRole.values else role, []))
            last_role = role
        ministry_roles[-1][1].append(_link(name, "inquiries:ministry-detail", code, slug))
    questions = inquiry.page_questions
    texts = [inquiry.explanation, inquiry.government_preface]
    for question in questions:
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
        ref: address("inquiries:inquiry-detail", parliament=code, reference=ref.replace("/", "-"))
        for ref in found
    }
    related = [(ref, paper_urls.get(ref)) for ref in inquiry.related_references if ref != inquiry.reference]
    return InquiryPage(
        inquiry=inquiry,
        paper_urls=paper_urls,
        related=related,
        term_number=inquiry.page_term_number,
        askers=askers,
        factions=factions,
        answering_ministry=_link(inquiry.page_ministry_name, "inquiries:ministry-detail", inquiry.page_ministry_parliament, inquiry.page_ministry_slug)
        if inquiry.answering_ministry_id
        else None,
        ministry_roles=ministry_roles,
        questions=questions,
        corrected=bool(inquiry.page_corrected),
    )


# --- people -----------------------------------------------------------------------------


def person_index() -> QuerySet[Person]:
    """The public people in alphabetical order with their memberships; their numbers of
    inquiries are read for the page shown (``counts.with_inquiry_counts``)."""
    return (
        Person.objects.public()
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


def person_query(person: Person, *, page: Any = None) -> InquiryQuery:
    """The inquiries ``person`` asked, as the list page's filter selects them (page ``page``)."""
    return InquiryQuery(people=(person,), page=page_number(page))


def inquiry_page(query: InquiryQuery) -> listing.Results:
    """Page ``query.page`` of the published inquiries ``query`` selects, newest answer first, and
    their exact number: a person's, group's or ministry's list read as the list page reads its
    own (off the search engine's index, the rows as model instances for the inquiry cards),
    instead of every match ordered in SQL (a group's page at 1,000,000 inquiries: ~4.5 s on SQLite)."""
    return listing.results(query, with_facets=False, instances=public_inquiries())


# --- factions ---------------------------------------------------------------------------


def faction_index() -> list[Faction]:
    """Every faction by parliament with ``inquiry_count`` (published inquiries it asked, as
    ``by_faction`` counts them) and ``member_count`` (people with a membership in it)."""
    asked = counts.published_per("faction")
    # A group's memberships are few and indexed by it: counted in the same statement.
    members = Membership.objects.filter(faction_id=OuterRef("pk")).order_by().values("faction_id").annotate(n=Count("person_id", distinct=True))
    factions = list(
        Faction.objects.select_related("parliament", "party")
        .annotate(member_count=Coalesce(Subquery(members.values("n")), 0))
        .order_by("parliament__name", "short_name")
    )
    for faction in factions:
        faction.inquiry_count = asked.get(faction.pk, 0)
    return factions


def faction_detail(parliament_code: str, slug: str) -> Faction:
    return get_object_or_404(
        Faction.objects.select_related("parliament", "party"), parliament__code=checked_parliament_code(parliament_code), slug=slug
    )


def faction_query(faction: Faction, *, page: Any = None) -> InquiryQuery:
    """The inquiries ``faction`` asked (``by_faction``), as the list page's filter selects them."""
    return InquiryQuery(factions=(faction,), page=page_number(page))


def faction_members(faction: Faction) -> list[dict[str, Any]]:
    """The faction's members, each once, with the span of their memberships and their inquiries for it."""
    memberships = faction.memberships.select_related("person").order_by("person__last_name", "person__first_name", "start_date")
    # Counted on ``asker_faction_person_idx`` alone: every inquiry asked for the group but the
    # few not published (a range of the state index), instead of looking up each inquiry's state.
    unpublished = Inquiry.objects.filter(state__in=[state for state in InquiryState.values if state != InquiryState.PUBLISHED])
    asked = dict(
        Asker.objects.filter(faction=faction)
        .order_by()
        .values("person_id")
        .annotate(n=Count("inquiry_id", distinct=True, filter=~Q(inquiry_id__in=unpublished.values("pk"))))
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


def ministry_index(*, on: datetime.date | None = None) -> list[Ministry]:
    """Every ministry by parliament, current ones first, with ``answered_count``: the
    published inquiries it has answered by ``on`` (today)."""
    answered = counts.answered_per_ministry(on=on)
    ministries = list(
        Ministry.objects.select_related("parliament", "successor").order_by("parliament__name", F("valid_until").desc(nulls_first=True), "name")
    )
    for ministry in ministries:
        ministry.answered_count = answered.get(ministry.pk, 0)
    return ministries


def ministry_detail(parliament_code: str, slug: str) -> Ministry:
    return get_object_or_404(
        Ministry.objects.select_related("parliament", "successor"), parliament__code=checked_parliament_code(parliament_code), slug=slug
    )


def ministry_answered_query(ministry: Ministry, *, page: Any = None) -> InquiryQuery:
    """The inquiries ``ministry`` has answered by today (its page lists open and overdue ones apart)."""
    return InquiryQuery(ministries=(ministry,), status=DeadlineStatus.ANSWERED.value, page=page_number(page))


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
    # The inquiries' figures from ``inquiry_ministry_answers_idx`` alone.
    totals = answered.aggregate(
        answered=Count("pk"),
        with_deadline=Count("pk", filter=Q(due_on__isnull=False)),
        in_time=Count("pk", filter=Q(due_on__isnull=False, answered_on__lte=F("due_on"))),
    )
    if search.uses_engine():
        # The answers' figures and the days taken in one pass over the index instead of a
        # join with every question (a ministry of 70,000 answered inquiries: 230 ms on SQLite).
        from inquiries.search import engine, engine_search

        searcher, schema, _index = engine.searcher()
        figures = engine_search.answer_figures(
            searcher,
            engine_search.all_of(engine_search.one_of(schema, "ministry", [ministry.pk]), engine_search.status_query(schema, "answered", on)),
        )
        totals |= {"answers": figures.answers, "refused": figures.refused}
        days = figures.days
    else:
        totals |= Question.objects.filter(inquiry__in=answered.values("pk")).aggregate(
            answers=Count("pk", filter=~Q(answer_kind=AnswerKind.NONE)),
            refused=Count("pk", filter=Q(answer_kind__in=REFUSING_KINDS)),
        )
        days = dict(
            answered.filter(answer_days__isnull=False).order_by().values("answer_days").annotate(n=Count("pk")).values_list("answer_days", "n")
        )
    overdue = inquiry_rows().filter(answering_ministry=ministry).overdue(on)
    return AnswerStats(
        answers=totals["answers"],
        refused=totals["refused"],
        answered=totals["answered"],
        with_deadline=totals["with_deadline"],
        in_time=totals["in_time"],
        median_days=median(days),
        overdue=list(overdue.order_by("due_on", "pk")[:overdue_limit]),
        overdue_count=overdue.count(),
    )


def inquiry_for_preview(pk: int) -> InquiryPage:
    """The page of an inquiry in any state, for the staff preview."""
    inquiry = inquiry_parts.any_inquiry(pk)
    if inquiry is None:
        raise Http404("no such inquiry")
    return inquiry_page_of(inquiry)


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
