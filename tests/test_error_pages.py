"""The 400 page for too many query parameters, and the 500 page without a static manifest."""

from __future__ import annotations

import json

import pytest
from django.core import checks
from django.template import loader
from django.test import override_settings
from django.urls import reverse

from inquiries import views

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def _query(count: int) -> str:
    return "&".join(["kind=minor"] * count)


@pytest.mark.parametrize("debug", [False, True])
def test_too_many_query_parameters_get_the_sites_400_page_before_any_view_or_query(client, settings, monkeypatch, debug, django_assert_num_queries):
    settings.DEBUG = debug

    def never(*args, **kwargs):
        raise AssertionError("the view must not be reached")

    monkeypatch.setattr(views.InquiryListView, "get", never)
    with django_assert_num_queries(0):
        response = client.get(f"{reverse('inquiries:inquiry-list')}?{_query(3000)}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Ungültige Anfrage</h1>" in html and 'class="site-header"' in html
    assert response["Cache-Control"] == "no-store"


def test_the_limit_is_djangos_own(client, settings):
    url = reverse("inquiries:inquiry-list")
    assert client.get(f"{url}?{_query(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}").status_code == 200
    assert client.get(f"{url}?{_query(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}").status_code == 400
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None
    assert client.get(f"{url}?{_query(1200)}").status_code == 200


def test_the_api_refuses_too_many_parameters_too(client):
    response = client.get(f"/api/v1/inquiries/?{_query(3000)}")
    assert response.status_code == 400


@override_settings(STORAGES=MANIFEST_STORAGE, DEBUG=False)
def test_500_page_renders_when_collectstatic_was_forgotten(client, settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path
    html = loader.get_template("500.html").render()
    assert "<h1>Fehler auf dem Server</h1>" in html
    assert 'href="/static/css/portal.css"' in html

    from inquiries.selectors import pages

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pages, "home_summary", broken)
    client.raise_request_exception = False
    response = client.get(reverse("inquiries:home"))
    assert response.status_code == 500
    assert "<h1>Fehler auf dem Server</h1>" in response.content.decode()


@override_settings(STORAGES=MANIFEST_STORAGE)
def test_500_page_links_the_hashed_stylesheet_when_the_manifest_is_there(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": {"css/portal.css": "css/portal.abc123.css"}, "hash": "x"}))
    assert 'href="/static/css/portal.abc123.css"' in loader.get_template("500.html").render()


@override_settings(STORAGES=MANIFEST_STORAGE)
def test_system_check_warns_of_a_missing_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    assert "portal.W001" in {message.id for message in checks.run_checks(tags=[checks.Tags.staticfiles])}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": {}, "hash": "x"}))
    assert "portal.W001" not in {message.id for message in checks.run_checks(tags=[checks.Tags.staticfiles])}


def test_system_check_is_quiet_without_hashed_static_files():
    assert "portal.W001" not in {message.id for message in checks.run_checks(tags=[checks.Tags.staticfiles])}
