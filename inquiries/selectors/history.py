"""Reads of the history: the public correction log of an inquiry page (what changed after
publication, by day) and the admin's history of an inquiry's questions, askers and ministries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inquiries.choices import InquiryState
from inquiries.models import Inquiry, Ministry, Person



# --- correction log -------------------------------------------------------------------------


@dataclass
class CorrectionEntry:
    """What was corrected on one day after publication, for the public inquiry page."""

    date: datetime.date
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Public fields of an inquiry and how the log names them; state and derived fields are left out.
_INQUIRY_FIELD_LABELS = {
    "parliament": gettext_lazy("Parlament"),
    "term": gettext_lazy("Wahlperiode"),
    "reference": gettext_lazy("Drucksachennummer"),
    "kind": gettext_lazy("Art der Anfrage"),
    "title": gettext_lazy("Titel"),
    "asked_on": gettext_lazy("Datum der Anfrage"),
    "answered_on": gettext_lazy("Datum der Antwort"),
    "answering_ministry": gettext_lazy("antwortendes Ministerium"),
    "signed_by": gettext_lazy("Unterzeichnung"),
    "signed_by_role": gettext_lazy("Amtsbezeichnung des Unterzeichners"),
    "explanation": gettext_lazy("Begründung"),
    "government_preface": gettext_lazy("Vorbemerkung der Landesregierung"),
    "full_text": gettext_lazy("Volltext"),
    "document": gettext_lazy("Originaldokument"),
    "source_url": gettext_lazy("Quellenangabe"),
    "source_notice": gettext_lazy("Quellenhinweis"),
    "related_references": gettext_lazy("verwandte Drucksachen"),
    "topics": gettext_lazy("Themen"),
}


def _text(value: Any) -> Any:
    # Browsers send \r\n and editors leave trailing blanks: neither is a correction.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _changed(label: str, old: Any, new: Any) -> str:
    if old in (None, "", []):
        return _("%(field)s ergänzt") % {"field": label}
    if new in (None, "", []):
        return _("%(field)s entfernt") % {"field": label}
    return _("%(field)s korrigiert") % {"field": label}


def _inquiry_changes(before, after) -> list[str]:
    changes = []
    for name, label in _INQUIRY_FIELD_LABELS.items():
        attname = Inquiry._meta.get_field(name).attname
        old, new = _text(getattr(before, attname)), _text(getattr(after, attname))
        if old != new:
            changes.append(_changed(str(label), old, new))
    return changes


def _question_changes(before: dict[int, Any], after: dict[int, Any]) -> list[str]:
    removed = {pk: row for pk, row in before.items() if pk not in after}
    added = {pk: row for pk, row in after.items() if pk not in before}
    # A question deleted and created again under its number (re-import) is the same question.
    pairs = [(before[pk], after[pk]) for pk in before.keys() & after.keys()]
    for old_pk, old in list(removed.items()):
        match = next((pk for pk, row in added.items() if row.number == old.number), None)
        if match is not None:
            pairs.append((old, added.pop(match)))
            del removed[old_pk]
    changes: list[tuple[int, str]] = []
    reordered = False
    for old, new in pairs:
        number = new.number
        if old.number != new.number:
            changes.append((new.position, _("Frage %(old)s in %(new)s umnummeriert") % {"old": old.number, "new": number}))
        elif old.position != new.position:
            reordered = True
        if _text(old.text) != _text(new.text):
            changes.append((new.position, _("Wortlaut der Frage %(number)s korrigiert") % {"number": number}))
        old_answer, new_answer = _text(old.answer), _text(new.answer)
        if old_answer != new_answer:
            if not old_answer:
                message = _("Antwort zu Frage %(number)s ergänzt")
            elif not new_answer:
                message = _("Antwort zu Frage %(number)s entfernt")
            else:
                message = _("Antwort zu Frage %(number)s korrigiert")
            changes.append((new.position, message % {"number": number}))
    changes += [(row.position, _("Frage %(number)s ergänzt") % {"number": row.number}) for row in added.values()]
    changes += [(row.position, _("Frage %(number)s entfernt") % {"number": row.number}) for row in removed.values()]
    result = [message for _position, message in sorted(changes, key=lambda change: change[0])]
    if reordered:
        result.append(_("Reihenfolge der Fragen geändert"))
    return result


def _asker_changes(before: dict[int, Any], after: dict[int, Any], people: dict[int, Person]) -> list[str]:
    # Keyed by person: an import replaces the rows of unchanged askers with new ones.
    old = {row.person_id: row.faction_id for row in before.values()}
    new = {row.person_id: row.faction_id for row in after.values()}
    changes = []
    for person_id in [*new, *(pk for pk in old if pk not in new)]:
        name = people[person_id].full_name if person_id in people else _("unbekannt")
        if person_id not in old:
            changes.append(_("Fragesteller(in) %(name)s ergänzt") % {"name": name})
        elif person_id not in new:
            changes.append(_("Fragesteller(in) %(name)s entfernt") % {"name": name})
        elif old[person_id] != new[person_id]:
            changes.append(_("Fraktion von %(name)s korrigiert") % {"name": name})
    return changes


def _ministry_link_changes(before: dict[int, Any], after: dict[int, Any], ministries: dict[int, Ministry]) -> list[str]:
    old = {(row.ministry_id, row.role) for row in before.values()}
    new = {(row.ministry_id, row.role) for row in after.values()}
    changes = []
    for ministry_id, _role in sorted(new - old) + sorted(old - new):
        name = ministries[ministry_id].name if ministry_id in ministries else _("unbekannt")
        template = _("beteiligtes Ministerium %(name)s ergänzt") if (ministry_id, _role) in new else _("beteiligtes Ministerium %(name)s entfernt")
        changes.append(template % {"name": name})
    return changes


def _snapshots(records: list[Any], boundaries: list[datetime.datetime]) -> list[dict[int, Any]]:
    """The rows alive just before each boundary, from their history records (oldest first)."""
    alive: dict[int, Any] = {}
    result = []
    index = 0
    for boundary in boundaries:
        while index < len(records) and records[index].history_date < boundary:
            record = records[index]
            if record.history_type == "-":
                alive.pop(record.id, None)
            else:
                alive[record.id] = record
            index += 1
        result.append(dict(alive))
    return result


def correction_log(inquiry: Inquiry) -> list[CorrectionEntry]:
    """Changes made after the inquiry was first published, by day, newest first.

    Built from the history: each save of the inquiry (admin form or re-import) starts an
    event that also takes in the changes of its questions, askers and involved ministries
    made before the next save. Events before the first publication, the publishing and
    withdrawing themselves, and saves that changed nothing public are left out. Editors'
    names never appear; an editor's public note (the change reason) does.
    """
    from inquiries.models import Asker, InquiryMinistry, Question

    events = list(Inquiry.history.filter(id=inquiry.pk).order_by("history_date", "history_id"))
    if not events:
        return []
    children = {
        model: list(model.history.filter(inquiry_id=inquiry.pk).order_by("history_date", "history_id"))
        for model in (Question, Asker, InquiryMinistry)
    }
    far_future = events[-1].history_date + datetime.timedelta(days=1)
    boundaries = [event.history_date for event in events] + [far_future]
    states = {model: _snapshots(records, boundaries) for model, records in children.items()}
    people = Person.objects.in_bulk({record.person_id for record in children[Asker]})
    ministries = Ministry.objects.in_bulk({record.ministry_id for record in children[InquiryMinistry]})

    by_day: dict[datetime.date, CorrectionEntry] = {}
    was_published = False
    for index, event in enumerate(events):
        counts = was_published and index > 0
        was_published = was_published or event.state == InquiryState.PUBLISHED
        if not counts:
            continue
        before, after = index, index + 1
        changes = _inquiry_changes(events[index - 1], event)
        changes += _asker_changes(states[Asker][before], states[Asker][after], people)
        changes += _ministry_link_changes(states[InquiryMinistry][before], states[InquiryMinistry][after], ministries)
        changes += _question_changes(states[Question][before], states[Question][after])
        note = (event.history_change_reason or "").strip()
        if not changes and not note:
            continue
        day = timezone.localdate(event.history_date)
        entry = by_day.setdefault(day, CorrectionEntry(date=day))
        entry.changes += [change for change in changes if change not in entry.changes]
        if note and note not in entry.notes:
            entry.notes.append(note)
    return sorted(by_day.values(), key=lambda entry: entry.date, reverse=True)


@dataclass
class PartChange:
    """One change of a question, asker or involved ministry, for the admin's history page."""

    date: datetime.datetime
    user: Any
    kind: str
    part: str
    fields: list[str]


def inquiry_part_history(inquiry_id: int, *, limit: int = 300) -> list[PartChange]:
    """Changes of an inquiry's questions, askers and involved ministries, newest first, with who made them."""
    from inquiries.models import Asker, InquiryMinistry, Question

    kinds = {"+": _("angelegt"), "~": _("geändert"), "-": _("gelöscht")}
    histories = {
        model: list(
            model.history.filter(inquiry_id=inquiry_id).select_related("history_user").order_by("history_date", "history_id")
        )
        for model in (Question, Asker, InquiryMinistry)
    }
    people = Person.objects.in_bulk({record.person_id for record in histories[Asker]})
    ministries = Ministry.objects.in_bulk({record.ministry_id for record in histories[InquiryMinistry]})

    def describe(model, record) -> str:
        if model is Question:
            return _("Frage %(number)s") % {"number": record.number}
        if model is Asker:
            person = people.get(record.person_id)
            return _("Fragesteller(in) %(name)s") % {"name": person.full_name if person else record.person_id}
        ministry = ministries.get(record.ministry_id)
        return _("Ministerium %(name)s (%(role)s)") % {
            "name": ministry.name if ministry else record.ministry_id,
            "role": record.get_role_display(),
        }

    changes: list[PartChange] = []
    for model, records in histories.items():
        previous: dict[int, Any] = {}
        for record in records:
            before = previous.get(record.id)
            fields = []
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before)
                fields = [str(model._meta.get_field(change.field).verbose_name) for change in delta.changes]
            previous[record.id] = record
            if before is not None and record.history_type == "~" and not fields:
                continue  # saved again unchanged (e.g. a re-import)
            changes.append(PartChange(record.history_date, record.history_user, kinds[record.history_type], describe(model, record), fields))
    changes.sort(key=lambda change: change.date, reverse=True)
    return changes[:limit]
