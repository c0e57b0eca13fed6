"""Every read that a page, feed or API needs; the one place querysets are built.

Public reads all start from ``Inquiry.objects.published()``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Iterable

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries.models import Faction, Inquiry, Membership, MinisterialOffice, Ministry, Parliament, Person, Term


def public_inquiries() -> QuerySet[Inquiry]:
    return Inquiry.objects.published()


def inquiry_list() -> QuerySet[Inquiry]:
    return public_inquiries().with_list_related().order_by("-answered_on", "-reference_number")


def home_summary(*, latest: int = 10, on: datetime.date | None = None) -> dict[str, Any]:
    on = on or timezone.localdate()
    published = public_inquiries()
    return {
        "inquiry_count": published.count(),
        "answered_count": published.answered(on).count(),
        "overdue_count": published.overdue(on).count(),
        "latest": list(inquiry_list().answered(on)[:latest]),
        "overdue": list(published.overdue(on).with_list_related().order_by("due_on")[:latest]),
        "parliaments": list(
            Parliament.objects.filter(inquiries__state="published")
            .annotate(inquiry_count=Count("inquiries"))
            .order_by("name")
        ),
        "terms": list(
            Term.objects.filter(inquiries__state="published")
            .select_related("parliament")
            .annotate(inquiry_count=Count("inquiries"))
            .order_by("parliament__name", "-number")
        ),
    }


def published_inquiry(parliament_code: str, reference_slug: str) -> Inquiry:
    """The published inquiry with the given reference ("17-6206" in URLs)."""
    reference = reference_slug.replace("-", "/", 1)
    return get_object_or_404(
        public_inquiries().with_detail_related(),
        parliament__code=parliament_code.upper(),
        reference=reference,
    )


def person_detail(slug: str) -> Person:
    return get_object_or_404(Person, slug=slug)


def person_memberships(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("faction", "faction__parliament", "faction__party").order_by("start_date")


def person_offices(person: Person) -> QuerySet[MinisterialOffice]:
    return person.offices.select_related("ministry").order_by("start_date")


def person_inquiries(person: Person) -> QuerySet[Inquiry]:
    return inquiry_list().filter(asker_links__person=person)


def faction_detail(parliament_code: str, slug: str) -> Faction:
    return get_object_or_404(
        Faction.objects.select_related("parliament", "party"), parliament__code=parliament_code.upper(), slug=slug
    )


def faction_inquiries(faction: Faction) -> QuerySet[Inquiry]:
    return inquiry_list().filter(pk__in=public_inquiries().by_faction(faction).values("pk"))


def ministry_detail(parliament_code: str, slug: str) -> Ministry:
    return get_object_or_404(
        Ministry.objects.select_related("parliament", "successor"), parliament__code=parliament_code.upper(), slug=slug
    )


def ministry_inquiries(ministry: Ministry) -> QuerySet[Inquiry]:
    return inquiry_list().filter(answering_ministry=ministry)


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


def inquiry_facets(filterset: Any) -> list[Facet]:
    """Counts beside each value of parliament, term, kind, faction, ministry and status.

    Each facet counts the published inquiries that match every other parameter of
    ``filterset`` (an ``InquiryFilterSet``, validated) but not its own, so the
    numbers say what choosing that value would give. One query per facet.
    """
    from inquiries.models import Asker, InquiryKind
    from inquiries.models.inquiry import DeadlineStatus

    data = filterset.form.cleaned_data

    def base(name: str) -> QuerySet[Inquiry]:
        # Filters join only to-one relations or use subqueries, so rows never repeat.
        return filterset.filtered(public_inquiries(), without=filterset.FACET_PARAMETERS[name]).order_by()

    chosen_parliaments = {code.upper() for code in data.get("parliament") or []}
    parliaments = [
        FacetValue(row["parliament__code"].lower(), row["parliament__name"], row["count"], row["parliament__code"] in chosen_parliaments)
        for row in base("parliament").values("parliament__code", "parliament__name").annotate(count=Count("pk")).order_by("parliament__name")
    ]

    chosen_term = data.get("term")
    term_rows: dict[int, list] = {}
    for row in base("term").values("term__number", "parliament__code").annotate(count=Count("pk")).order_by("-term__number"):
        term_rows.setdefault(row["term__number"], []).append(row)
    terms = [
        FacetValue(
            str(number),
            _("%(number)s. Wahlperiode (%(parliaments)s)") % {"number": number, "parliaments": _codes(r["parliament__code"] for r in rows)},
            sum(r["count"] for r in rows),
            number == chosen_term,
        )
        for number, rows in term_rows.items()
    ]

    chosen_kinds = set(data.get("kind") or [])
    kind_counts = dict(base("kind").values_list("kind").annotate(count=Count("pk")).order_by())
    kinds = [
        FacetValue(kind.value, str(kind.label), kind_counts.get(kind.value, 0), kind.value in chosen_kinds)
        for kind in InquiryKind
        if kind.value in kind_counts or kind.value in chosen_kinds
    ]

    # A faction counts an inquiry it is listed on or that one of its members asked
    # (the rule of InquiryQuerySet.by_faction), grouped by slug like the filter.
    chosen_factions = {faction.slug for faction in data.get("faction") or []}
    faction_base = base("faction").values("pk")
    listed = Inquiry.factions.through.objects.filter(inquiry_id__in=faction_base).values_list("faction_id", "inquiry_id").order_by()
    asked = Asker.objects.filter(inquiry_id__in=faction_base, faction__isnull=False).values_list("faction_id", "inquiry_id").order_by()
    per_faction: dict[int, set[int]] = {}
    for faction_id, inquiry_id in listed.union(asked):
        per_faction.setdefault(faction_id, set()).add(inquiry_id)
    faction_groups: dict[str, dict[str, Any]] = {}
    for faction in Faction.objects.filter(pk__in=per_faction).select_related("parliament").order_by("short_name"):
        group = faction_groups.setdefault(faction.slug, {"label": faction.short_name, "codes": set(), "count": 0})
        group["codes"].add(faction.parliament.code)
        group["count"] += len(per_faction[faction.pk])
    factions = [
        FacetValue(slug, f"{group['label']} ({_codes(group['codes'])})", group["count"], slug in chosen_factions)
        for slug, group in faction_groups.items()
    ]

    chosen_ministries = {ministry.slug for ministry in data.get("ministry") or []}
    ministry_groups: dict[str, dict[str, Any]] = {}
    ministry_rows = (
        base("ministry")
        .filter(answering_ministry__isnull=False)
        .values("answering_ministry__slug", "answering_ministry__name", "parliament__code")
        .annotate(count=Count("pk"))
        .order_by("answering_ministry__name")
    )
    for row in ministry_rows:
        group = ministry_groups.setdefault(row["answering_ministry__slug"], {"label": row["answering_ministry__name"], "codes": set(), "count": 0})
        group["codes"].add(row["parliament__code"])
        group["count"] += row["count"]
    ministries = [
        FacetValue(slug, f"{group['label']} ({_codes(group['codes'])})", group["count"], slug in chosen_ministries)
        for slug, group in ministry_groups.items()
    ]

    chosen_status = data.get("status")
    status_base = base("status")
    status_counts = status_base.aggregate(
        answered=Count("pk", filter=Q(pk__in=status_base.answered().values("pk"))),
        open=Count("pk", filter=Q(pk__in=status_base.open().values("pk"))),
        overdue=Count("pk", filter=Q(pk__in=status_base.overdue().values("pk"))),
    )
    statuses = [
        FacetValue(status.value, str(status.label), status_counts[status.value], status.value == chosen_status)
        for status in DeadlineStatus
    ]

    facets = [
        Facet("parliament", _("Parlament"), parliaments),
        Facet("term", _("Wahlperiode"), terms),
        Facet("kind", _("Art"), kinds),
        Facet("faction", _("Fraktion"), factions),
        Facet("ministry", _("antwortendes Ministerium"), ministries),
        Facet("status", _("Stand"), statuses),
    ]
    return facets


def inquiry_feed(inquiries: QuerySet[Inquiry], *, size: int) -> QuerySet[Inquiry]:
    """The newest published entries of a feed over ``inquiries``, loaded for their entries."""
    return (
        inquiries.prefetch_related(None)
        .with_list_related()
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:size]
    )
