"""The inquiry page and the API detail read and print no more than they show (issue 13, items 2 and 5)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from inquiries.templatetags.answer_layout import answer_body
from tests.site_world import add_answer_table, build_world, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_an_answer_without_tables_prints_as_the_answer_template_would(world):
    question = world.main.questions.get(number="1")
    question.answer = "Erster Absatz zu Drucksache 17/1001.\n\nZweiter Absatz.\n"
    urls = {"17/1001": "/bw/drucksache/17-1001/"}
    included = render_to_string("inquiries/includes/answer_body.html", {"segments": [(question.answer.strip("\n"), None)], "paper_urls": urls})
    assert answer_body(question, world.main, urls) == included
    assert '<a href="/bw/drucksache/17-1001/">' in included


def test_an_answer_with_a_table_still_renders_the_table(world):
    question = world.main.questions.get(number="2")
    add_answer_table(question)
    html = answer_body(question, world.main, {})
    assert '<table class="data-table data-table--compact" id="frage-2-tabelle-1">' in html


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
