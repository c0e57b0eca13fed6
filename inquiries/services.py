"""Every write to the domain: upserts from imports, reference data, publishing.

All functions that change several rows are transactional, so an import either
lands whole or not at all.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from inquiries import answer_tables, validation
from inquiries.exchange import RecordError, check_record_rules, validate_record
from inquiries.importers.base import DocumentError
from inquiries.importers.document import parse_document
from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    InquiryState,
    Membership,
    Ministry,
    MinistryRole,
    Parliament,
    Person,
    Question,
    SourceDocument,
    Term,
)
from inquiries.names import NON_FACTIONS, faction_key, fold, ministry_display_name, ministry_key, slug_base, split_person_name

if TYPE_CHECKING:
    from inquiries.search.documents import SearchText

PARLIAMENT_NAMES = {
    "BT": "Deutscher Bundestag",
    "BW": "Landtag von Baden-Württemberg",
    "BY": "Bayerischer Landtag",
    "BE": "Abgeordnetenhaus Berlin",
    "BB": "Landtag Brandenburg",
    "HB": "Bremische Bürgerschaft",
    "HH": "Hamburgische Bürgerschaft",
    "HE": "Hessischer Landtag",
    "MV": "Landtag Mecklenburg-Vorpommern",
    "NI": "Niedersächsischer Landtag",
    "NW": "Landtag Nordrhein-Westfalen",
    "RP": "Landtag Rheinland-Pfalz",
    "SL": "Landtag des Saarlandes",
    "SN": "Sächsischer Landtag",
    "ST": "Landtag von Sachsen-Anhalt",
    "SH": "Schleswig-Holsteinischer Landtag",
    "TH": "Thüringer Landtag",
}


def unique_slug(model, base: str, *, max_length: int = 120, **scope: Any) -> str:
    """A slug from ``base`` not yet used by ``model`` within ``scope``."""
    root = (slugify(slug_base(base)) or "x")[: max_length - 6]
    existing = set(model.objects.filter(slug__startswith=root, **scope).values_list("slug", flat=True))
    for n in itertools.count(1):
        candidate = root if n == 1 else f"{root}-{n}"
        if candidate not in existing:
            return candidate
    raise AssertionError("unreachable")


# --- reference data -----------------------------------------------------------------


def get_or_create_parliament(code: str) -> Parliament:
    code = code.upper()
    parliament, _ = Parliament.objects.get_or_create(code=code, defaults={"name": PARLIAMENT_NAMES.get(code, code)})
    return parliament


def get_or_create_term(parliament: Parliament, number: int) -> Term:
    term, _ = Term.objects.get_or_create(parliament=parliament, number=number)
    return term


def find_or_create_person(printed_name: str) -> Person:
    """The person printed as ``printed_name``, matched despite titles and "Abg."."""
    name = split_person_name(printed_name)
    if not name.last_name:
        raise RecordError(f"no name in {printed_name!r}")
    candidate = Person.objects.filter(name_key=name.key).order_by("pk").first()
    if candidate is not None:
        if name.title and not candidate.title:
            candidate.title = name.title
            candidate.save(update_fields=["title"])
        return candidate
    return Person.objects.create(
        title=name.title,
        first_name=name.first_name,
        last_name=name.last_name,
        slug=unique_slug(Person, f"{name.first_name} {name.last_name}", max_length=140),
    )


def find_faction(parliament: Parliament, printed: str | None) -> Faction | None:
    if printed is None or fold(printed) in NON_FACTIONS:
        return None
    key = faction_key(printed)
    for faction in Faction.objects.filter(parliament=parliament):
        if faction_key(faction.short_name) == key or (faction.name and faction_key(faction.name) == key):
            return faction
    return None


def find_or_create_faction(parliament: Parliament, printed: str | None) -> Faction | None:
    """The faction printed as ``printed``; ``None`` for members without a group."""
    if printed is None or fold(printed) in NON_FACTIONS:
        return None
    faction = find_faction(parliament, printed)
    if faction is None:
        short_name = printed.strip()
        faction = Faction.objects.create(
            parliament=parliament,
            short_name=short_name,
            slug=unique_slug(Faction, short_name, max_length=80, parliament=parliament),
        )
    return faction


def find_ministry(parliament: Parliament, printed: str) -> Ministry | None:
    key = ministry_key(printed)
    for ministry in Ministry.objects.filter(parliament=parliament):
        if ministry_key(ministry.name) == key:
            return ministry
    return None


def find_or_create_ministry(parliament: Parliament, printed: str) -> Ministry:
    """The ministry printed as ``printed`` in any grammatical form; created when new."""
    ministry = find_ministry(parliament, printed)
    if ministry is None:
        name = ministry_display_name(printed)
        ministry = Ministry.objects.create(
            parliament=parliament, name=name, slug=unique_slug(Ministry, name, parliament=parliament)
        )
    return ministry


def ensure_membership(person: Person, faction: Faction, term: Term, on: datetime.date | None) -> None:
    """Record that ``person`` sat in ``faction`` during ``term`` unless already known."""
    existing = Membership.objects.filter(person=person, faction=faction)
    day = on or term.start_date
    if day is not None and existing.valid_on(day).exists():
        return
    if day is None and existing.exists():
        return
    Membership.objects.get_or_create(
        person=person, faction=faction, start_date=term.start_date, defaults={"end_date": term.end_date}
    )


# --- inquiries ------------------------------------------------------------------------


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def upsert_inquiry(
    record: dict[str, Any],
    *,
    state: str | None = None,
    published_at: datetime.datetime | None = None,
) -> tuple[Inquiry, bool]:
    """Create or update the inquiry of an inquiry.v1 record; returns it and whether it is new.

    An existing inquiry (same parliament and reference) is updated in place: its
    questions keep their rows where the position is the same, so that the history
    of an answer stays attached to it. ``state`` applies to new inquiries and drafts;
    a published or withdrawn inquiry keeps its state.
    """
    validate_record(record)
    check_record_rules(record)
    parliament = get_or_create_parliament(record["parliament"])
    term = get_or_create_term(parliament, record["term"])
    asked_on, answered_on = _date(record.get("asked_on")), _date(record.get("answered_on"))

    inquiry = Inquiry.objects.filter(parliament=parliament, reference=record["reference"]).first()
    created = inquiry is None
    if created:
        inquiry = Inquiry(parliament=parliament, reference=record["reference"])
    else:
        ensure_history_baseline(inquiry)
    inquiry.term = term
    inquiry.kind = record["kind"]
    inquiry.title = record["title"].strip()
    inquiry.asked_on = asked_on
    inquiry.answered_on = answered_on
    inquiry.explanation = record.get("explanation") or ""
    inquiry.government_preface = record.get("government_preface") or ""
    inquiry.full_text = record.get("full_text") or ""
    inquiry.source_url = record.get("source_url") or ""
    inquiry.related_references = list(record.get("related_references") or [])
    inquiry.topics = list(record.get("topics") or [])
    ministry_name = record.get("answering_ministry")
    inquiry.answering_ministry = find_or_create_ministry(parliament, ministry_name) if ministry_name else None
    signer = record.get("signed_by")
    inquiry.signed_by = find_or_create_person(signer["name"]) if signer else None
    inquiry.signed_by_role = (signer or {}).get("role") or ""
    # A public or withdrawn inquiry keeps its state: a re-import corrects its content (and
    # shows in the correction log), only publish() and withdraw() change the state.
    if state is not None and (created or inquiry.state == InquiryState.DRAFT):
        inquiry.state = state
    if inquiry.state == InquiryState.PUBLISHED and inquiry.published_at is None:
        inquiry.published_at = published_at or timezone.now()
    inquiry.save()

    _replace_askers(inquiry, record.get("askers") or [], term, asked_on)
    factions = [find_or_create_faction(parliament, name) for name in record.get("factions") or []]
    inquiry.factions.set([faction for faction in factions if faction is not None])
    _replace_ministry_links(inquiry, parliament, record)
    _replace_questions(inquiry, record.get("questions") or [])
    inquiries_changed([inquiry.pk])
    return inquiry, created


def _replace_askers(inquiry: Inquiry, askers: list[dict], term: Term, asked_on: datetime.date | None) -> None:
    inquiry.asker_links.all().delete()
    seen: set[int] = set()
    for position, asker in enumerate(askers):
        person = find_or_create_person(asker["name"])
        if person.pk in seen:
            continue
        seen.add(person.pk)
        faction = find_or_create_faction(inquiry.parliament, asker.get("faction"))
        if faction is not None:
            ensure_membership(person, faction, term, asked_on)
        Asker.objects.create(inquiry=inquiry, person=person, faction=faction, position=position)


def _replace_ministry_links(inquiry: Inquiry, parliament: Parliament, record: dict) -> None:
    inquiry.ministry_links.all().delete()
    links = []
    for role, names in ((MinistryRole.CONSULTED, record.get("consulted_ministries")), (MinistryRole.COPIED, record.get("copied_to"))):
        seen: set[int] = set()
        for position, name in enumerate(names or []):
            ministry = find_or_create_ministry(parliament, name)
            if ministry.pk in seen:
                continue
            seen.add(ministry.pk)
            links.append(InquiryMinistry(inquiry=inquiry, ministry=ministry, role=role, position=position))
    if links:
        bulk_create_with_history(links, InquiryMinistry, default_user=None)


def _replace_questions(inquiry: Inquiry, questions: list[dict]) -> None:
    existing = {question.position: question for question in inquiry.questions.all()}
    # Park the kept rows on free numbers first, so renumbering never trips the
    # unique (inquiry, number) constraint halfway through.
    for question in existing.values():
        question.number = f"~{question.position}"
    Question.objects.bulk_update(existing.values(), ["number"])
    keep, create = [], []
    for position, data in enumerate(questions, start=1):
        question = existing.pop(position, None) or Question(inquiry=inquiry, position=position)
        question.number = data["number"]
        question.text = data["text"]
        question.answer = data.get("answer") or ""
        question.classify_answer()
        (keep if question.pk else create).append(question)
    Question.objects.filter(pk__in=[question.pk for question in existing.values()]).delete()
    # With history, so that a re-import of a corrected answer shows in the correction log.
    if keep:
        bulk_update_with_history(keep, Question, ["number", "text", "answer", "answer_kind", "refusal_reason"], default_user=None)
    if create:
        bulk_create_with_history(create, Question, default_user=None)
    answer_tables.replace_tables(list(inquiry.questions.order_by("position")), questions)


def inquiries_changed(inquiry_ids: Iterable[int], *, search_texts: Sequence[SearchText] = ()) -> None:
    """Bring everything derived from inquiries up to date after they were written.

    Every write path (upsert, bulk loaders, admin, publishing) calls this with the
    ids it changed, so that derived data such as the search index has one hook.
    A bulk writer passes the ``search_texts`` it built, which saves reading them back.
    """
    from inquiries import search, versions

    search.update_index(list(inquiry_ids), known=search_texts)
    # Cached pages, counts and results key on the version: they are all new from the commit on.
    versions.advance()


def optimize_after_bulk_write() -> None:
    """Prepare the database for fast reads after many inquiries were written at once.

    * Statistics for the query planner. Without them SQLite takes ``state =
      'published'`` for selective and probes the FTS5 index once per inquiry instead
      of reading the matches once (at 10,000 inquiries, 75 ms instead of 0.1 ms for
      a word in none of them).
    * PostgreSQL: the GIN index's pending list merged into the index. A bulk import
      leaves its new entries there, and every search scans that list linearly until
      autovacuum comes by (2.8 ms instead of 0.06 ms for such a word, and the planner
      falls back to reading every row's tsvector).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A sample per index is enough for the plans and keeps this to milliseconds.
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", ["search_document_vector_gin"])
            # Every table: the small ones (parliaments, terms …) steer the join order too.
            cursor.execute("ANALYZE")


# --- editorial workflow ---------------------------------------------------------------


class TransitionError(ValueError):
    """A change of state the workflow does not allow; the message tells the editor why."""


# draft → published → withdrawn, and a withdrawn inquiry may be published again. A draft
# may also be withdrawn (the askers withdrew it before it was published): it never shows.
TRANSITIONS: dict[str, frozenset[str]] = {
    InquiryState.DRAFT: frozenset({InquiryState.PUBLISHED, InquiryState.WITHDRAWN}),
    InquiryState.PUBLISHED: frozenset({InquiryState.WITHDRAWN}),
    InquiryState.WITHDRAWN: frozenset({InquiryState.PUBLISHED}),
}


def can_transition(inquiry: Inquiry, target: str) -> bool:
    return target in TRANSITIONS.get(inquiry.state, frozenset())


def publication_problems(inquiry: Inquiry) -> list[str]:
    """What keeps the stored inquiry from being published (empty: nothing)."""
    problems: list[str] = []
    if not inquiry.title.strip():
        problems.append(_("Der Titel fehlt."))
    problems += validation.reference_problems(inquiry.reference, inquiry.term.number)
    if inquiry.term.parliament_id != inquiry.parliament_id:
        problems.append(_("Die Wahlperiode %(term)s gehört zu einem anderen Parlament.") % {"term": inquiry.term})
    problems += validation.date_problems(inquiry.asked_on, inquiry.answered_on)
    problems += validation.question_number_problems(inquiry.questions.order_by("position").values_list("number", flat=True))
    for asker in inquiry.asker_links.select_related("person", "faction").order_by("position"):
        problem = validation.asker_faction_problem(asker.person, asker.faction, inquiry.parliament_id, inquiry.asked_on)
        if problem:
            problems.append(problem)
    return problems


def _locked(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().select_related("parliament", "term").get(pk=inquiry.pk)


def _refuse(current: Inquiry, target: str) -> TransitionError:
    reference = current.reference
    if current.state == target:
        messages = {
            InquiryState.PUBLISHED: _("Drucksache %(reference)s ist bereits veröffentlicht."),
            InquiryState.WITHDRAWN: _("Drucksache %(reference)s ist bereits zurückgezogen."),
        }
        return TransitionError(messages[target] % {"reference": reference})
    return TransitionError(
        _("Drucksache %(reference)s: von „%(state)s“ nach „%(target)s“ ist nicht möglich.")
        % {"reference": reference, "state": current.get_state_display(), "target": InquiryState(target).label}
    )


def _transition(inquiry: Inquiry, target: str, fields: Callable[[Inquiry], dict[str, Any]]) -> Inquiry:
    """Move ``inquiry`` to ``target`` after checking the stored row, locked against a parallel change."""
    current = _locked(inquiry)
    if not can_transition(current, target):
        raise _refuse(current, target)
    if target == InquiryState.PUBLISHED:
        problems = publication_problems(current)
        if problems:
            raise TransitionError(
                _("Drucksache %(reference)s kann nicht veröffentlicht werden: %(problems)s")
                % {"reference": current.reference, "problems": " ".join(problems)}
            )
    changes = fields(current)
    current.state = target
    for name, value in changes.items():
        setattr(current, name, value)
    current.save(update_fields=["state", *changes, "updated_at"])
    for name in ("state", *changes, "updated_at"):
        setattr(inquiry, name, getattr(current, name))
    inquiries_changed([current.pk])
    return inquiry


@transaction.atomic
def publish(inquiry: Inquiry, *, at: datetime.datetime | None = None) -> Inquiry:
    """Make a draft (or a withdrawn inquiry) public; the first publication sets ``published_at``.

    Raises ``TransitionError`` when the inquiry is already public or its data does not pass
    the editors' checks (reference, dates, question numbers, askers' factions).
    """
    return _transition(
        inquiry,
        InquiryState.PUBLISHED,
        lambda current: {"published_at": current.published_at or at or timezone.now(), "withdrawn_reason": ""},
    )


@transaction.atomic
def withdraw(inquiry: Inquiry, *, reason: str) -> Inquiry:
    """Take an inquiry off all public lists (or keep a draft from ever reaching them); the reason is shown in its place."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Zum Zurückziehen wird ein Grund benötigt."))
    return _transition(inquiry, InquiryState.WITHDRAWN, lambda current: {"withdrawn_reason": reason})


def ensure_history_baseline(inquiry: Inquiry) -> None:
    """Record the stored state of an inquiry and its parts where the history has none yet.

    Rows written in bulk (the archive loader) have no history. Before their first change
    their state is recorded, dated with the inquiry's first record, so that the change can
    be told apart from what was there (see ``selectors.history.correction_log``).
    """
    history = Inquiry.history.filter(id=inquiry.pk)
    first = history.order_by("history_date", "history_id").first()
    if first is None:
        stored = Inquiry.objects.get(pk=inquiry.pk)
        stored._history_user = None
        Inquiry.history.bulk_history_create([stored], default_date=timezone.now())
        first = history.order_by("history_date", "history_id").first()
    for model in (Question, Asker, InquiryMinistry):
        tracked = set(model.history.filter(inquiry_id=inquiry.pk).values_list("id", flat=True))
        missing = [row for row in model.objects.filter(inquiry_id=inquiry.pk) if row.pk not in tracked]
        for row in missing:
            row._history_user = None
        if missing:
            model.history.bulk_history_create(missing, default_date=first.history_date)


def free_question_slots(question_ids: Iterable[int]) -> None:
    """Move questions to temporary numbers and positions before they are saved one by one.

    The admin saves a renumbered list row by row; parked first, no row ever collides with
    the unique number and position of another. The parking is not recorded in the history.
    """
    for offset, question_id in enumerate(question_ids):
        Question.objects.filter(pk=question_id).update(number=f"~{question_id}", position=30000 + offset)


def recompute_deadlines(inquiries: Iterable[Inquiry] | None = None) -> int:
    """Refresh stored due dates and answer times, e.g. after a parliament's rule changed."""
    queryset = Inquiry.objects.select_related("parliament") if inquiries is None else inquiries
    changed = []
    for inquiry in queryset:
        before = (inquiry.due_on, inquiry.answer_days, inquiry.reference_number)
        inquiry.refresh_deadline()
        if (inquiry.due_on, inquiry.answer_days, inquiry.reference_number) != before:
            changed.append(inquiry)
    Inquiry.objects.bulk_update(changed, ["due_on", "answer_days", "reference_number"], batch_size=500)
    return len(changed)


# --- document import -------------------------------------------------------------------


@dataclass
class ImportResult:
    """What ``import_document`` made of one document.

    ``warnings`` list what the parser could not determine, for the editor who reviews
    the draft; ``inquiry`` and ``source_document`` are None on a dry run.
    """

    name: str
    parser: str
    record: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    inquiry: Inquiry | None = None
    created: bool = False
    source_document: SourceDocument | None = None


def import_document(
    name: str,
    data: bytes,
    *,
    format: str | None = None,
    dry_run: bool = False,
    state: str = InquiryState.DRAFT,
    listing: dict[str, Any] | None = None,
) -> ImportResult:
    """Parse an answer document (text or PDF) and save it as an inquiry, in one transaction.

    ``format`` names the parser to use instead of recognising the layout; ``listing``
    is the parliament's listing of the document (see ``apply_listing``). A new inquiry
    gets ``state``; an existing one (same parliament and reference) is updated in place,
    and a published or withdrawn one keeps its state (see ``upsert_inquiry``). The original file and the parser's output are kept as a
    ``SourceDocument`` (one per content), so that ``reparse_documents`` can parse it
    again. Raises ``DocumentError`` naming the file and what is wrong; nothing is saved then.
    """
    if len(data) > settings.DOCUMENT_MAX_BYTES:
        raise DocumentError(
            name, f"file too large: {len(data)} bytes, the limit is {settings.DOCUMENT_MAX_BYTES} (DOCUMENT_MAX_BYTES)"
        )
    parsed = parse_document(name, data, format=format, listing=listing)
    result = ImportResult(name, parsed.parser, parsed.record, parsed.warnings, parsed.extra)
    if dry_run:
        return result
    digest = hashlib.sha256(data).hexdigest()
    stored: str | None = None
    try:
        with transaction.atomic():
            source = SourceDocument.objects.select_for_update().filter(sha256=digest).first()
            if source is None:
                source = SourceDocument(sha256=digest, original_name=name[-255:])
                source.file.save(name, ContentFile(data), save=False)
                stored = source.file.name
            record = parsed.record
            source.parser = parsed.parser
            source.text = record.get("full_text") or ""
            source.parsed = {
                "record": {key: value for key, value in record.items() if key != "full_text"},
                "extra": parsed.extra,
                "listing": listing,
            }
            source.warnings = parsed.warnings
            inquiry, created = upsert_inquiry(record, state=state)
            if inquiry.document.name != source.file.name:
                inquiry.document.name = source.file.name
                inquiry.save(update_fields=["document", "updated_at"])
            source.inquiry = inquiry
            source.save()
    except RecordError as exc:
        _discard(stored)
        raise DocumentError(name, f"cannot be saved: {exc}") from None
    except BaseException:
        _discard(stored)
        raise
    result.inquiry, result.created, result.source_document = inquiry, created, source
    return result


def _discard(stored_name: str | None) -> None:
    """Remove a file stored for an import that was rolled back."""
    if stored_name:
        default_storage.delete(stored_name)


def reparse_documents(
    *, format: str | None = None, progress: Callable[[Iterable[SourceDocument]], Iterable[SourceDocument]] = lambda items: items
) -> list[tuple[SourceDocument, ImportResult | DocumentError]]:
    """Parse every kept original again (after a parser fix) and update its inquiry.

    Each document is imported on its own, so one failure does not stop the others.
    """
    outcomes: list[tuple[SourceDocument, ImportResult | DocumentError]] = []
    for source in progress(SourceDocument.objects.order_by("pk")):
        try:
            with source.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            outcomes.append((source, DocumentError(source.original_name, "the kept original file is missing")))
            continue
        listing = (source.parsed or {}).get("listing")
        try:
            outcomes.append((source, import_document(source.original_name, data, format=format, listing=listing)))
        except DocumentError as exc:
            outcomes.append((source, exc))
    return outcomes


@dataclass
class ReparseCheck:
    """What parsing a kept original again gives, compared with what was kept.

    ``differences`` names the record fields that changed; ``same_version`` tells whether
    the parser's version is the one that made the kept record (then any difference is
    a fault: the same version must give the same record).
    """

    source: SourceDocument
    differences: list[str] = field(default_factory=list)
    kept_version: str | None = None
    new_version: str | None = None
    error: DocumentError | None = None

    @property
    def same_version(self) -> bool:
        return self.kept_version is not None and self.kept_version == self.new_version


def check_documents(
    *, progress: Callable[[Iterable[SourceDocument]], Iterable[SourceDocument]] = lambda items: items
) -> list[ReparseCheck]:
    """Parse every kept original again without saving and compare with the kept record."""
    checks: list[ReparseCheck] = []
    for source in progress(SourceDocument.objects.order_by("pk")):
        kept = (source.parsed or {}).get("record") or {}
        check = ReparseCheck(source, kept_version=(kept.get("extraction") or {}).get("version"))
        checks.append(check)
        try:
            with source.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            check.error = DocumentError(source.original_name, "the kept original file is missing")
            continue
        listing = (source.parsed or {}).get("listing")
        try:
            # The parser that made the kept record reads it again, as the import chose it.
            result = import_document(source.original_name, data, listing=listing, dry_run=True)
        except DocumentError as exc:
            check.error = exc
            continue
        record = {key: value for key, value in result.record.items() if key != "full_text"}
        check.new_version = (record.get("extraction") or {}).get("version")
        check.differences = sorted(key for key in set(record) | set(kept) if record.get(key) != kept.get(key))
    return checks


__all__ = [
    "DocumentError",
    "ImportResult",
    "PARLIAMENT_NAMES",
    "RecordError",
    "TRANSITIONS",
    "TransitionError",
    "can_transition",
    "ensure_history_baseline",
    "free_question_slots",
    "publication_problems",
    "ensure_membership",
    "find_faction",
    "find_ministry",
    "find_or_create_faction",
    "find_or_create_ministry",
    "find_or_create_person",
    "get_or_create_parliament",
    "get_or_create_term",
    "import_document",
    "inquiries_changed",
    "publish",
    "recompute_deadlines",
    "reparse_documents",
    "check_documents",
    "ReparseCheck",
    "unique_slug",
    "upsert_inquiry",
    "withdraw",
]
