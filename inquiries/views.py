from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from inquiries import search, selectors
from inquiries.filters import InquiryFilterSet, Sort


class HomeView(TemplateView):
    template_name = "inquiries/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **selectors.home_summary()}


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

    def get_queryset(self):
        return selectors.inquiry_search_base()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, so that the default ordering applies to the bare URL too.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filterset.is_valid():
            response.status_code = 400
        return response

    def paginate_queryset(self, queryset, page_size: int) -> tuple[Paginator, Page, list, bool]:
        paginator = self.get_paginator(selectors.inquiry_page(queryset), page_size)
        # Out-of-range or malformed page numbers show the nearest page rather than an error.
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        valid = filterset.is_valid()
        query_text = filterset.search_text
        parsed = search.parse_query(query_text)
        inquiries = context["inquiries"]
        highlights = search.highlights(parsed, inquiries)
        paginator, page = context.get("paginator"), context.get("page_obj")
        feed_params = self.request.GET.copy()
        for name in self.FEED_EXCLUDED:
            feed_params.pop(name, None)
        context.update(
            {
                "filter": filterset,
                "valid": valid,
                "query_text": query_text,
                "query_ignored": bool(query_text) and parsed.is_empty,
                "result_count": paginator.count if paginator else len(inquiries),
                "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1) if paginator else [],
                "facets": selectors.inquiry_facets(filterset) if valid else [],
                "hits": [(inquiry, highlights.get(inquiry.pk)) for inquiry in inquiries],
                "sort": filterset.sort,
                "sort_choices": [(key, label) for key, label in Sort.CHOICES.items() if key != Sort.RELEVANCE or not parsed.is_empty],
                "chosen_people": list(filterset.form.cleaned_data.get("person") or []) if valid else [],
                "feed_url": reverse("inquiries:inquiry-feed") + (f"?{feed_params.urlencode()}" if feed_params else ""),
            }
        )
        return context


class InquiryDetailView(DetailView):
    template_name = "inquiries/inquiry_detail.html"
    context_object_name = "inquiry"

    def get_object(self, queryset=None):
        return selectors.published_inquiry(self.kwargs["parliament"], self.kwargs["reference"])


class PersonDetailView(DetailView):
    template_name = "inquiries/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return selectors.person_detail(self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = self.object
        return {
            **super().get_context_data(**kwargs),
            "memberships": selectors.person_memberships(person),
            "offices": selectors.person_offices(person),
            "inquiries": selectors.person_inquiries(person)[:50],
        }


class FactionDetailView(DetailView):
    template_name = "inquiries/faction_detail.html"
    context_object_name = "faction"

    def get_object(self, queryset=None):
        return selectors.faction_detail(self.kwargs["parliament"], self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "inquiries": selectors.faction_inquiries(self.object)[:50]}


class MinistryDetailView(DetailView):
    template_name = "inquiries/ministry_detail.html"
    context_object_name = "ministry"

    def get_object(self, queryset=None):
        return selectors.ministry_detail(self.kwargs["parliament"], self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "inquiries": selectors.ministry_inquiries(self.object)[:50]}
