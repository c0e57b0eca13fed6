"""Storage of e-mail alerts: one row per address and followed query.

The ``alerts`` app's own model (``AlertsConfig``). The table was created by
``inquiries`` migration ``0007_alerts`` when the alerts lived in that app and keeps
its name (``inquiries_subscription``); ``alerts`` migration ``0001_initial`` took the
model over without touching the table, so existing subscriptions stay. The address is kept for sending these alerts only and the row
is deleted on unsubscribe or when it was never confirmed.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# 32 random bytes, URL-safe base64: 43 characters, 256 bits, never derived from the row.
TOKEN_BYTES = 32
TOKEN_LENGTH = 43


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("täglich")
    WEEKLY = "weekly", _("wöchentlich")

    @property
    def interval(self) -> datetime.timedelta:
        return datetime.timedelta(days=7 if self is DigestFrequency.WEEKLY else 1)


class Subscription(models.Model):
    """An address that follows one query of the inquiry list by e-mail."""

    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    # Canonical query string of InquiryFilterSet parameters ("faction=spd&parliament=bw"),
    # '' for all inquiries; see ``inquiries.alerts.queries``.
    query = models.CharField(_("gefolgte Suche"), max_length=2000, blank=True)
    frequency = models.CharField(
        _("Häufigkeit"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    # Language of the page the address was entered on; mails are written in it.
    language = models.CharField(_("Sprache"), max_length=10, default=settings.LANGUAGE_CODE)
    # The secret of the confirmation and unsubscribe links; the only way to act on the row.
    token = models.CharField(_("Schlüssel"), max_length=64, default=new_token, editable=False)
    created_at = models.DateTimeField(_("angefordert"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt"), null=True, blank=True)
    # Inquiries published up to this moment were covered by an earlier digest (or
    # published before confirmation); set on confirmation, advanced after each send.
    sent_until = models.DateTimeField(_("versandt bis"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("letzte Zusammenfassung"), null=True, blank=True)

    class Meta:
        # The table of the days the model belonged to the inquiries app: kept, not copied.
        db_table = "inquiries_subscription"
        ordering = ["-created_at"]
        verbose_name = _("E-Mail-Benachrichtigung")
        verbose_name_plural = _("E-Mail-Benachrichtigungen")
        constraints = [
            # Addresses compare case-insensitively: one row per address and query.
            models.UniqueConstraint(Lower("email"), "query", name="alert_subscription_unique_address_query"),
            models.UniqueConstraint(fields=["token"], name="alert_subscription_unique_token"),
            models.CheckConstraint(condition=Q(frequency__in=DigestFrequency.values), name="alert_subscription_frequency_valid"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(sent_until__isnull=False),
                name="alert_subscription_confirmed_has_watermark",
            ),
        ]
        indexes = [
            # send_alert_digests: confirmed subscriptions of one frequency, by last digest.
            models.Index(
                fields=["frequency", "last_sent_at"],
                condition=Q(confirmed_at__isnull=False),
                name="alert_due_idx",
            ),
            # send_alert_digests: unconfirmed subscriptions past their expiry.
            models.Index(fields=["created_at"], condition=Q(confirmed_at__isnull=True), name="alert_unconfirmed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.query or '*'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
