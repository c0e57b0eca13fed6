"""Template tags for the error pages, which must render whatever else is broken."""

from __future__ import annotations

import logging

from django import template
from django.templatetags.static import static

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def static_or_plain(path: str) -> str:
    """The hashed URL of a static file, or its plain URL when the manifest lacks it.

    A deploy that forgot ``collectstatic`` has no manifest: ``{% static %}`` then raises,
    and the 500 page itself would fail into a bare server error. WhiteNoise serves the
    unhashed name too once the files are collected, and the development server always.
    """
    try:
        return static(path)
    except ValueError:
        logger.warning("static file %s is not in the manifest; run collectstatic", path)
        from django.conf import settings

        return f"{settings.STATIC_URL}{path}"
