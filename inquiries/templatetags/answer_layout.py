"""The questions and answers on the inquiry page: each answer's text with its tables in place
of their lines.

An inquiry has 3 to 10 questions, and printed by Django's template engine their loop cost
more than the rest of the page (four translated headings and links and four ids per
question, each a variable lookup, a filter call and a translation lookup). Here each
question is one f-string over values escaped once, with the labels translated once per
page; the HTML is byte for byte what the loop in ``inquiry_detail.html`` printed.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any, Iterable, Mapping

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext as _

from inquiries import papers
from inquiries.answer_tables import answer_segments, table_view

register = template.Library()

_SPACES = re.compile(r"\s+")


def escape(value: Any) -> str:
    # What Django's ``escape`` does, without its lazy-text wrapper (the page is marked safe whole).
    return html.escape(str(value))


def answer_html(question: Any, inquiry: Any, paper_urls: Mapping[str, str]) -> SafeString:
    """The answer of ``question`` (a ``selectors.inquiry_parts.PageQuestion``) as ``answer_body.html`` prints it.

    Most answers have no table: their text is printed as the template would print it
    (paragraphs with the papers linked), without rendering a template for each question.
    """
    segments = answer_segments(question.answer, question.tables)
    if not any(segment.table for segment in segments):
        # The template ends with a line break, which the page keeps.
        return mark_safe("".join(papers.link_references(segment.text, paper_urls or {}) for segment in segments) + "\n")
    return render_to_string(
        "inquiries/includes/answer_body.html",
        {
            "segments": [(segment.text, table_view(segment.table, question, inquiry) if segment.table else None) for segment in segments],
            "paper_urls": paper_urls,
        },
    )


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> tuple[str, str, str, str, str]:
    """The headings, link label and notes in ``language``: translated once per process and language."""
    return (
        _("Frage %(number)s"),
        _("Antwort zu %(number)s"),
        _("Link zu Frage %(number)s"),
        escape(_("Link kopiert")),
        escape(_("Zu dieser Frage ist keine Antwort erfasst.")),
    )


def questions_html(questions: Iterable[Any], inquiry: Any, paper_urls: Mapping[str, str]) -> SafeString:
    """The ``<article class="qa">`` of each question with its answer."""
    heading, answer_heading, link_label, copied, no_answer = _labels(get_language())
    parts = []
    for question in questions:
        # As the ``html_id`` filter makes it: ids may not contain spaces.
        anchor = escape(_SPACES.sub("-", question.anchor.strip()))
        number = {"number": escape(question.number)}
        badge = ""
        if question.answer_kind and question.answer_kind != "full":
            label = escape(question.get_answer_kind_display())
            if question.refusal_reason:
                label += f": {escape(question.get_refusal_reason_display())}"
            badge = f' <span class="badge badge--answer-{escape(question.answer_kind)}">{label}</span>'
        answer = answer_html(question, inquiry, paper_urls) if question.answer else f"<p>{no_answer}</p>"
        parts.append(
            f'\n    <article class="qa" id="{anchor}" aria-labelledby="{anchor}-heading">\n'
            f'      <h3 id="{anchor}-heading" class="qa__number">{heading % number}</h3>\n'
            f'      <div class="qa__question" lang="de">{papers.link_references(question.text, paper_urls or {})}</div>\n'
            f'      <h4 class="qa__answer-heading">{answer_heading % number}{badge}</h4>\n'
            f'      <div class="qa__answer" lang="de">{answer}</div>\n'
            f'      <p class="qa__link"><a class="copy-link" href="#{anchor}" data-copied="{copied}">{link_label % number}</a></p>\n'
            "    </article>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above; the texts are linked by papers.link_references


@register.simple_tag
def questions_and_answers(page: Any) -> SafeString:
    """``{% questions_and_answers page %}``: the questions of an ``InquiryPage`` with their answers."""
    return questions_html(page.questions, page.inquiry, page.paper_urls)
