from __future__ import annotations

from typing import Any

from django.views.generic import DetailView, ListView, TemplateView

from inquiries import selectors


class HomeView(TemplateView):
    template_name = "inquiries/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **selectors.home_summary()}


class InquiryListView(ListView):
    template_name = "inquiries/inquiry_list.html"
    context_object_name = "inquiries"
    paginate_by = 25

    def get_queryset(self):
        return selectors.inquiry_list()


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
