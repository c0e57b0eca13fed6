"""URLs of the API v1, mounted at /api/v1/ (see docs/api.md)."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from inquiries.api import views
from inquiries.api.docs import DocsView, SchemaView

app_name = "api"


class Router(DefaultRouter):
    APIRootView = views.ApiRootView
    # ``?format=csv`` instead of ``.csv`` suffixes: one address per resource.
    include_format_suffixes = False


router = Router()
router.register("parliaments", views.ParliamentViewSet, basename="parliament")
router.register("terms", views.TermViewSet, basename="term")
router.register("parties", views.PartyViewSet, basename="party")
router.register("factions", views.FactionViewSet, basename="faction")
router.register("people", views.PersonViewSet, basename="person")
router.register("ministries", views.MinistryViewSet, basename="ministry")
router.register("inquiries", views.InquiryViewSet, basename="inquiry")
router.register("search", views.SearchViewSet, basename="search")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
