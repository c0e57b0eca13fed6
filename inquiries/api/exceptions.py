"""One JSON shape for every error of the API: ``{status, code, detail, errors}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Gone(exceptions.APIException):
    """The inquiry was public once and has been withdrawn or deleted (410)."""

    status_code = status.HTTP_410_GONE
    default_detail = "This inquiry has been withdrawn or deleted."
    default_code = "gone"


def _messages(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Validation messages per parameter name; nested names joined with dots."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            found.update(_messages(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "request": [str(item) for item in detail]}
        found = {}
        for index, item in enumerate(detail):
            found.update(_messages(item, f"{prefix}.{index}" if prefix else str(index)))
        return found
    return {prefix or "request": [str(detail)]}


def error_body(status_code: int, code: str, detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"status": status_code, "code": code, "detail": detail, "errors": errors or {}}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (status, Retry-After, rollback) with the body in the API's one shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            response.status_code, "invalid", "Invalid request parameters; see errors.", _messages(exc.detail)
        )
    else:
        codes = exc.get_codes()
        response.data = error_body(response.status_code, codes if isinstance(codes, str) else exc.default_code, str(exc.detail))
    return response
