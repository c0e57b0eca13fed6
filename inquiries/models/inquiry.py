from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inquiries import validation
from inquiries.answer_kinds import classify as classify_answer
from inquiries.choices import AnswerKind, DeadlineStatus, InquiryKind, InquiryState, MinistryRole, RefusalReason
from inquiries.deadlines import deadline
from inquiries.querysets import InquiryQuerySet


def document_upload_to(instance: "Inquiry | SourceDocument", filename: str) -> str:
    return f"documents/{datetime.date.today():%Y/%m}/{filename}"


class Inquiry(models.Model):
    """A parliamentary inquiry and the government's answer, printed as one paper."""

    # These two and ``answering_ministry`` have no index of their own: the unique (parliament,
    # reference) and the indexes (term, reference_number) and (answering_ministry, answer_days)
    # lead with them, and an import wrote each single one for every inquiry.
    parliament = models.ForeignKey(
        "inquiries.Parliament", on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("Parlament"), db_index=False
    )
    term = models.ForeignKey(
        "inquiries.Term", on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("Wahlperiode"), db_index=False
    )
    reference = models.CharField(_("Drucksache"), max_length=12, help_text=_("wie gedruckt, z. B. 17/6206"))
    # Numeric part of the reference, so that papers sort 17/999 before 17/6206.
    reference_number = models.PositiveIntegerField(_("Drucksachen-Nummer"), editable=False, default=0)
    kind = models.CharField(_("Art"), max_length=10, choices=InquiryKind.choices, default=InquiryKind.MINOR)
    title = models.CharField(_("Titel"), max_length=1000)
    asked_on = models.DateField(_("gestellt am"), null=True, blank=True, help_text=_("Absendedatum des Landtags; ab hier läuft die Frist"))
    answered_on = models.DateField(_("beantwortet am"), null=True, blank=True)
    # Kept in step by ``refresh_deadline`` because lists filter and sort by them.
    due_on = models.DateField(_("Frist"), null=True, blank=True, editable=False)
    answer_days = models.PositiveIntegerField(_("Antwortzeit (Tage)"), null=True, blank=True, editable=False)

    askers = models.ManyToManyField(
        "inquiries.Person", through="inquiries.Asker", related_name="inquiries", verbose_name=_("Fragesteller")
    )
    factions = models.ManyToManyField(
        "inquiries.Faction", related_name="inquiries", blank=True, verbose_name=_("anfragende Fraktionen")
    )
    answering_ministry = models.ForeignKey(
        "inquiries.Ministry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_inquiries",
        verbose_name=_("antwortendes Ministerium"),
        db_index=False,
    )
    involved_ministries = models.ManyToManyField(
        "inquiries.Ministry",
        through="inquiries.InquiryMinistry",
        related_name="involved_inquiries",
        blank=True,
        verbose_name=_("beteiligte Ministerien"),
    )
    signed_by = models.ForeignKey(
        "inquiries.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_inquiries",
        verbose_name=_("unterzeichnet von"),
    )
    signed_by_role = models.CharField(_("Amtsbezeichnung des Unterzeichners"), max_length=250, blank=True)

    explanation = models.TextField(_("Begründung"), blank=True)
    government_preface = models.TextField(_("Vorbemerkung der Landesregierung"), blank=True)
    full_text = models.TextField(_("Volltext"), blank=True)
    document = models.FileField(_("Originaldokument"), upload_to=document_upload_to, blank=True)
    source_url = models.URLField(_("Quelle"), max_length=500, blank=True)
    # Attribution that must accompany the data wherever it is shown or exported
    # (e.g. the ODbL notice of the kleineanfragen.de archive).
    source_notice = models.CharField(_("Quellenhinweis"), max_length=250, blank=True)
    related_references = models.JSONField(_("verwandte Drucksachen"), default=list, blank=True)
    topics = models.JSONField(_("Themen"), default=list, blank=True)

    state = models.CharField(_("Status"), max_length=10, choices=InquiryState.choices, default=InquiryState.DRAFT)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("Grund der Zurückziehung"), blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = InquiryQuerySet.as_manager()
    # Every change, for the admin and for the public correction log (selectors.history.correction_log).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-answered_on", "-reference_number"]
        verbose_name = _("Anfrage")
        verbose_name_plural = _("Anfragen")
        # The editorial roles (see inquiries/roles.py); state changes go through services.workflow.publish/withdraw.
        permissions = [
            ("publish_inquiry", _("Anfragen veröffentlichen")),
            ("withdraw_inquiry", _("Anfragen zurückziehen")),
            ("import_document", _("Dokumente importieren")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["parliament", "reference"], name="inquiry_unique_reference_per_parliament"),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(asked_on__isnull=True) | Q(answered_on__gte=models.F("asked_on")),
                name="inquiry_answered_not_before_asked",
            ),
            models.CheckConstraint(
                condition=~Q(state=InquiryState.PUBLISHED) | Q(published_at__isnull=False),
                name="inquiry_published_has_published_at",
            ),
            models.CheckConstraint(condition=Q(state__in=InquiryState.values), name="inquiry_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=InquiryKind.values), name="inquiry_kind_valid"),
        ]
        indexes = [
            # The public list's and the feeds' orders have indexes of their own, made per
            # database in migration 0012 (SQLite refuses NULLS LAST in an index).
            # Overdue and open lists: unanswered inquiries by due date.
            models.Index(fields=["state", "due_on"], name="inquiry_state_due_idx"),
            # Sorting by answer time and the per-ministry statistics.
            models.Index(fields=["answering_ministry", "answer_days"], name="inquiry_ministry_days_idx"),
            # A ministry's answer figures (answered, with a deadline, in time, days taken) and its
            # overdue inquiries, read from the index alone: a ministry of 70,000 answered inquiries
            # read each row of the table (SQLite, 1,000,000 inquiries: ~4 s a figure).
            models.Index(
                fields=["answering_ministry", "state", "answered_on", "due_on", "answer_days"], name="inquiry_ministry_answers_idx"
            ),
            # Incremental sync (modified_since) in the API and feeds.
            models.Index(fields=["updated_at"], name="inquiry_updated_idx"),
            # The API's sync list per kind of row in order of change: the published ones, and the
            # few withdrawn ones without walking every change (a merged page of a window of
            # 1,000,000 changes waited 0.8 s on SQLite for the withdrawn ones' first row).
            models.Index(fields=["state", "updated_at"], name="inquiry_state_updated_idx"),
            # Parliament + term filter with reference order.
            models.Index(fields=["term", "reference_number"], name="inquiry_term_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        """Editors' checks with messages per field (imports check the same in services)."""
        errors: dict[str, list[str]] = {}
        term = self.term if self.term_id else None
        if self.reference:
            self.reference = self.reference.strip()
            problems = validation.reference_problems(self.reference, term.number if term else None)
            if problems:
                errors["reference"] = problems
        if term is not None and self.parliament_id and term.parliament_id != self.parliament_id:
            errors["term"] = [_("Die Wahlperiode %(term)s gehört zu einem anderen Parlament.") % {"term": term}]
        problems = validation.date_problems(self.asked_on, self.answered_on)
        if problems:
            errors["answered_on"] = problems
        if self.answering_ministry_id and self.parliament_id and self.answering_ministry.parliament_id != self.parliament_id:
            errors["answering_ministry"] = [_("Das Ministerium gehört zu einem anderen Parlament als die Anfrage.")]
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        number = self.reference.replace("/", "-")
        return reverse("inquiries:inquiry-detail", kwargs={"parliament": self.parliament.code.lower(), "reference": number})

    @property
    def deadline_days(self) -> int | None:
        return self.parliament.deadline_days(self.kind)

    def refresh_deadline(self) -> None:
        """Recompute the stored due date and answer time from dates and the parliament's rule."""
        self.reference_number, self.due_on, self.answer_days = deadline(self.reference, self.asked_on, self.answered_on, self.deadline_days)

    def save(self, *args, **kwargs) -> None:
        self.refresh_deadline()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "reference_number", "due_on", "answer_days"}
        super().save(*args, **kwargs)

    def deadline_status(self, on: datetime.date | None = None) -> DeadlineStatus:
        """Answered, open or overdue on the given day (today by default)."""
        on = on or datetime.date.today()
        if self.answered_on and self.answered_on <= on:
            return DeadlineStatus.ANSWERED
        if self.due_on and on > self.due_on:
            return DeadlineStatus.OVERDUE
        return DeadlineStatus.OPEN

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_on is None or self.due_on is None:
            return None
        return self.answered_on <= self.due_on

    @property
    def is_public(self) -> bool:
        return self.state == InquiryState.PUBLISHED


class Asker(models.Model):
    """One person who asked, with the faction they asked for."""

    # No index of their own: the unique (inquiry, person) and the index (person, inquiry) lead with them.
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="asker_links", verbose_name=_("Anfrage"), db_index=False)
    person = models.ForeignKey(
        "inquiries.Person", on_delete=models.PROTECT, related_name="asker_links", verbose_name=_("Person"), db_index=False
    )
    # Indexed by ``asker_faction_person_idx``, which leads with it.
    faction = models.ForeignKey(
        "inquiries.Faction", on_delete=models.PROTECT, null=True, blank=True, related_name="asker_links", verbose_name=_("Fraktion"),
        db_index=False,
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inquiry", "position"]
        verbose_name = _("Fragesteller(in)")
        verbose_name_plural = _("Fragesteller")
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "person"], name="asker_unique_person_per_inquiry"),
        ]
        indexes = [
            # A person's inquiries (person page, person filter).
            models.Index(fields=["person", "inquiry"], name="asker_person_inquiry_idx"),
            # A group's members and their inquiries for it (the group's page), from the index alone.
            models.Index(fields=["faction", "person", "inquiry"], name="asker_faction_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.faction.short_name if self.faction else '–'})"

    def clean(self) -> None:
        # In the admin the inquiry is the one being edited, with the asked date as entered.
        inquiry = getattr(self, "inquiry", None)
        if inquiry is None or not self.person_id:
            return
        problem = validation.asker_faction_problem(self.person, self.faction, inquiry.parliament_id, inquiry.asked_on)
        if problem:
            raise ValidationError({"faction": problem})


class InquiryMinistry(models.Model):
    """A ministry consulted on ("im Einvernehmen mit") or copied on ("nachrichtlich") an answer."""

    # (Indexed by the unique (inquiry, ministry, role), which leads with it.)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="ministry_links", verbose_name=_("Anfrage"), db_index=False)
    ministry = models.ForeignKey("inquiries.Ministry", on_delete=models.PROTECT, related_name="inquiry_links", verbose_name=_("Ministerium"))
    role = models.CharField(_("Rolle"), max_length=10, choices=MinistryRole.choices)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inquiry", "role", "position"]
        verbose_name = _("beteiligtes Ministerium")
        verbose_name_plural = _("beteiligte Ministerien")
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "ministry", "role"], name="inquiry_ministry_unique_role"),
            models.CheckConstraint(condition=Q(role__in=MinistryRole.values), name="inquiry_ministry_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.ministry} ({self.get_role_display()})"


class Question(models.Model):
    """One numbered question of an inquiry with the government's answer to it."""

    # (Indexed by the unique (inquiry, position) and (inquiry, number), which lead with it.)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="questions", verbose_name=_("Anfrage"), db_index=False)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    number = models.CharField(_("Nummer"), max_length=12, help_text=_("wie gedruckt: „1“, „3a“"))
    text = models.TextField(_("Frage"))
    answer = models.TextField(_("Antwort"), blank=True)
    # Told from the answer's text by the rules of inquiries/answer_kinds.py; kept in step
    # with ``answer`` by every write path (``save``, services, the bulk importer).
    answer_kind = models.CharField(_("Art der Antwort"), max_length=20, choices=AnswerKind.choices, blank=True, default="")
    refusal_reason = models.CharField(
        _("Grund der Verweigerung"), max_length=20, choices=RefusalReason.choices, blank=True, default=""
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["inquiry", "position"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "position"], name="question_unique_position"),
            models.UniqueConstraint(fields=["inquiry", "number"], name="question_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def classify_answer(self) -> None:
        """Set ``answer_kind`` and ``refusal_reason`` from the answer's text."""
        self.answer_kind, self.refusal_reason = classify_answer(self.answer)

    def save(self, *args, **kwargs) -> None:
        self.classify_answer()
        if kwargs.get("update_fields") is not None and "answer" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "answer_kind", "refusal_reason"}
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"frage-{self.number}"


class SourceDocument(models.Model):
    """An imported original document with the parser's output, kept for re-parsing."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_documents", verbose_name=_("Anfrage")
    )
    file = models.FileField(_("Datei"), upload_to=document_upload_to)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    parser = models.CharField(_("Parser"), max_length=40, blank=True)
    text = models.TextField(_("extrahierter Text"), blank=True)
    parsed = models.JSONField(_("Ergebnis des Parsers"), null=True, blank=True)
    warnings = models.JSONField(_("Hinweise des Parsers"), default=list, blank=True)
    imported_at = models.DateTimeField(_("importiert"), auto_now=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("Quelldokument")
        verbose_name_plural = _("Quelldokumente")
        constraints = [
            models.UniqueConstraint(fields=["sha256"], name="source_document_unique_content"),
        ]

    def __str__(self) -> str:
        return self.original_name
