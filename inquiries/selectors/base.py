"""What every family of reads shares: the published inquiries, a list row, the URL checks,
counting in subqueries and per year, the median."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Count, F, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone

from inquiries.models import Inquiry


def public_inquiries() -> QuerySet[Inquiry]:
    return Inquiry.objects.published()


# What the URLs may carry: anything else is a 404 before it reaches the database
# (PostgreSQL rejects NUL bytes in text, for instance, with an error).
PARLIAMENT_CODE = re.compile(r"[A-Za-z]{2}")
REFERENCE_SLUG = re.compile(r"\d{1,2}-\d{1,6}")


def checked_parliament_code(value: str) -> str:
    if not PARLIAMENT_CODE.fullmatch(value):
        raise Http404("unknown parliament")
    return value.upper()


def on_or_today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def inquiry_rows() -> QuerySet[Inquiry]:
    """Published inquiries with everything a row on the site's pages shows and links."""
    return public_inquiries().with_list_related()


def newest_first(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return queryset.order_by(F("answered_on").desc(nulls_last=True), "-reference_number", "-pk")


def count_of(queryset: QuerySet) -> Subquery:
    """A correlated ``COUNT(*)`` of ``queryset`` as an annotation (0 when empty).

    Counting in a subquery keeps two counts on one row from multiplying each other
    (as two joined ``Count`` would) and needs no ``DISTINCT``.
    """
    return Coalesce(
        Subquery(queryset.order_by().values(_one=Value(1)).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def year_counts(queryset: QuerySet[Inquiry]) -> list[dict[str, Any]]:
    """Inquiries per year (of the date asked, else answered), oldest first; ``year`` None = undated."""
    rows = (
        queryset.order_by()
        .annotate(year=ExtractYear(Coalesce("asked_on", "answered_on")))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by(F("year").asc(nulls_last=True))
    )
    return [{"year": row["year"], "count": row["count"]} for row in rows]


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
