"""The per-page part of every page's ``<head>``: title, description, canonical address and
OpenGraph tags, as ``base.html``'s blocks print them when a page does not override them.

Written by Django's template engine these were about 0.26 ms of CPU a page (an eighth of the
inquiry page's template: three translations of the defaults and two ``{% translate %}`` tags,
each a lookup through asgiref's Local, ten variable lookups and filters, the canonical address
twice). Here each block's default is one tag over values escaped once, with the fixed texts
translated once per process and language; the blocks stay, so a page may still override any
of them. tests/test_page_head.py checks the bytes against the blocks as they were.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from django import template
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language, gettext as _, gettext_noop

from inquiries.templatetags.portal import canonical_url

register = template.Library()

# Marked for makemessages (the texts were base.html's); translated in ``_texts``.
SITE_NAME = gettext_noop("Anfragen-Portal")
DEFAULT_DESCRIPTION = gettext_noop("Kleine und Große Anfragen der deutschen Parlamente mit den Antworten der Regierungen, Frage für Frage.")


@functools.lru_cache(maxsize=16)
def _texts(language: str | None) -> tuple[str, str]:
    """The site's name and default description in ``language``, not escaped: a template's
    literal is safe, and so is its translation."""
    return _(SITE_NAME), _(DEFAULT_DESCRIPTION)


def _language(context: template.Context) -> str | None:
    # base.html's ``{% get_current_language as LANGUAGE_CODE %}`` came first: one lookup less
    # through asgiref's Local per tag.
    return context.get("LANGUAGE_CODE") or get_language()


def _printed(value: Any) -> str:
    # As a template prints a variable: safe text as it is, anything else escaped.
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def _or_default(context: template.Context, name: str, default: str) -> str:
    # ``{{ name|default:_("…") }}``: the default for a missing or empty value.
    value = context.get(name)
    return _printed(value) if value else default


@register.simple_tag(takes_context=True)
def head_title(context: template.Context) -> SafeString:
    """``{{ page_title|default:_("Anfragen-Portal") }}``."""
    return mark_safe(_or_default(context, "page_title", _texts(_language(context))[0]))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def site_name(context: template.Context) -> SafeString:
    """``{% translate "Anfragen-Portal" %}``, translated once per language."""
    return mark_safe(_texts(_language(context))[0])  # noqa: S308 - a template literal's translation


@register.simple_tag(takes_context=True)
def head_description(context: template.Context) -> SafeString:
    """``{{ page_description|default:_("Kleine und Große Anfragen …") }}``."""
    return mark_safe(_or_default(context, "page_description", _texts(_language(context))[1]))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def opengraph(context: template.Context) -> SafeString:
    """The OpenGraph tags of ``base.html``'s ``opengraph`` block, with the blank space around
    them that the block had."""
    language = _language(context)
    name, description = _texts(language)
    url = html.escape(canonical_url(context))
    og_type = _printed(context.get("og_type") or "website")
    title = _or_default(context, "page_title", name)
    description = _or_default(context, "page_description", description)
    locale = "en_GB" if language == "en" else "de_DE"
    return mark_safe(  # noqa: S308 - every value escaped above
        f'\n  <meta property="og:site_name" content="{name}">\n'
        f'  <meta property="og:type" content="{og_type}">\n'
        f'  <meta property="og:title" content="{title}">\n'
        f'  <meta property="og:description" content="{description}">\n'
        f'  <meta property="og:url" content="{url}">\n'
        f'  <meta property="og:locale" content="{locale}">\n  '
    )
