"""URLs of the OParl endpoint. An object's URL is its OParl id: never change a route."""

from django.urls import path

from inquiries.oparl import views

app_name = "oparl"

urlpatterns = [
    path("", views.SystemView.as_view(), name="system"),
    path("bodies/", views.BodyListView.as_view(), name="body-list"),
    path("body/<str:code>/", views.BodyView.as_view(), name="body"),
    path("body/<str:code>/organizations/", views.BodyOrganizationsView.as_view(), name="body-organizations"),
    path("body/<str:code>/persons/", views.BodyPersonsView.as_view(), name="body-persons"),
    path("body/<str:code>/memberships/", views.BodyMembershipsView.as_view(), name="body-memberships"),
    path("body/<str:code>/papers/", views.BodyPapersView.as_view(), name="body-papers"),
    path("body/<str:code>/files/", views.BodyFilesView.as_view(), name="body-files"),
    path("body/<str:code>/legislativeterms/", views.BodyLegislativeTermsView.as_view(), name="body-legislativeterms"),
    path("body/<str:code>/meetings/", views.BodyMeetingsView.as_view(), name="body-meetings"),
    path("legislativeterm/<int:pk>/", views.LegislativeTermView.as_view(), name="legislativeterm"),
    path("organization/faction/<int:pk>/", views.FactionView.as_view(), name="organization-faction"),
    path("organization/ministry/<int:pk>/", views.MinistryView.as_view(), name="organization-ministry"),
    path("person/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("membership/faction/<int:pk>/", views.MembershipView.as_view(), name="membership-faction"),
    path("membership/office/<int:pk>/", views.OfficeView.as_view(), name="membership-office"),
    path("paper/<int:pk>/", views.PaperView.as_view(), name="paper"),
    path("file/<int:pk>/<str:kind>/", views.FileView.as_view(), name="file"),
]
