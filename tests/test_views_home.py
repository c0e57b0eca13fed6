"""Home page and the site frame (base.html): language, skip link, meta tags, header search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.site_world import HIDDEN_TITLES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(extra=1)


def test_home_shows_counts_latest_overdue_and_ways_in(client, world):
    response = client.get(reverse("inquiries:home"))
    html = response.content.decode()
    assert response.status_code == 200
    context = response.context
    # 4 published (main, late, overdue, one extra): the draft and the withdrawn one do not count.
    assert context["inquiry_count"] == 4
    assert context["answered_count"] == 3
    assert context["overdue_count"] == 1
    assert [inquiry.reference for inquiry in context["latest"]] == ["17/6206", "17/1001", "17/8000"]
    assert [inquiry.reference for inquiry in context["overdue"]] == ["17/7000"]
    assert world.main.title in html and world.overdue.title in html
    assert f'href="{reverse("inquiries:inquiry-list")}?parliament=bw&amp;term=17"' in html
    for name in ("inquiries:faction-index", "inquiries:person-index", "inquiries:ministry-index", "inquiries:statistics"):
        assert f'href="{reverse(name)}"' in html
    for title in HIDDEN_TITLES:
        assert title not in html


def test_frame_is_german_with_skip_link_meta_tags_and_header_search(client, world):
    html = client.get(reverse("inquiries:home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de">' in html
    assert '<a class="skip-link" href="#main">Zum Inhalt springen</a>' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert '<meta property="og:url" content="http://testserver/">' in html
    assert '<meta property="og:title" content="Parlamentarische Anfragen und die Antworten der Regierungen">' in html
    assert '<meta name="description" content="Kleine und Große Anfragen aus Bundestag' in html
    assert f'<form class="site-search" action="{reverse("inquiries:inquiry-list")}" method="get" role="search"' in html
    assert '<input id="site-search-q" name="q" type="search"' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html


def test_switching_to_english_translates_the_frame_and_marks_german_data(client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("inquiries:home")})
    assert response.status_code == 302
    html = client.get(reverse("inquiries:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Latest answers" in html
    assert '<meta property="og:locale" content="en_GB">' in html
    # Titles of inquiries stay German and say so.
    assert f'<h3 class="inquiry-card__title" lang="de"><a href="{world.main.get_absolute_url()}">' in html


def test_canonical_url_keeps_only_the_page_number(client, world):
    html = client.get(reverse("inquiries:person-index") + "?page=2&utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/personen/?page=2">' in html
    html = client.get(reverse("inquiries:person-index") + "?page=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/personen/">' in html


@pytest.mark.parametrize("page", ["¹", "²3", "①", "٣", "-2", "2.0", " 2"])
def test_canonical_url_ignores_page_numbers_that_are_not_plain_digits(client, world, page):
    """Found by bench/bad_input.py: str.isdigit() accepts "¹", which int() refuses."""
    response = client.get(reverse("inquiries:home"), {"page": page})
    assert response.status_code == 200
    assert '<link rel="canonical" href="http://testserver/">' in response.content.decode()


def test_the_frame_names_its_addresses_as_the_url_tag_would(rf, world):
    """base.html reverses its fixed addresses once per process (``site_url``): the same frame as
    with ``{% url %}``, in both languages and under a script prefix (a site mounted below /)."""
    import re

    from django.contrib.auth.models import AnonymousUser
    from django.template import engines
    from django.urls import set_script_prefix
    from django.utils import translation

    from portal.settings import BASE_DIR

    source = (BASE_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% site_url " in source
    engine = engines["django"]
    cached, plain = engine.from_string(source), engine.from_string(source.replace("{% site_url ", "{% url "))
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

    def render(template, path: str) -> str:
        request = rf.get(path)
        request.user = AnonymousUser()
        return token.sub("", template.render({}, request))

    try:
        for prefix in ("/", "/portal/"):
            set_script_prefix(prefix)
            for language in ("de", "en"):
                with translation.override(language):
                    for path in ("/anfragen/", "/personen/", "/"):
                        html = render(cached, path)
                        assert html == render(plain, path)
                        assert f'<a class="brand" href="{prefix}">' in html
                        assert f'action="{prefix}i18n/setlang/"' in html
    finally:
        set_script_prefix("/")
