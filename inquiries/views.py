from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from html import escape
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils import formats
from django.utils.translation import get_language, gettext as _
from django.views.generic import DetailView, ListView, TemplateView, View
from django_filters.views import FilterView

from inquiries import charts, facet_links, list_texts, listing_rows, page_links, page_shell, search
from inquiries.selectors import counts, history, listing, pages, statistics
from inquiries.filters import ANSWER_KIND_CHOICES, InquiryFilterSet, Sort
from inquiries.models import Inquiry, Term
from inquiries.query import InquiryQuery
from inquiries.templatetags.inquiry_article import inquiry_article
from inquiries.templatetags.portal import site_url


INQUIRIES_PER_PAGE = 25


def paginate(request: HttpRequest, queryset: Any, per_page: int = INQUIRIES_PER_PAGE) -> Page:
    """The requested page; a missing, malformed or too large number gives the first or last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@functools.lru_cache(maxsize=16)
def _choice_labels(language: str | None) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The search form's orderings and answer kinds, (value, label as text), translated once
    per language and process. As text: a lazy label printed by the template is escaped lazily
    first. Translated on every page they were 14 of its ~80 translations."""
    return (
        tuple((key, str(label)) for key, label in Sort.CHOICES.items()),
        tuple((value, str(label)) for value, label in ANSWER_KIND_CHOICES),
    )


def _options(choices: Iterable[tuple[str, str]], chosen: Callable[[str], bool], indent: str) -> SafeString:
    """A select's ``<option>`` elements (value, label as text), as the template's loop wrote
    them: in the template the two selects' 14 options cost some 0.4 ms of lookups a page."""
    return mark_safe("".join(  # noqa: S308 - value and label escaped here
        f'\n{indent}<option value="{escape(value)}"{" selected" if chosen(value) else ""}>{escape(label)}</option>' for value, label in choices
    ))


class ResultsPaginator(Paginator):
    """The paginator of one page of ``listing.results``: its count and rows are known, so
    the template's page links come without reading anything again."""

    def __init__(self, results: listing.Results) -> None:
        super().__init__([], results.per_page)
        self.count = results.total
        self.results = results

    def page(self, number: Any) -> Page:
        return self._get_page(self.results.rows, self.validate_number(number), self)


def _results_page(results: listing.Results) -> Page:
    """The Django page of ``results`` for the page links of ``includes/pagination.html``."""
    return ResultsPaginator(results).page(results.number)


def _inquiries_of(query: InquiryQuery) -> dict[str, Any]:
    """A person's or group's inquiries: the page asked for and the years, both off one state of
    the search index (the query object carries it: one catch-up per request, not one per read)."""
    return {"year_counts": counts.per_year(query), "page_obj": _results_page(pages.inquiry_page(query))}


def _follow_links(feed_url: str, **filters: str) -> dict[str, str]:
    """Links to the list/search page with these filters (the parameters of ``InquiryFilterSet``),
    to e-mail alerts for them and to the page's own Atom feed."""
    query = urlencode(filters)
    return {
        "search_url": f"{reverse('inquiries:inquiry-list')}?{query}",
        "alert_url": f"{reverse('alerts:subscribe')}?{query}",
        "feed_url": feed_url,
    }


class PageMetaMixin:
    """``page_title`` and ``page_description`` for the title, meta description and OpenGraph tags."""

    page_title: str = ""
    page_description: str = ""

    def get_page_meta(self) -> dict[str, str]:
        return {"page_title": self.page_title, "page_description": self.page_description}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.get_page_meta()}  # type: ignore[misc]


class HomeView(PageMetaMixin, TemplateView):
    template_name = "inquiries/home.html"

    def get_page_meta(self) -> dict[str, str]:
        return {
            "page_title": _("Parlamentarische Anfragen und die Antworten der Regierungen"),
            "page_description": _("Kleine und Große Anfragen aus Bundestag und Landtagen mit den Antworten der Regierungen, Frage für Frage durchsuchbar."),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **pages.home_summary()}


class _LazyQuerySet(SimpleLazyObject):
    """A queryset made when first used; its model is known before (``FilterSet`` asks for it)."""

    model = Inquiry


class InquiryListView(FilterView):
    """List and full-text search with filters, facets and sorting; the state lives in the URL.

    Invalid parameters give the page with their messages and no results (HTTP 400).
    """

    template_name = "inquiries/inquiry_list.html"
    context_object_name = "inquiries"
    filterset_class = InquiryFilterSet
    paginate_by = 25
    # Parameters that select the results (not the page or its order): shared with the feed link.
    FEED_EXCLUDED = {"page", "ordering"}
    # One page of a valid request's results with their number, facets and highlights.
    results: listing.Results | None = None

    def get_queryset(self):
        # Built only if something reads it: the page comes from ``listing.results``, and
        # building the published inquiries' queryset cost 0.15–0.25 ms of each page.
        return _LazyQuerySet(listing.inquiry_search_base)

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, so that the default ordering applies to the bare URL too.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        valid = self.filterset.is_valid()
        self.results = listing.results(self.filterset.query, per_page=self.paginate_by) if valid else None
        # The page's rows are ``listing.results``'; ``paginate_queryset`` does not read this.
        self.object_list = []
        response = self.render_to_response(self.get_context_data(filter=self.filterset, object_list=self.object_list))
        if not valid:
            response.status_code = 400
        return response

    def paginate_queryset(self, queryset, page_size: int) -> tuple[Paginator, Page, list, bool]:
        if self.results is None:
            # Invalid parameters: no results, one empty page.
            paginator = self.get_paginator([], page_size)
            page = paginator.get_page(1)
        else:
            paginator = ResultsPaginator(self.results)
            page = paginator.page(self.results.number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        valid = filterset.is_valid()
        query_text = filterset.search_text
        parsed = filterset.parsed_query
        inquiries = context["inquiries"]
        highlights = self.results.highlights if self.results else {}
        hits = [(inquiry, highlights.get(inquiry.pk)) for inquiry in inquiries]
        paginator, page = context.get("paginator"), context.get("page_obj")
        sort_labels, answer_kind_labels = _choice_labels(get_language())
        feed_params = self.request.GET.copy()
        for name in self.FEED_EXCLUDED:
            feed_params.pop(name, None)
        context.update(self.facet_context(filterset, valid))
        count = paginator.count if paginator else len(inquiries)
        context.update(self.suggestion_context(query_text if valid and not parsed.is_empty else "", count))
        context.update(
            {
                "filter": filterset,
                "valid": valid,
                "query_text": query_text,
                "query_ignored": bool(query_text) and parsed.is_empty,
                "result_count": count,
                # The title's and the results heading's texts (inquiries/list_texts.py).
                "page_heading": list_texts.title(query_text, page.number),
                "results_heading": list_texts.results_heading(
                    query_text, bool(query_text) and not parsed.is_empty, count, page.number, paginator.num_pages if paginator else 1
                ),
                "pagination": page_links.pagination(
                    self.request.GET,
                    page.number,
                    paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
                    Paginator.ELLIPSIS,
                    has_previous=page.has_previous(),
                    has_next=page.has_next(),
                ),
                "facets": self.results.facets if self.results else [],
                "hits": hits,
                "hit_rows": listing_rows.render_hits(hits),
                "sort_options": _options(
                    [(key, label) for key, label in sort_labels if key != Sort.RELEVANCE or not parsed.is_empty],
                    lambda key: key == filterset.sort,
                    "      ",
                ),
                "chosen_people": list(filterset.query.people) if valid else [],
                "answer_kind_options": _options(
                    answer_kind_labels, lambda value, kinds=self.request.GET.getlist("answer_kind"): value in kinds, "        "
                ),
                # The date fields as given (the last of repeated values, as request.GET.name in a template).
                "date_values": (dates := {name: self.request.GET.get(name, "") for name in self.DATE_FIELDS}),
                "dates_open": any(dates.values()),
                "feed_url": site_url("inquiries:inquiry-feed") + (f"?{feed_params.urlencode()}" if feed_params else ""),
                # The alert link's parameters: what ``{% querystring page=None ordering=None %}``
                # wrote ("?" alone when the request had only those), without its copy and lookups.
                "follow_query": f"?{feed_params.urlencode()}" if feed_params or self.request.GET else "",
            }
        )
        return context


    DATE_FIELDS = ("asked_after", "asked_before", "answered_after", "answered_before")
    # Parameters the search form shows as fields of its own; every other one rides along hidden.
    FORM_FIELDS = frozenset({"q", "ordering", "page", "answer_kind", "asked_after", "asked_before", "answered_after", "answered_before"})

    # Fewer results than this, and the search offers a spelling correction ("Meinten Sie …?").
    SUGGEST_BELOW = 3

    def suggestion_context(self, query_text: str, count: int) -> dict[str, Any]:
        if not query_text or count >= self.SUGGEST_BELOW:
            return {}
        suggestion = search.suggest(query_text)
        if not suggestion:
            return {}
        params = self.request.GET.copy()
        params["q"] = suggestion
        params.pop("page", None)
        return {"suggestion": suggestion, "suggestion_url": f"{self.request.path}?{params.urlencode()}"}

    def facet_context(self, filterset: InquiryFilterSet, valid: bool) -> dict[str, Any]:
        """The facets as lists of links, the chosen filters as removable chips and the
        parameters the form keeps hidden, so a new search keeps the chosen filters."""
        params, path = self.request.GET, self.request.path
        facets = self.results.facets if self.results else []
        fields = filterset.form.fields
        value_labels = facet_links.facet_value_labels(facets)
        if valid:
            for person in filterset.query.people:
                value_labels[("person", person.slug.casefold())] = person.full_name
        return {
            "facet_sections": (sections := facet_links.facet_sections(
                path, params, facets, lambda name: getattr(fields[name].widget, "allow_multiple_selected", False)
            )),
            "facet_sections_html": facet_links.sections_html(sections),
            "chips": facet_links.chips(path, params, facet_links.parameter_labels(filterset), value_labels),
            "clear_filters_url": facet_links.only(path, params, ("q", "ordering")),
            "hidden_filters": [(name, value) for name in params if name not in self.FORM_FIELDS for value in params.getlist(name)],
        }


def name_suggestions(request: HttpRequest) -> JsonResponse:
    """People, factions and ministries matching ``q``, for the search box's suggestions
    (static/js/search-suggest.js); the plain search form does not need it."""
    found = pages.name_suggestions(request.GET.get("q", ""))
    response = JsonResponse({"results": [{"kind": item.kind, "label": item.label, "detail": str(item.detail), "url": item.url} for item in found]})
    response["Cache-Control"] = "public, max-age=300"
    return response


class InquiryDetailView(View):
    template_name = "inquiries/inquiry_detail.html"
    withdrawn_template_name = "inquiries/inquiry_withdrawn.html"

    def get(self, request: HttpRequest, parliament: str, reference: str) -> HttpResponse:
        page = pages.inquiry_detail_page(parliament, reference)
        inquiry = page.inquiry
        context = {
            "inquiry": inquiry,
            "page": page,
            "page_title": f"{inquiry.reference}: {inquiry.title}",
            "page_description": _("%(kind)s %(reference)s, %(parliament)s: die Fragen und die Antworten der Regierung.")
            % {"kind": page.kind_label, "reference": inquiry.reference, "parliament": inquiry.parliament.name},
            "og_type": "article",
        }
        if page.withdrawn:
            return TemplateResponse(request, self.withdrawn_template_name, context, status=410)
        context["api_url"] = f"/api/v1/inquiries/{inquiry.pk}/"
        context["correction_log"] = history.correction_log(inquiry) if page.corrected else []
        # The template's content block is ``{% inquiry_article page %}``.
        return page_shell.render(request, self.template_name, context, lambda values: inquiry_article(values, page))


class PersonIndexView(PageMetaMixin, ListView):
    template_name = "inquiries/person_index.html"
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self):
        return pages.person_index()

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size)
        page.object_list = counts.with_inquiry_counts(page.object_list, "person")
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_page_meta(self) -> dict[str, str]:
        return {"page_title": _("Personen"), "page_description": _("Abgeordnete und Regierungsmitglieder mit ihren Anfragen.")}


class PersonDetailView(DetailView):
    template_name = "inquiries/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return pages.person_detail(self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = self.object
        return {
            **super().get_context_data(**kwargs),
            "page_title": person.full_name,
            "page_description": _("Anfragen, Fraktionen und Ämter von %(name)s.") % {"name": person.full_name},
            "og_type": "profile",
            "memberships": pages.person_memberships(person),
            "offices": pages.person_offices(person),
            **_inquiries_of(pages.person_query(person, page=self.request.GET.get("page"))),
            **_follow_links(reverse("inquiries:person-feed", kwargs={"slug": person.slug}), person=person.slug),
        }


class FactionIndexView(PageMetaMixin, ListView):
    template_name = "inquiries/faction_index.html"
    context_object_name = "factions"

    def get_queryset(self):
        return pages.faction_index()

    def get_page_meta(self) -> dict[str, str]:
        return {"page_title": _("Fraktionen"), "page_description": _("Die Fraktionen der Parlamente mit ihren Anfragen.")}


class FactionDetailView(DetailView):
    template_name = "inquiries/faction_detail.html"
    context_object_name = "faction"

    def get_object(self, queryset=None):
        return pages.faction_detail(self.kwargs["parliament"], self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        faction = self.object
        return {
            **super().get_context_data(**kwargs),
            "page_title": f"{faction.name or faction.short_name} – {faction.parliament.name}",
            "page_description": _("Anfragen und Mitglieder der Fraktion %(name)s, %(parliament)s.")
            % {"name": faction.short_name, "parliament": faction.parliament.name},
            "members": pages.faction_members(faction),
            **_inquiries_of(pages.faction_query(faction, page=self.request.GET.get("page"))),
            **_follow_links(
                reverse("inquiries:faction-feed", kwargs={"parliament": faction.parliament.code.lower(), "slug": faction.slug}),
                parliament=faction.parliament.code.lower(),
                faction=faction.slug,
            ),
        }


class MinistryIndexView(PageMetaMixin, ListView):
    template_name = "inquiries/ministry_index.html"
    context_object_name = "ministries"

    def get_queryset(self):
        return pages.ministry_index()

    def get_page_meta(self) -> dict[str, str]:
        return {"page_title": _("Ministerien"), "page_description": _("Die antwortenden Ministerien mit ihren Antwortzeiten.")}


class MinistryDetailView(DetailView):
    template_name = "inquiries/ministry_detail.html"
    context_object_name = "ministry"

    def get_object(self, queryset=None):
        return pages.ministry_detail(self.kwargs["parliament"], self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ministry = self.object
        return {
            **super().get_context_data(**kwargs),
            "page_title": ministry.name,
            "page_description": _("Beantwortete Anfragen, Antwortzeiten und Fristen: %(name)s.") % {"name": ministry.name},
            "stats": pages.ministry_answer_stats(ministry),
            "name_history": ministry.name_history(),
            "offices": pages.ministry_offices(ministry),
            "page_obj": _results_page(pages.inquiry_page(pages.ministry_answered_query(ministry, page=self.request.GET.get("page")))),
            **_follow_links(
                reverse("inquiries:ministry-feed", kwargs={"parliament": ministry.parliament.code.lower(), "slug": ministry.slug}),
                parliament=ministry.parliament.code.lower(),
                ministry=ministry.slug,
            ),
        }


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "M Y")


def _answer_time_labels() -> list[str]:
    """Names of the answer-time classes: "bis 7 Tage", "8–14 Tage" … "über 42 Tage"."""
    labels = []
    for low, high in statistics.ANSWER_TIME_BUCKETS:
        if high is None:
            labels.append(_("über %(days)s Tage") % {"days": low - 1})
        elif low == 0:
            labels.append(_("bis %(high)s Tage") % {"high": high})
        else:
            labels.append(_("%(low)s–%(high)s Tage") % {"low": low, "high": high})
    return labels


class StatisticsView(PageMetaMixin, TemplateView):
    template_name = "inquiries/statistics.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        terms = statistics.statistics_terms()
        choices = {f"{term.parliament.code.lower()}-{term.number}": term for term in terms}
        wanted = request.GET.get("wp")
        if wanted is not None and wanted not in choices:
            context = self.get_context_data(terms=terms, choices=choices, error=_("Diese Wahlperiode gibt es hier nicht. Bitte wählen Sie eine aus der Liste."))
            return self.render_to_response(context, status=400)
        term = choices[wanted] if wanted else (terms[0] if terms else None)
        return self.render_to_response(self.get_context_data(terms=terms, choices=choices, term=term, **self._charts(term)))

    def _charts(self, term: Term | None) -> dict[str, Any]:
        overdue, overdue_count = statistics.overdue_inquiries()
        result: dict[str, Any] = {"overdue": overdue, "overdue_count": overdue_count}
        if term is None:
            return result
        monthly = statistics.inquiries_per_month_by_faction(term)
        series = [(faction.short_name, monthly["counts"][faction.pk]) for faction in monthly["factions"]]
        result["monthly"] = monthly
        result["monthly_rows"] = [
            {"month": month, "counts": [values[i] for _name, values in series], "total": sum(values[i] for _name, values in series)}
            for i, month in enumerate(monthly["months"])
        ]
        if monthly["months"]:
            colours = [charts.party_colour(faction.party.short_name if faction.party else None, faction.short_name) for faction in monthly["factions"]]
            result["monthly_chart"] = charts.stacked_columns(monthly["months"], series, column_label=_month_label, colours=colours)
        answer_times = statistics.answer_time_by_ministry(term)
        classes = _answer_time_labels()
        result["answer_times"] = answer_times
        result["answer_time_classes"] = classes
        if answer_times:
            result["answer_time_chart"] = charts.stacked_bars([(row["ministry"].name, row["buckets"]) for row in answer_times], classes)
        return result

    def get_page_meta(self) -> dict[str, str]:
        return {
            "page_title": _("Statistik"),
            "page_description": _("Anfragen je Monat und Fraktion, Antwortzeiten je Ministerium und überfällige Antworten."),
        }


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class OpenDataView(TemplateView):
    """The open-data page: the latest bulk download, the API and the licences."""

    template_name = "inquiries/open_data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from inquiries import dumps

        return {**super().get_context_data(**kwargs), "dump": dumps.latest_dump(), "sources": dumps.KNOWN_SOURCES.values()}


def dump_download(request: HttpRequest, name: str) -> FileResponse:
    """A dump file by name (only files that ``dumps.dump_path`` accepts)."""
    from inquiries import dumps

    path = dumps.dump_path(name)
    if path is None:
        raise Http404(name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/gzip")
