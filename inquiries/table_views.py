"""The CSV download of a table in an answer (``…/frage-3/tabelle-1.csv``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from inquiries.answer_tables import public_table, table_csv
from inquiries.models import InquiryState


def answer_table_csv(request: HttpRequest, parliament: str, reference: str, number: str, position: int) -> HttpResponse:
    """404 where the inquiry page is 404 (drafts, withdrawn before publication); 410 where
    it is 410 (withdrawn after publication), without the table."""
    table = public_table(parliament, reference, number, position)
    inquiry = table.question.inquiry
    if inquiry.state == InquiryState.WITHDRAWN:
        return HttpResponse(_("Diese Anfrage wurde zurückgezogen."), status=410, content_type="text/plain; charset=utf-8")
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    name = f"{inquiry.parliament.code.lower()}-{inquiry.reference.replace('/', '-')}-frage-{number}-tabelle-{position}.csv"
    response["Content-Disposition"] = f'attachment; filename="{_ascii(name)}"'
    return response


def _ascii(name: str) -> str:
    return "".join(char if char.isascii() and (char.isalnum() or char in "-._") else "-" for char in name)
