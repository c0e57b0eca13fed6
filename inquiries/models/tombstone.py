"""What is left of a public inquiry after its row was deleted.

Mirrors of the API sync with ``modified_since``; a deleted row would simply vanish
from the lists, so its deletion is recorded here (by ``inquiries.tombstones``) and
listed as a tombstone, which tells them to delete their copy.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeletedInquiry(models.Model):
    """A deleted inquiry that had been published: its id, reference and time of deletion."""

    # The deleted row's primary key; both databases never hand out a key twice.
    original_id = models.BigIntegerField(_("ID der gelöschten Anfrage"))
    parliament_code = models.CharField(_("Parlament"), max_length=2)
    term_number = models.PositiveSmallIntegerField(_("Wahlperiode"))
    reference = models.CharField(_("Drucksache"), max_length=12)
    deleted_at = models.DateTimeField(_("gelöscht am"), default=timezone.now)

    class Meta:
        ordering = ["deleted_at", "original_id"]
        verbose_name = _("gelöschte Anfrage")
        verbose_name_plural = _("gelöschte Anfragen")
        constraints = [
            models.UniqueConstraint(fields=["original_id"], name="deleted_inquiry_unique_original"),
        ]
        indexes = [
            # API sync lists: tombstones deleted since a time, oldest first.
            models.Index(fields=["deleted_at", "original_id"], name="deleted_inquiry_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.parliament_code} {self.reference} ({self.deleted_at:%Y-%m-%d})"
