"""Chainable QuerySets with the domain's verbs, attached with ``as_manager()``.

``Inquiry.objects.published().for_parliament(bw).answered()`` — every public read
starts with ``.published()``.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Prefetch, Q


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


class DatedQuerySet(models.QuerySet):
    """Rows valid from ``start_field`` to ``end_field`` (both inclusive, empty = open)."""

    start_field = "start_date"
    end_field = "end_date"

    def valid_on(self, day: datetime.date) -> "DatedQuerySet":
        return self.filter(
            Q(**{f"{self.start_field}__isnull": True}) | Q(**{f"{self.start_field}__lte": day}),
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": day}),
        )


class MembershipQuerySet(DatedQuerySet):
    pass


class MinisterialOfficeQuerySet(DatedQuerySet):
    pass


class MinistryQuerySet(DatedQuerySet):
    start_field = "valid_from"
    end_field = "valid_until"


class PersonQuerySet(models.QuerySet):
    def askers(self) -> "PersonQuerySet":
        """People who asked at least one published inquiry."""
        return self.filter(asker_links__inquiry__state="published").distinct()


class InquiryQuerySet(models.QuerySet):
    # --- visibility -----------------------------------------------------------------
    def published(self) -> "InquiryQuerySet":
        return self.filter(state="published")

    def drafts(self) -> "InquiryQuerySet":
        return self.filter(state="draft")

    def withdrawn(self) -> "InquiryQuerySet":
        return self.filter(state="withdrawn")

    # --- scope ----------------------------------------------------------------------
    def for_parliament(self, parliament) -> "InquiryQuerySet":
        if isinstance(parliament, str):
            return self.filter(parliament__code=parliament.upper())
        return self.filter(parliament=parliament)

    def in_term(self, term) -> "InquiryQuerySet":
        return self.filter(term=term)

    def of_kind(self, kind: str) -> "InquiryQuerySet":
        return self.filter(kind=kind)

    def asked_by(self, person) -> "InquiryQuerySet":
        return self.filter(asker_links__person=person).distinct()

    def by_faction(self, faction) -> "InquiryQuerySet":
        return self.filter(Q(factions=faction) | Q(asker_links__faction=faction)).distinct()

    def answered_by(self, ministry) -> "InquiryQuerySet":
        return self.filter(answering_ministry=ministry)

    def involving_ministry(self, ministry) -> "InquiryQuerySet":
        return self.filter(Q(answering_ministry=ministry) | Q(ministry_links__ministry=ministry)).distinct()

    # --- deadlines --------------------------------------------------------------------
    # The conditions are also used on their own, e.g. to count all three in one query.
    @staticmethod
    def answered_condition(on: datetime.date | None = None) -> Q:
        return Q(answered_on__isnull=False, answered_on__lte=on or _today())

    @staticmethod
    def unanswered_condition(on: datetime.date | None = None) -> Q:
        return Q(answered_on__isnull=True) | Q(answered_on__gt=on or _today())

    @classmethod
    def open_condition(cls, on: datetime.date | None = None) -> Q:
        """Unanswered and still within the deadline (or without a known deadline)."""
        on = on or _today()
        return cls.unanswered_condition(on) & (Q(due_on__isnull=True) | Q(due_on__gte=on))

    @classmethod
    def overdue_condition(cls, on: datetime.date | None = None) -> Q:
        """Unanswered after the deadline ran out."""
        on = on or _today()
        return cls.unanswered_condition(on) & Q(due_on__lt=on)

    def answered(self, on: datetime.date | None = None) -> "InquiryQuerySet":
        return self.filter(self.answered_condition(on))

    def unanswered(self, on: datetime.date | None = None) -> "InquiryQuerySet":
        return self.filter(self.unanswered_condition(on))

    def open(self, on: datetime.date | None = None) -> "InquiryQuerySet":
        """Unanswered and still within the deadline (or without a known deadline)."""
        return self.filter(self.open_condition(on))

    def overdue(self, on: datetime.date | None = None) -> "InquiryQuerySet":
        """Unanswered after the deadline ran out."""
        return self.filter(self.overdue_condition(on))

    def answered_in_time(self) -> "InquiryQuerySet":
        return self.filter(answered_on__isnull=False, due_on__isnull=False, answered_on__lte=models.F("due_on"))

    # --- loading ----------------------------------------------------------------------
    def with_list_related(self) -> "InquiryQuerySet":
        """Everything a list row shows, in a constant number of queries."""
        from inquiries.models import Asker

        return self.select_related("parliament", "term", "answering_ministry").prefetch_related(
            Prefetch("asker_links", queryset=Asker.objects.select_related("person", "faction").order_by("position")),
            "factions",
        )

    def with_detail_related(self) -> "InquiryQuerySet":
        """Everything the inquiry page and the inquiry.v1 export show."""
        from inquiries.models import InquiryMinistry

        return self.with_list_related().select_related("signed_by").prefetch_related(
            "questions",
            Prefetch("ministry_links", queryset=InquiryMinistry.objects.select_related("ministry").order_by("role", "position")),
        )
