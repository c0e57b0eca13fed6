"""Parts of the list and search page written in Python instead of by the template
(``inquiries/list_texts.py``, ``facet_links.sections_html``, the form's options in
``views._options``): each is the text the template wrote before, compared here with those
very template fragments over many values, in German and English."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inquiries import facet_links, list_texts
from inquiries.selectors.facets import Facet, FacetValue
from inquiries.views import _options

LIST_URL = reverse("inquiries:inquiry-list")

# The template's fragments as they were (commit 947c5c9's inquiry_list.html).
OLD_TITLE = Template(
    "{% load i18n %}{% if query_text %}{% blocktranslate %}Suche nach „{{ query_text }}“{% endblocktranslate %}"
    '{% else %}{% translate "Anfragen" %}{% endif %}{% if page_obj.number > 1 %} – {% blocktranslate with number=page_obj.number %}'
    "Seite {{ number }}{% endblocktranslate %}{% endif %}"
)
OLD_HEADING = Template(
    "{% load i18n humanize %}{% if query_text and not query_ignored %}{% blocktranslate with count=result_count|intcomma query=query_text"
    " count counter=result_count %}{{ count }} Treffer für „{{ query }}“{% plural %}{{ count }} Treffer für „{{ query }}“{% endblocktranslate %}"
    "{% else %}{% blocktranslate with count=result_count|intcomma count counter=result_count %}{{ count }} Anfrage{% plural %}"
    '{{ count }} Anfragen{% endblocktranslate %}{% endif %}{% if paginator.num_pages > 1 %}<span class="page-of">, '
    "{% blocktranslate with number=page_obj.number total=paginator.num_pages %}Seite {{ number }} von {{ total }}{% endblocktranslate %}"
    "</span>{% endif %}"
)
OLD_SECTIONS = Template(
    "{% load i18n %}{% for section in facet_sections %}{% if section.links %}\n"
    '  <details class="facet"{% if section.chosen %} open{% endif %}>\n'
    '    <summary><h3>{{ section.facet.label }}{% if section.chosen %} <span class="facet-chosen">({% blocktranslate count counter=section.chosen %}'
    "{{ counter }} gewählt{% plural %}{{ counter }} gewählt{% endblocktranslate %})</span>{% endif %}</h3></summary>\n"
    '    <ul class="facet-values">{{ section.links_html }}\n    </ul>\n  </details>{% endif %}{% endfor %}'
)
OLD_SORT = Template(
    "{% for key, label in sort_choices %}\n"
    '      <option value="{{ key }}"{% if key == sort %} selected{% endif %}>{{ label }}</option>{% endfor %}'
)
OLD_ANSWER_KINDS = Template(
    "{% for value, label in answer_kind_choices %}\n"
    '        <option value="{{ value }}"{% if value in selected_answer_kinds %} selected{% endif %}>{{ label }}</option>{% endfor %}'
)

QUERIES = ["", "Polizei", 'Polizei "Feuerwehr" -Wache', "<b>&amp; 'x' \"y\"</b>", "100 % sicher", "Straße über Äcker"]
COUNTS = [0, 1, 2, 999, 1000, 24027, 1234567]
PAGES = [(1, 1), (1, 2), (2, 2), (3, 961), (1000, 4000)]


class _Paginator:
    def __init__(self, num_pages: int) -> None:
        self.num_pages = num_pages


class _Page:
    def __init__(self, number: int) -> None:
        self.number = number


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_title_is_the_templates(language):
    with translation.override(language):
        for query in QUERIES:
            for number, _pages in PAGES:
                old = OLD_TITLE.render(Context({"query_text": query, "page_obj": _Page(number)}))
                assert list_texts.title(query, number) == old, (query, number)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_results_heading_is_the_templates(language):
    with translation.override(language):
        for query in QUERIES:
            for ignored in (False, True):
                for count in COUNTS:
                    for number, pages in PAGES:
                        old = OLD_HEADING.render(Context({
                            "query_text": query, "query_ignored": ignored and bool(query), "result_count": count,
                            "paginator": _Paginator(pages), "page_obj": _Page(number),
                        }))
                        new = list_texts.results_heading(query, bool(query) and not ignored, count, number, pages)
                        assert new == old, (query, ignored, count, number, pages)


def _facets(chosen: set[str]) -> list[Facet]:
    def value(name: str, label: str, count: int) -> FacetValue:
        return FacetValue(name, label, count, name in chosen)

    return [
        Facet("parliament", "Parlament", [value("bw", "Baden-Württemberg", 1234), value("ni", "Niedersachsen", 2)]),
        Facet("faction", "Fraktion", [value("spd", "SPD <BW> & \"Co\" 'x'", 4), value("fdp", "FDP/DVP (BW)", 0), value("afd", "AfD", 1)]),
        Facet("term", "Wahlperiode", []),
        Facet("status", "Stand & <Frist>", [value("open", "offen", 5), value("overdue", "überfällig", 1), value("answered", "beantwortet", 0)]),
    ]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("query, chosen", [
    ("", set()),
    ("q=Polizei&page=3", set()),
    ("parliament=bw", {"bw"}),
    ("faction=spd&faction=afd&q=a+%26+b", {"spd", "afd"}),
    ("status=open&parliament=bw&parliament=ni", {"open", "bw", "ni"}),
])
def test_the_facet_sections_are_the_templates(language, query, chosen):
    from django.http import QueryDict

    multiple = {"parliament": True, "faction": True, "term": False, "status": False}.__getitem__
    with translation.override(language):
        sections = facet_links.facet_sections(LIST_URL, QueryDict(query), _facets(chosen), multiple)
        assert facet_links.sections_html(sections) == OLD_SECTIONS.render(Context({"facet_sections": sections}))


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_forms_options_are_the_templates(language):
    from inquiries.views import _choice_labels

    with translation.override(language):
        sort_labels, answer_kind_labels = _choice_labels(language)
        odd = [("<x>", "a & \"b\" 'c'"), ("", "leer")]
        for sort in ["relevance", "-answered", "reference", "<x>", ""]:
            choices = [*sort_labels, *odd]
            old = OLD_SORT.render(Context({"sort_choices": choices, "sort": sort}))
            assert _options(choices, lambda key: key == sort, "      ") == old
        for selected in [[], ["refused"], ["refused", "classified", "<x>"], [""]]:
            choices = [*answer_kind_labels, *odd]
            old = OLD_ANSWER_KINDS.render(Context({"answer_kind_choices": choices, "selected_answer_kinds": selected}))
            assert _options(choices, lambda value: value in selected, "        ") == old


@pytest.mark.django_db
@pytest.mark.parametrize("language, texts", [
    ("de", ["<title>Suche nach „Polizei &lt;b&gt;“ – Anfragen-Portal</title>", '<h2 id="results-heading">0 Treffer für „Polizei &lt;b&gt;“</h2>',
            '<option value="-asked" selected>', '<option value="refused" selected>']),
    ("en", ["<title>Search for “Polizei &lt;b&gt;” – ", '<h2 id="results-heading">0 hits for “Polizei &lt;b&gt;”</h2>',
            '<option value="-asked" selected>', '<option value="refused" selected>']),
])
def test_the_search_page_shows_them(language, texts):
    html = Client().get(LIST_URL + "?q=Polizei+%3Cb%3E&ordering=-asked&answer_kind=refused", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in texts:
        assert text in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "page=2", "page=2&ordering=-asked", "q=a+%26+b&page=3&kind=minor&kind=major", "q=%3C%22%27%3E&ordering=-asked&status=open"])
def test_the_alert_link_is_the_querystring_tags(query):
    from django.test import RequestFactory

    request = RequestFactory().get(LIST_URL + ("?" + query if query else ""))
    old = Template("{% load portal %}<a href=\"{% site_url 'alerts:subscribe' %}{% querystring page=None ordering=None %}\">")
    from django.template import RequestContext

    expected = old.render(RequestContext(request, {}))
    html = Client().get(LIST_URL + ("?" + query if query else "")).content.decode()
    assert expected in html
