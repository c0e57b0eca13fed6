from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inquiries.models.inquiry import Question


def check_cells(value: Any, *, field: str) -> None:
    """A list of rows, each a list of texts (the JSON of ``header`` and ``rows``)."""
    if not isinstance(value, list) or not all(isinstance(row, list) and all(isinstance(cell, str) for cell in row) for row in value):
        raise ValidationError({field: _("Erwartet wird eine Liste von Zeilen, jede eine Liste von Texten.")})


class AnswerTable(models.Model):
    """A table printed in an answer, read into rows and cells (see importers/tables.py).

    The answer's text keeps the table's lines; ``span_start``/``span_end`` are the
    characters of the answer the table was read from, so that the page can show the
    table in their place (while the answer's text still has them there).
    """

    # (Indexed by the unique (question, position), which leads with it.)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tables", verbose_name=_("Frage"), db_index=False)
    position = models.PositiveSmallIntegerField(_("Nummer"), help_text=_("1 für die erste Tabelle der Antwort"))
    caption = models.TextField(_("Überschrift"), blank=True, help_text=_("wie gedruckt: „Tabelle 1: …“"))
    header = models.JSONField(_("Kopfzeilen"), default=list, blank=True, help_text=_("Liste von Zeilen, jede eine Liste von Texten"))
    rows = models.JSONField(_("Zeilen"), default=list, help_text=_("Liste von Zeilen, jede eine Liste von Texten"))
    span_start = models.PositiveIntegerField(_("Beginn in der Antwort"), null=True, blank=True)
    span_end = models.PositiveIntegerField(_("Ende in der Antwort"), null=True, blank=True)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("Tabelle einer Antwort")
        verbose_name_plural = _("Tabellen der Antworten")
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="answertable_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="answertable_position_from_1"),
            models.CheckConstraint(
                condition=Q(span_start__isnull=True, span_end__isnull=True) | Q(span_start__lt=models.F("span_end")),
                name="answertable_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Tabelle {self.position} zu Frage {self.question.number}" if self.question_id else f"Tabelle {self.position}"

    def clean(self) -> None:
        check_cells(self.header, field="header")
        check_cells(self.rows, field="rows")
        if not self.rows:
            raise ValidationError({"rows": _("Eine Tabelle hat mindestens eine Zeile.")})

    @property
    def columns(self) -> int:
        return max((len(row) for row in [*self.header, *self.rows]), default=0)

    @property
    def filename(self) -> str:
        return f"tabelle-{self.position}.csv"
