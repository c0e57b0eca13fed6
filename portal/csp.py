"""django-csp's middleware, with the site's policy built once instead of on every response.

django-csp builds the Content-Security-Policy header anew for every response (it copies
the settings' directives, merges what a view changed, joins them): about 0.1 ms of CPU,
a tenth of all the API's inquiry record costs. The site's views change nothing of the
policy (no ``@csp_update``, ``@csp_replace``, ``@csp_exempt``, no nonce), and for such a
response django-csp's header is always the same: it is built once, with django-csp's own
``build_policy``, and kept until a setting changes (tests). A response or request that
does change it goes through django-csp as before.
"""

from __future__ import annotations

from typing import Any

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

# What a view can set to change the policy of one response (django-csp's decorators).
_RESPONSE_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                   "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")

# (header, value, setting whose EXCLUDE_URL_PREFIXES it skips) for each header django-csp sets.
_built: list[tuple[str, str, str]] | None = None


def _forget(**kwargs: Any) -> None:
    global _built
    _built = None


setting_changed.connect(_forget, dispatch_uid="portal.csp.forget")


def _unchanged_policy() -> list[tuple[str, str, str]]:
    global _built
    if _built is None:
        headers = [(HEADER, build_policy(), "CONTENT_SECURITY_POLICY"),
                   (HEADER_REPORT_ONLY, build_policy(report_only=True), "CONTENT_SECURITY_POLICY_REPORT_ONLY")]
        _built = [header for header in headers if header[1]]
    return _built


class CSPMiddleware(middleware.CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            (settings.DEBUG and response.status_code in (404, 500))
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _RESPONSE_PARTS)
        ):
            return super().process_response(request, response)
        for header, value, setting in _unchanged_policy():
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if header not in response and not request.path_info.startswith(tuple(prefixes)):
                response[header] = value
        # As django-csp does: a nonce asked for once the header is written is an error.
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
