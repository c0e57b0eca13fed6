"""The answer on the inquiry page: its text with its tables in place of their lines."""

from __future__ import annotations

from typing import Any, Mapping

from django import template

from inquiries.answer_tables import answer_segments, table_view

register = template.Library()


@register.inclusion_tag("inquiries/includes/answer_body.html")
def answer_body(question: Any, inquiry: Any, paper_urls: Mapping[str, str]) -> dict[str, Any]:
    """``{% answer_body question inquiry paper_urls %}`` (load the questions with their ``tables``)."""
    segments = answer_segments(question.answer, question.tables.all())
    return {
        "segments": [(segment.text, table_view(segment.table, question, inquiry) if segment.table else None) for segment in segments],
        "paper_urls": paper_urls,
    }
