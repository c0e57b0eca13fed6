"""Template helpers of the site: canonical URLs, page links, linked printed papers."""

from __future__ import annotations

import re
from typing import Any, Mapping

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from inquiries import papers
from inquiries.addresses import address
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
    # Kept on the request: a page names it up to three times (link, OpenGraph, citation).
    url = getattr(request, "_canonical_url", None)
    if url is None:
        url = request.build_absolute_uri(request.path)
        page = request.GET.get("page", "")
        if _PAGE_NUMBER.fullmatch(page) and int(page) > 1:
            url += f"?page={int(page)}"
        request._canonical_url = url
    return url


@register.simple_tag
def site_url(name: str) -> str:
    """``{% url name %}`` for an address without arguments, reversed once per process
    (``inquiries.addresses``): the page frame names ten of them on every page."""
    return address(name)


# The addresses of the main navigation, in the frame's order (``base.html``).
NAVIGATION = ("inquiries:inquiry-list", "inquiries:person-index", "inquiries:faction-index", "inquiries:ministry-index", "inquiries:statistics")


@register.simple_tag(takes_context=True)
def navigation_page(context: template.Context) -> str:
    """The request's path if it is one of the main navigation's pages, else ''. On those
    pages the frame marks the current link (and the list page fills in the search box)."""
    request = context.get("request")
    path = getattr(request, "path", "")
    return path if path and any(path == site_url(name) for name in NAVIGATION) else ""


# --- the page frame, rendered once ------------------------------------------------------

# Bumped when a setting changes (tests): every frame is rendered afresh after it.
_frame_generation = 0


def _settings_changed(**kwargs: Any) -> None:
    global _frame_generation
    _frame_generation += 1


setting_changed.connect(_settings_changed, dispatch_uid="inquiries.templatetags.portal.frame")


def frame_generation() -> int:
    """Changes whenever a setting does: what was printed once must be printed afresh."""
    return _frame_generation


def keeps_frames() -> bool:
    return not settings.DEBUG


class FrameNode(template.Node):
    """``{% frame %}…{% endframe %}``: a part of the page frame, rendered once per language
    and script prefix and then reused (0.5 ms of each page's CPU: navigation, language
    switch, footer; ``results-page14.md``).

    What it encloses must not depend on anything else: no block (a page could not override
    it), nothing of the request, the user, the messages or the data. ``{% frame unless value %}``
    renders it anew whenever ``value`` is true; ``{% frame by value %}`` keeps one rendering per
    ``value`` too, for a part that depends on nothing but it and has few values (the frame of the
    five navigation pages marks their link: kept per page, 0.85 ms of the list page's CPU, where
    it was rendered anew each time). Names it assigns (``{% … as name %}``) stay inside. Not
    kept with DEBUG, where templates are read anew when they change.
    """

    # Not walked by ``get_nodes_by_type``: every page's ``{% extends %}`` walks base.html's
    # nodes for its blocks on each render, and a frame holds none (refused below), but most of
    # the nodes (57 → 18 µs a page).
    child_nodelists = ()

    def __init__(
        self, nodelist: template.NodeList, unless: template.base.FilterExpression | None, by: template.base.FilterExpression | None = None
    ) -> None:
        self.nodelist = nodelist
        self.unless = unless
        self.by = by
        self._rendered: dict[tuple[int, str | None, str, str], SafeString] = {}

    def _render_nodes(self, context: template.Context) -> SafeString:
        with context.push():
            return self.nodelist.render(context)

    def render(self, context: template.Context) -> SafeString:
        if not keeps_frames() or (self.unless is not None and self.unless.resolve(context)):
            return self._render_nodes(context)
        key = (_frame_generation, translation.get_language(), get_script_prefix(), "" if self.by is None else str(self.by.resolve(context)))
        rendered = self._rendered.get(key)
        if rendered is None:
            if len(self._rendered) > 64:  # settings changed many times over (tests)
                self._rendered.clear()
            rendered = self._rendered[key] = mark_safe(self._render_nodes(context))
        return rendered


@register.tag("frame")
def frame(parser: template.base.Parser, token: template.base.Token) -> FrameNode:
    bits = token.split_contents()
    if len(bits) not in (1, 3) or (len(bits) == 3 and bits[1] not in ("unless", "by")):
        raise template.TemplateSyntaxError("{% frame %} takes nothing, 'unless value' or 'by value'")
    unless = parser.compile_filter(bits[2]) if len(bits) == 3 and bits[1] == "unless" else None
    by = parser.compile_filter(bits[2]) if len(bits) == 3 and bits[1] == "by" else None
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% frame %} cannot hold a {% block %}: a page could not override it")
    return FrameNode(nodelist, unless, by)


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
