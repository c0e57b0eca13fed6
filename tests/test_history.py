"""History of every change, visible in the admin, and the public correction log built from it."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from inquiries.models import Asker, Inquiry, Question
from inquiries.selectors import history
from inquiries.services import upsert, workflow
from tests.admin_helpers import add_question, admin_url, change_data
from tests.workflow_factories import PersonFactory, editor, inquiry_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna():
    return editor(username="anna.redaktion", first_name="Anna", last_name="Redakteurin")


@pytest.fixture
def editor_client(client, anna):
    client.force_login(anna)
    return client


def published_inquiry(count: int = 4, **kwargs) -> Inquiry:
    """A draft taken through the workflow, so its history has a publication event."""
    inquiry = inquiry_with_questions(count=count, **kwargs)
    workflow.publish(inquiry)
    return inquiry


def correct(client, inquiry: Inquiry, **overrides) -> None:
    response = client.post(admin_url("change", inquiry.pk), change_data(inquiry, **overrides))
    assert response.status_code == 302, response.context["errors"] if response.context else response.status_code


def lines(inquiry: Inquiry) -> list[str]:
    return [change for entry in history.correction_log(inquiry) for change in entry.changes]


# --- history --------------------------------------------------------------------------------------


def test_an_admin_edit_is_recorded_with_its_editor(editor_client, anna):
    inquiry = inquiry_with_questions(count=2)
    correct(editor_client, inquiry, title="Neuer Titel", **{"questions-1-answer": "Neue Antwort"})
    latest = Inquiry.history.filter(id=inquiry.pk).latest()
    assert latest.title == "Neuer Titel"
    assert latest.history_user == anna
    question = Question.history.filter(inquiry_id=inquiry.pk, answer="Neue Antwort").get()
    assert question.history_user == anna
    assert question.history_type == "~"


def test_publish_and_withdraw_are_in_the_history(anna):
    inquiry = published_inquiry()
    workflow.withdraw(inquiry, reason="Doppelt")
    states = list(Inquiry.history.filter(id=inquiry.pk).order_by("history_date").values_list("state", flat=True))
    assert states == ["draft", "published", "withdrawn"]


def test_the_admin_history_page_shows_inquiry_and_question_changes(editor_client):
    inquiry = inquiry_with_questions(count=2)
    correct(editor_client, inquiry, title="Neuer Titel", **{"questions-1-answer": "Neue Antwort"})
    page = editor_client.get(admin_url("history", inquiry.pk)).content.decode()
    assert "Neuer Titel" in page
    assert "Frage 2" in page and "Antwort" in page
    assert "anna.redaktion" in page  # the admin may show who did it; the public log never does


@pytest.mark.parametrize("model", ["person", "faction", "ministry"])
def test_reference_data_has_history_too(client, model):
    from django.urls import reverse

    from tests.workflow_factories import administrator

    inquiry = inquiry_with_questions()
    asker = inquiry.asker_links.get()
    obj = {"person": asker.person, "faction": asker.faction, "ministry": inquiry.answering_ministry}[model]
    client.force_login(administrator())
    response = client.post(reverse(f"admin:inquiries_{model}_change", args=[obj.pk]), {})
    assert obj.history.count() == 1
    page = client.get(reverse(f"admin:inquiries_{model}_history", args=[obj.pk]))
    assert page.status_code == 200
    assert response.status_code in (200, 302)


# --- correction log -----------------------------------------------------------------------------


def test_no_log_for_drafts_or_the_publication_itself(editor_client):
    inquiry = inquiry_with_questions(count=2)
    correct(editor_client, inquiry, title="Vor der Veröffentlichung geändert", **{"questions-0-answer": ""})
    workflow.publish(inquiry)
    assert history.correction_log(inquiry) == []


def test_an_answer_added_after_publication(editor_client):
    inquiry = inquiry_with_questions(count=4)
    unanswered = inquiry.questions.get(number="4")
    unanswered.answer = ""
    unanswered.save()
    workflow.publish(inquiry)
    data = change_data(inquiry)
    data["questions-3-answer"] = "Die Antwort zu Frage 4."
    response = editor_client.post(admin_url("change", inquiry.pk), data)
    assert response.status_code == 302
    log = history.correction_log(inquiry)
    assert len(log) == 1
    assert log[0].date == timezone.localdate()
    assert log[0].changes == ["Antwort zu Frage 4 ergänzt"]


def test_the_kinds_of_corrections_are_named(editor_client):
    inquiry = published_inquiry(count=3)
    data = change_data(inquiry, title="Korrigierter Titel", answered_on="2024-02-29")
    data.update({"questions-0-answer": "Geänderte Antwort.", "questions-1-text": "Geänderte Frage?", "questions-2-DELETE": "on"})
    add_question(data, position="3", number="3", text="Neue dritte Frage?")
    newcomer = PersonFactory(first_name="Nico", last_name="Weinmann")
    data.update(
        {
            "asker_links-1-person": str(newcomer.pk),
            "asker_links-1-faction": "",
            "asker_links-1-position": "1",
            "asker_links-TOTAL_FORMS": "2",
        }
    )
    response = editor_client.post(admin_url("change", inquiry.pk), data)
    assert response.status_code == 302, response.context["errors"]
    assert lines(inquiry) == [
        "Titel korrigiert",
        "Datum der Antwort korrigiert",
        "Fragesteller(in) Nico Weinmann ergänzt",
        "Antwort zu Frage 1 korrigiert",
        "Wortlaut der Frage 2 korrigiert",
        "Wortlaut der Frage 3 korrigiert",
        "Antwort zu Frage 3 entfernt",
    ]


def test_a_removed_question_and_a_renumbering(editor_client):
    inquiry = published_inquiry(count=3)
    data = change_data(inquiry)
    data.update({"questions-0-DELETE": "on", "questions-1-number": "1", "questions-2-number": "2"})
    correct_response = editor_client.post(admin_url("change", inquiry.pk), data)
    assert correct_response.status_code == 302
    assert lines(inquiry) == ["Frage 1 entfernt", "Frage 2 in 1 umnummeriert", "Frage 3 in 2 umnummeriert"]


def test_a_save_without_changes_leaves_no_entry(editor_client):
    inquiry = published_inquiry()
    correct(editor_client, inquiry)
    correct(editor_client, inquiry, **{"questions-0-answer": inquiry.questions.get(number="1").answer + "\r\n"})
    assert history.correction_log(inquiry) == []


def test_withdrawing_and_publishing_again_are_no_corrections():
    inquiry = published_inquiry()
    workflow.withdraw(inquiry, reason="Prüfung")
    workflow.publish(inquiry)
    assert history.correction_log(inquiry) == []


def test_the_public_note_is_shown_without_any_name(editor_client, anna):
    inquiry = published_inquiry()
    correct(editor_client, inquiry, correction_note="Nach Hinweis des Ministeriums berichtigt.", **{"questions-1-answer": "Berichtigt."})
    log = history.correction_log(inquiry)
    assert log[0].changes == ["Antwort zu Frage 2 korrigiert"]
    assert log[0].notes == ["Nach Hinweis des Ministeriums berichtigt."]
    html = render_to_string("inquiries/includes/correction_log.html", {"correction_log": log})
    assert "Nach Hinweis des Ministeriums berichtigt." in html
    for secret in (anna.username, anna.first_name, anna.last_name, anna.email):
        assert secret not in html


def test_a_note_alone_is_an_entry(editor_client):
    inquiry = published_inquiry()
    correct(editor_client, inquiry, correction_note="Quelle geprüft.")
    assert [(entry.changes, entry.notes) for entry in history.correction_log(inquiry)] == [([], ["Quelle geprüft."])]


def test_entries_by_day_newest_first_in_the_printed_form(editor_client):
    start = timezone.now()
    inquiry = published_inquiry()
    correct(editor_client, inquiry, **{"questions-3-answer": "Erste Korrektur."})
    middle = timezone.now()
    correct(editor_client, inquiry, **{"questions-0-answer": "Zweite Korrektur."})
    # Move everything to the morning of 3 March 2024, the second correction a day later.
    offset = datetime.datetime(2024, 3, 3, 8, tzinfo=datetime.timezone.utc) - start
    for model, scope in ((Inquiry, {"id": inquiry.pk}), (Question, {"inquiry_id": inquiry.pk}), (Asker, {"inquiry_id": inquiry.pk})):
        for record in model.history.filter(**scope):
            moved = record.history_date + offset + datetime.timedelta(days=1 if record.history_date >= middle else 0)
            model.history.filter(history_id=record.history_id).update(history_date=moved)

    log = history.correction_log(inquiry)
    assert [(entry.date, entry.changes) for entry in log] == [
        (datetime.date(2024, 3, 4), ["Antwort zu Frage 1 korrigiert"]),
        (datetime.date(2024, 3, 3), ["Antwort zu Frage 4 korrigiert"]),
    ]
    html = render_to_string("inquiries/includes/correction_log.html", {"correction_log": log})
    assert "Korrigiert am 3.3.2024</time>: Antwort zu Frage 4 korrigiert" in html
    assert html.index("4.3.2024") < html.index("3.3.2024")


def test_the_include_renders_nothing_without_corrections():
    assert render_to_string("inquiries/includes/correction_log.html", {"correction_log": []}).strip() == ""


def test_a_bulk_loaded_inquiry_gets_a_baseline_before_its_first_correction(editor_client):
    inquiry = inquiry_with_questions(count=3, published=True)
    # As the archive loader leaves them: rows without any history.
    for model in (Inquiry, Question, Asker):
        model.history.all().delete()
    correct(editor_client, inquiry, **{"questions-2-answer": "Nachgetragen."})
    assert lines(inquiry) == ["Antwort zu Frage 3 korrigiert"]
    assert Question.history.filter(inquiry_id=inquiry.pk).count() == 4  # three baselines and the change


def test_a_reimport_of_a_published_inquiry_lists_only_real_changes(shared_dir):
    import json

    record = json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])
    inquiry, created = upsert.upsert_inquiry(record, state="published")
    assert created
    assert history.correction_log(inquiry) == []  # created and published in one go

    record["questions"][1]["answer"] = "Eine berichtigte Antwort."
    upsert.upsert_inquiry(record)
    assert lines(inquiry) == [f"Antwort zu Frage {record['questions'][1]['number']} korrigiert"]


def test_the_log_needs_a_constant_number_of_queries(editor_client, django_assert_max_num_queries):
    inquiry = published_inquiry(count=6)
    for index in range(4):
        correct(editor_client, inquiry, **{f"questions-{index}-answer": f"Korrektur {index}"})
    with django_assert_max_num_queries(8):
        log = history.correction_log(inquiry)
    assert len(log[0].changes) == 4
