"""Short garbage collections in a long-running worker: what the app loaded is frozen.

A full (oldest-generation) collection walks every object the process tracks: after the app
and its first pages are loaded, some 125,000 of them, 60 ms of CPU on the benchmark machine.
It runs every so often, inside whatever request happens to allocate at that moment, and made
the slowest twentieth of some pages three to five times their median (bench/RESULTS.md:
the exclusion search, 88 ms p95 against 19 ms p50). Objects that live as long as the worker
(modules, URL patterns, templates, catalogs, the search index's handles) are moved out of the
collector's sight with ``gc.freeze()``: once when the app is loaded, and once more after the
first requests, which load what is loaded lazily. A full collection then walks only what
requests leave behind (about 0.5 ms). Frozen objects are still freed when no longer referenced;
only reference cycles among them would stay, and workers are replaced after
``GUNICORN_MAX_REQUESTS`` anyway.
"""

from __future__ import annotations

import gc
from typing import Any

from django.core.signals import request_finished

# Requests a worker serves before freezing again (its pages' templates and caches loaded).
WARM_UP_REQUESTS = 25
_UID = "portal.gc_freeze"

_served = 0


def _after_request(**kwargs: Any) -> None:
    global _served
    _served += 1
    if _served >= WARM_UP_REQUESTS:
        request_finished.disconnect(dispatch_uid=_UID)
        freeze()


def freeze() -> None:
    """Collect what is garbage now, then freeze everything that is left."""
    gc.collect()
    gc.freeze()


def install() -> None:
    """Freeze now (the app is loaded) and once more after ``WARM_UP_REQUESTS`` requests."""
    global _served
    _served = 0
    freeze()
    request_finished.connect(_after_request, dispatch_uid=_UID)
