"""A page's frame (``base.html`` around its content) printed once per language, script prefix
and navigation page, with holes that each request fills in.

Django's template engine walked base.html's blocks, frames, tags and text for every inquiry
page: about a quarter of the page's CPU through the WSGI handler (1.57 against 1.07 ms without
the frame, bench/RESULTS.md), on the most requested page of the site, although all but eight
values of it are the same for every page in a language. Here the page's own template (which
extends base.html) is printed once with a marker in each of those places; a request joins the
fixed parts with its values: the head's title, description, canonical address and OpenGraph
tags (``page_head``'s functions, as the blocks' defaults print them), the CSRF token and return
address of the language form, the search box's words and the page's content.

A page that uses the shell may override ``content`` (its dynamic part, printed by the view)
and blocks whose text depends on nothing but the language, like ``{% frame %}``'s parts
(``scripts``, ``head``); not the head's blocks. tests/test_page_shell.py checks the bytes
against the template printed whole. With DEBUG (templates read anew when they change) the
template is printed whole each time.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader_tags import ExtendsNode
from django.template.response import TemplateResponse
from django.urls import get_script_prefix
from django.utils.translation import get_language

from inquiries.templatetags import portal
from inquiries.templatetags.page_head import head_description, head_title, opengraph

# Blocks of base.html that the shell fills per request; a page's template must leave them be.
HEAD_BLOCKS = ("title", "description", "canonical", "opengraph")
# Each hole once in every shell; "q" only where the search box shows the request's words.
HOLES = frozenset((*HEAD_BLOCKS, "content", "csrf", "next"))
_MARK = "\x00{}\x00"
_HOLE = re.compile("\x00([a-z]+)\x00")
# Shells kept per process: templates × languages × script prefixes × navigation pages.
KEPT = 256

Content = Callable[[dict[str, Any]], str]


class _PrintingRequest:
    """What base.html reads of the request while its shell is printed: the path (which link of
    the navigation is marked), markers for the language form's return address and the search
    box's words."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.GET = {"q": _MARK.format("q")}

    def get_full_path(self) -> str:
        return _MARK.format("next")


class Shell:
    """The fixed parts of a printed page and, between them, the names of its holes."""

    def __init__(self, printed: str, template_name: str) -> None:
        parts = _HOLE.split(printed)
        self.fixed: list[str] = parts[0::2]
        self.holes: list[str] = parts[1::2]
        unknown = set(self.holes) - HOLES - {"q"}
        missing = HOLES - set(self.holes)
        if unknown or missing or len(self.holes) != len(set(self.holes)):
            raise ImproperlyConfigured(
                f"{template_name} cannot be printed as a shell: holes {sorted(self.holes)}, expected each of {sorted(HOLES)} once"
            )

    def fill(self, values: dict[str, str]) -> str:
        parts = [self.fixed[0]]
        for hole, fixed in zip(self.holes, self.fixed[1:]):
            parts.append(values[hole])
            parts.append(fixed)
        return "".join(parts)


_children: dict[tuple[str, int], Any] = {}
_shells: dict[tuple[str, int, str | None, str, str], Shell] = {}


def _child(template_name: str) -> Any:
    """A template that extends ``template_name`` with a marker for each of the head's blocks
    and the content."""
    key = (template_name, portal.frame_generation())
    child = _children.get(key)
    if child is None:
        if len(_children) >= KEPT:
            _children.clear()
        page = engines["django"].get_template(template_name).template
        extends = page.nodelist.get_nodes_by_type(ExtendsNode)
        overridden = set(extends[0].blocks) if extends else set()
        if not extends or "content" not in overridden or overridden & set(HEAD_BLOCKS):
            raise ImproperlyConfigured(
                f"{template_name} cannot be printed as a shell: it must extend a frame, fill 'content' and leave {HEAD_BLOCKS} to it"
            )
        blocks = "".join(f"{{% block {name} %}}{_MARK.format(name)}{{% endblock %}}" for name in (*HEAD_BLOCKS, "content"))
        child = _children[key] = engines["django"].from_string("{% extends shell_template %}" + blocks)
    return child


def shell(template_name: str, request: HttpRequest, navigation: str, language: str | None) -> Shell:
    """The shell of ``template_name`` in ``language`` (the active one) for pages with this
    navigation page (``portal.navigation_page``)."""
    key = (template_name, portal.frame_generation(), language, get_script_prefix(), navigation)
    found = _shells.get(key)
    if found is None:
        if len(_shells) >= KEPT:
            _shells.clear()
        printed = _child(template_name).render(
            {"shell_template": template_name, "request": _PrintingRequest(request.path), "csrf_token": _MARK.format("csrf")}
        )
        found = _shells[key] = Shell(printed, template_name)
    return found


def _search_words(request: HttpRequest) -> str:
    # ``{{ request.GET.q }}``: the last value given, nothing when there is none.
    return html.escape(str(request.GET["q"])) if "q" in request.GET else ""


def render(request: HttpRequest, template_name: str, context: dict[str, Any], content: Content) -> HttpResponse:
    """``TemplateResponse(request, template_name, context)`` printed from its shell.
    ``content(values)`` prints the template's ``content`` block from the context with the
    request and the language (``values``)."""
    if not portal.keeps_frames():
        return TemplateResponse(request, template_name, context)
    language = get_language()
    values = {**context, "request": request, "LANGUAGE_CODE": language}
    navigation = portal.navigation_page(values)
    filled = {
        "title": head_title(values),
        "description": head_description(values),
        "canonical": f'<link rel="canonical" href="{html.escape(portal.canonical_url(values))}">',
        "opengraph": opengraph(values),
        "csrf": html.escape(get_token(request)),
        "next": html.escape(request.get_full_path()),
        "q": _search_words(request) if navigation else "",
        "content": content(values),
    }
    return HttpResponse(shell(template_name, request, navigation, language).fill(filled))
