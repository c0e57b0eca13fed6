"""The harvest in the admin: a read-only page of runs, and the harvested items with what
needs review (the source's disagreements with the document, the parser's holes).

Publishing happens on the inquiry list, filtered to the harvested drafts ("Abgerufen aus"),
with its bulk action, which goes through ``services.workflow.publish`` and its permission.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy

from inquiries.models import HarvestItem, HarvestItemStatus, HarvestRun, HarvestSourceCode


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(HarvestRun)
class HarvestRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "source",
        "state",
        "since",
        "until",
        "started_at",
        "finished_at",
        "new_count",
        "changed_count",
        "unchanged_count",
        "withdrawn_count",
        "failed_count",
        "error_count",
    ]
    list_filter = ["source", "state"]
    date_hierarchy = "started_at"
    fields = [
        "source",
        "state",
        "since",
        "until",
        "started_at",
        "finished_at",
        "resumed_from",
        ("new_count", "changed_count", "unchanged_count", "withdrawn_count", "failed_count"),
        "error_list",
        "checkpoint",
    ]
    readonly_fields = [name for entry in fields for name in (entry if isinstance(entry, tuple) else (entry,))]

    @admin.display(description=gettext_lazy("Fehler"))
    def error_count(self, run: HarvestRun) -> int:
        return len(run.errors or [])

    @admin.display(description=gettext_lazy("Fehler"))
    def error_list(self, run: HarvestRun) -> str:
        if not run.errors:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><code>{}</code>: {}</li>", ((error.get("url") or "–", error.get("message", "")) for error in run.errors)),
        )


@admin.register(HarvestItem)
class HarvestItemAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "source", "status", "inquiry_link", "inquiry_state", "disagreement_count", "updated_at"]
    list_display_links = ["reference", "title"]
    list_filter = ["source", "status", "inquiry__state"]
    list_select_related = ["inquiry"]
    search_fields = ["reference", "title", "external_id"]
    fields = [
        "source",
        "external_id",
        "reference",
        "title",
        "status",
        "inquiry_link",
        "disagreement_list",
        "parser_holes",
        "error",
        "url",
        "version",
        "etag",
        "last_modified",
        "content_sha256",
        "listing",
        "last_run",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("Anfrage"))
    def inquiry_link(self, item: HarvestItem) -> str:
        if item.inquiry is None:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:inquiries_inquiry_change", args=[item.inquiry_id]), item.inquiry.reference)

    @admin.display(description=gettext_lazy("Status der Anfrage"), ordering="inquiry__state")
    def inquiry_state(self, item: HarvestItem) -> str:
        return item.inquiry.get_state_display() if item.inquiry else "–"

    @admin.display(description=gettext_lazy("Abweichungen"))
    def disagreement_count(self, item: HarvestItem) -> int:
        return len(item.disagreements or [])

    @admin.display(description=gettext_lazy("Abweichungen zwischen Quelle und Dokument"))
    def disagreement_list(self, item: HarvestItem) -> str:
        if not item.disagreements:
            return "–"
        rows = ((entry.get("field"), str(entry.get("source")), str(entry.get("document"))) for entry in item.disagreements)
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: Quelle {} – Dokument {}</li>", rows))

    @admin.display(description=gettext_lazy("Hinweise des Parsers"))
    def parser_holes(self, item: HarvestItem) -> str:
        document = item.inquiry.source_documents.order_by("-imported_at").first() if item.inquiry else None
        if document is None or not document.warnings:
            return "–"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((str(warning),) for warning in document.warnings)))


class HarvestedFilter(admin.SimpleListFilter):
    """The review queue: inquiries the harvester brought in, by source."""

    title = gettext_lazy("Abgerufen aus")
    parameter_name = "harvested"

    def lookups(self, request, model_admin):
        return [("any", gettext_lazy("einer Quelle")), ("review", gettext_lazy("zu prüfen (Abweichungen, bei der Quelle gelöscht)")), *HarvestSourceCode.choices]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value is None:
            return queryset
        if value == "any":
            return queryset.filter(harvest_items__isnull=False).distinct()
        if value == "review":
            # Source and document disagree, or the source deleted what was harvested from it.
            flagged = HarvestItem.objects.filter(Q(status=HarvestItemStatus.WITHDRAWN) | ~Q(disagreements=[])).values("inquiry")
            return queryset.filter(pk__in=flagged)
        return queryset.filter(harvest_items__source=value).distinct()
