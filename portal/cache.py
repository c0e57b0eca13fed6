"""Whole-page cache for anonymous visitors, keyed by the data version.

Django's own per-site cache keys on cookies (every page carries the language
form's CSRF token, so it would never share a page) and cannot be invalidated when
an inquiry changes. This middleware instead:

* serves GET/HEAD and stores GET requests of anonymous visitors (no session or
  messages cookie) to the public URL namespaces in ``PAGE_CACHE_NAMESPACES``;
* keys pages on host, full path with query, language and the *data version*
  (``inquiries.versions``), which every write advances in its own transaction:
  from the commit on, every worker of every app server asks for new keys. So a
  cache of each worker's own (local memory) is as correct as a shared one (Redis);
  the shared one only saves rendering a page once per worker;
* stores the page with the CSRF token replaced by a placeholder and puts the
  visitor's own token back in when serving, so the language form keeps working
  and CsrfViewMiddleware sets the visitor's cookie as usual;
* stores only 200 responses that set no cookie and are not marked private, and
  no browsable-API HTML (its CSRF token sits in a script block).
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from inquiries import versions

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = b"__PAGE_CACHE_CSRF_TOKEN__"
# The hidden input Django's {% csrf_token %} renders; the token is 64 URL-safe characters.
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
# Headers a cached page keeps; cookies are never stored.
_STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Vary", "Link")
HIT_HEADER = "X-Page-Cache"


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def _is_anonymous(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _cache_key(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # The API negotiates its format on Accept (it sends Vary: Accept); the pages do not.
    accept = request.headers.get("Accept", "") if request.resolver_match.namespace == "api" else ""
    raw = "|".join((request.scheme, request.get_host(), language, accept, request.get_full_path()))
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"pagecache:{versions.current()}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # The browsable API puts the CSRF token into a script block, not a form field we can swap.
    return not (request.resolver_match.namespace == "api" and response.get("Content-Type", "").startswith("text/html"))


class PageCacheMiddleware:
    """See the module docstring. Sits after the CSRF, auth and messages middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and request.method == "GET" and _storable(request, response):
            body = _CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            headers = {name: response[name] for name in _STORED_HEADERS if response.has_header(name)}
            cache.set(key, (response.status_code, headers, body), page_cache_seconds())
            response[HIT_HEADER] = "miss"
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        seconds = page_cache_seconds()
        match = request.resolver_match
        if (
            seconds <= 0
            or request.method not in _CACHEABLE_METHODS
            or match is None
            or match.namespace not in settings.PAGE_CACHE_NAMESPACES
            or not _is_anonymous(request)
        ):
            return None
        try:
            key = _cache_key(request)
        except DatabaseError:
            # No version without the database: the view fails the same way and
            # DatabaseUnavailableMiddleware answers 503 (it sees view errors only).
            return None
        cached = cache.get(key)
        if cached is None:
            request._page_cache_key = key
            return None
        status, headers, body = cached
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode("ascii"))
        response = HttpResponse(body, status=status)
        for name, value in headers.items():
            response[name] = value
        response[HIT_HEADER] = "hit"
        return response
