"""The editors' admin: lists, filters, search, forms and their messages, confirmation steps,
preview and the reference-data admins."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inquiries.models import Inquiry, InquiryState, Question
from tests.admin_helpers import add_question, admin_url, change_data
from tests.workflow_factories import (
    AskerFactory,
    FactionFactory,
    InquiryFactory,
    InquiryMinistryFactory,
    MembershipFactory,
    MinisterialOfficeFactory,
    MinistryFactory,
    PersonFactory,
    QuestionFactory,
    TermFactory,
    administrator,
    editor,
    inquiry_with_questions,
    publisher,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    return client


@pytest.fixture
def publisher_client(client):
    client.force_login(publisher())
    return client


def errors_of(response) -> str:
    """All error messages of a re-shown admin form as one text."""
    assert response.status_code == 200, response.status_code
    texts = [str(error) for error in response.context["errors"]]
    for formset in response.context["inline_admin_formsets"]:
        texts += [str(error) for error in formset.formset.non_form_errors()]
    return " ".join(texts)


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_counts_in_constant_queries(editor_client, django_assert_max_num_queries):
    for _index in range(3):
        inquiry_with_questions(count=3)
    with django_assert_max_num_queries(25):
        first = editor_client.get(admin_url("changelist"))
    for _index in range(5):
        inquiry_with_questions(count=2)
    with django_assert_max_num_queries(25):
        second = editor_client.get(admin_url("changelist"))
    assert first.status_code == second.status_code == 200
    rows = {inquiry.pk: inquiry for inquiry in second.context["cl"].result_list}
    assert all(row._question_count in (2, 3) and row._answered_count == row._question_count for row in rows.values())


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"state__exact": "published"}, {"published"}),
        ({"state__exact": "draft"}, {"draft", "major", "overdue"}),
        ({"kind__exact": "major"}, {"major"}),
        ({"deadline": "overdue"}, {"overdue"}),
        ({"deadline": "answered"}, {"published", "draft", "major"}),
        ({"answered_on__year": "2023"}, {"major"}),
    ],
)
def test_filters(editor_client, parameters, expected):
    made = {
        "published": InquiryFactory(published=True),
        "draft": InquiryFactory(),
        "major": InquiryFactory(kind="major", asked_on=datetime.date(2023, 1, 9), answered_on=datetime.date(2023, 2, 1)),
        "overdue": InquiryFactory(asked_on=datetime.date(2024, 1, 2), answered_on=None),
    }
    response = editor_client.get(admin_url("changelist"), parameters)
    shown = {inquiry.pk for inquiry in response.context["cl"].result_list}
    assert shown == {made[name].pk for name in expected}


def test_filter_by_term_parliament_ministry_and_faction(editor_client):
    first, second = inquiry_with_questions(), inquiry_with_questions()
    other_term = TermFactory(number=16)
    third = InquiryFactory(term=other_term, reference="16/5")
    faction = first.asker_links.get().faction
    cases = [
        ({"term__id__exact": other_term.pk}, {third.pk}),
        ({"parliament__id__exact": first.parliament_id}, {first.pk, second.pk, third.pk}),
        ({"answering_ministry__id__exact": second.answering_ministry_id}, {second.pk}),
        ({"faction": faction.pk}, {first.pk}),
    ]
    for parameters, expected in cases:
        response = editor_client.get(admin_url("changelist"), parameters)
        assert {inquiry.pk for inquiry in response.context["cl"].result_list} == expected, parameters


def test_a_bad_faction_filter_value_does_not_crash(editor_client):
    response = editor_client.get(admin_url("changelist"), {"faction": "abc"})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("term", ["17/4242", "Feinstaub", "Weinmann"])
def test_search_by_reference_title_and_asker(editor_client, term):
    wanted = InquiryFactory(reference="17/4242", title="Feinstaub an Messstellen")
    AskerFactory(inquiry=wanted, person=PersonFactory(first_name="Nico", last_name="Weinmann"))
    InquiryFactory(title="Anderes Thema")
    response = editor_client.get(admin_url("changelist"), {"q": term})
    assert [inquiry.pk for inquiry in response.context["cl"].result_list] == [wanted.pk]


def test_the_upload_button_shows_only_to_those_who_may_import(editor_client, client):
    assert f'href="{admin_url("upload")}"' in editor_client.get(admin_url("changelist")).content.decode()
    client.force_login(publisher())
    assert "Dokument hochladen" not in client.get(admin_url("changelist")).content.decode()


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "make"),
    [
        ("asker", "person", "Weinm", lambda: PersonFactory(last_name="Weinmann")),
        ("asker", "faction", "DVP", lambda: FactionFactory(short_name="FDP/DVP")),
        ("inquiry", "answering_ministry", "Verkehr", lambda: MinistryFactory(name="Ministerium für Verkehr")),
        ("inquiry", "signed_by", "Strobl", lambda: PersonFactory(last_name="Strobl")),
        ("inquiry", "factions", "DVP", lambda: FactionFactory(short_name="FDP/DVP")),
    ],
)
def test_autocomplete_for_people_factions_and_ministries(editor_client, model_name, field_name, term, make):
    wanted = make()
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "inquiries", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(wanted.pk)]


# --- the form and its messages ----------------------------------------------------------------------


def test_the_add_form_creates_a_draft_with_questions(editor_client):
    term = TermFactory()
    data = {
        "parliament": str(term.parliament_id),
        "term": str(term.pk),
        "reference": "17/777",
        "kind": "minor",
        "title": "Neue Anfrage",
        "asked_on": "2024-02-07",
        "answered_on": "",
        "related_references": "[]",
        "topics": "[]",
        "asker_links-TOTAL_FORMS": "0",
        "asker_links-INITIAL_FORMS": "0",
        "ministry_links-TOTAL_FORMS": "0",
        "ministry_links-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    add_question(data, position="", number="1", text="Erste Frage?")
    add_question(data, position="", number="2", text="Zweite Frage?")
    response = editor_client.post(admin_url("add"), data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get(reference="17/777")
    assert inquiry.state == InquiryState.DRAFT
    assert list(inquiry.questions.values_list("position", "number")) == [(1, "1"), (2, "2")]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reference": "17-12"}, "hat nicht die Form Wahlperiode/Nummer"),
        ({"reference": "16/12"}, "gehört nicht zur 17. Wahlperiode"),
        ({"asked_on": "2024-03-01", "answered_on": "2024-02-01"}, "Das Antwortdatum (1.2.2024) liegt vor dem Datum der Anfrage (1.3.2024)."),
        ({"questions-1-number": "3"}, "auf Frage „1“ folgt „3“"),
        ({"questions-1-number": "1"}, "Fragenummer „1“ kommt mehrmals vor"),
        ({"questions-1-position": "1"}, "Die Reihenfolge 1 ist mehrfach vergeben"),
        ({"asked_on": "2027-01-05", "answered_on": ""}, "war am 5.1.2027 nicht Mitglied der Fraktion"),
    ],
)
def test_the_form_explains_what_is_wrong(editor_client, overrides, message):
    inquiry = inquiry_with_questions(count=2)
    before = Inquiry.objects.get(pk=inquiry.pk)
    response = editor_client.post(admin_url("change", inquiry.pk), change_data(inquiry, **overrides))
    assert message in errors_of(response)
    after = Inquiry.objects.get(pk=inquiry.pk)
    assert (after.reference, after.asked_on, after.answered_on) == (before.reference, before.asked_on, before.answered_on)


def test_questions_can_be_renumbered_and_inserted_in_one_save(editor_client):
    inquiry = inquiry_with_questions(count=3)
    ids = list(inquiry.questions.order_by("position").values_list("pk", flat=True))
    data = change_data(inquiry)
    # Insert a new question 2: the old 2 and 3 become 3 and 4.
    data.update({"questions-1-position": "3", "questions-1-number": "3", "questions-2-position": "4", "questions-2-number": "4"})
    add_question(data, position="2", number="2", text="Eingeschobene Frage?", answer="Eingeschobene Antwort.")
    response = editor_client.post(admin_url("change", inquiry.pk), data)
    assert response.status_code == 302, errors_of(response)
    rows = list(inquiry.questions.order_by("position").values_list("pk", "position", "number"))
    assert [(position, number) for _pk, position, number in rows] == [(1, "1"), (2, "2"), (3, "3"), (4, "4")]
    assert [rows[0][0], rows[2][0], rows[3][0]] == ids  # the old rows kept their identity


def test_deleting_a_question_and_renumbering_the_rest(editor_client):
    inquiry = inquiry_with_questions(count=3)
    data = change_data(inquiry)
    data.update({"questions-0-DELETE": "on", "questions-1-number": "1", "questions-2-number": "2"})
    response = editor_client.post(admin_url("change", inquiry.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert list(inquiry.questions.order_by("position").values_list("number", flat=True)) == ["1", "2"]


def test_saving_calls_the_change_hook(editor_client, monkeypatch):
    from inquiries.services import changes

    calls = []
    monkeypatch.setattr(changes, "inquiries_changed", lambda ids: calls.append(list(ids)))
    inquiry = inquiry_with_questions()
    editor_client.post(admin_url("change", inquiry.pk), change_data(inquiry, title="Neu"))
    assert calls == [[inquiry.pk]]


def test_the_public_note_field_is_offered_for_corrections_only(editor_client):
    draft = inquiry_with_questions()
    published = inquiry_with_questions(published=True)
    assert "correction_note" not in editor_client.get(admin_url("change", draft.pk)).content.decode()
    assert "correction_note" in editor_client.get(admin_url("change", published.pk)).content.decode()


def test_the_edit_page_of_a_draft_has_no_public_link(editor_client):
    draft = inquiry_with_questions()
    assert draft.get_absolute_url() not in editor_client.get(admin_url("change", draft.pk)).content.decode()


def test_the_edit_page_lists_the_parser_warnings(editor_client):
    from inquiries.models import SourceDocument

    inquiry = inquiry_with_questions()
    SourceDocument.objects.create(
        inquiry=inquiry, file="documents/x.txt", original_name="x.txt", sha256="0" * 64, warnings=["Datum der Anfrage nicht gefunden"]
    )
    assert "Datum der Anfrage nicht gefunden" in editor_client.get(admin_url("change", inquiry.pk)).content.decode()


# --- confirmation steps ---------------------------------------------------------------------------


def test_publish_action_asks_for_confirmation_first(publisher_client):
    ready = inquiry_with_questions(title="Bereit")
    broken = InquiryFactory(title="Lückenhaft")
    QuestionFactory(inquiry=broken, position=1, number="2")
    response = publisher_client.post(
        admin_url("changelist"), {"action": "publish_selected", "_selected_action": [ready.pk, broken.pk], "index": "0"}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "admin/inquiries/inquiry/transition_confirmation.html"
    page = response.content.decode()
    assert "Bereit" in page and "Lückenhaft" in page and "muss mit 1" in page
    assert Inquiry.objects.get(pk=ready.pk).state == InquiryState.DRAFT

    response = publisher_client.post(
        admin_url("changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, broken.pk], "confirm": "yes"},
        follow=True,
    )
    assert Inquiry.objects.get(pk=ready.pk).state == InquiryState.PUBLISHED
    assert Inquiry.objects.get(pk=broken.pk).state == InquiryState.DRAFT
    shown = [str(message) for message in response.context["messages"]]
    assert "1 Anfrage(n) veröffentlicht." in shown
    assert any("kann nicht veröffentlicht werden" in message for message in shown)


def test_withdraw_action_asks_for_a_reason(publisher_client):
    inquiry = InquiryFactory(published=True)
    selection = {"action": "withdraw_selected", "_selected_action": [inquiry.pk]}
    page = publisher_client.post(admin_url("changelist"), {**selection, "index": "0"})
    assert 'name="reason"' in page.content.decode()

    without_reason = publisher_client.post(admin_url("changelist"), {**selection, "confirm": "yes", "reason": "  "})
    assert "Bitte einen Grund für die Zurückziehung angeben." in without_reason.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED

    publisher_client.post(admin_url("changelist"), {**selection, "confirm": "yes", "reason": "Doppelt eingestellt"})
    stored = Inquiry.objects.get(pk=inquiry.pk)
    assert (stored.state, stored.withdrawn_reason) == (InquiryState.WITHDRAWN, "Doppelt eingestellt")


def test_the_publish_page_of_one_inquiry(publisher_client):
    inquiry = inquiry_with_questions()
    page = publisher_client.get(admin_url("publish", inquiry.pk))
    assert page.status_code == 200 and "Ja, veröffentlichen" in page.content.decode()
    response = publisher_client.post(admin_url("publish", inquiry.pk), {"confirm": "yes"})
    assert response["Location"] == admin_url("change", inquiry.pk)
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED


def test_the_publish_page_of_a_published_inquiry_offers_nothing(publisher_client):
    inquiry = InquiryFactory(published=True)
    page = publisher_client.get(admin_url("publish", inquiry.pk)).content.decode()
    assert "wird übersprungen" in page
    assert "Ja, veröffentlichen" not in page


def test_the_withdraw_page_refuses_an_empty_reason(publisher_client):
    inquiry = InquiryFactory(published=True)
    response = publisher_client.post(admin_url("withdraw", inquiry.pk), {"confirm": "yes", "reason": ""})
    assert response.status_code == 200
    assert "Bitte einen Grund" in response.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED


def test_an_unknown_inquiry_is_not_found(publisher_client):
    for name in ("publish", "withdraw", "preview"):
        assert publisher_client.get(admin_url(name, 999999)).status_code == 404


# --- preview ----------------------------------------------------------------------------------------


def test_the_preview_renders_the_public_page_of_a_draft(editor_client):
    inquiry = inquiry_with_questions(title="Vorschau der Windkraft")
    question = inquiry.questions.first()
    response = editor_client.get(admin_url("preview", inquiry.pk))
    assert response.status_code == 200
    assert "inquiries/inquiry_detail.html" in [template.name for template in response.templates]
    assert response.context["inquiry"] == inquiry
    content = response.content.decode()
    assert "Vorschau der Windkraft" in content and question.answer in content
    assert content.count('<article class="qa"') == 3
    asker = inquiry.asker_links.get().person
    assert f'<a href="{asker.get_absolute_url()}">{asker.full_name}</a>' in content
    assert "Vorschau für die Redaktion" in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


# --- reference data ---------------------------------------------------------------------------------


def test_person_page_with_memberships_and_offices(editor_client):
    membership = MembershipFactory(constituency="Stuttgart I")
    office = MinisterialOfficeFactory(person=membership.person, role="Innenminister")
    response = editor_client.get(reverse("admin:inquiries_person_change", args=[membership.person.pk]))
    content = response.content.decode()
    assert "Stuttgart I" in content and "Innenminister" in content
    assert office.ministry.name in content


def test_ministry_page_shows_the_name_history(editor_client):
    new = MinistryFactory(name="Ministerium des Inneren, für Digitalisierung und Kommunen", valid_from=datetime.date(2021, 5, 12))
    old = MinistryFactory(name="Innenministerium", valid_until=datetime.date(2021, 5, 11), successor=new)
    content = editor_client.get(reverse("admin:inquiries_ministry_change", args=[new.pk])).content.decode()
    history = content[content.index('class="name-history"') :]
    assert history.index(old.name) < history.index("Ministerium des Inneren, für Digitalisierung")


@pytest.mark.parametrize(
    ("model", "make", "term"),
    [
        ("person", lambda: PersonFactory(last_name="Weinmann"), "Weinmann"),
        ("faction", lambda: FactionFactory(short_name="FDP/DVP"), "DVP"),
        ("party", lambda: FactionFactory(party__short_name="FDP").party, "FDP"),
        ("ministry", lambda: MinistryFactory(name="Ministerium für Finanzen"), "Finanzen"),
        ("parliament", lambda: TermFactory().parliament, "Baden"),
        ("term", lambda: TermFactory(), "BW"),
    ],
)
def test_reference_data_lists_are_searchable(editor_client, model, make, term):
    wanted = make()
    response = editor_client.get(reverse(f"admin:inquiries_{model}_changelist"), {"q": term})
    assert response.status_code == 200
    assert wanted.pk in [row.pk for row in response.context["cl"].result_list]


def test_reference_data_change_pages_open_for_the_administrator(client):
    client.force_login(administrator())
    inquiry = inquiry_with_questions()
    InquiryMinistryFactory(inquiry=inquiry)
    objects = {
        "person": inquiry.asker_links.get().person,
        "faction": inquiry.asker_links.get().faction,
        "party": inquiry.asker_links.get().faction.party,
        "ministry": inquiry.answering_ministry,
        "parliament": inquiry.parliament,
        "term": inquiry.term,
        "inquiry": inquiry,
    }
    for model, obj in objects.items():
        for page in ("change", "history"):
            response = client.get(reverse(f"admin:inquiries_{model}_{page}", args=[obj.pk]))
            assert response.status_code == 200, (model, page)


def test_question_rows_keep_their_order(editor_client):
    inquiry = InquiryFactory()
    for position, number in ((2, "2"), (1, "1"), (3, "3")):
        QuestionFactory(inquiry=inquiry, position=position, number=number)
    response = editor_client.get(admin_url("change", inquiry.pk))
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Question)
    assert [form.instance.number for form in formset.initial_forms] == ["1", "2", "3"]
