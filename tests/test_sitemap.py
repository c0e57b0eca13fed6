"""sitemap.xml (an index of sections), robots.txt and the error pages."""

from __future__ import annotations

import pytest
from django.template import loader
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.site_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(extra=1)


def _section(client, name: str) -> str:
    response = client.get(reverse("sitemap-section", kwargs={"section": name}))
    assert response.status_code == 200
    return response.content.decode()


def test_sitemap_index_points_to_every_section(client, world):
    response = client.get(reverse("sitemap"))
    xml = response.content.decode()
    assert response.status_code == 200 and "<sitemapindex" in xml
    for name in ("seiten", "anfragen", "personen", "fraktionen", "ministerien"):
        assert f"<loc>http://testserver/sitemap-{name}.xml</loc>" in xml
    newest = max(inquiry.updated_at for inquiry in (world.main, world.late, world.overdue, *world.extra))
    assert f"<loc>http://testserver/sitemap-anfragen.xml</loc><lastmod>{timezone.localtime(newest).isoformat()}</lastmod>" in xml


def test_sitemap_lists_published_inquiries_only(client, world):
    xml = _section(client, "anfragen")
    for inquiry in (world.main, world.late, world.overdue, *world.extra):
        assert f"<loc>http://testserver{inquiry.get_absolute_url()}</loc>" in xml
    assert world.draft.get_absolute_url() not in xml
    assert world.withdrawn.get_absolute_url() not in xml
    assert xml.count("<url>") == 4


def test_sitemap_lists_people_factions_ministries_and_pages(client, world):
    people = _section(client, "personen")
    for person in (world.asker, world.second_asker, world.minister):
        assert f"http://testserver{person.get_absolute_url()}" in people
    assert world.fdp.get_absolute_url() in _section(client, "fraktionen")
    assert world.old_ministry.get_absolute_url() in _section(client, "ministerien")
    assert f"<loc>http://testserver{reverse('inquiries:statistics')}</loc>" in _section(client, "seiten")


def test_people_who_only_asked_drafts_are_not_in_the_sitemap(client, world):
    from tests.factories import InquiryFactory, PersonFactory

    hidden = PersonFactory(slug="nur-entwuerfe")
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/9001", draft=True, askers=[hidden])
    assert "nur-entwuerfe" not in _section(client, "personen")


def test_unknown_sitemap_section_is_404(client, world):
    assert client.get("/sitemap-gibtsnicht.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_404_page_is_in_the_site_design(client):
    response = client.get("/gibt/es/nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<a class="skip-link" href="#main">' in html
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert 'rel="canonical"' not in html


def test_500_page_renders_without_request_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert '<html lang="de">' in html
    assert "<h1>Fehler auf dem Server</h1>" in html
    assert 'href="/static/css/portal.css"' in html


@override_settings(DEBUG=False)
def test_server_error_uses_the_500_page(client, monkeypatch):
    from inquiries.selectors import pages

    def broken(*args, **kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(pages, "home_summary", broken)
    client.raise_request_exception = False
    response = client.get(reverse("inquiries:home"))
    assert response.status_code == 500
    assert "<h1>Fehler auf dem Server</h1>" in response.content.decode()


def test_sitemap_index_lastmod_ignores_later_changes_of_drafts_and_withdrawn_inquiries(client, world):
    newest = max(inquiry.updated_at for inquiry in (world.main, world.late, world.overdue, *world.extra))
    for hidden in (world.draft, world.withdrawn):
        hidden.title += " (geändert)"
        hidden.save()
        assert hidden.updated_at > newest
    xml = client.get(reverse("sitemap")).content.decode()
    assert f"<loc>http://testserver/sitemap-anfragen.xml</loc><lastmod>{timezone.localtime(newest).isoformat()}</lastmod>" in xml
