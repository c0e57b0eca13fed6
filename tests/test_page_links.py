"""The list page's page links written in Python (inquiries/page_links.py) print what the
template's ``{% querystring %}`` loop printed, byte for byte (issue 13, item 5)."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from inquiries import page_links

# The loop of templates/inquiries/inquiry_list.html before page_links.py wrote it.
TEMPLATE_LOOP = """{% load i18n %}
      {% if page_obj.has_previous %}<li><a href="{% querystring page=page_obj.previous_page_number %}" rel="prev">{% translate "vorige Seite" %}</a></li>{% endif %}
      {% for number in page_range %}<li>{% if number == paginator.ELLIPSIS %}<span aria-hidden="true">…</span>{% elif number == page_obj.number %}<a href="{% querystring page=number %}" aria-current="page">{% blocktranslate %}<span class="visually-hidden">Seite </span>{{ number }}{% endblocktranslate %}</a>{% else %}<a href="{% querystring page=number %}">{% blocktranslate %}<span class="visually-hidden">Seite </span>{{ number }}{% endblocktranslate %}</a>{% endif %}</li>{% endfor %}
      {% if page_obj.has_next %}<li><a href="{% querystring page=page_obj.next_page_number %}" rel="next">{% translate "nächste Seite" %}</a></li>{% endif %}
"""

QUERIES = [
    "",
    "q=Polizei",
    "q=Polizei&page=3&parliament=bw",
    "page=2&q=%22Wort+folge%22+-aus&faction=spd&faction=gr%C3%BCne",
    "q=%3C%26%3E%22%27&ordering=-asked",
    # The page number's stand-in among the parameters: each link is encoded on its own.
    "q=PAGENUMBERSLOTXQZ&kind=minor",
    "a=1&a=2&page=x&page=7&b=%C3%A4",
]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("number", [1, 2, 5, 39, 40])
def test_the_page_links_print_as_the_template_loop_printed_them(language, query, number):
    request = RequestFactory().get(f"/anfragen/?{query}")
    paginator = Paginator(range(1000), 25)
    page = paginator.page(number)
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(
            RequestContext(request, {"page_obj": page, "paginator": paginator,
                                     "page_range": paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)})
        )
        links = page_links.pagination(
            request.GET, number, paginator.get_elided_page_range(number, on_each_side=2, on_ends=1), Paginator.ELLIPSIS,
            has_previous=page.has_previous(), has_next=page.has_next(),
        )
    assert f"\n      {links.previous}\n      {links.pages}\n      {links.next}\n" == expected
    assert ("aria-current" in expected) and (number == 1 or 'rel="prev"' in expected)


def test_the_query_of_a_page_keeps_the_other_parameters_in_their_order():
    query = page_links.page_query(QueryDict("q=a+b&page=2&kind=minor"))
    assert query(7) == "?q=a+b&page=7&kind=minor"
    assert page_links.page_query(QueryDict(""))(3) == "?page=3"
