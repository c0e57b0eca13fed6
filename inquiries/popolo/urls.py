"""URLs of the Popolo export."""

from django.urls import path

from inquiries.popolo import views

app_name = "popolo"

urlpatterns = [
    path("", views.index, name="index"),
    path("persons.json", views.persons, name="persons"),
    path("organizations.json", views.organizations, name="organizations"),
    path("memberships.json", views.memberships, name="memberships"),
    path("export.json", views.everything, name="export"),
]
