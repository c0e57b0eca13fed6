"""Answer 503 with a friendly page while the database is unreachable."""

from __future__ import annotations

import logging
import sys
from typing import Callable

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a 503 instead of a 500.

    The broken connection is closed, so the next request opens a fresh one and
    the worker recovers by itself when the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)) or not _is_connection_error(exception):
            return None
        logger.warning("database unavailable: %s", exception)
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DatabaseError:
                pass
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def _is_connection_error(exception: Exception) -> bool:
    """Connection-level failures only; bad SQL stays a 500 (a locked SQLite database: ``DatabaseBusyMiddleware``)."""
    if isinstance(exception, InterfaceError):
        return True
    text = str(exception).lower()
    return any(
        marker in text
        for marker in (
            "connection",
            "could not connect",
            "server closed",
            "terminating",
            "the database system is",
            "unable to open database",
            "consuming input failed",
        )
    )


# --- a busy database (issue 18) ----------------------------------------------------------------


class DatabaseBusyMiddleware:
    """Answers "database is locked" with the outage page's 503 and ``Retry-After``.

    SQLite gives up on a write after its timeout (20 s, ``portal/env.py``) while another
    write holds the lock, e.g. a long import; the visitor should try again, not see a
    500. The error may come from a view or from a middleware's answer (the session save
    after an admin login), where no ``process_exception`` sees it; so the exception is
    noted on the request through ``got_request_exception``, and the 500 that Django made
    of it is replaced here. Place it above ``SessionMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_note_busy_database, dispatch_uid="portal.middleware.note_busy_database")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 500 or not getattr(request, _BUSY, False):
            return response
        logger.warning("database busy: %s %s answered 503", request.method, request.path)
        busy = HttpResponse(render_to_string("503.html"), status=503)
        busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
        busy["Cache-Control"] = "no-store"
        return busy


_BUSY = "_database_busy"


def is_database_busy(exception: BaseException | None) -> bool:
    """SQLite's "database is locked" / "database table is locked": the lock was held past the timeout."""
    return isinstance(exception, OperationalError) and "is locked" in str(exception).lower()


def _note_busy_database(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    # Sent while Django handles the exception, so it is the one being handled.
    if request is not None and is_database_busy(sys.exc_info()[1]):
        setattr(request, _BUSY, True)
