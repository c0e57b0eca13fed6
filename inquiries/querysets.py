"""Chainable QuerySets with the domain's verbs, attached with ``as_manager()``.

``Inquiry.objects.published().for_parliament(bw).answered()`` — every public read
starts with ``.published()`` (or, where a withdrawn inquiry may leave a tombstone,
with ``.public()``).
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


def _state(name: str) -> str:
    # Imported late: the models import this module.
    from inquiries.models.inquiry import InquiryState

    return getattr(InquiryState, name)


def _field(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


class PersonQuerySet(models.QuerySet):
    def askers(self) -> "PersonQuerySet":
        """People who asked at least one published inquiry."""
        return self.filter(InquiryQuerySet.published_condition("asker_links__inquiry")).distinct()


class InquiryQuerySet(models.QuerySet):
    # --- visibility -----------------------------------------------------------------
    # Whether the public may learn that an inquiry exists is decided here and nowhere
    # else. An inquiry is
    # - published: public in full (pages, lists, search, feeds, API, OParl, Popolo,
    #   sitemap, statistics, alerts, dumps);
    # - retracted: withdrawn after it had been published; only its tombstone shows
    #   (page and API answer 410 with reference, title and reason, OParl lists it as
    #   deleted, sync lists name it so that copies are removed);
    # - public: either of the two.
    # A draft withdrawn before publication (``published_at`` empty) is none of them: it
    # was never public and stays as unknown as any draft.
    # The conditions take the path of a relation (``"inquiry"``, ``"asker_links__inquiry"``)
    # so that reads starting from another table say the same.
    @staticmethod
    def published_condition(prefix: str = "") -> Q:
        return Q(**{_field(prefix, "state"): _state("PUBLISHED")})

    @staticmethod
    def retracted_condition(prefix: str = "") -> Q:
        return Q(**{_field(prefix, "state"): _state("WITHDRAWN"), _field(prefix, "published_at__isnull"): False})

    @classmethod
    def public_condition(cls, prefix: str = "") -> Q:
        return cls.published_condition(prefix) | cls.retracted_condition(prefix)

    def published(self) -> "InquiryQuerySet":
        """Public in full: every list, count and export of the site."""
        return self.filter(self.published_condition())

    def retracted(self) -> "InquiryQuerySet":
        """Withdrawn after publication: known to the public as a tombstone only."""
        return self.filter(self.retracted_condition())

    def public(self) -> "InquiryQuerySet":
        """Every inquiry the public may know of: published, or withdrawn after publication."""
        return self.filter(self.public_condition())

    def drafts(self) -> "InquiryQuerySet":
        return self.filter(state=_state("DRAFT"))

    def withdrawn(self) -> "InquiryQuerySet":
        """Every withdrawn inquiry, never-published ones too: for editors, never for public reads."""
        return self.filter(state=_state("WITHDRAWN"))

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
            "questions__tables",
            Prefetch("ministry_links", queryset=InquiryMinistry.objects.select_related("ministry").order_by("role", "position")),
        )
