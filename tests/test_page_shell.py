"""The inquiry page is printed from its shell (``inquiries.page_shell``): base.html around the
page printed once per language, script prefix and navigation page, each request's values in
its holes. tests/test_page_frame.py compares the pages' bytes with the template printed whole."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.response import TemplateResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from inquiries import page_shell
from tests.site_world import build_world

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _masked(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


def test_the_frame_is_printed_once_for_every_inquiry_page():
    world = build_world()
    client = Client()
    first = client.get(world.main.get_absolute_url())
    assert "base.html" in [template.name for template in first.templates]
    for inquiry in (world.late, world.main, world.overdue):
        response = client.get(inquiry.get_absolute_url())
        assert response.status_code == 200
        # No template printed: the shell's fixed parts and the article, which is Python.
        assert response.templates == []
        html = response.content.decode()
        assert f"<title>{inquiry.reference}: " in html and f'<h1 lang="de">{inquiry.title}</h1>' in html
        assert f'<link rel="canonical" href="http://testserver{inquiry.get_absolute_url()}">' in html
        assert html.endswith("</body>\n</html>\n")
    # Another language, another shell.
    assert "base.html" in [template.name for template in client.get(world.main.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").templates]


def test_each_request_gets_its_own_token_and_cookie_from_the_shell():
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    client.get(world.late.get_absolute_url())
    response = client.get(world.main.get_absolute_url() + "?x=%3Cb%3E")
    assert response.templates == []
    assert "csrftoken" in response.cookies and "Cookie" in response["Vary"]
    html = response.content.decode()
    assert f'<input name="next" type="hidden" value="{world.main.get_absolute_url()}?x=%3Cb%3E">' in html
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": TOKEN.search(html).group(1)})
    assert switched.status_code == 302


def test_a_navigation_pages_shell_holds_the_search_words():
    """The search box shows the words of the request on the list page: escaped, the last of several."""
    world = build_world()
    context = {"page_title": "Titel <i>", "page_description": "Beschreibung & mehr", "og_type": "article"}
    with translation.override("de"):
        address = reverse("inquiries:inquiry-list")
        for query in ("?q=Polizei+%3Cb%3E&q=%22Wache%22", "?page=3", ""):
            printed = []
            for render in (page_shell.render, lambda request, name, context, content: TemplateResponse(request, name, context).render()):
                request = RequestFactory().get(address + query)
                response = render(request, "inquiries/inquiry_detail.html", {**context, "page": _page(world)}, _article)
                printed.append(_masked(response.content.decode()))
            assert printed[0] == printed[1]
            assert f'<a href="{address}" aria-current="page">' in printed[0]
        assert '<input id="site-search-q" name="q" type="search" value="">' in printed[0]
        request = RequestFactory().get(address + "?q=Polizei+%3Cb%3E&q=%22Wache%22")
        html = page_shell.render(request, "inquiries/inquiry_detail.html", {**context, "page": _page(world)}, _article).content.decode()
    assert '<input id="site-search-q" name="q" type="search" value="&quot;Wache&quot;">' in html
    assert "<title>Titel &lt;i&gt; – Anfragen-Portal</title>" in html
    assert '<meta name="description" content="Beschreibung &amp; mehr">' in html


def _page(world):
    from inquiries.selectors import pages

    return pages.inquiry_detail_page("bw", world.main.reference.replace("/", "-"))


def _article(values) -> str:
    from inquiries.templatetags.inquiry_article import inquiry_article

    return inquiry_article(values, values["page"])


@pytest.mark.parametrize("template_name", ["inquiries/inquiry_list.html", "base.html", "error_standalone.html"])
def test_a_template_that_fills_the_head_or_no_content_has_no_shell(template_name):
    request = RequestFactory().get("/")
    with pytest.raises(ImproperlyConfigured, match="cannot be printed as a shell"):
        page_shell.render(request, template_name, {}, lambda values: "")


def test_with_debug_the_template_is_printed_whole(settings):
    world = build_world()
    settings.DEBUG = True
    client = Client()
    for _ in range(2):
        response = client.get(world.main.get_absolute_url())
        assert "inquiries/inquiry_detail.html" in [template.name for template in response.templates]
