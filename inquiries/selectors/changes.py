"""When a row last changed, for every reader that syncs: the API (``modified_at``,
``modified_since``), OParl (``modified``, ``modified_since``) and their lists.

A row's change time is its own ``updated_at`` raised to the newest change of the rows
it embeds or lists (a person's memberships, a body's terms): a client that syncs by
``modified_since`` must see the parent change when an embedded row changed.
"""

from __future__ import annotations

from django.db.models import F, Model, OuterRef, Subquery
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Greatest


def newest_change(model: type[Model], parent_field: str) -> Coalesce:
    """The newest ``updated_at`` of the ``model`` rows pointing at the outer row (else its own)."""
    rows = model.objects.filter(**{parent_field: OuterRef("pk")}).order_by("-updated_at").values("updated_at")[:1]
    return Coalesce(Subquery(rows), "updated_at")


def modified(*embedded: tuple[type[Model], str]) -> Expression:
    """The outer row's change time: its ``updated_at``, raised to the newest change of each
    embedded ``(model, field pointing at the row)``."""
    if not embedded:
        return F("updated_at")
    return Greatest("updated_at", *(newest_change(model, field) for model, field in embedded))
