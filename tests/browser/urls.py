"""The site's URLs plus one that fails, so that the 500 page is checked like any other page."""

from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a deliberate error for the 500 page check")


urlpatterns = [path("__test__/fehler/", fail), *site_urlpatterns]
