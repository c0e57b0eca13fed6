"""The page frame (navigation, language switch, footer) is rendered once per language and
reused (``{% frame %}`` in ``base.html``); what belongs to one request stays that request's."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, override_settings
from django.urls import reverse

from tests.site_world import build_world

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT = re.compile(r'<input name="next" type="hidden" value="([^"]*)">')


@pytest.fixture
def world():
    return build_world()


def _pages(world) -> list[tuple[str, str]]:
    person = world.asker
    return [
        (world.main.get_absolute_url(), "de"),
        (world.main.get_absolute_url() + "?utm_source=x&a=%22b%22", "de"),
        (world.late.get_absolute_url(), "en"),
        ("/", "de"),
        ("/", "en"),
        (reverse("inquiries:inquiry-list"), "de"),
        (reverse("inquiries:inquiry-list") + "?q=Polizei+%3Cb%3E", "en"),
        # The search form's and the facets' fixed parts are kept frames too, between the
        # request's values: its words, dates, answer kinds, ordering and errors.
        (reverse("inquiries:inquiry-list") + "?q=%22Polizei%22&asked_after=2020-01-01&answered_before=2030-12-31&answer_kind=refused&ordering=-asked", "de"),
        (reverse("inquiries:inquiry-list") + "?q=Polizei&asked_after=kein-datum&ordering=unbekannt", "en"),
        (reverse("inquiries:inquiry-list") + "?parliament=bw&page=2", "de"),
        (reverse("inquiries:person-index"), "de"),
        (reverse("inquiries:person-detail", kwargs={"slug": person.slug}), "en"),
        (reverse("inquiries:statistics"), "de"),
        ("/gibt-es-nicht/", "de"),
        ("/gibt-es-nicht/", "en"),
    ]


def _masked(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


def test_pages_with_the_kept_frame_are_the_pages_rendered_whole(world, monkeypatch):
    """The same bytes as rendering every part anew (as with DEBUG), in any order of languages,
    navigation pages and others, but for the CSRF token, which is new each time."""
    from inquiries.templatetags import portal

    client = Client()
    monkeypatch.setattr(portal, "keeps_frames", lambda: False)
    whole = [client.get(url, HTTP_ACCEPT_LANGUAGE=language) for url, language in _pages(world)]
    monkeypatch.undo()
    kept = [client.get(url, HTTP_ACCEPT_LANGUAGE=language) for url, language in _pages(world) * 2]
    for (url, language), before, after in zip(_pages(world) * 2, whole * 2, kept):
        assert (url, language, after.status_code) == (url, language, before.status_code)
        assert _masked(after.content.decode()) == _masked(before.content.decode()), (url, language)


def test_each_page_gets_its_own_csrf_token_and_return_address(world):
    client = Client(enforce_csrf_checks=True)
    first = client.get(world.main.get_absolute_url()).content.decode()
    address = world.late.get_absolute_url() + "?a=1&b=%3Cx%3E"
    second = client.get(address).content.decode()
    assert NEXT.search(first).group(1) == world.main.get_absolute_url()
    assert NEXT.search(second).group(1) == address.replace("&", "&amp;")
    token = TOKEN.search(second).group(1)
    assert token != TOKEN.search(first).group(1)
    # The token of the kept frame's page switches the language; the session cookie is the client's.
    switched = client.post(reverse("set_language"), {"language": "en", "next": address, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and switched["Location"] == address
    assert '<html lang="en">' in client.get(address).content.decode()


def test_the_frame_follows_the_language(world):
    client = Client()
    german = client.get(world.main.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get(world.main.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="language-select">Sprache</label>' in german
    assert '<option value="de" lang="de" selected>Deutsch</option>' in german
    assert '<label for="language-select">Language</label>' in english
    assert '<option value="en" lang="en" selected>English</option>' in english
    assert "<p>Daten: Landtage und Bundestag" in german and "<p>Data: state parliaments and Bundestag" in english


def test_a_navigation_page_marks_its_link_after_other_pages_kept_the_frame(world):
    client = Client()
    inquiry_page = client.get(world.main.get_absolute_url()).content.decode()
    assert 'aria-current="page"' not in inquiry_page
    assert '<input id="site-search-q" name="q" type="search" value="">' in inquiry_page
    listing = client.get(reverse("inquiries:inquiry-list") + "?q=Wasserstoff").content.decode()
    assert f'<a href="{reverse("inquiries:inquiry-list")}" aria-current="page">' in listing
    assert '<input id="site-search-q" name="q" type="search" value="Wasserstoff">' in listing
    people = client.get(reverse("inquiries:person-index")).content.decode()
    assert f'<a href="{reverse("inquiries:person-index")}" aria-current="page">' in people
    assert people.count('aria-current="page"') == 1
    assert _masked(client.get(world.main.get_absolute_url()).content.decode()) == _masked(inquiry_page)


def test_the_frame_follows_the_script_prefix(world):
    """A site mounted below a path (SCRIPT_NAME) links below it: through the WSGI handler, which sets the prefix."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    handler = WSGIHandler()

    def page(script_name: str) -> str:
        environ = RequestFactory()._base_environ(PATH_INFO=world.main.get_absolute_url(), SCRIPT_NAME=script_name)
        # As the test client does: the test's transaction keeps its connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, lambda status, headers: None)
            try:
                return b"".join(response).decode()
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    assert '<a class="brand" href="/">' in page("")
    prefixed = page("/portal")
    assert '<a class="brand" href="/portal/">' in prefixed
    assert '<form class="site-search" action="/portal/anfragen/"' in prefixed
    assert '<a class="brand" href="/">' in page("")


def test_a_changed_setting_renders_the_frame_anew(world):
    client = Client()
    client.get(world.main.get_absolute_url())
    with override_settings(LANGUAGES=[("de", "Deutsch"), ("en", "English"), ("fr", "Français")]):
        html = client.get(world.main.get_absolute_url()).content.decode()
    assert '<option value="fr" lang="fr">français</option>' in html
    assert 'value="fr"' not in client.get(world.main.get_absolute_url()).content.decode()


def test_a_frame_holds_no_block_and_keeps_its_names_inside():
    with pytest.raises(TemplateSyntaxError, match="cannot hold a"):
        Template("{% load portal %}{% frame %}{% block x %}{% endblock %}{% endframe %}")
    template = Template("{% load portal %}{% frame %}{% site_url 'inquiries:home' as home %}[{{ home }}]{% endframe %}({{ home }})")
    assert template.render(Context({})) == "[/]()"
    assert template.render(Context({})) == "[/]()"


def test_the_page_blocks_are_found_without_walking_into_the_frames():
    """{% extends %} looks for base.html's blocks on every render; frames are skipped, which
    finds the same blocks because a frame cannot hold one."""
    from django.template.loader import get_template
    from django.template.loader_tags import BlockNode

    from inquiries.templatetags.portal import FrameNode

    def every_node(nodelist):
        for node in nodelist:
            yield node
            for name in ("nodelist", "nodelist_loop", "nodelist_empty", "nodelist_true", "nodelist_false"):
                if isinstance(getattr(node, name, None), list):
                    yield from every_node(getattr(node, name))
            for _condition, branch in getattr(node, "conditions_nodelists", []):
                yield from every_node(branch)

    nodes = list(every_node(get_template("base.html").template.nodelist))
    assert any(isinstance(node, FrameNode) for node in nodes)
    found = get_template("base.html").template.nodelist.get_nodes_by_type(BlockNode)
    assert sorted(block.name for block in found) == sorted(node.name for node in nodes if isinstance(node, BlockNode))
    assert {"content", "title", "scripts", "head"} <= {block.name for block in found}


def test_a_frame_by_a_value_is_kept_once_per_value(monkeypatch):
    from inquiries.templatetags import portal

    monkeypatch.setattr(portal, "keeps_frames", lambda: True)
    template = Template("{% load portal %}{% frame by page %}[{{ page }} {{ other }}]{% endframe %}")
    assert template.render(Context({"page": "/a/", "other": 1})) == "[/a/ 1]"
    assert template.render(Context({"page": "", "other": 2})) == "[ 2]"
    assert template.render(Context({"page": "/a/", "other": 3})) == "[/a/ 1]"
    assert template.render(Context({"page": "", "other": 4})) == "[ 2]"
    with pytest.raises(TemplateSyntaxError, match="'by value'"):
        Template("{% load portal %}{% frame over page %}{% endframe %}")


def test_the_navigation_pages_header_is_rendered_once_and_the_search_box_holds_each_requests_words(world, monkeypatch):
    """The header of the list page is kept like every other page's (one per navigation page),
    while its search box shows the words of each request."""
    from inquiries.templatetags import portal

    monkeypatch.setattr(portal, "keeps_frames", lambda: True)
    rendered = []
    original = portal.FrameNode._render_nodes

    def counted(self, context):
        if self.by is not None:
            rendered.append(context.get("navigation_page"))
        return original(self, context)

    monkeypatch.setattr(portal.FrameNode, "_render_nodes", counted)
    client = Client()
    list_url = reverse("inquiries:inquiry-list")
    for words, shown in [("Wasserstoff", "Wasserstoff"), ('Polizei <b> "x"', "Polizei &lt;b&gt; &quot;x&quot;"), ("", "")]:
        html = client.get(list_url, {"q": words}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert f'<input id="site-search-q" name="q" type="search" value="{shown}">' in html
        assert f'<a href="{list_url}" aria-current="page">' in html
    # Both parts of the header (around the search box's words), once for the list page.
    assert rendered.count(list_url) == 2
    people = client.get(reverse("inquiries:person-index"), {"q": "Wasserstoff"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<input id="site-search-q" name="q" type="search" value="">' in people
    assert f'<a href="{reverse("inquiries:person-index")}" aria-current="page">' in people and people.count('aria-current="page"') == 1
    inquiry = client.get(world.main.get_absolute_url(), {"q": "Wasserstoff"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<input id="site-search-q" name="q" type="search" value="">' in inquiry and 'aria-current="page"' not in inquiry
