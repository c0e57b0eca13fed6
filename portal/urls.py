from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.health import health

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("oparl/v1/", include("inquiries.oparl.urls")),
    path("popolo/v1/", include("inquiries.popolo.urls")),
    path("", include("inquiries.urls")),
]
