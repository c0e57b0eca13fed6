"""Chainable QuerySets with the domain's verbs, attached with ``as_manager()``.

``Inquiry.objects.published().for_parliament(bw).answered()`` — every public read
starts with ``.published()`` (or, where a withdrawn inquiry may leave a tombstone,
with ``.public()``).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q

from inquiries.choices import InquiryState


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


class Unindexed(models.Func):
    """A column's value that the query planner cannot look up in an index (SQLite's unary
    plus; PostgreSQL already picks by the row estimates), so that an ``ORDER BY … LIMIT``
    walks the index of its order instead."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def _field(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


def _related(queryset: models.QuerySet, name: str) -> models.Manager:
    """The default manager of the model behind relation ``name`` (no import of the models,
    which import this module)."""
    return queryset.model._meta.get_field(name).related_model._default_manager


class PersonQuerySet(models.QuerySet):
    def public(self, parliament=None) -> "PersonQuerySet":
        """People with a public role: the one rule of the site, the API, OParl, Popolo and the admin.

        A person is public who sits or sat in a faction, holds or held a ministerial office,
        or asked or signed a published inquiry (in ``parliament`` only, when given: a
        parliament or a list of parliament codes). Anyone else (a name an import left
        without a role, a signer of drafts only) is not listed. Each role is an ``Exists``,
        so no row repeats and no ``DISTINCT`` is needed.
        """
        published = InquiryQuerySet.published_condition("inquiry")
        members = _related(self, "memberships").filter(person_id=OuterRef("pk"))
        offices = _related(self, "offices").filter(person_id=OuterRef("pk"))
        asked = _related(self, "asker_links").filter(published, person_id=OuterRef("pk"))
        signed = _related(self, "signed_inquiries").filter(InquiryQuerySet.published_condition(), signed_by_id=OuterRef("pk"))
        if parliament is not None:
            if isinstance(parliament, (list, tuple, set, frozenset)):
                lookup, parliament = "parliament__code__in", [code.upper() for code in parliament]
            else:
                lookup = "parliament"
            members = members.filter(**{f"faction__{lookup}": parliament})
            offices = offices.filter(**{f"ministry__{lookup}": parliament})
            asked = asked.filter(**{f"inquiry__{lookup}": parliament})
            signed = signed.filter(**{lookup: parliament})
        return self.filter(Exists(members) | Exists(offices) | Exists(asked) | Exists(signed))


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
    # ``state`` names the state column (or an alias of it, see ``public_by_change``).
    @staticmethod
    def published_condition(prefix: str = "", state: str = "state") -> Q:
        return Q(**{_field(prefix, state): InquiryState.PUBLISHED})

    @staticmethod
    def retracted_condition(prefix: str = "", state: str = "state") -> Q:
        return Q(**{_field(prefix, state): InquiryState.WITHDRAWN, _field(prefix, "published_at__isnull"): False})

    @classmethod
    def public_condition(cls, prefix: str = "", state: str = "state") -> Q:
        return cls.published_condition(prefix, state) | cls.retracted_condition(prefix, state)

    def published(self) -> "InquiryQuerySet":
        """Public in full: every list, count and export of the site."""
        return self.filter(self.published_condition())

    def retracted(self) -> "InquiryQuerySet":
        """Withdrawn after publication: known to the public as a tombstone only."""
        return self.filter(self.retracted_condition())

    def public(self) -> "InquiryQuerySet":
        """Every inquiry the public may know of: published, or withdrawn after publication."""
        return self.filter(self.public_condition())

    def public_by_change(self) -> "InquiryQuerySet":
        """``public()`` for reading the newest change off the ``updated_at`` index: the state is
        compared without its index, which SQLite would otherwise prefer, reading every public
        row and sorting them (60 ms at 100,000 inquiries instead of well under 1 ms)."""
        unindexed = Unindexed(models.F("state"), output_field=models.CharField())
        return self.alias(unindexed_state=unindexed).filter(self.public_condition(state="unindexed_state"))

    def drafts(self) -> "InquiryQuerySet":
        return self.filter(state=InquiryState.DRAFT)

    # --- scope ----------------------------------------------------------------------
    def for_parliament(self, parliament) -> "InquiryQuerySet":
        if isinstance(parliament, str):
            return self.filter(parliament__code=parliament.upper())
        return self.filter(parliament=parliament)

    def by_faction(self, faction) -> "InquiryQuerySet":
        """Inquiries a faction asked: as a group (``Inquiry.factions``) or through a member
        who asked for it (``Asker.faction``); the one "asked by faction" rule of the list
        filter, the facets, the faction pages, the statistics and the admin.

        ``faction`` is a faction, its pk, an ``OuterRef`` to one, or a list of factions
        (any of them); ``Exists`` keeps rows from repeating as joining both relations would.
        """
        if isinstance(faction, (list, tuple, set, frozenset, models.QuerySet)):
            match = {"faction_id__in": [getattr(item, "pk", item) for item in faction]}
        else:
            match = {"faction_id": getattr(faction, "pk", faction)}
        listed = self.model.factions.through.objects.filter(inquiry_id=OuterRef("pk"), **match)
        asked = _related(self, "asker_links").filter(inquiry_id=OuterRef("pk"), **match)
        return self.filter(Exists(listed) | Exists(asked))

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
        """Everything a list row shows and links (the one way to load a row of the site's
        pages, the list and search, the feeds, the alerts and the API), in two queries
        more than the rows themselves, however many rows."""
        Asker = self.model.asker_links.rel.related_model
        Faction = self.model.factions.rel.model
        return self.select_related("parliament", "term", "answering_ministry__parliament").prefetch_related(
            Prefetch("asker_links", queryset=Asker.objects.select_related("person", "faction__parliament").order_by("position")),
            Prefetch("factions", queryset=Faction.objects.select_related("parliament").order_by("short_name")),
        )

    def with_detail_related(self) -> "InquiryQuerySet":
        """Everything the inquiry page and the inquiry.v1 export show."""
        InquiryMinistry = self.model.ministry_links.rel.related_model
        return self.with_list_related().select_related("signed_by").prefetch_related(
            "questions",
            "questions__tables",
            Prefetch("ministry_links", queryset=InquiryMinistry.objects.select_related("ministry").order_by("role", "position")),
        )
