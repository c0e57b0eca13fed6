"""The inquiry page: facts, deadline, question–answer pairs with anchors, linked papers, withdrawn and drafts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inquiries import papers
from tests.factories import InquiryFactory
from tests.site_world import DRAFT_TITLE, WITHDRAWN_TITLE, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_inquiry_page_shows_facts_people_and_ministries(client, world):
    response = client.get(world.main.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 lang="de">Beteiligung der Landespolizei am Innovation Park Artificial Intelligence Heilbronn</h1>' in html
    assert "Drucksache 17/6206" in html and "Kleine Anfrage" in html
    assert f'<a href="{world.asker.get_absolute_url()}">Nico Weinmann</a> (<a href="{world.fdp.get_absolute_url()}">FDP/DVP</a>)' in html
    assert f'<a href="{world.ministry.get_absolute_url()}" lang="de">{world.ministry.name}</a>' in html
    assert "<dt>im Einvernehmen mit</dt>" in html and "<dt>nachrichtlich</dt>" in html
    assert f'<a href="{world.state_ministry.get_absolute_url()}" lang="de">Staatsministerium</a>' in html
    assert f'<a href="{world.minister.get_absolute_url()}">Thomas Strobl</a>, <span lang="de">Minister des Inneren' in html
    assert '<time datetime="2024-02-07">7. Februar 2024</time>' in html
    assert "Quelle: Landtag von Baden-Württemberg" in html
    assert f'href="/api/v1/inquiries/{world.main.pk}/"' in html


def test_deadline_line_says_how_long_and_whether_it_was_kept(client, world):
    html = client.get(world.main.get_absolute_url()).content.decode()
    assert "beantwortet nach 21 Tagen – Frist: 21 Tage" in html
    assert "Frist eingehalten" in html
    late = client.get(world.late.get_absolute_url()).content.decode()
    assert "beantwortet nach 58 Tagen – Frist: 21 Tage" in late
    assert "Frist um 37 Tage überschritten" in late
    overdue = client.get(world.overdue.get_absolute_url()).content.decode()
    assert "überfällig" in overdue and "Die Frist lief vor 19 Tagen ab" in overdue


def test_each_question_is_followed_by_its_answer_with_anchor_and_copy_link(client, world):
    html = client.get(world.main.get_absolute_url()).content.decode()
    positions = []
    for number, question, answer in [
        ("1", "In welcher Form will sich die Polizei", "Absichtserklärung unterzeichnet"),
        ("2", "Welche Stelle soll diese Kooperation", "Das Innovation-Hub der Polizei"),
        ("3", "Welche Ergebnisse erhofft sie sich", "Weitere Ergebnisse folgen"),
    ]:
        anchor = f'<article class="qa" id="frage-{number}"'
        positions += [html.index(anchor), html.index(question), html.index(answer), html.index(f'href="#frage-{number}"')]
        assert f'<a class="copy-link" href="#frage-{number}" data-copied="Link kopiert">Link zu Frage {number}</a>' in html
    assert positions == sorted(positions), "questions, answers and links must alternate in order"
    assert '<script src="/static/js/copy-link.js" defer></script>' in html
    assert "<script>" not in html


def test_references_to_published_papers_become_links(client, world):
    html = client.get(world.main.get_absolute_url()).content.decode()
    late_url = world.late.get_absolute_url()
    assert f'Wir verweisen auf Drucksache <a href="{late_url}">17/1001</a> und die Drucksachen 17/5555 sowie 17/9999.' in html
    assert f'Siehe Drucksache <a href="{late_url}">17/1001</a>.' in html
    # The draft 17/5555 is neither linked nor named by title.
    assert world.draft.get_absolute_url() not in html
    assert DRAFT_TITLE not in html
    assert f'<li><a href="{late_url}">Drucksache 17/1001</a></li>' in html
    assert "<li>Drucksache 17/5555</li>" in html


def test_reference_parsing_takes_runs_and_ignores_bare_numbers():
    assert papers.references_in("vgl. Drucksachen 17/12, 17/34 und 16/5; 3/4 Liter") == {"17/12", "17/34", "16/5"}
    assert papers.references_in("Drs. 16/100; am 1/2 Tag") == {"16/100"}
    html = papers.link_references("Drucksache 17/1 <b>\n\nzwei", {"17/1": "/bw/drucksache/17-1/"})
    assert html == '<p>Drucksache <a href="/bw/drucksache/17-1/">17/1</a> &lt;b&gt;</p>\n\n<p>zwei</p>'


def test_original_document_is_offered_for_download(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.main.document.save("17_6206.pdf", __import__("django.core.files.base", fromlist=["ContentFile"]).ContentFile(b"%PDF-1.4"))
    html = client.get(world.main.get_absolute_url()).content.decode()
    assert f'<a href="{world.main.document.url}" download>Originaldokument herunterladen</a>' in html


def test_withdrawn_inquiry_answers_410_with_the_reason_only(client, world):
    response = client.get(world.withdrawn.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 410
    assert "Diese Anfrage wurde zurückgezogen" in html
    assert "Von den Fragestellern zurückgezogen." in html
    assert WITHDRAWN_TITLE in html  # the title says which paper it was
    assert "Fragen und Antworten" not in html and "Nico Weinmann" not in html


def test_drafts_and_unknown_references_are_404(client, world):
    assert client.get(world.draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("inquiries:inquiry-detail", kwargs={"parliament": "bw", "reference": "17-99999"})).status_code == 404
    assert client.get(reverse("inquiries:inquiry-detail", kwargs={"parliament": "xx", "reference": "unsinn"})).status_code == 404
    for path in ("/bw/drucksache/17-6206%00/", "/b%00/drucksache/17-6206/", "/bw/drucksache/17-6206'--/",
                 "/bww/drucksache/17-6206/", "/bw/drucksache/" + "1" * 5000 + "/"):
        assert client.get(path).status_code == 404, path
    for path in ("/b%00/fraktionen/fdp-dvp/", "/b%00/ministerien/staatsministerium/"):
        assert client.get(path).status_code == 404, path


def test_inquiry_without_questions_explains_it(client, world):
    bare = InquiryFactory(parliament=world.parliament, term=world.term, reference="17/42", asked_on=None,
                          answered_on=datetime.date(2024, 1, 5), source_url="https://www.landtag-bw.de/x.pdf")
    html = client.get(bare.get_absolute_url()).content.decode()
    assert "Für diese Anfrage sind die einzelnen Fragen und Antworten nicht erfasst." in html
    assert '<a href="https://www.landtag-bw.de/x.pdf" rel="external">' in html


def test_corrections_after_publication_are_listed(client, world):
    world.main.title = "Beteiligung der Landespolizei am Ipai Heilbronn"
    world.main.save()
    html = client.get(world.main.get_absolute_url()).content.decode()
    assert '<h2 id="correction-log-heading">Korrekturen nach der Veröffentlichung</h2>' in html
    assert "Korrektur" not in client.get(world.late.get_absolute_url()).content.decode()
