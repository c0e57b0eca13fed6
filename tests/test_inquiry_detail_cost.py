"""The inquiry page and the API detail read and print no more than they show (issue 13, items 2 and 5)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from tests.site_world import add_answer_table, build_world, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


# The loop that printed the questions before ``answer_layout.questions_html`` did (the answer
# as ``includes/answer_body.html`` prints it): the page must print the same bytes.
TEMPLATE_LOOP = """{% load i18n portal %}{% for question, answer in rows %}
    <article class="qa" id="{{ question.anchor|html_id }}" aria-labelledby="{{ question.anchor|html_id }}-heading">
      <h3 id="{{ question.anchor|html_id }}-heading" class="qa__number">{% blocktranslate with number=question.number %}Frage {{ number }}{% endblocktranslate %}</h3>
      <div class="qa__question" lang="de">{{ question.text|paper_links:paper_urls }}</div>
      <h4 class="qa__answer-heading">{% blocktranslate with number=question.number %}Antwort zu {{ number }}{% endblocktranslate %}{% if question.answer_kind and question.answer_kind != "full" %} <span class="badge badge--answer-{{ question.answer_kind }}">{{ question.get_answer_kind_display }}{% if question.refusal_reason %}: {{ question.get_refusal_reason_display }}{% endif %}</span>{% endif %}</h4>
      <div class="qa__answer" lang="de">{% if question.answer %}{{ answer }}{% else %}<p>{% translate "Zu dieser Frage ist keine Antwort erfasst." %}</p>{% endif %}</div>
      <p class="qa__link"><a class="copy-link" href="#{{ question.anchor|html_id }}" data-copied="{% translate 'Link kopiert' %}">{% blocktranslate with number=question.number %}Link zu Frage {{ number }}{% endblocktranslate %}</a></p>
    </article>
    {% endfor %}"""


def _as_the_template_printed_them(inquiry, paper_urls) -> str:
    from django.template import Context, Template

    from inquiries.answer_tables import answer_segments, table_view
    from inquiries.models import Question

    rows = []
    for question in Question.objects.filter(inquiry=inquiry).order_by("position").prefetch_related("tables"):
        segments = answer_segments(question.answer, question.tables.all())
        answer = render_to_string(
            "inquiries/includes/answer_body.html",
            {"segments": [(s.text, table_view(s.table, question, inquiry) if s.table else None) for s in segments], "paper_urls": paper_urls},
        )
        rows.append((question, answer))
    return Template(TEMPLATE_LOOP).render(Context({"rows": rows, "paper_urls": paper_urls}))


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_questions_print_as_the_template_loop_printed_them(client, world, language):
    from django.utils import translation

    from tests.factories import QuestionFactory

    inquiry = world.main
    add_answer_table(inquiry.questions.get(number="2"))
    inquiry.questions.filter(number="3").update(answer_kind="partly_refused", refusal_reason="effort")
    QuestionFactory(inquiry=inquiry, position=4, number="4 a", text="Was kostet <das> & wie viel?", answer="")
    html = client.get(inquiry.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        expected = _as_the_template_printed_them(inquiry, {"17/1001": "/bw/drucksache/17-1001/"})
    assert expected.count('<article class="qa"') == 4 and '<table class="data-table' in expected
    heading = '<h2 id="questions-heading">' + ("Fragen und Antworten" if language == "de" else "Questions and answers") + "</h2>"
    assert html.split(heading, 1)[1].split("\n  </section>", 1)[0] == "\n    " + expected


def test_an_inquiry_without_questions_says_so_instead(client, world):
    inquiry = world.main
    inquiry.questions.all().delete()
    html = client.get(inquiry.get_absolute_url()).content.decode()
    assert '<h2 id="questions-heading">Fragen und Antworten</h2>\n    \n    <p>Für diese Anfrage sind die einzelnen Fragen' in html
    assert 'class="qa"' not in html


def test_the_page_of_an_inquiry_naming_no_paper_looks_none_up(client, world):
    from inquiries.models import Inquiry

    inquiry = world.overdue
    # ``update`` leaves the history (and so the correction log's queries) as it is.
    Inquiry.objects.filter(pk=inquiry.pk).update(related_references=[], explanation="", government_preface="")
    inquiry.questions.update(text="Wie viele?", answer="Keine.")
    naming_none = queries_for(client, inquiry.get_absolute_url())
    Inquiry.objects.filter(pk=inquiry.pk).update(related_references=["17/1001"])
    html = client.get(inquiry.get_absolute_url()).content.decode()
    assert '<a href="/bw/drucksache/17-1001/">' in html
    # Naming a paper costs the one lookup of the named papers.
    assert queries_for(client, inquiry.get_absolute_url()) == naming_none + 1


def _changed_at(inquiry) -> object:
    """The newest change of the inquiry or of anything its record names, read off the instances."""
    moments = [inquiry.updated_at, inquiry.parliament.updated_at, inquiry.term.updated_at]
    for link in inquiry.asker_links.all():
        moments.append(link.person.updated_at)
        if link.faction is not None:
            moments.append(link.faction.updated_at)
    moments += [faction.updated_at for faction in inquiry.factions.all()]
    moments += [link.ministry.updated_at for link in inquiry.ministry_links.all()]
    moments += [related.updated_at for related in (inquiry.answering_ministry, inquiry.signed_by) if related is not None]
    return max(moments)


def test_the_api_reads_each_record_in_three_queries_and_writes_it_unchanged(world, django_assert_num_queries):
    from inquiries.api import selectors as api_selectors
    from inquiries.exchange import inquiry_to_record
    from inquiries.models import Faction, Inquiry, InquiryMinistry

    add_answer_table(world.main.questions.get(number="2"))
    # Consulted and copied ministries, a faction of its own and an asker without one.
    for position, (role, ministry) in enumerate([("copied", world.state_ministry), ("consulted", world.finance), ("consulted", world.old_ministry)], start=1):
        InquiryMinistry.objects.create(inquiry=world.late, ministry=ministry, role=role, position=position)
    world.late.factions.add(*Faction.objects.filter(parliament=world.late.parliament))
    world.overdue.asker_links.update(faction=None)
    for inquiry in (world.main, world.late, world.overdue):
        full = Inquiry.objects.with_detail_related().get(pk=inquiry.pk)
        # Whatever the record holds: the inquiry, the names, the questions with their tables.
        with django_assert_num_queries(3):
            found = api_selectors.inquiry_record(inquiry.pk)
        assert found.record == inquiry_to_record(full)
        assert found.changed_at == _changed_at(full)
        assert found.page_path() == full.get_absolute_url()
        by_reference = api_selectors.inquiry_record_by_reference(full.parliament.code.lower(), full.reference)
        assert by_reference == found
    assert api_selectors.inquiry_record(world.withdrawn.pk) is None
    assert api_selectors.inquiry_record_by_reference(world.withdrawn.parliament.code, world.withdrawn.reference) is None


def test_the_api_detail_answers_the_record_as_the_serializer_describes_it(client, world):
    from inquiries.api.serializers import InquiryRecordSerializer
    from inquiries.models import Inquiry

    response = client.get(f"/api/v1/inquiries/{world.main.pk}/")
    assert response.status_code == 200
    assert response.json() == InquiryRecordSerializer(Inquiry.objects.with_detail_related().get(pk=world.main.pk)).data


def test_a_prepared_query_runs_with_each_key_and_refuses_a_placeholder_it_cannot_place(world):
    from inquiries.models import Inquiry
    from inquiries.prepared import PreparedQuery

    titles = PreparedQuery(lambda pk: Inquiry.objects.filter(pk=pk).values_list("title", "asked_on"), (-1,))
    for inquiry in (world.main, world.late, world.draft):
        assert titles.rows(inquiry.pk) == [(inquiry.title, inquiry.asked_on)]
    assert titles.rows(0) == []
    unplaced = PreparedQuery(lambda pk: Inquiry.objects.filter(pk=world.main.pk).values_list("title"), (-1,))
    with pytest.raises(ValueError, match="placeholder -1"):
        unplaced.rows(world.main.pk)


def test_the_history_is_read_only_for_an_inquiry_saved_after_its_publication(client, world):
    inquiry = world.overdue
    url = inquiry.get_absolute_url()
    queries_for(client, url)
    unchanged = queries_for(client, url)
    inquiry.title = "Ausstattung der Freiwilligen Feuerwehren"
    inquiry.save()
    queries_for(client, url)
    html = client.get(url).content.decode()
    assert "Korrekturen nach der Veröffentlichung" in html
    # The correction log reads the inquiry's history and that of its parts.
    assert queries_for(client, url) > unchanged


def test_a_group_added_without_a_new_data_version_is_named(client, world):
    from inquiries.models import Faction, Inquiry

    url = world.overdue.get_absolute_url()
    client.get(url)
    # ``bulk_create`` sends no signal, so the data version (and what is kept by it) stays.
    (faction,) = Faction.objects.bulk_create([Faction(parliament=world.parliament, short_name="Neue Gruppe", name="Neue Gruppe", slug="neue-gruppe")])
    Inquiry.factions.through.objects.bulk_create([Inquiry.factions.through(inquiry_id=world.overdue.pk, faction_id=faction.pk)])
    html = client.get(url).content.decode()
    assert '<a href="/bw/fraktionen/neue-gruppe/">Neue Gruppe</a>' in html


# The facts list as ``inquiry_detail.html`` printed it before ``inquiry_facts.facts_html`` did.
FACTS_TEMPLATE = """{% load i18n portal %}<dl class="facts">
    <dt>{% translate "Drucksache" %}</dt><dd>{{ inquiry.reference }} ({{ inquiry.parliament.name }}, {% blocktranslate with number=page.term_number %}{{ number }}. Wahlperiode{% endblocktranslate %})</dd>
    <dt>{% translate "Art" %}</dt><dd>{{ inquiry.get_kind_display }}</dd>
    {% if page.askers %}<dt>{% translate "Fragesteller" %}</dt><dd><ul class="plain">{% for link in page.askers %}<li><a href="{{ link.person.url }}">{{ link.person.name }}</a>{% if link.faction %} (<a href="{{ link.faction.url }}">{{ link.faction.name }}</a>){% endif %}</li>{% endfor %}</ul></dd>{% endif %}
    {% if page.factions %}<dt>{% translate "Fraktionen" %}</dt><dd>{% for faction in page.factions %}<a href="{{ faction.url }}">{{ faction.name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</dd>{% endif %}
    {% if inquiry.asked_on %}<dt>{% translate "gestellt am" %}</dt><dd><time datetime="{{ inquiry.asked_on|date:'Y-m-d' }}">{{ inquiry.asked_on|date:"j. F Y" }}</time></dd>{% endif %}
    {% if inquiry.answered_on %}<dt>{% translate "beantwortet am" %}</dt><dd><time datetime="{{ inquiry.answered_on|date:'Y-m-d' }}">{{ inquiry.answered_on|date:"j. F Y" }}</time></dd>{% endif %}
    {% inquiry_deadline inquiry as deadline %}<dt>{% translate "Frist" %}</dt>
    <dd class="deadline">{% if deadline.is_answered %}{% if inquiry.answer_days is not None %}{% blocktranslate count days=inquiry.answer_days %}beantwortet nach {{ days }} Tag{% plural %}beantwortet nach {{ days }} Tagen{% endblocktranslate %}{% else %}{% translate "beantwortet" %}{% endif %}{% if inquiry.deadline_days %} – {% blocktranslate count days=inquiry.deadline_days %}Frist: {{ days }} Tag{% plural %}Frist: {{ days }} Tage{% endblocktranslate %}{% endif %}
      {% if inquiry.answered_in_time is True %}<span class="badge badge--ok">{% translate "Frist eingehalten" %}</span>{% elif inquiry.answered_in_time is False %}<span class="badge badge--late">{% blocktranslate count days=deadline.days_late %}Frist um {{ days }} Tag überschritten{% plural %}Frist um {{ days }} Tage überschritten{% endblocktranslate %}</span>{% endif %}
      {% elif deadline.is_overdue %}<span class="badge badge--late">{% translate "überfällig" %}</span> {% blocktranslate count days=deadline.days_late %}Die Frist lief vor {{ days }} Tag ab{% plural %}Die Frist lief vor {{ days }} Tagen ab{% endblocktranslate %} (<time datetime="{{ inquiry.due_on|date:'Y-m-d' }}">{{ inquiry.due_on|date:"j. F Y" }}</time>).
      {% elif inquiry.due_on %}{% translate "noch nicht beantwortet" %} – {% translate "Frist bis" %} <time datetime="{{ inquiry.due_on|date:'Y-m-d' }}">{{ inquiry.due_on|date:"j. F Y" }}</time>
      {% else %}{% translate "noch nicht beantwortet" %}{% if inquiry.deadline_days %} – {% blocktranslate count days=inquiry.deadline_days %}Frist: {{ days }} Tag{% plural %}Frist: {{ days }} Tage{% endblocktranslate %}{% endif %}{% endif %}</dd>
    {% if page.answering_ministry %}<dt>{% translate "antwortendes Ministerium" %}</dt><dd><a href="{{ page.answering_ministry.url }}" lang="de">{{ page.answering_ministry.name }}</a></dd>{% endif %}
    {% for role, ministries in page.ministry_roles %}
    <dt>{{ role }}</dt><dd><ul class="plain">{% for ministry in ministries %}<li><a href="{{ ministry.url }}" lang="de">{{ ministry.name }}</a></li>{% endfor %}</ul></dd>{% endfor %}
    {% if inquiry.signed_by %}<dt>{% translate "unterzeichnet von" %}</dt><dd><a href="{{ inquiry.signed_by.get_absolute_url }}">{{ inquiry.signed_by.full_name }}</a>{% if inquiry.signed_by_role %}, <span lang="de">{{ inquiry.signed_by_role }}</span>{% endif %}</dd>{% endif %}
  </dl>"""


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_facts_print_as_the_template_printed_them(client, world, language):
    import datetime

    from django.template import Context, Template
    from django.utils import timezone, translation

    from inquiries.selectors import pages
    from tests.factories import InquiryFactory

    today = timezone.localdate()
    kinds = {
        # answered without a date asked: no deadline, no answer time
        "17/7301": {"asked_on": None, "answered_on": datetime.date(2024, 5, 2)},
        # open, the deadline still ahead
        "17/7302": {"asked_on": today - datetime.timedelta(days=3), "answered_on": None},
        # neither asked nor answered: the deadline in days only
        "17/7303": {"asked_on": None, "answered_on": None, "askers": [], "factions": [], "answering_ministry": None},
        # overdue by years (more than a thousand days)
        "17/7304": {"asked_on": datetime.date(2019, 1, 2), "answered_on": None, "askers": [], "factions": [world.fdp, world.greens]},
    }
    extra = [
        InquiryFactory(parliament=world.parliament, term=world.term, reference=reference, title=f"Anfrage {reference} <&>", **fields)
        for reference, fields in kinds.items()
    ]
    for inquiry in [world.main, world.late, world.overdue, *extra]:
        page_html = client.get(inquiry.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            page = pages.inquiry_detail_page("bw", inquiry.reference.replace("/", "-"))
            expected = Template(FACTS_TEMPLATE).render(Context({"inquiry": page.inquiry, "page": page}))
        assert expected.count("<dt>") >= 3
        assert expected in page_html, inquiry.reference


def _corrected_by_reading_the_history(pk: int) -> bool:
    """The rule as the page read it before, from the whole history: a save after one that published."""
    from inquiries.choices import InquiryState
    from inquiries.models import Inquiry

    states = list(Inquiry.history.model.objects.filter(id=pk).order_by("history_date", "history_id").values_list("state", flat=True))
    return InquiryState.PUBLISHED in states[:-1]


def test_corrected_after_publication_is_asked_in_the_inquirys_own_read_as_the_history_says(world):
    """``page_corrected`` (an EXISTS in the compiled read) against the rule over the whole history:
    never saved after publishing, edited after it, withdrawn, a draft, and two saves at one time
    (ordered by ``history_id`` then)."""
    import datetime

    from inquiries.models import Inquiry
    from inquiries.selectors import inquiry_parts

    edited = world.overdue
    edited.title = "Ausstattung der Freiwilligen Feuerwehren"
    edited.save()
    # Two saves of world.late at the same moment: the published one last, so no correction.
    late_history = Inquiry.history.model.objects.filter(id=world.late.pk)
    world.late.save()
    moment = datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.timezone.utc)
    late_history.update(history_date=moment)
    expected = {}
    for inquiry in Inquiry.objects.all():
        expected[inquiry.pk] = _corrected_by_reading_the_history(inquiry.pk)
        assert inquiry_parts.any_inquiry(inquiry.pk).page_corrected == expected[inquiry.pk], inquiry
        public = inquiry_parts.public_inquiry(inquiry.parliament.code, inquiry.reference)
        if public is not None:
            assert public.page_corrected == expected[inquiry.pk], inquiry
    assert expected[edited.pk] is True and expected[world.main.pk] is False
    assert set(expected.values()) == {True, False}
    # Whichever of the late one's equal-time saves has the higher history id decides.
    last = late_history.order_by("history_id").last()
    late_history.filter(history_id=last.history_id).update(state="published")
    others = late_history.exclude(history_id=last.history_id)
    others.update(state="draft")
    assert inquiry_parts.any_inquiry(world.late.pk).page_corrected is False
    others.update(state="published")
    late_history.filter(history_id=last.history_id).update(state="published")
    assert _corrected_by_reading_the_history(world.late.pk) is True
    assert inquiry_parts.any_inquiry(world.late.pk).page_corrected is True


def test_the_parts_read_in_the_inquirys_own_row_equal_the_orms_reads_in_order(world):
    """Askers, groups, ministries and questions come as JSON columns of the inquiry's one read
    (``inquiry_parts._part_columns``), unordered from the database: the rows must equal the
    ORM's, in the printed order, for texts JSON must escape and rows inserted out of order."""
    from inquiries.choices import MinistryRole
    from inquiries.models import Asker, InquiryMinistry, Question
    from inquiries.selectors import inquiry_parts
    from tests.factories import AskerFactory, FactionFactory, InquiryMinistryFactory, PersonFactory, QuestionFactory

    inquiry = world.main
    add_answer_table(inquiry.questions.get(number="2"))
    awkward = 'Zitat "ja" \\ Pfad C:\\temp\n\tZeile 2 – Straße, Ærø, 東京, 🙂 </script> &amp; \u2028 \x7f'
    # Inserted in reverse: positions decide the order, not the rows' ids.
    for position in (9, 7, 5):
        QuestionFactory(inquiry=inquiry, position=position, number=f"{position} b", text=awkward, answer="" if position == 7 else awkward)
    group = FactionFactory(parliament=inquiry.parliament, short_name='Die "Neuen" & Co.')
    for position in (6, 4):
        AskerFactory(inquiry=inquiry, position=position, person=PersonFactory(title="Dr.", last_name=f"Zürn-{position}"), faction=group if position == 4 else None)
    AskerFactory(inquiry=inquiry, position=4, person=PersonFactory(first_name="", last_name="Gleichauf"))
    inquiry.factions.add(group)
    for role, position in ((MinistryRole.COPIED, 3), (MinistryRole.CONSULTED, 8), (MinistryRole.CONSULTED, 2), (MinistryRole.COPIED, 1)):
        InquiryMinistryFactory(inquiry=inquiry, role=role, position=position)

    askers = list(
        Asker.objects.filter(inquiry=inquiry).order_by("position", "pk").values_list(
            "person__title", "person__first_name", "person__last_name", "person__slug",
            "faction__slug", "faction__short_name", "faction__parliament__code")
    )
    factions = sorted(inquiry.factions.values_list("slug", "short_name", "parliament__code"))
    ministries = list(
        InquiryMinistry.objects.filter(inquiry=inquiry).order_by("role", "position", "pk").values_list(
            "role", "ministry__slug", "ministry__name", "ministry__parliament__code")
    )
    questions = list(Question.objects.filter(inquiry=inquiry).order_by("position", "pk"))
    assert len(askers) == 1 + 3 and len(ministries) >= 4 and len(questions) == 3 + 3

    for read in (inquiry_parts.public_inquiry(inquiry.parliament.code, inquiry.reference), inquiry_parts.any_inquiry(inquiry.pk)):
        assert read.page_askers == askers
        assert sorted(read.page_factions) == factions
        assert read.page_ministries == ministries
        assert [(q.pk, q.number, q.text, q.answer, q.answer_kind, q.refusal_reason) for q in read.page_questions] == [
            (q.pk, q.number, q.text, q.answer, q.answer_kind, q.refusal_reason) for q in questions
        ]
        assert [len(q.tables) for q in read.page_questions] == [q.tables.count() for q in questions]
        assert sum(len(q.tables) for q in read.page_questions) == 1

    # An inquiry without any parts reads as empty lists, not as None.
    Question.objects.filter(inquiry=world.late).delete()
    Asker.objects.filter(inquiry=world.late).delete()
    InquiryMinistry.objects.filter(inquiry=world.late).delete()
    world.late.factions.clear()
    bare = inquiry_parts.any_inquiry(world.late.pk)
    assert (bare.page_askers, bare.page_factions, bare.page_ministries, bare.page_questions) == ([], [], [], [])


def test_the_page_of_an_inquiry_naming_no_paper_is_one_statement(client, world):
    """The inquiry with its askers, groups, ministries and questions (``inquiry_parts``):
    one read, whatever it holds (a paper it names, a table or a correction costs one more each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inquiries.models import Inquiry

    inquiry = world.overdue
    Inquiry.objects.filter(pk=inquiry.pk).update(related_references=[], explanation="", government_preface="")
    inquiry.questions.update(text="Wie viele?", answer="Keine.")
    client.get(inquiry.get_absolute_url())  # the session's and the prepared statement's first use
    with CaptureQueriesContext(connection) as context:
        response = client.get(inquiry.get_absolute_url())
    assert response.status_code == 200
    statements = [query["sql"] for query in context.captured_queries]
    assert len(statements) == 1, statements
    assert "inquiries_question" in statements[0] and "inquiries_asker" in statements[0] and "inquiries_inquiryministry" in statements[0]
