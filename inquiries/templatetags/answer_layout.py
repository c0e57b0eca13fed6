"""The answer on the inquiry page: its text with its tables in place of their lines."""

from __future__ import annotations

from typing import Any, Mapping

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from inquiries import papers
from inquiries.answer_tables import answer_segments, table_view

register = template.Library()


@register.simple_tag
def answer_body(question: Any, inquiry: Any, paper_urls: Mapping[str, str]) -> SafeString:
    """``{% answer_body question inquiry paper_urls %}`` (load the questions with their ``tables``).

    Most answers have no table: their text is printed as ``answer_body.html`` would print it
    (paragraphs with the papers linked), without rendering a template for each question.
    """
    segments = answer_segments(question.answer, question.tables.all())
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
