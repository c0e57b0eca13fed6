"""Template helpers of the site: canonical URLs, page links, linked printed papers."""

from __future__ import annotations

import re
import weakref
from typing import Any, Mapping

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from inquiries import papers
from inquiries.selectors import pages

register = template.Library()

# ASCII digits only: str.isdigit() also takes "¹" or "①", which int() refuses.
_PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    """The page's address without tracking or display parameters; page numbers past 1 are kept."""
    request = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if _PAGE_NUMBER.fullmatch(page) and int(page) > 1:
        url += f"?page={int(page)}"
    return url


# URL configuration → {(script prefix, name): address}; a new configuration (tests that
# override ROOT_URLCONF) gets a new resolver and so starts afresh.
_SITE_URLS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@register.simple_tag
def site_url(name: str) -> str:
    """``{% url name %}`` for an address without arguments, reversed once per process: the
    page frame names ten of them on every page (some 0.25 ms of each page's CPU). Only for
    names whose namespace is mounted once (all of this site's), where ``current_app`` cannot
    change the answer."""
    urls = _SITE_URLS.setdefault(get_resolver(get_urlconf()), {})
    key = (get_script_prefix(), name)
    url = urls.get(key)
    if url is None:
        url = urls[key] = reverse(name)
    return url


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current address with ``page`` set to ``number`` (other parameters kept)."""
    query = context["request"].GET.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.filter
def paper_links(text: str, urls: Mapping[str, str]) -> SafeString:
    """Paragraphs of ``text`` with every named printed paper that is published here linked."""
    return papers.link_references(text, urls or {})


@register.filter
def percent(value: Any) -> str:
    """0.875 → "88 %" (rounded, with the non-breaking space German style needs)."""
    if value is None:
        return "–"
    return f"{round(float(value) * 100)}\u00a0%"


@register.filter
def share_of(value: int, total: int) -> float:
    """``value`` as a share of ``total`` for bar widths (0 when there is nothing)."""
    return value / total * 100 if total else 0.0


@register.filter
def html_id(value: str) -> str:
    """An ``id`` from a label as printed ("frage-3 a" → "frage-3-a"): ids may not contain spaces."""
    return re.sub(r"\s+", "-", str(value).strip())


@register.simple_tag
def inquiry_deadline(inquiry: Any) -> pages.Deadline:
    """``{% inquiry_deadline inquiry as deadline %}``: answered, open or overdue and by how many days."""
    return pages.inquiry_deadline(inquiry)
