"""Reads of the statistics page (/statistik/) and the admin's "dated outside the term" filter."""

from __future__ import annotations

import datetime
from typing import Any

import tantivy
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from inquiries import search
from inquiries.choices import REFUSING_KINDS, AnswerKind
from inquiries.models import Asker, Faction, Inquiry, Ministry, Question, Term
from inquiries.selectors import counts
from inquiries.selectors.base import inquiry_rows, median, on_or_today, public_inquiries


# --- statistics -------------------------------------------------------------------------

# Answer-time classes of the distribution per ministry, in days (upper bound inclusive).
ANSWER_TIME_BUCKETS: list[tuple[int, int | None]] = [(0, 7), (8, 14), (15, 21), (22, 28), (29, 42), (43, None)]


def statistics_terms() -> list[Term]:
    """Terms with published inquiries, most inquiries first (the first is the default)."""
    return sorted(counts.terms_with_inquiries(), key=lambda term: (-term.inquiry_count, term.parliament.name, -term.number))


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _outside_term() -> Q:
    """Inquiries whose chart date (asked, else answered) lies outside their term's dates."""
    return Q(term__start_date__isnull=False, day__lt=F("term__start_date")) | Q(term__end_date__isnull=False, day__gt=F("term__end_date"))


def inquiries_dated_outside_term(queryset: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    """Inquiries (of ``queryset``, else all) dated before their term began or after it ended:
    a data problem for editors (admin list filter "Datum außerhalb der Wahlperiode");
    the statistics leave them out instead of stretching a term's time axis."""
    base = Inquiry.objects.all() if queryset is None else queryset
    return base.annotate(day=Coalesce("asked_on", "answered_on")).filter(day__isnull=False).filter(_outside_term())


def inquiries_per_month_by_faction(term: Term, *, today: datetime.date | None = None) -> dict[str, Any]:
    """Published inquiries of ``term`` per month (asked, else answered) and asking faction.

    Returns ``months`` (first days, without gaps: the term's months from its start to its
    end, or to the last month with data while it runs), ``factions``, ``counts`` (faction
    pk → list aligned with ``months``) and ``outside`` (how many inquiries are dated
    outside the term and left out). An inquiry asked by two factions counts for both.
    """
    if search.uses_engine():
        return _engine_per_month_by_faction(term)
    dated = public_inquiries().filter(term=term).annotate(day=Coalesce("asked_on", "answered_on")).filter(day__isnull=False)
    outside = dated.filter(_outside_term()).count()
    published = dated.exclude(_outside_term())
    pairs: set[tuple[int, int]] = set(
        Inquiry.factions.through.objects.filter(inquiry__in=published.values("pk")).values_list("inquiry_id", "faction_id")
    )
    pairs |= set(
        Asker.objects.filter(inquiry__in=published.values("pk"), faction__isnull=False).values_list("inquiry_id", "faction_id")
    )
    days = dict(published.values_list("pk", "day"))
    factions = list(Faction.objects.filter(pk__in={faction for _, faction in pairs}).select_related("party").order_by("short_name"))
    if not pairs:
        return {"months": [], "factions": [], "counts": {}, "outside": outside}
    months_seen = sorted({_month(days[inquiry]) for inquiry, _ in pairs})
    months = _term_months(term, months_seen[0], months_seen[-1])
    index = {month: i for i, month in enumerate(months)}
    per_faction = {faction.pk: [0] * len(months) for faction in factions}
    for inquiry, faction in pairs:
        per_faction[faction][index[_month(days[inquiry])]] += 1
    return {"months": months, "factions": factions, "counts": per_faction, "outside": outside}


def _term_months(term: Term, first_seen: datetime.date, last_seen: datetime.date) -> list[datetime.date]:
    """The months of the chart: from the term's start (else the first month with data) to its end
    (else the last month with data, while it runs)."""
    first = _month(term.start_date) if term.start_date else _month(first_seen)
    last = _month(term.end_date) if term.end_date else max(_month(last_seen), first)
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def _engine_per_month_by_faction(term: Term) -> dict[str, Any]:
    """``inquiries_per_month_by_faction`` off the search index: the inquiries dated by the day
    asked and those dated by the day answered (never asked on a known day) counted apart, each
    in one range aggregation by month with the groups counted within (the chart of a term of
    500,000 inquiries read ~500,000 rows and ~750,000 group links: ~10 s on SQLite)."""
    from inquiries.search import engine, engine_search

    searcher, schema, _index = engine.searcher()
    in_term = engine_search.one_of(schema, "term", [term.pk])
    low = term.start_date.toordinal() if term.start_date else None
    high = term.end_date.toordinal() if term.end_date else None
    by_day = {
        "asked": engine_search.all_of(in_term, tantivy.Query.exists_query("asked")),
        "answered": engine_search.without(engine_search.all_of(in_term, tantivy.Query.exists_query("answered")), "asked"),
    }
    inside = {
        field: dated if low is None and high is None else engine_search.all_of(dated, engine_search.day_range(schema, field, low, high))
        for field, dated in by_day.items()
    }
    outside = sum(engine_search.count(searcher, dated) - engine_search.count(searcher, inside[field]) for field, dated in by_day.items())
    grouped = {field: engine_search.all_of(query, tantivy.Query.exists_query("factions")) for field, query in inside.items()}
    spans = [span for field, query in grouped.items() if (span := engine_search.day_span(searcher, query, field)) is not None]
    if not spans:
        return {"months": [], "factions": [], "counts": {}, "outside": outside}
    first_seen = datetime.date.fromordinal(min(span[0] for span in spans))
    last_seen = datetime.date.fromordinal(max(span[1] for span in spans))
    months = _term_months(term, first_seen, last_seen)
    per_faction: dict[int, list[int]] = {}
    for field, query in grouped.items():
        for faction, per_month in engine_search.month_counts(searcher, query, field, months).items():
            total = per_faction.setdefault(faction, [0] * len(months))
            for position, n in enumerate(per_month):
                total[position] += n
    factions = list(Faction.objects.filter(pk__in=per_faction).select_related("party").order_by("short_name"))
    return {"months": months, "factions": factions, "counts": {faction.pk: per_faction[faction.pk] for faction in factions}, "outside": outside}


def answer_time_by_ministry(term: Term, *, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """Per answering ministry of ``term``: answers with a known answer time, their median and bucket counts."""
    on = on_or_today(on)
    if search.uses_engine():
        return _answer_time_rows(_engine_answer_figures(term, on))
    rows = (
        public_inquiries()
        .filter(term=term, answer_days__isnull=False, answering_ministry__isnull=False)
        .answered(on)
        .order_by()
        .values("answering_ministry_id", "answer_days")
        .annotate(n=Count("pk"))
    )
    per_ministry: dict[int, dict[int, int]] = {}
    for row in rows:
        per_ministry.setdefault(row["answering_ministry_id"], {})[row["answer_days"]] = row["n"]
    # Answers of the same inquiries by kind: the share refused in whole or in part.
    kinds = {
        row["inquiry__answering_ministry_id"]: row
        for row in Question.objects.filter(
            inquiry__in=public_inquiries().filter(term=term, answer_days__isnull=False, answering_ministry__isnull=False).answered(on).order_by().values("pk")
        )
        .exclude(answer_kind=AnswerKind.NONE)
        .order_by()
        .values("inquiry__answering_ministry_id")
        .annotate(answers=Count("pk"), refused=Count("pk", filter=Q(answer_kind__in=REFUSING_KINDS)))
    }
    return _answer_time_rows(
        {
            pk: (frequencies, kinds.get(pk, {}).get("answers", 0), kinds.get(pk, {}).get("refused", 0))
            for pk, frequencies in per_ministry.items()
        }
    )


def _engine_answer_figures(term: Term, on: datetime.date) -> dict[int, tuple[dict[int, int], int, int]]:
    """Per answering ministry of ``term``'s inquiries answered by ``on`` with a known answer time:
    (days → inquiries, answers, refused), in one aggregation over the search index."""
    from inquiries.search import engine, engine_search

    searcher, schema, _index = engine.searcher()
    matches = engine_search.all_of(
        engine_search.one_of(schema, "term", [term.pk]),
        engine_search.status_query(schema, "answered", on),
        tantivy.Query.exists_query("answer_days"),
        tantivy.Query.exists_query("ministry"),
    )
    return {
        pk: (figures.days, figures.answers, figures.refused)
        for pk, figures in engine_search.answer_figures_by_ministry(searcher, matches).items()
    }


def _answer_time_rows(figures: dict[int, tuple[dict[int, int], int, int]]) -> list[dict[str, Any]]:
    """The rows of the answer-time table from ministry id → (days → inquiries, answers, refused)."""
    ministries = Ministry.objects.select_related("parliament").in_bulk(figures.keys())
    result = []
    for pk, (frequencies, answers, refused) in figures.items():
        buckets = [
            sum(n for days, n in frequencies.items() if low <= days and (high is None or days <= high))
            for low, high in ANSWER_TIME_BUCKETS
        ]
        result.append(
            {
                "ministry": ministries[pk], "total": sum(frequencies.values()), "median": median(frequencies), "buckets": buckets,
                "answers": answers, "refused": refused, "refused_share": refused / answers if answers else None,
            }
        )
    return sorted(result, key=lambda row: row["ministry"].name)


def overdue_inquiries(*, on: datetime.date | None = None, limit: int = 50) -> tuple[list[Inquiry], int]:
    overdue = inquiry_rows().overdue(on_or_today(on))
    return list(overdue.order_by("due_on", "pk")[:limit]), overdue.count()
