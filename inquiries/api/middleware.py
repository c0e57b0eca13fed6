"""HTTP caching of the API: Cache-Control, Vary, ETag and 304 answers.

Limited to ``/api/``. The ETag is a hash of the body (Django's conditional GET),
so it changes with anything the answer shows; views add Last-Modified where
they know it. Successful answers, 404 and 410 may be cached for
``API_CACHE_SECONDS``; other errors are not stored.
"""

from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

API_PREFIX = "/api/"
CACHEABLE_ERRORS = {404, 410}


class ApiCachingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX):
            return response
        patch_vary_headers(response, ["Accept"])
        if not response.has_header("Cache-Control"):
            cacheable = request.method in ("GET", "HEAD") and (
                200 <= response.status_code < 300 or response.status_code in CACHEABLE_ERRORS
            )
            if response.cookies:
                # The browsable API may set a CSRF cookie: never share that answer.
                patch_cache_control(response, private=True, no_cache=True)
            elif cacheable:
                patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
            else:
                patch_cache_control(response, no_store=True)
        if request.method != "GET" or response.streaming or not 200 <= response.status_code < 300:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified, response=response)
