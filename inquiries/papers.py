"""References to printed papers ("Drucksache 17/1234") in the texts of inquiries and answers."""

from __future__ import annotations

import html as html_module
import re
from typing import Mapping

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

REFERENCE = re.compile(r"\b\d{1,2}/\d{1,6}\b")
# "Drucksache 17/1234", "Drucksachen 17/12 und 17/34", "Drs. 16/5, 16/6": the word, then a
# run of references joined by commas or conjunctions. A bare "17/1234" is not taken, since
# dates and ratios look the same.
MENTION = re.compile(
    r"\b(?:Drucksachen?|Drs\.)(?:\s|&nbsp;)+"
    r"(?:Nr\.\s*)?\d{1,2}/\d{1,6}\b(?:\s*(?:,|und|sowie|bzw\.|oder)\s*\d{1,2}/\d{1,6}\b)*"
)


def _may_mention(text: str) -> bool:
    # Most texts name no paper: a substring test skips the expression's scan of them.
    return "Drucksache" in text or "Drs." in text


def references_in(text: str) -> set[str]:
    """The printed papers a text names, e.g. {"17/1234"}."""
    if not text or not _may_mention(text):
        return set()
    return {ref for mention in MENTION.finditer(text or "") for ref in REFERENCE.findall(mention.group(0))}


_NEWLINES = re.compile(r"\r\n|\r")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def _paragraphs(html: str) -> str:
    """As Django's ``linebreaks(html, autoescape=False)``: blank lines part paragraphs, a line
    break is ``<br>``. Written out because Django's goes through two lazy-text wrappers and a
    lazily compiled expression: 11 µs a text against 4 (an inquiry page prints some 15 texts)."""
    if "\r" in html:
        html = _NEWLINES.sub("\n", html)
    return "\n\n".join(["<p>%s</p>" % part.replace("\n", "<br>") for part in _PARAGRAPH_BREAK.split(html)])


def link_references(text: str, urls: Mapping[str, str]) -> SafeString:
    """``text`` as escaped HTML paragraphs, each named paper that has a URL turned into a link."""
    # The standard library's escape, the one Django's ``escape`` calls (without its lazy wrapper).
    html = html_module.escape(str(text or ""))

    def link_mention(mention: re.Match[str]) -> str:
        def link(ref: re.Match[str]) -> str:
            url = urls.get(ref.group(0))
            return format_html('<a href="{}">{}</a>', url, ref.group(0)) if url else ref.group(0)

        return REFERENCE.sub(link, mention.group(0))

    if _may_mention(html):
        html = MENTION.sub(link_mention, html)
    return mark_safe(_paragraphs(html))  # noqa: S308 - escaped above, the links by format_html
