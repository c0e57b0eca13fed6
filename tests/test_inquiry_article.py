"""The inquiry page's article (``inquiry_article.article_html``) prints what the template block printed."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from inquiries.models import Inquiry
from inquiries.selectors import history, pages
from inquiries.templatetags.inquiry_article import article_html
from inquiries.templatetags.portal import canonical_url
from tests.factories import InquiryFactory, QuestionFactory
from tests.site_world import build_world

pytestmark = pytest.mark.django_db

# The block ``content`` of ``inquiry_detail.html`` before ``{% inquiry_article %}`` printed it.
ARTICLE_TEMPLATE = """{% load i18n static portal answer_layout inquiry_facts %}{% with paper_urls=page.paper_urls %}
<article class="inquiry">
  <header class="inquiry__header">
    <p class="meta">{{ inquiry.parliament.name }} · {% translate "Drucksache" %} {{ inquiry.reference }} · {{ page.kind_label }}</p>
    <h1 lang="de">{{ inquiry.title }}</h1>
  </header>
  {% inquiry_facts page %}

  {% if inquiry.explanation %}<section class="text-block" aria-labelledby="explanation-heading">
    <h2 id="explanation-heading">{% translate "Begründung" %}</h2>
    <div lang="de">{{ inquiry.explanation|paper_links:paper_urls }}</div>
  </section>{% endif %}
  {% if inquiry.government_preface %}<section class="text-block" aria-labelledby="preface-heading">
    <h2 id="preface-heading">{% translate "Vorbemerkung der Regierung" %}</h2>
    <div lang="de">{{ inquiry.government_preface|paper_links:paper_urls }}</div>
  </section>{% endif %}

  <section aria-labelledby="questions-heading">
    <h2 id="questions-heading">{% translate "Fragen und Antworten" %}</h2>
    {% if page.questions %}{% questions_and_answers page %}{% else %}
    <p>{% translate "Für diese Anfrage sind die einzelnen Fragen und Antworten nicht erfasst." %}{% if inquiry.source_url %} {% translate "Das Dokument finden Sie bei der Quelle (siehe unten)." %}{% endif %}</p>
    {% endif %}
  </section>

  {% if page.related %}<section aria-labelledby="related-heading">
    <h2 id="related-heading">{% translate "Verwandte Drucksachen" %}</h2>
    <ul>{% for reference, url in page.related %}<li>{% if url %}<a href="{{ url }}">{% translate "Drucksache" %} {{ reference }}</a>{% else %}{% translate "Drucksache" %} {{ reference }}{% endif %}</li>{% endfor %}</ul>
  </section>{% endif %}

  {% include "inquiries/includes/correction_log.html" %}

  <section class="about" aria-labelledby="about-heading">
    <h2 id="about-heading">{% translate "Dokument, Zitieren, Daten" %}</h2>
    <ul class="plain about__links">
      {% if inquiry.document %}<li><a href="{{ inquiry.document.url }}" download>{% translate "Originaldokument herunterladen" %}</a></li>{% endif %}
      {% if inquiry.source_url %}<li><a href="{{ inquiry.source_url }}" rel="external">{% translate "Dokument bei der Quelle" %}</a></li>{% endif %}
      {% if api_url %}<li><a href="{{ api_url }}" type="application/json">{% translate "Dieselben Daten in der API (JSON)" %}</a></li>{% endif %}
    </ul>
    <h3 id="citation-heading">{% translate "Zitiervorschlag" %}</h3>
    <p class="citation"><span lang="de">{% for link in page.askers %}{{ link.person.name }}{% if link.faction %} ({{ link.faction.name }}){% endif %}{% if not forloop.last %}, {% endif %}{% empty %}{% for faction in page.factions %}{{ faction.name }}{% if not forloop.last %}, {% endif %}{% endfor %}{% endfor %}{% if page.askers or page.factions %}: {% endif %}{{ inquiry.title }}. {{ page.kind_label }}{% if page.answering_ministry %} {% translate "und Antwort" %} ({{ page.answering_ministry.name }}){% endif %}. {{ inquiry.parliament.name }}, {% translate "Drucksache" %} {{ inquiry.reference }}{% if inquiry.answered_on %}, {{ inquiry.answered_on|date:"d.m.Y" }}{% endif %}.</span> {% canonical_url %}</p>
    {% if inquiry.source_notice %}<p class="source">{% translate "Quelle der Daten:" %} <span lang="de">{{ inquiry.source_notice }}</span></p>{% endif %}
  </section>
</article>
{% endwith %}"""


def _inquiries(world) -> list[Inquiry]:
    """Inquiries that take every branch of the article."""
    # Corrected after publication: the correction log shows.
    world.overdue.title = "Ausstattung der Freiwilligen Feuerwehren <&> \"neu\""
    world.overdue.save()
    without_questions = InquiryFactory(
        parliament=world.parliament, term=world.term, reference="17/7401", title="Ohne Fragen <b>&</b> 'Zitat'",
        source_url="https://www.landtag-bw.de/files/live/sites/LTBW/files/dokumente/WP17/Drucksachen/7000/17_7401_D.pdf?a=1&b=2",
        source_notice='Metadaten: "kleineanfragen.de" & <ODbL>', askers=[], factions=[world.fdp, world.greens],
        answering_ministry=None, explanation="Eine Zeile\r\nund noch eine\n\n\nNeuer Absatz mit Drs. 17/1001.",
    )
    Inquiry.objects.filter(pk=without_questions.pk).update(document="antworten/17_7401.pdf")
    nobody = InquiryFactory(
        parliament=world.parliament, term=world.term, reference="17/7402", title="Niemand fragt", askers=[], factions=[],
        answering_ministry=None, answered_on=None, kind="major", government_preface="Nur eine Vorbemerkung.",
        related_references=["17/7401", "17/404", "17/7402"],
    )
    QuestionFactory(inquiry=nobody, position=1, number="1", text="Eine Frage?", answer="")
    return [world.main, world.late, world.overdue, without_questions, nobody]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_article_prints_as_the_template_block_printed_it(client, language):
    world = build_world()
    printed = []
    for inquiry in _inquiries(world):
        response = client.get(inquiry.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        page_html = response.content.decode()
        with translation.override(language):
            page = pages.inquiry_detail_page("bw", inquiry.reference.replace("/", "-"))
            log = history.correction_log(page.inquiry) if page.corrected else []
            context = {"inquiry": page.inquiry, "page": page, "correction_log": log, "request": response.wsgi_request}
            public = Template(ARTICLE_TEMPLATE).render(Context({**context, "api_url": f"/api/v1/inquiries/{inquiry.pk}/"}))
            # As the staff preview prints it: no address in the API.
            preview = Template(ARTICLE_TEMPLATE).render(Context(context))
            canonical = canonical_url(Context(context))
            assert article_html(page, api_url=None, correction_log=log, canonical=canonical) == preview
        assert page_html.split('<main id="main" tabindex="-1">\n    ', 1)[1].split("\n  </main>", 1)[0] == public
        printed.append(public)
    # Each branch was taken by some inquiry, and left by another.
    for mark in ('class="correction-log"', " download>", 'rel="external"', 'type="application/json"', "17/404", 'class="source"',
                 'id="explanation-heading"', 'id="preface-heading"', 'id="related-heading"', 'class="qa"', 'href="/bw/drucksache/17-1001/"',
                 '<ul class="plain">', "&lt;b&gt;&amp;&lt;/b&gt; &#x27;Zitat&#x27;"):
        assert any(mark in html for html in printed), mark
        assert not all(mark in html for html in printed) or mark == 'type="application/json"', mark


def test_the_labels_follow_each_requests_language(client):
    world = build_world()
    url = world.main.get_absolute_url()
    for language, heading in [("de", "Fragen und Antworten"), ("en", "Questions and answers"), ("de", "Fragen und Antworten")]:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<h2 id="questions-heading">{heading}</h2>' in html
