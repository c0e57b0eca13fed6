from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


PARLIAMENT_CODES = ("BT", "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")


class Parliament(models.Model):
    """A Landtag or the Bundestag, with its rules for answer deadlines."""

    code = models.CharField(_("Kürzel"), max_length=2, unique=True, help_text=_("BT, BW, NI …"))
    name = models.CharField(_("Name"), max_length=200)
    # Deadlines in days from the date the inquiry was sent to the government;
    # BW: § 61 GO LT (3 weeks), § 63 GO LT (6 weeks). Empty: no deadline known.
    minor_deadline_days = models.PositiveSmallIntegerField(_("Frist Kleine Anfrage (Tage)"), null=True, blank=True)
    major_deadline_days = models.PositiveSmallIntegerField(_("Frist Große Anfrage (Tage)"), null=True, blank=True)
    written_deadline_days = models.PositiveSmallIntegerField(_("Frist Schriftliche Frage (Tage)"), null=True, blank=True)
    # OParl needs created/modified on every object (and filters lists by them).
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Parlament")
        verbose_name_plural = _("Parlamente")
        constraints = [
            # The codes of inquiry.v1: BT for the Bundestag, otherwise the state's code.
            models.CheckConstraint(condition=Q(code__in=PARLIAMENT_CODES), name="parliament_code_known"),
        ]

    def __str__(self) -> str:
        return self.name

    def deadline_days(self, kind: str) -> int | None:
        return {
            "minor": self.minor_deadline_days,
            "major": self.major_deadline_days,
            "written": self.written_deadline_days,
        }.get(kind)


class Term(models.Model):
    """A legislative term (Wahlperiode) of one parliament."""

    # (Indexed by the unique (parliament, number), which leads with it.)
    parliament = models.ForeignKey(Parliament, on_delete=models.PROTECT, related_name="terms", verbose_name=_("Parlament"), db_index=False)
    number = models.PositiveSmallIntegerField(_("Nummer"))
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    # OParl needs created/modified on every object (and filters lists by them).
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["parliament__name", "-number"]
        verbose_name = _("Wahlperiode")
        verbose_name_plural = _("Wahlperioden")
        constraints = [
            models.UniqueConstraint(fields=["parliament", "number"], name="term_unique_number_per_parliament"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="term_end_not_before_start",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="term_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.parliament.code} {self.number}. WP"

    def contains(self, day: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or day <= self.end_date)
