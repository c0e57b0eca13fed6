from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oparl/v1/", include("inquiries.oparl.urls")),
    path("popolo/v1/", include("inquiries.popolo.urls")),
    path("", include("inquiries.urls")),
]
