from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from inquiries.api.views import NotFoundView as ApiNotFoundView
from inquiries.views import robots_txt
from portal.health import health
from portal.sitemaps import SITEMAPS

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("health/", health, name="health"),
    path("oparl/v1/", include("inquiries.oparl.urls")),
    path("popolo/v1/", include("inquiries.popolo.urls")),
    path("benachrichtigungen/", include("inquiries.alerts.urls")),
    path("api/v1/", include("inquiries.api.urls")),
    re_path(r"^api/", ApiNotFoundView.as_view()),
    path("", include("inquiries.urls")),
]
