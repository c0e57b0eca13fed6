"""Every page's head (``inquiries/templatetags/page_head.py``) prints what base.html's blocks
printed, and a page can still override each block."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from tests.site_world import build_world

# base.html's title, description, canonical and OpenGraph before the tags printed them.
OLD_HEAD = """{% load i18n static portal %}{% get_current_language as LANGUAGE_CODE %}
  <title>{% block title %}{{ page_title|default:_("Anfragen-Portal") }}{% endblock %} – {% translate "Anfragen-Portal" %}</title>
  <meta name="description" content="{% block description %}{{ page_description|default:_("Kleine und Große Anfragen der deutschen Parlamente mit den Antworten der Regierungen, Frage für Frage.") }}{% endblock %}">
  {% block canonical %}<link rel="canonical" href="{% canonical_url %}">{% endblock %}
  {% block opengraph %}
  <meta property="og:site_name" content="{% translate "Anfragen-Portal" %}">
  <meta property="og:type" content="{{ og_type|default:"website" }}">
  <meta property="og:title" content="{{ page_title|default:_("Anfragen-Portal") }}">
  <meta property="og:description" content="{{ page_description|default:_("Kleine und Große Anfragen der deutschen Parlamente mit den Antworten der Regierungen, Frage für Frage.") }}">
  <meta property="og:url" content="{% canonical_url %}">
  <meta property="og:locale" content="{% if LANGUAGE_CODE == "en" %}en_GB{% else %}de_DE{% endif %}">
  {% endblock %}
"""

HEAD = re.compile(r"<head>(.*?)\{% frame %\}", re.S)

CONTEXTS = [
    {"page_title": "20/1234: Polizei", "page_description": "Kleine Anfrage 20/1234, Bundestag.", "og_type": "article"},
    {},
    {"page_title": "", "page_description": None, "og_type": ""},
    {"page_title": "<b>Tom & Jerry's \"Anfrage\"</b>", "page_description": "a < b > c & 'd'", "og_type": "<x>"},
    {"page_title": mark_safe("<em>sicher</em> &amp; gut"), "page_description": mark_safe("&lt;schon&gt;")},
    {"page_title": gettext_lazy("Personen"), "page_description": gettext_lazy("Abgeordnete und Regierungsmitglieder mit ihren Anfragen.")},
]
ADDRESSES = ["/bt/drucksache/20-1234/", "/anfragen/?q=a&b=%3Cc%3E&page=3", "/personen/?page=1"]


def _new_head() -> str:
    """The same part of today's base.html."""
    source = engines["django"].engine.find_template("base.html")[0].source
    first_line = source[: source.index("<!DOCTYPE")]
    return first_line + "\n" + source[source.index("  <title>") : source.index("  {% frame %}")]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_head_is_what_the_blocks_printed(language, settings):
    settings.ALLOWED_HOSTS = ["portal.example"]
    old, new = (engines["django"].from_string(source) for source in (OLD_HEAD, _new_head()))
    factory = RequestFactory(HTTP_HOST="portal.example")
    compared = 0
    with translation.override(language):
        for context in CONTEXTS:
            for address in ADDRESSES:
                printed = [template.render(dict(context), factory.get(address)) for template in (old, new)]
                assert printed[1] == printed[0], (context, address)
                compared += 1
    assert compared == len(CONTEXTS) * len(ADDRESSES)
    # The defaults do come out in each language (not just the same on both sides).
    with translation.override(language):
        printed = new.render({}, factory.get("/"))
    assert ("<title>Inquiry Portal – Inquiry Portal</title>" in printed) == (language == "en")
    assert ('content="en_GB"' in printed) == (language == "en")


@pytest.mark.django_db
def test_pages_override_the_blocks_they_had_overridden():
    world = build_world()
    client = Client()
    inquiry = client.get(world.main.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    head = inquiry[: inquiry.index("</head>")]
    assert f"<title>{world.main.reference}: " in head and "– Inquiry Portal</title>" in head
    assert '<meta property="og:type" content="article">' in head and 'content="en_GB"' in head
    assert f'<link rel="canonical" href="http://testserver{world.main.get_absolute_url()}">' in head
    missing = client.get("/gibt-es-nicht/").content.decode()
    head = missing[: missing.index("</head>")]
    # The 404 page has its own title, and neither canonical address nor OpenGraph tags.
    assert "<title>Seite nicht gefunden – Anfragen-Portal</title>" in head
    assert "canonical" not in head and "og:" not in head
    open_data = client.get(reverse("inquiries:open-data")).content.decode()
    assert '<meta name="description" content="Alle veröffentlichten Anfragen als Gesamtdownload' in open_data
