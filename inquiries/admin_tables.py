"""Answer tables in the admin: listed under each question of an inquiry, corrected on their own page.

Django's inlines do not nest, so a question shows its tables as links (with their size);
the table's page edits caption, header and rows as JSON and shows the table as the
public page does.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inquiries.models import AnswerTable, Question


@admin.display(description=_("Tabellen"))
def tables_overview(question: Question) -> str:
    if not question.pk:
        return "–"
    tables = list(question.tables.all())
    if not tables:
        return _("keine")
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (
                reverse("admin:inquiries_answertable_change", args=[table.pk]),
                ngettext("Tabelle %(position)s (%(rows)s Zeile)", "Tabelle %(position)s (%(rows)s Zeilen)", len(table.rows))
                % {"position": table.position, "rows": len(table.rows)},
            )
            for table in tables
        ),
    )


@admin.register(AnswerTable)
class AnswerTableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "inquiry_reference", "caption"]
    list_select_related = ["question__inquiry"]
    search_fields = ["question__inquiry__reference", "caption"]
    raw_id_fields = ["question"]
    fields = ["question", "position", "caption", "header", "rows", "span_start", "span_end", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("Drucksache"), ordering="question__inquiry__reference")
    def inquiry_reference(self, table: AnswerTable) -> str:
        return table.question.inquiry.reference

    @admin.display(description=_("Vorschau"))
    def preview(self, table: AnswerTable) -> str:
        if not table.pk:
            return "–"
        head = format_html_join("", "<tr>{}</tr>", ((format_html_join("", "<th>{}</th>", ((cell,) for cell in row)),) for row in table.header))
        body = format_html_join("", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in table.rows))
        return format_html("<table><thead>{}</thead><tbody>{}</tbody></table>", head, body)
