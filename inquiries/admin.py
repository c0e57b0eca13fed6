from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from inquiries import services
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    Membership,
    MinisterialOffice,
    Ministry,
    Parliament,
    Party,
    Person,
    Question,
    SourceDocument,
    Term,
)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Parliament)
class ParliamentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "minor_deadline_days", "major_deadline_days"]
    search_fields = ["code", "name"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "parliament", "number", "start_date", "end_date"]
    list_filter = ["parliament"]
    list_select_related = ["parliament"]
    search_fields = ["parliament__name", "parliament__code"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name"]
    search_fields = ["short_name", "name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Faction)
class FactionAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "parliament", "party"]
    list_filter = ["parliament"]
    list_select_related = ["parliament", "party"]
    search_fields = ["short_name", "name"]
    autocomplete_fields = ["party"]
    prepopulated_fields = {"slug": ["short_name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["faction"]


class OfficeInline(admin.TabularInline):
    model = MinisterialOffice
    extra = 0
    autocomplete_fields = ["ministry", "person"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "title", "inquiry_count"]
    search_fields = ["last_name", "first_name"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    inlines = [MembershipInline, OfficeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_inquiry_count=Count("asker_links"))

    @admin.display(description=_("Anfragen"), ordering="_inquiry_count")
    def inquiry_count(self, person: Person) -> int:
        return person._inquiry_count


@admin.register(Ministry)
class MinistryAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "parliament", "valid_from", "valid_until", "successor"]
    list_filter = ["parliament"]
    list_select_related = ["parliament", "successor"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["successor"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeInline]


class AskerInline(admin.TabularInline):
    model = Asker
    extra = 0
    autocomplete_fields = ["person", "faction"]


class InquiryMinistryInline(admin.TabularInline):
    model = InquiryMinistry
    extra = 0
    autocomplete_fields = ["ministry"]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "number", "text", "answer"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "parliament", "kind", "answered_on", "state", "question_count"]
    list_filter = ["parliament", "term", "state", "kind"]
    list_select_related = ["parliament", "term", "answering_ministry"]
    search_fields = ["reference", "title", "askers__last_name"]
    date_hierarchy = "answered_on"
    autocomplete_fields = ["answering_ministry", "signed_by", "factions"]
    readonly_fields = ["due_on", "answer_days", "published_at", "created_at", "updated_at"]
    inlines = [AskerInline, InquiryMinistryInline, QuestionInline]
    actions = ["publish_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_question_count=Count("questions"))

    @admin.display(description=_("Fragen"), ordering="_question_count")
    def question_count(self, inquiry: Inquiry) -> int:
        return inquiry._question_count

    @admin.action(description=_("Ausgewählte Anfragen veröffentlichen"))
    def publish_selected(self, request, queryset):
        for inquiry in queryset:
            services.publish(inquiry)
        self.message_user(request, _("%(count)d Anfragen veröffentlicht.") % {"count": queryset.count()})


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "parser", "inquiry", "imported_at"]
    list_select_related = ["inquiry"]
    search_fields = ["original_name", "inquiry__reference"]
    readonly_fields = ["sha256", "imported_at"]
