"""Admin of alert subscriptions: to find and delete an address on request, nothing more.

Rows are made by visitors only (double opt-in); the admin cannot add or edit
them and never shows the secret token.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inquiries.alerts.models import Subscription


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("bestätigt")
    parameter_name = "confirmed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("ja")), ("no", _("nein"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "query", "frequency", "created_at", "confirmed_at", "last_sent_at"]
    list_filter = [ConfirmedFilter, "frequency"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = ["email", "query", "frequency", "language", "created_at", "confirmed_at", "sent_until", "last_sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return False
