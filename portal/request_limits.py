"""Refuse a query string with too many parameters before anything reads it.

Django parses ``request.GET`` lazily and raises ``TooManyFieldsSent`` from wherever it
is first touched. Under DEBUG that meant the technical error page, which renders the
request again and failed slowly into a 500; without DEBUG a bare "Bad Request". Counting
the fields of the raw query string (as ``QueryDict`` counts them) answers the site's
400 page at once, before any middleware, view or cache key looks at the parameters.
"""

from __future__ import annotations

import logging
from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger("django.security.TooManyFieldsSent")


def too_many_fields(query_string: str) -> bool:
    """Whether ``QueryDict`` would refuse ``query_string`` (it counts ``&``-separated fields)."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return limit is not None and bool(query_string) and query_string.count("&") + 1 > limit


def bad_request_response() -> HttpResponse:
    """The site's 400 page, rendered without the request (it may be what is wrong)."""
    response = HttpResponseBadRequest(render_to_string("400.html"))
    response["Cache-Control"] = "no-store"
    return response


class QueryStringLimitMiddleware:
    """A fast 400 for more than DATA_UPLOAD_MAX_NUMBER_FIELDS query parameters; must come first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if too_many_fields(request.META.get("QUERY_STRING", "")):
            logger.warning("refused %s: more than %s query parameters", request.path, settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
            return bad_request_response()
        return self.get_response(request)
