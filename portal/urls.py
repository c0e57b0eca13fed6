from django.contrib import admin
from django.urls import include, path, re_path

from inquiries.api.views import NotFoundView as ApiNotFoundView
from portal.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("oparl/v1/", include("inquiries.oparl.urls")),
    path("popolo/v1/", include("inquiries.popolo.urls")),
    path("api/v1/", include("inquiries.api.urls")),
    re_path(r"^api/", ApiNotFoundView.as_view()),
    path("", include("inquiries.urls")),
]
