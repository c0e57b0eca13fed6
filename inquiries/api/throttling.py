"""The API's anonymous throttle: requests per client address, 429 with Retry-After beyond."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """``settings.API_THROTTLE_RATE`` ("120/minute"; empty turns it off), read per request so
    that it can be changed without a restart of the class (tests raise it)."""

    scope = "anon"

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATE or None
