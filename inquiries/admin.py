"""The editors' admin: drafts, corrections, publishing and the reference data.

Who may do what is decided by the roles in ``inquiries/roles.py`` (Django groups and
permissions); state changes go only through ``services.workflow.publish`` and ``services.workflow.withdraw``,
each behind a confirmation page. Every change is kept in the history (django-simple-history).
"""

from __future__ import annotations

from typing import Any, Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from inquiries import validation
from inquiries.admin_tables import tables_overview  # also registers the answer tables' admin page
from inquiries.harvest.admin import HarvestedFilter  # also registers the harvest's admin pages
from inquiries.importers.base import DocumentError, parsers
from inquiries.selectors import history, pages, statistics
from inquiries.services import changes, documents, editing, workflow
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    InquiryState,
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
from inquiries.choices import DeadlineStatus


admin.site.site_header = gettext_lazy("Anfragen-Portal – Redaktion")
admin.site.site_title = gettext_lazy("Anfragen-Portal – Redaktion")



# How the record's fields are called on the form, for the list of what the parser left empty.
_FIELD_LABELS = {
    "title": gettext_lazy("Titel"),
    "kind": gettext_lazy("Art"),
    "asked_on": gettext_lazy("Datum der Frage"),
    "answered_on": gettext_lazy("Datum der Antwort"),
    "askers": gettext_lazy("Fragesteller"),
    "answering_ministry": gettext_lazy("antwortendes Ministerium"),
    "questions": gettext_lazy("Fragen"),
}


def hole_label(path: str, record: dict) -> str:
    """"questions[4].answer" → "Frage 5: Antwort" (the number as printed); "answered_on" → "Datum der Antwort"."""
    import re

    match = re.fullmatch(r"questions\[(?P<index>[^\]]+)\]\.(?P<part>text|answer)", path)
    if match:
        index = match.group("index")
        questions = record.get("questions") or []
        number = questions[int(index)]["number"] if index.isdigit() and int(index) < len(questions) else index
        part = _("Antwort") if match.group("part") == "answer" else _("Fragetext")
        return _("Frage %(number)s: %(part)s") % {"number": number, "part": part}
    return str(_FIELD_LABELS.get(path, path))

class HistoryAdmin(SimpleHistoryAdmin):
    """Admin with the change history shown, never reverted from.

    Reverting would write an old version past the form checks and the publishing workflow
    (and django-simple-history's form view would let a viewer save it), so that view only reads.
    """

    # Addresses typed without a scheme are meant as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # Counts shown in the list, e.g. {"_inquiry_count": Count("inquiries")}.
    counts: dict[str, Any] = {}

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.counts:
            return queryset
        # A grouped query drops the model's default ordering; the autocomplete pages need one.
        return queryset.annotate(**self.counts).order_by(*self.model._meta.ordering, "pk")


# --- parliaments, terms, parties, factions ------------------------------------------------


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Parliament)
class ParliamentAdmin(HistoryAdmin):
    list_display = ["code", "name", "minor_deadline_days", "major_deadline_days", "written_deadline_days", "inquiry_count"]
    search_fields = ["code", "name"]
    inlines = [TermInline]

    counts = {"_inquiry_count": Count("inquiries")}

    @admin.display(description=gettext_lazy("Anfragen"), ordering="_inquiry_count")
    def inquiry_count(self, parliament: Parliament) -> int:
        return parliament._inquiry_count


@admin.register(Term)
class TermAdmin(HistoryAdmin):
    list_display = ["__str__", "parliament", "number", "start_date", "end_date", "inquiry_count"]
    list_filter = ["parliament"]
    list_select_related = ["parliament"]
    search_fields = ["parliament__name", "parliament__code", "=number"]
    ordering = ["parliament__name", "-number"]

    counts = {"_inquiry_count": Count("inquiries")}

    @admin.display(description=gettext_lazy("Anfragen"), ordering="_inquiry_count")
    def inquiry_count(self, term: Term) -> int:
        return term._inquiry_count


@admin.register(Party)
class PartyAdmin(HistoryAdmin):
    list_display = ["short_name", "name", "faction_count"]
    search_fields = ["short_name", "name"]
    prepopulated_fields = {"slug": ["short_name"]}

    counts = {"_faction_count": Count("factions")}

    @admin.display(description=gettext_lazy("Fraktionen"), ordering="_faction_count")
    def faction_count(self, party: Party) -> int:
        return party._faction_count


@admin.register(Faction)
class FactionAdmin(HistoryAdmin):
    list_display = ["short_name", "name", "parliament", "party", "member_count"]
    list_filter = ["parliament", "party"]
    list_select_related = ["parliament", "party"]
    search_fields = ["short_name", "name", "parliament__code"]
    autocomplete_fields = ["party"]
    prepopulated_fields = {"slug": ["short_name"]}

    counts = {"_member_count": Count("memberships__person", distinct=True)}

    @admin.display(description=gettext_lazy("Mitglieder"), ordering="_member_count")
    def member_count(self, faction: Faction) -> int:
        return faction._member_count


# --- people and ministries ----------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["faction"]
    fields = ["faction", "start_date", "end_date", "constituency"]


class PersonOfficeInline(admin.TabularInline):
    model = MinisterialOffice
    extra = 0
    autocomplete_fields = ["ministry"]
    fields = ["ministry", "role", "start_date", "end_date"]


class MinistryOfficeInline(PersonOfficeInline):
    autocomplete_fields = ["person"]
    fields = ["person", "role", "start_date", "end_date"]


class PublicRoleFilter(admin.SimpleListFilter):
    """Whether the public sees the person (``Person.objects.public()``, the rule of the site and the API)."""

    title = gettext_lazy("öffentlich sichtbar")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("ja")), ("no", gettext_lazy("nein (ohne öffentliche Rolle)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.public()
        if self.value() == "no":
            return queryset.exclude(pk__in=Person.objects.public().values("pk"))
        return queryset


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["last_name", "first_name", "title", "inquiry_count"]
    list_filter = [PublicRoleFilter]
    search_fields = ["last_name", "first_name", "slug"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    inlines = [MembershipInline, PersonOfficeInline]

    counts = {"_inquiry_count": Count("asker_links")}

    @admin.display(description=gettext_lazy("Anfragen"), ordering="_inquiry_count")
    def inquiry_count(self, person: Person) -> int:
        return person._inquiry_count


@admin.register(Ministry)
class MinistryAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "parliament", "valid_from", "valid_until", "successor", "inquiry_count"]
    list_filter = ["parliament"]
    list_select_related = ["parliament", "successor"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["successor"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["name_history_display"]
    inlines = [MinistryOfficeInline]

    counts = {"_inquiry_count": Count("answered_inquiries")}

    @admin.display(description=gettext_lazy("Anfragen"), ordering="_inquiry_count")
    def inquiry_count(self, ministry: Ministry) -> int:
        return ministry._inquiry_count

    @admin.display(description=gettext_lazy("Namensgeschichte"))
    def name_history_display(self, ministry: Ministry) -> str:
        if ministry.pk is None:
            return "–"
        return format_html(
            '<ol class="name-history">{}</ol>',
            format_html_join(
                "",
                "<li>{} ({} – {})</li>",
                (
                    (name.name, name.valid_from or "?", name.valid_until or _("heute"))
                    for name in ministry.name_history()
                ),
            ),
        )


# --- inquiries ----------------------------------------------------------------------------


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("Frist")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return DeadlineStatus.choices

    def queryset(self, request, queryset):
        verbs = {
            DeadlineStatus.ANSWERED: queryset.answered,
            DeadlineStatus.OPEN: queryset.open,
            DeadlineStatus.OVERDUE: queryset.overdue,
        }
        verb = verbs.get(self.value())
        return verb() if verb else queryset


class DatedOutsideTermFilter(admin.SimpleListFilter):
    """A data problem: the inquiry is dated (asked, else answered) outside its term's dates."""

    title = gettext_lazy("Datum außerhalb der Wahlperiode")
    parameter_name = "dated_outside_term"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("ja (Datenfehler)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=statistics.inquiries_dated_outside_term().values("pk"))
        return queryset


class FactionFilter(admin.SimpleListFilter):
    """Inquiries asked by a faction (as a group or through an asker's faction)."""

    title = gettext_lazy("Fraktion")
    parameter_name = "faction"

    def lookups(self, request, model_admin):
        factions = Faction.objects.select_related("parliament").order_by("parliament__code", "short_name")
        return [(faction.pk, str(faction)) for faction in factions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            faction_id = int(self.value())
        except ValueError:
            raise IncorrectLookupParameters(f"faction={self.value()!r}") from None
        return queryset.by_faction(faction_id)


class AskerInline(admin.TabularInline):
    model = Asker
    extra = 0
    autocomplete_fields = ["person", "faction"]
    fields = ["person", "faction", "position"]


class InquiryMinistryInline(admin.TabularInline):
    model = InquiryMinistry
    extra = 0
    autocomplete_fields = ["ministry"]
    fields = ["ministry", "role", "position"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["position", "number", "text", "answer"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = _("leer lassen: ans Ende")

    def _get_validation_exclusions(self):
        # Numbers and positions are checked for the whole list in QuestionFormSet.clean();
        # checked row by row against the database, a renumbering could never be saved.
        return super()._get_validation_exclusions() | {"number", "position"}


class QuestionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        rows = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        positions = [form.cleaned_data.get("position") for form in rows if form.cleaned_data.get("position") is not None]
        doubled = sorted({position for position in positions if positions.count(position) > 1})
        if doubled:
            raise ValidationError(
                _("Die Reihenfolge %(positions)s ist mehrfach vergeben.") % {"positions": ", ".join(map(str, doubled))}
            )
        following = max(positions, default=0)
        for form in rows:
            if form.cleaned_data.get("position") is None:
                following += 1
                form.cleaned_data["position"] = form.instance.position = following
        ordered = sorted(rows, key=lambda form: form.cleaned_data["position"])
        problems = validation.question_number_problems(form.cleaned_data.get("number", "") for form in ordered)
        if problems:
            raise ValidationError(problems)


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    ordering = ["position"]
    readonly_fields = [tables_overview]


class InquiryAdminForm(forms.ModelForm):
    correction_note = forms.CharField(
        label=gettext_lazy("Öffentlicher Korrekturhinweis"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Optional. Erscheint im öffentlichen Korrekturprotokoll neben den automatisch erkannten Änderungen, "
            "z. B. „Antwort nach Hinweis des Ministeriums vervollständigt“. Namen der Redaktion werden nie gezeigt."
        ),
    )

    class Meta:
        model = Inquiry
        fields = ["title"]  # the admin takes the fields from its fieldsets


ConfirmedAction = Callable[[Inquiry], Any]


class DocumentUploadForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Antwortdokument"),
        help_text=gettext_lazy("Text (.txt) oder PDF der Antwort; das Ergebnis ist ein Entwurf zur Prüfung."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Layout"),
        required=False,
        help_text=gettext_lazy("Leer lassen, um das Layout am Text zu erkennen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", gettext_lazy("automatisch erkennen"))] + [
            (name, name) for name in sorted(parsers())
        ]


@admin.register(Inquiry)
class InquiryAdmin(HistoryAdmin):
    form = InquiryAdminForm
    list_display = [
        "reference",
        "title",
        "term",
        "kind",
        "state",
        "answered_on",
        "answering_ministry",
        "question_count",
        "answered_count",
    ]
    list_display_links = ["reference", "title"]
    list_filter = [
        "state",
        "kind",
        "parliament",
        "term",
        ("answering_ministry", admin.RelatedOnlyFieldListFilter),
        FactionFilter,
        DeadlineFilter,
        HarvestedFilter,
        DatedOutsideTermFilter,
    ]
    list_select_related = ["parliament", "term", "term__parliament", "answering_ministry"]
    search_fields = ["reference", "title", "asker_links__person__last_name", "asker_links__person__first_name"]
    search_help_text = gettext_lazy("Drucksache, Titel oder Name eines Fragestellers")
    date_hierarchy = "answered_on"
    autocomplete_fields = ["answering_ministry", "signed_by", "factions"]
    readonly_fields = [
        "state",
        "published_at",
        "withdrawn_reason",
        "due_on",
        "answer_days",
        "created_at",
        "updated_at",
        "parser_warnings",
        "parser_holes",
    ]
    inlines = [AskerInline, InquiryMinistryInline, QuestionInline]
    actions = ["publish_selected", "withdraw_selected"]
    change_list_template = "admin/inquiries/inquiry/change_list.html"
    change_form_template = "admin/inquiries/inquiry/change_form.html"
    object_history_template = "admin/inquiries/inquiry/object_history.html"
    confirmation_template = "admin/inquiries/inquiry/transition_confirmation.html"
    preview_template = "admin/inquiries/inquiry/preview.html"

    fieldsets = [
        (None, {"fields": ["parliament", "term", "reference", "kind", "title"]}),
        (gettext_lazy("Daten"), {"fields": ["asked_on", "answered_on", "due_on", "answer_days"]}),
        (
            gettext_lazy("Fragesteller und Regierung"),
            {"fields": ["factions", "answering_ministry", "signed_by", "signed_by_role"]},
        ),
        (gettext_lazy("Texte"), {"fields": ["explanation", "government_preface", "full_text"]}),
        (
            gettext_lazy("Quelle"),
            {"fields": ["document", "source_url", "source_notice", "related_references", "topics", "parser_holes", "parser_warnings"]},
        ),
        (
            gettext_lazy("Status"),
            {"fields": ["state", "published_at", "withdrawn_reason", "created_at", "updated_at"]},
        ),
    ]
    correction_fieldset = (gettext_lazy("Korrektur"), {"fields": ["correction_note"]})

    # --- lists ----------------------------------------------------------------------------

    counts = {
        "_question_count": Count("questions", distinct=True),
        "_answered_count": Count("questions", filter=~Q(questions__answer=""), distinct=True),
    }

    @admin.display(description=gettext_lazy("Fragen"), ordering="_question_count")
    def question_count(self, inquiry: Inquiry) -> int:
        return inquiry._question_count

    @admin.display(description=gettext_lazy("beantwortet"), ordering="_answered_count")
    def answered_count(self, inquiry: Inquiry) -> int:
        return inquiry._answered_count

    def document_upload_url(self, request: HttpRequest) -> str | None:
        """Address of the document upload, shown as a button above the list to those who may import."""
        if not self.has_import_permission(request):
            return None
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_upload", current_app=self.admin_site.name)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "document_upload_url": self.document_upload_url(request)}
        return super().changelist_view(request, extra_context)

    # --- the form -------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.state != InquiryState.DRAFT and self.has_change_permission(request, obj):
            fieldsets.append(self.correction_fieldset)
        return fieldsets

    def view_on_site(self, inquiry: Inquiry) -> str | None:
        # Only published inquiries have a public page; drafts have the preview instead.
        return inquiry.get_absolute_url() if inquiry.is_public else None

    @admin.display(description=gettext_lazy("Hinweise des Parsers"))
    def parser_warnings(self, inquiry: Inquiry) -> str:
        document = inquiry.source_documents.order_by("-imported_at").first() if inquiry.pk else None
        if document is None or not document.warnings:
            return "–"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((str(warning),) for warning in document.warnings)))

    @admin.display(description=gettext_lazy("Nicht gelesen (bitte prüfen)"))
    def parser_holes(self, inquiry: Inquiry) -> str:
        """The fields the importer left empty rather than guess, from the newest kept original."""
        document = inquiry.source_documents.order_by("-imported_at").first() if inquiry.pk else None
        record = ((document.parsed or {}).get("record") or {}) if document else {}
        extraction = record.get("extraction")
        if not extraction:
            return "–"
        if extraction.get("complete"):
            return _("Alles gelesen (Parser %(parser)s, Version %(version)s).") % extraction
        labels = [hole_label(hole, record) for hole in extraction.get("abstained") or []]
        return format_html(
            '<p>{}</p><ul class="parser-holes">{}</ul>',
            _("Der Parser %(parser)s (Version %(version)s) hat diese Angaben nicht lesen können und leer gelassen:") % extraction,
            format_html_join("", "<li>{}</li>", ((label,) for label in labels)),
        )

    def save_model(self, request, obj, form, change):
        if change:
            editing.ensure_history_baseline(obj)
        note = form.cleaned_data.get("correction_note", "").strip()
        if note:
            # The change reason is the public note of the correction log.
            obj._change_reason = note
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Question:
            editing.free_question_slots(
                [
                    question_form.instance.pk
                    for question_form in formset.initial_forms
                    if question_form.instance.pk and (question_form in formset.deleted_forms or question_form.has_changed())
                ]
            )
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes.inquiries_changed([form.instance.pk])

    def delete_model(self, request, obj):
        inquiry_id = obj.pk
        super().delete_model(request, obj)
        changes.inquiries_changed([inquiry_id])

    def delete_queryset(self, request, queryset):
        inquiry_ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        changes.inquiries_changed(inquiry_ids)

    # --- permissions ----------------------------------------------------------------------

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inquiries.publish_inquiry")

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inquiries.withdraw_inquiry")

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inquiries.import_document") and request.user.has_perm("inquiries.add_inquiry")

    # --- extra views: preview, publish, withdraw ----------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="%s_%s_upload" % info),
            path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view), name="%s_%s_preview" % info),
            path("<path:object_id>/publish/", self.admin_site.admin_view(self.publish_view), name="%s_%s_publish" % info),
            path("<path:object_id>/withdraw/", self.admin_site.admin_view(self.withdraw_view), name="%s_%s_withdraw" % info),
        ]
        return own + super().get_urls()

    def _url(self, name: str, inquiry: Inquiry) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[inquiry.pk], current_app=self.admin_site.name)

    def _get_inquiry(self, request: HttpRequest, object_id: str) -> Inquiry:
        if not self.has_view_permission(request):
            raise PermissionDenied
        inquiry = self.get_object(request, unquote(object_id))
        if inquiry is None:
            raise Http404(_("Diese Anfrage gibt es nicht."))
        if not self.has_view_permission(request, inquiry):
            raise PermissionDenied
        return inquiry

    def change_view(self, request, object_id, form_url="", extra_context=None):
        inquiry = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if inquiry is not None:
            extra_context["preview_url"] = self._url("preview", inquiry)
            if self.has_publish_permission(request) and workflow.can_transition(inquiry, InquiryState.PUBLISHED):
                extra_context["publish_url"] = self._url("publish", inquiry)
            if self.has_withdraw_permission(request) and workflow.can_transition(inquiry, InquiryState.WITHDRAWN):
                extra_context["withdraw_url"] = self._url("withdraw", inquiry)
        return super().change_view(request, object_id, form_url, extra_context)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Upload an answer document: the importer makes a draft, which opens for review."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = DocumentUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["document"]
            try:
                result = documents.import_document(upload.name, upload.read(), format=form.cleaned_data["format"] or None)
            except DocumentError as error:
                form.add_error("document", str(error))
            else:
                inquiry = result.inquiry
                verb = _("angelegt") if result.created else _("aktualisiert")
                self.message_user(
                    request,
                    _("%(reference)s wurde aus %(name)s %(verb)s (Parser: %(parser)s). Bitte prüfen.")
                    % {"reference": inquiry.reference, "name": upload.name, "verb": verb, "parser": result.parser},
                    messages.SUCCESS,
                )
                holes = (result.record.get("extraction") or {}).get("abstained") or []
                if holes:
                    self.message_user(
                        request,
                        _("Nicht gelesen, bitte ergänzen: %(holes)s")
                        % {"holes": "; ".join(hole_label(hole, result.record) for hole in holes)},
                        messages.WARNING,
                    )
                for warning in result.warnings:
                    self.message_user(request, _("Nicht erkannt: %(warning)s") % {"warning": warning}, messages.WARNING)
                return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[inquiry.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Dokument hochladen"),
            "form": form,
        }
        return TemplateResponse(request, "admin/inquiries/inquiry/upload.html", context, status=400 if form.errors else 200)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The inquiry as the public page would show it, in any state (for staff with view permission)."""
        inquiry = self._get_inquiry(request, object_id)
        page = pages.inquiry_for_preview(inquiry.pk)
        inquiry = page.inquiry
        context = {
            "inquiry": inquiry,
            "page": page,
            "correction_log": history.correction_log(inquiry),
            "preview": True,
            "change_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[inquiry.pk]),
        }
        response = TemplateResponse(request, self.preview_template, context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        inquiry = self._get_inquiry(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return self._confirm_transition(request, Inquiry.objects.filter(pk=inquiry.pk), "publish", single=inquiry)

    def withdraw_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        inquiry = self._get_inquiry(request, object_id)
        if not self.has_withdraw_permission(request):
            raise PermissionDenied
        return self._confirm_transition(request, Inquiry.objects.filter(pk=inquiry.pk), "withdraw", single=inquiry)

    # --- actions ------------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Ausgewählte Anfragen veröffentlichen …"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self._confirm_transition(request, queryset, "publish")

    @admin.action(description=gettext_lazy("Ausgewählte Anfragen zurückziehen …"), permissions=["withdraw"])
    def withdraw_selected(self, request, queryset):
        return self._confirm_transition(request, queryset, "withdraw")

    def _confirm_transition(
        self, request: HttpRequest, queryset: QuerySet, kind: str, single: Inquiry | None = None
    ) -> HttpResponse | None:
        """Show what will happen; on the confirmed POST, change the state of each inquiry through the services."""
        withdrawing = kind == "withdraw"
        target = InquiryState.WITHDRAWN if withdrawing else InquiryState.PUBLISHED
        reason_form = WithdrawForm(request.POST if "confirm" in request.POST else None) if withdrawing else None
        if request.method == "POST" and request.POST.get("confirm") == "yes" and (reason_form is None or reason_form.is_valid()):
            if withdrawing:
                reason = reason_form.cleaned_data["reason"]
                self._apply(request, queryset, lambda inquiry: workflow.withdraw(inquiry, reason=reason), kind)
            else:
                self._apply(request, queryset, workflow.publish, kind)
            if single is not None:
                return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[single.pk]))
            return None  # back to the list, with the messages

        inquiries = list(queryset.select_related("parliament", "term").order_by("reference_number")[:500])
        rows = []
        for inquiry in inquiries:
            if not workflow.can_transition(inquiry, target):
                rows.append((inquiry, [_("Status „%(state)s“: wird übersprungen.") % {"state": inquiry.get_state_display()}]))
            elif target == InquiryState.PUBLISHED:
                rows.append((inquiry, workflow.publication_problems(inquiry)))
            else:
                rows.append((inquiry, []))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Anfragen zurückziehen") if withdrawing else _("Anfragen veröffentlichen"),
            "opts": self.opts,
            "kind": kind,
            "rows": rows,
            "total": queryset.count(),
            "ready": sum(1 for _inquiry, problems in rows if not problems),
            "reason_form": reason_form or (WithdrawForm() if withdrawing else None),
            "single": single,
            "action_name": f"{kind}_selected",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected_ids": [] if single else [str(pk) for pk in queryset.values_list("pk", flat=True)],
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, self.confirmation_template, context)

    def _apply(self, request: HttpRequest, queryset: QuerySet, change: ConfirmedAction, kind: str) -> None:
        done = 0
        for inquiry in queryset.select_related("parliament", "term"):
            try:
                change(inquiry)
            except workflow.TransitionError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                done += 1
        if done:
            message = (
                _("%(count)d Anfrage(n) zurückgezogen.") if kind == "withdraw" else _("%(count)d Anfrage(n) veröffentlicht.")
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    # --- history --------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            inquiry_id = int(unquote(object_id))
        except ValueError:
            raise Http404(_("Diese Anfrage gibt es nicht.")) from None
        extra_context = {**(extra_context or {}), "part_changes": history.inquiry_part_history(inquiry_id)}
        return super().history_view(request, object_id, extra_context)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Grund der Zurückziehung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Wird öffentlich an Stelle der Anfrage angezeigt."),
        error_messages={"required": gettext_lazy("Bitte einen Grund für die Zurückziehung angeben.")},
    )


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "parser", "inquiry", "imported_at"]
    list_select_related = ["inquiry"]
    search_fields = ["original_name", "inquiry__reference"]
    autocomplete_fields = ["inquiry"]
    readonly_fields = ["sha256", "imported_at"]
