from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inquiries.names import person_key
from inquiries.querysets import MembershipQuerySet, PersonQuerySet


class Party(models.Model):
    short_name = models.CharField(_("Kurzname"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    slug = models.SlugField(_("Kurz-URL"), max_length=80, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("Partei")
        verbose_name_plural = _("Parteien")

    def __str__(self) -> str:
        return self.short_name


class Faction(models.Model):
    """A parliamentary group (Fraktion) in one parliament, e.g. FDP/DVP in BW.

    A group keeps its identity across terms; who belonged to it when is told by
    the dated memberships.
    """

    # (Indexed by the unique (parliament, short_name) and (parliament, slug), which lead with it.)
    parliament = models.ForeignKey(
        "inquiries.Parliament", on_delete=models.PROTECT, related_name="factions", verbose_name=_("Parlament"), db_index=False
    )
    short_name = models.CharField(_("Kurzname"), max_length=60)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="factions", verbose_name=_("Partei")
    )
    slug = models.SlugField(_("Kurz-URL"), max_length=80)
    # OParl needs created/modified on every object (and filters lists by them).
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["parliament__name", "short_name"]
        verbose_name = _("Fraktion")
        verbose_name_plural = _("Fraktionen")
        constraints = [
            models.UniqueConstraint(fields=["parliament", "short_name"], name="faction_unique_name_per_parliament"),
            models.UniqueConstraint(fields=["parliament", "slug"], name="faction_unique_slug_per_parliament"),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.parliament.code})"

    def get_absolute_url(self) -> str:
        return reverse("inquiries:faction-detail", kwargs={"parliament": self.parliament.code.lower(), "slug": self.slug})


class Person(models.Model):
    """A member of parliament or of the government."""

    title = models.CharField(_("Akademischer Titel"), max_length=40, blank=True, help_text=_("z. B. „Dr.“"))
    first_name = models.CharField(_("Vorname"), max_length=100, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=100)
    slug = models.SlugField(_("Kurz-URL"), max_length=140, unique=True)
    wikidata_id = models.CharField(_("Wikidata-ID"), max_length=20, blank=True)
    # Folded "first|last" (no title, umlauts spelled out): importers match printed
    # names such as "Abg. Dr. Hans-Ulrich Ruelke" by this key.
    name_key = models.CharField(_("Suchschlüssel"), max_length=220, editable=False, default="")
    # OParl needs created/modified on every object (and filters lists by them).
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        indexes = [
            # Name matching in the importers (find_or_create_person).
            models.Index(fields=["name_key"], name="person_name_key_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_key = person_key(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        """First and last name without the academic title."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    def get_absolute_url(self) -> str:
        return reverse("inquiries:person-detail", kwargs={"slug": self.slug})

    def faction_on(self, day: datetime.date, parliament: "models.Model | None" = None) -> Faction | None:
        """The faction this person belonged to on ``day`` (in ``parliament`` if given)."""
        memberships = Membership.objects.filter(person=self).valid_on(day).select_related("faction")
        if parliament is not None:
            memberships = memberships.filter(faction__parliament=parliament)
        membership = memberships.order_by("-start_date").first()
        return membership.faction if membership else None


class Membership(models.Model):
    """A person's membership of a faction over a span of time."""

    # (Indexed by the unique (person, faction, start_date) and (person, start_date, end_date), which lead with it.)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Person"), db_index=False)
    faction = models.ForeignKey(Faction, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Fraktion"))
    start_date = models.DateField(_("von"), null=True, blank=True)
    end_date = models.DateField(_("bis"), null=True, blank=True)
    constituency = models.CharField(_("Wahlkreis"), max_length=200, blank=True)
    # OParl needs created/modified on every object (and filters lists by them).
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "start_date"]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["person", "faction", "start_date"], name="membership_unique_start"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_not_before_start",
            ),
        ]
        indexes = [
            # "Which faction on this date": filtered by person, then the date range.
            models.Index(fields=["person", "start_date", "end_date"], name="membership_person_dates_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.faction}"
