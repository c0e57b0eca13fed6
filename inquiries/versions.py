"""Read and advance the data version (``DataVersion``), the key of cached aggregates."""

from __future__ import annotations

import secrets
import threading
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connections, router
from django.db.models.signals import post_delete, post_save

from inquiries.models.version import DataVersion

_ROW = 1
_SELECT = f"SELECT token FROM {DataVersion._meta.db_table} WHERE id = %s"


def new_token() -> str:
    return secrets.token_hex(16)


# During a request the token is read once: every cache key of one page then names the
# same data, and a page with counts, results and highlights costs one query for it.
_request = threading.local()


def _request_started(**kwargs: Any) -> None:
    _request.active, _request.token = True, None


def _request_finished(**kwargs: Any) -> None:
    _request.active, _request.token = False, None


def _read() -> str:
    # Plain SQL: this runs for every page, cached ones too, where the ORM's work would show.
    database = router.db_for_read(DataVersion)
    with connections[database].cursor() as cursor:
        cursor.execute(_SELECT, [_ROW])
        row = cursor.fetchone()
    return row[0] if row else ""


def current() -> str:
    """The token of the data this transaction sees ('' before the first write)."""
    if getattr(_request, "active", False) and _request.token is not None:
        return _request.token
    token = _read()
    if getattr(_request, "active", False):
        _request.token = token
    return token


def advance() -> None:
    """Give the data a new token; part of the writer's transaction, so readers see it
    exactly when they see the data it stands for."""
    _request.token = None
    token = new_token()
    if not DataVersion.objects.filter(pk=_ROW).update(token=token):
        DataVersion.objects.bulk_create([DataVersion(pk=_ROW, token=token)], ignore_conflicts=True)
        DataVersion.objects.filter(pk=_ROW).update(token=token)


def _names_changed(sender: type, **kwargs: Any) -> None:
    # Facets and pages show these names; the writes of inquiries call
    # services.changes.inquiries_changed instead, and deletions come here from anywhere.
    advance()


def connect() -> None:
    """Read the version once per request; advance it on writes that no service sees:
    deleted inquiries, renamed parliaments, terms, factions and ministries
    (connected in ``InquiriesConfig.ready``)."""
    from inquiries.models import Faction, Inquiry, Ministry, Parliament, Term

    request_started.connect(_request_started, dispatch_uid="inquiries.versions.request_started")
    request_finished.connect(_request_finished, dispatch_uid="inquiries.versions.request_finished")

    post_delete.connect(_names_changed, sender=Inquiry, dispatch_uid="inquiries.versions.inquiry_deleted")
    for model in (Parliament, Term, Faction, Ministry):
        for signal in (post_save, post_delete):
            signal.connect(_names_changed, sender=model, dispatch_uid=f"inquiries.versions.{model.__name__}.{signal is post_save}")
