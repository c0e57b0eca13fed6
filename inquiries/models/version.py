"""The version of the published data: one row whose token changes with every write.

Caches of derived figures (facet counts, result totals) key on it, so every app
server sees a change the moment its transaction commits, without a shared cache
or messages between servers; see ``inquiries.versions``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """Exactly one row (id 1); ``token`` is random, so a database restored or created
    anew never repeats the token of other data that a cache may still hold."""

    token = models.CharField(_("Stand der Daten"), max_length=32)

    class Meta:
        verbose_name = _("Datenstand")
        verbose_name_plural = _("Datenstände")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="data_version_single_row")]

    def __str__(self) -> str:
        return self.token
