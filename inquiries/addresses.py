"""Addresses of the site's pages, reversed once per process and then looked up.

``reverse()`` walks the URL patterns on every call: some 25 µs, and an inquiry page names
ten to twenty addresses (its frame, askers, factions, ministries, linked papers). The same
addresses come back page after page, so each is kept, per URL configuration (tests that
override ``ROOT_URLCONF`` get a new resolver and so start afresh) and script prefix.
Only for names whose namespace is mounted once (all of this site's), where
``current_app`` cannot change the answer.
"""

from __future__ import annotations

import weakref
from typing import Any

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

# At most this many addresses per configuration (a few MB); then the kept ones start afresh.
KEPT = 20_000

_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def address(name: str, **kwargs: Any) -> str:
    """``reverse(name, kwargs=kwargs)``, kept."""
    urls = _kept.get(resolver := get_resolver(get_urlconf()))
    if urls is None:
        urls = _kept[resolver] = {}
    key = (get_script_prefix(), name, *kwargs.items())
    url = urls.get(key)
    if url is None:
        if len(urls) >= KEPT:
            urls.clear()
        url = urls[key] = reverse(name, kwargs=kwargs or None)
    return url
