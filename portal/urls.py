from django.contrib import admin
from django.urls import include, path

from portal.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("", include("inquiries.urls")),
]
