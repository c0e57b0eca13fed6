"""The closed sets of values of the domain (``TextChoices``), in a module of their own.

Models, querysets, validation, filters, serializers and importers all compare against
these: keeping them apart from the models lets every one of those import them at the
top without importing the models (and the models them).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryKind(models.TextChoices):
    MINOR = "minor", _("Kleine Anfrage")
    MAJOR = "major", _("Große Anfrage")
    WRITTEN = "written", _("Schriftliche Frage")


class InquiryState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("Veröffentlicht")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")


class DeadlineStatus(models.TextChoices):
    ANSWERED = "answered", _("beantwortet")
    OPEN = "open", _("offen")
    OVERDUE = "overdue", _("überfällig")


class MinistryRole(models.TextChoices):
    CONSULTED = "consulted", _("im Einvernehmen mit")
    COPIED = "copied", _("nachrichtlich")


class AnswerKind(models.TextChoices):
    NONE = "", _("keine Antwort")
    FULL = "full", _("beantwortet")
    REFERENCE = "reference", _("Verweis")
    PARTLY_REFUSED = "partly_refused", _("teilweise verweigert")
    REFUSED = "refused", _("verweigert")
    CLASSIFIED = "classified", _("eingestuft (VS-NfD)")


# Answers refused in whole or in part (a classified annex included): the refusal share of the statistics.
REFUSING_KINDS = (AnswerKind.REFUSED, AnswerKind.PARTLY_REFUSED, AnswerKind.CLASSIFIED)


class RefusalReason(models.TextChoices):
    NONE = "", _("–")
    CONFIDENTIALITY = "confidentiality", _("Geheimhaltung")
    EFFORT = "effort", _("Aufwand")
    EXECUTIVE_CORE = "executive_core", _("Kernbereich exekutiver Eigenverantwortung")
    NOT_RESPONSIBLE = "not_responsible", _("keine Zuständigkeit")
    OTHER = "other", _("nicht genannt")


class RemovalKind(models.TextChoices):
    """Why an inquiry that was public is no longer: the ``state`` of its tombstone."""

    WITHDRAWN = "withdrawn", _("zurückgezogen")
    DELETED = "deleted", _("gelöscht")
