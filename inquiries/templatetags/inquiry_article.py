"""The inquiry page's article (``{% inquiry_article page %}``): heading, facts, texts, questions,
related papers, correction log, links and citation.

Printed by Django's template engine, the article around the facts and the questions (which are
Python already: ``inquiry_facts``, ``answer_layout``) cost about a sixth of the page's CPU: some
fifteen ``{% translate %}`` tags (a translation lookup through asgiref's Local each), thirty
variable lookups, a loop for the citation and an include for the correction log, on the most
requested page of the site. Here it is one pass over values escaped once, with the labels
translated once per process and language; the HTML is byte for byte what the block in
``inquiry_detail.html`` printed, as tests/test_inquiry_article.py checks against that block.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext as _

from inquiries import papers
from inquiries.selectors import pages
from inquiries.templatetags.answer_layout import questions_html
from inquiries.templatetags.inquiry_facts import facts_html
from inquiries.templatetags.portal import canonical_url

register = template.Library()

_LABELS = (
    "Drucksache", "Begründung", "Vorbemerkung der Regierung", "Fragen und Antworten",
    "Für diese Anfrage sind die einzelnen Fragen und Antworten nicht erfasst.",
    "Das Dokument finden Sie bei der Quelle (siehe unten).", "Verwandte Drucksachen", "Dokument, Zitieren, Daten",
    "Originaldokument herunterladen", "Dokument bei der Quelle", "Dieselben Daten in der API (JSON)", "Zitiervorschlag",
    "und Antwort", "Quelle der Daten:",
)


def escape(value: Any) -> str:
    # As a template prints a variable (Django's ``escape``, without its lazy-text wrapper).
    return html.escape(str(value))


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> dict[str, str]:
    """The article's fixed labels in ``language`` as ``{% translate %}`` prints them: not escaped
    (a template's literal is safe, and so is its translation: "Government's" stays as it is)."""
    return {label: _(label) for label in _LABELS}


def article_html(page: pages.InquiryPage, *, api_url: str | None, correction_log: Any, canonical: str) -> SafeString:
    """The ``<article class="inquiry">`` of an ``InquiryPage`` with the blank lines around it
    that the template's block had. ``correction_log``: ``history.correction_log`` or empty;
    ``canonical``: the page's address, as ``{% canonical_url %}`` gives it."""
    inquiry = page.inquiry
    labels = _labels(get_language())
    paper_urls = page.paper_urls
    parliament, reference, title, kind = escape(inquiry.parliament.name), escape(inquiry.reference), escape(inquiry.title), escape(page.kind_label)
    parts = [
        "\n<article class=\"inquiry\">\n  <header class=\"inquiry__header\">\n"
        f"    <p class=\"meta\">{parliament} · {labels['Drucksache']} {reference} · {kind}</p>\n"
        f"    <h1 lang=\"de\">{title}</h1>\n  </header>\n  {facts_html(page)}\n\n  "
    ]
    if inquiry.explanation:
        parts.append(
            '<section class="text-block" aria-labelledby="explanation-heading">\n'
            f"    <h2 id=\"explanation-heading\">{labels['Begründung']}</h2>\n"
            f"    <div lang=\"de\">{papers.link_references(inquiry.explanation, paper_urls or {})}</div>\n  </section>"
        )
    parts.append("\n  ")
    if inquiry.government_preface:
        parts.append(
            '<section class="text-block" aria-labelledby="preface-heading">\n'
            f"    <h2 id=\"preface-heading\">{labels['Vorbemerkung der Regierung']}</h2>\n"
            f"    <div lang=\"de\">{papers.link_references(inquiry.government_preface, paper_urls or {})}</div>\n  </section>"
        )
    parts.append(
        "\n\n  <section aria-labelledby=\"questions-heading\">\n"
        f"    <h2 id=\"questions-heading\">{labels['Fragen und Antworten']}</h2>\n    "
    )
    if page.questions:
        parts.append(questions_html(page.questions, inquiry, paper_urls))
    else:
        source = f" {labels['Das Dokument finden Sie bei der Quelle (siehe unten).']}" if inquiry.source_url else ""
        parts.append(f"\n    <p>{labels['Für diese Anfrage sind die einzelnen Fragen und Antworten nicht erfasst.']}{source}</p>\n    ")
    parts.append("\n  </section>\n\n  ")
    if page.related:
        items = "".join(
            f'<li><a href="{escape(url)}">{labels["Drucksache"]} {escape(related)}</a></li>' if url else f"<li>{labels['Drucksache']} {escape(related)}</li>"
            for related, url in page.related
        )
        parts.append(
            '<section aria-labelledby="related-heading">\n'
            f"    <h2 id=\"related-heading\">{labels['Verwandte Drucksachen']}</h2>\n"
            f"    <ul>{items}</ul>\n  </section>"
        )
    parts.append("\n\n  ")
    # The include as the template rendered it when there is a log (rare: a change after
    # publication); without one, the include prints only its file's last line break.
    parts.append(render_to_string("inquiries/includes/correction_log.html", {"correction_log": correction_log}) if correction_log else "\n")
    parts.append(
        "\n\n  <section class=\"about\" aria-labelledby=\"about-heading\">\n"
        f"    <h2 id=\"about-heading\">{labels['Dokument, Zitieren, Daten']}</h2>\n"
        "    <ul class=\"plain about__links\">\n      "
    )
    if inquiry.document:
        parts.append(f'<li><a href="{escape(inquiry.document.url)}" download>{labels["Originaldokument herunterladen"]}</a></li>')
    parts.append("\n      ")
    if inquiry.source_url:
        parts.append(f'<li><a href="{escape(inquiry.source_url)}" rel="external">{labels["Dokument bei der Quelle"]}</a></li>')
    parts.append("\n      ")
    if api_url:
        parts.append(f'<li><a href="{escape(api_url)}" type="application/json">{labels["Dieselben Daten in der API (JSON)"]}</a></li>')
    if page.askers:
        names = ", ".join(
            escape(link.person.name) + (f" ({escape(link.faction.name)})" if link.faction else "") for link in page.askers
        )
    else:
        names = ", ".join(escape(faction.name) for faction in page.factions)
    citation = names + (": " if page.askers or page.factions else "") + f"{title}. {kind}"
    if page.answering_ministry:
        citation += f" {labels['und Antwort']} ({escape(page.answering_ministry.name)})"
    citation += f". {parliament}, {labels['Drucksache']} {reference}"
    if inquiry.answered_on:
        citation += f", {escape(date_filter(inquiry.answered_on, 'd.m.Y'))}"
    parts.append(
        "\n    </ul>\n"
        f"    <h3 id=\"citation-heading\">{labels['Zitiervorschlag']}</h3>\n"
        f"    <p class=\"citation\"><span lang=\"de\">{citation}.</span> {escape(canonical)}</p>\n    "
    )
    if inquiry.source_notice:
        parts.append(f'<p class="source">{labels["Quelle der Daten:"]} <span lang="de">{escape(inquiry.source_notice)}</span></p>')
    parts.append("\n  </section>\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above, the texts by papers.link_references


@register.simple_tag(takes_context=True)
def inquiry_article(context: template.Context, page: pages.InquiryPage) -> SafeString:
    """``{% inquiry_article page %}``: the article of the inquiry page, with the context's
    ``api_url`` (the public page has it, the staff preview not) and ``correction_log``."""
    return article_html(
        page, api_url=context.get("api_url"), correction_log=context.get("correction_log"), canonical=canonical_url(context)
    )
