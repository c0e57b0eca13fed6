"""Fixed-window request counters in the shared cache (Redis in production).

Keys hold a hash of what is counted, never an address in clear text.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def allow(scope: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of ``subject`` in ``scope``; False once ``limit`` is passed in the window."""
    digest = hashlib.sha256(subject.strip().lower().encode("utf-8")).hexdigest()
    key = f"ratelimit:{scope}:{digest}"
    # add() starts the window only if no counter exists, so the window never slides.
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        # The counter expired between add() and incr(): a new window.
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit
