from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inquiries.querysets import MinisterialOfficeQuerySet, MinistryQuerySet


class Ministry(models.Model):
    """A ministry (or State Chancellery) under one name.

    Ministries are renamed with each government; each name is its own row, valid
    from–until, and points to the ministry that took over as ``successor``, so the
    name history is the chain of predecessors and successors.
    """

    # (Indexed by the unique (parliament, name) and (parliament, slug), which lead with it.)
    parliament = models.ForeignKey(
        "inquiries.Parliament", on_delete=models.PROTECT, related_name="ministries", verbose_name=_("Parlament"), db_index=False
    )
    name = models.CharField(_("Name"), max_length=250)
    short_name = models.CharField(_("Kurzname"), max_length=40, blank=True)
    slug = models.SlugField(_("Kurz-URL"), max_length=120)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("Nachfolger"),
    )
    # OParl needs created/modified on every object (and filters lists by them).
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = MinistryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["parliament__name", "name"]
        verbose_name = _("Ministerium")
        verbose_name_plural = _("Ministerien")
        constraints = [
            models.UniqueConstraint(fields=["parliament", "name"], name="ministry_unique_name_per_parliament"),
            models.UniqueConstraint(fields=["parliament", "slug"], name="ministry_unique_slug_per_parliament"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="ministry_valid_until_not_before_from",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("pk")), name="ministry_not_own_successor"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inquiries:ministry-detail", kwargs={"parliament": self.parliament.code.lower(), "slug": self.slug})

    def name_history(self) -> list["Ministry"]:
        """All names of this ministry, oldest first (follows predecessors and successors).

        A parliament has few ministries, so they are read in one query and the chain
        is walked in memory instead of one query per renaming.
        """
        by_pk = {ministry.pk: ministry for ministry in Ministry.objects.filter(parliament_id=self.parliament_id)}
        by_pk[self.pk] = self
        predecessors: dict[int, list[Ministry]] = {}
        for ministry in by_pk.values():
            if ministry.successor_id:
                predecessors.setdefault(ministry.successor_id, []).append(ministry)
        earlier: list[Ministry] = []
        seen = {self.pk}
        current = self
        while candidates := [m for m in predecessors.get(current.pk, []) if m.pk not in seen]:
            # Several predecessors (a merger): follow the most recent name.
            current = max(candidates, key=lambda m: (m.valid_from is not None, m.valid_from or datetime.date.min))
            earlier.append(current)
            seen.add(current.pk)
        later: list[Ministry] = []
        current = self
        while current.successor_id and current.successor_id not in seen and current.successor_id in by_pk:
            current = by_pk[current.successor_id]
            later.append(current)
            seen.add(current.pk)
        return [*reversed(earlier), self, *later]


class MinisterialOffice(models.Model):
    """A person heading a ministry from–until (signs its answers)."""

    # (Indexed by the unique (person, ministry, start_date), which leads with it.)
    person = models.ForeignKey(
        "inquiries.Person", on_delete=models.CASCADE, related_name="offices", verbose_name=_("Person"), db_index=False
    )
    ministry = models.ForeignKey(Ministry, on_delete=models.CASCADE, related_name="offices", verbose_name=_("Ministerium"))
    role = models.CharField(_("Amtsbezeichnung"), max_length=250, blank=True, help_text=_("z. B. „Minister des Inneren, für Digitalisierung und Kommunen“"))
    start_date = models.DateField(_("von"), null=True, blank=True)
    end_date = models.DateField(_("bis"), null=True, blank=True)
    # OParl needs created/modified on every object (and filters lists by them).
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = MinisterialOfficeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["ministry", "-start_date"]
        verbose_name = _("Ministeramt")
        verbose_name_plural = _("Ministerämter")
        constraints = [
            models.UniqueConstraint(fields=["person", "ministry", "start_date"], name="office_unique_start"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="office_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.role or self.ministry}"
