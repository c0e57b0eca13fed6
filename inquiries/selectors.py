"""Every read that a page, feed or API needs; the one place querysets are built.

Public reads all start from ``Inquiry.objects.published()``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

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


def exported_inquiries(*, drafts: bool = False, everything: bool = False) -> QuerySet[Inquiry]:
    """The inquiries of an inquiry.v1 export: the published ones, with ``drafts`` also
    the drafts, with ``everything`` also the withdrawn ones (exports that are not public)."""
    if everything:
        return Inquiry.objects.all()
    if drafts:
        return public_inquiries() | Inquiry.objects.drafts()
    return public_inquiries()
