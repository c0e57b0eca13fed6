"""What the harvester keeps: one row per source (its lock and watermark), its runs,
the items it found at the source, and the HTTP validators of the addresses it fetched.

See ``inquiries/harvest/`` for the code that writes them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inquiries.models.inquiry import Inquiry


class HarvestSourceCode(models.TextChoices):
    BT = "bt", _("Deutscher Bundestag (DIP)")
    BE = "be", _("Abgeordnetenhaus Berlin (PARDOK)")
    BY = "by", _("Bayerischer Landtag (RSS)")
    MV = "mv", _("Landtag Mecklenburg-Vorpommern (Parldok)")
    TH = "th", _("Thüringer Landtag (Parldok)")
    HB = "hb", _("Bremische Bürgerschaft (PARiS)")
    PARLAMENTSSPIEGEL = "parlamentsspiegel", _("Parlamentsspiegel (alle Länder)")


class HarvestSource(models.Model):
    """One source's standing data; its row is the lock that keeps two runs of it apart."""

    code = models.CharField(_("Quelle"), max_length=32, choices=HarvestSourceCode.choices, unique=True)
    # Set while a run holds the source; a claim older than HARVEST_LOCK_MINUTES is taken for a crashed run.
    locked_by = models.ForeignKey(
        "HarvestRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("gesperrt durch")
    )
    locked_at = models.DateTimeField(_("gesperrt seit"), null=True, blank=True)
    # The day the last complete run began: the next run without --since starts there.
    watermark = models.DateField(_("vollständig bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Quelle")
        verbose_name_plural = _("Quellen")

    def __str__(self) -> str:
        return self.get_code_display()


class HarvestRunState(models.TextChoices):
    RUNNING = "running", _("läuft")
    FINISHED = "finished", _("abgeschlossen")
    # Stopped before the end (interrupted, network gone, robots.txt): the next run continues it.
    INTERRUPTED = "interrupted", _("unterbrochen")
    FAILED = "failed", _("fehlgeschlagen")
    RESUMED = "resumed", _("fortgesetzt")


class HarvestRun(models.Model):
    source = models.CharField(_("Quelle"), max_length=32, choices=HarvestSourceCode.choices, db_index=True)
    since = models.DateField(_("ab"), null=True, blank=True)
    until = models.DateField(_("bis"), null=True, blank=True)
    started_at = models.DateTimeField(_("begonnen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    state = models.CharField(_("Status"), max_length=16, choices=HarvestRunState.choices, default=HarvestRunState.RUNNING)
    resumed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("setzt fort")
    )
    # Where the source's listing stood after the last page that was worked off (the adapter's own terms).
    checkpoint = models.JSONField(_("Stand"), default=dict, blank=True)
    new_count = models.PositiveIntegerField(_("neu"), default=0)
    changed_count = models.PositiveIntegerField(_("geändert"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unverändert"), default=0)
    withdrawn_count = models.PositiveIntegerField(_("bei der Quelle gelöscht"), default=0)
    failed_count = models.PositiveIntegerField(_("fehlgeschlagen"), default=0)
    # [{"url": …, "message": …}, …]
    errors = models.JSONField(_("Fehler"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("Abruf")
        verbose_name_plural = _("Abrufe")

    def __str__(self) -> str:
        return f"{self.source} #{self.pk} ({self.get_state_display()})"


class HarvestItemStatus(models.TextChoices):
    NEW = "new", _("neu")
    CHANGED = "changed", _("geändert")
    UNCHANGED = "unchanged", _("unverändert")
    FAILED = "failed", _("fehlgeschlagen")
    WITHDRAWN = "withdrawn", _("bei der Quelle gelöscht")


class HarvestItem(models.Model):
    """One inquiry as the source lists it, and what the harvester last made of it."""

    source = models.CharField(_("Quelle"), max_length=32, choices=HarvestSourceCode.choices)
    external_id = models.CharField(_("Kennung bei der Quelle"), max_length=200)
    reference = models.CharField(_("Drucksache"), max_length=40, blank=True)
    title = models.TextField(_("Titel"), blank=True)
    url = models.URLField(_("Dokument"), max_length=1000, blank=True)
    # The source's own change mark (DIP "aktualisiert", a feed date …): equal means nothing to fetch.
    version = models.CharField(_("Stand bei der Quelle"), max_length=100, blank=True)
    etag = models.CharField(_("ETag"), max_length=300, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    content_sha256 = models.CharField(_("SHA-256 des Dokuments"), max_length=64, blank=True)
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="harvest_items", verbose_name=_("Anfrage")
    )
    status = models.CharField(_("Status"), max_length=16, choices=HarvestItemStatus.choices)
    # Where the source's structured data and the parsed document disagree, for the review.
    disagreements = models.JSONField(_("Abweichungen"), default=list, blank=True)
    listing = models.JSONField(_("Angaben der Quelle"), default=dict, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    last_run = models.ForeignKey(
        HarvestRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="items", verbose_name=_("letzter Abruf")
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("abgerufene Anfrage")
        verbose_name_plural = _("abgerufene Anfragen")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="harvest_item_unique_per_source")]

    def __str__(self) -> str:
        return f"{self.source} {self.reference or self.external_id}"


class HttpValidator(models.Model):
    """The ETag and Last-Modified a server gave for an address, for the next conditional request."""

    url = models.TextField(_("Adresse"))
    url_sha256 = models.CharField(max_length=64, unique=True)
    etag = models.CharField(_("ETag"), max_length=300, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    checked_at = models.DateTimeField(_("geprüft"), auto_now=True)

    class Meta:
        verbose_name = _("HTTP-Validator")
        verbose_name_plural = _("HTTP-Validatoren")

    def __str__(self) -> str:
        return self.url
