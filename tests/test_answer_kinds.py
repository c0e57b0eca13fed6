"""Answer kinds told from the answer's text (inquiries/answer_kinds.py): the rules, every write
path keeping them in step, the inquiry page, the list and API filter, and the ministry's share
of refused answers."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from inquiries.answer_kinds import classify
from inquiries.choices import AnswerKind, RefusalReason
from inquiries.models import Question
from inquiries.services.bulk import import_records
from inquiries.services.documents import import_document
from tests.factories import InquiryFactory, MinistryFactory, ParliamentFactory, TermFactory


@pytest.mark.parametrize(
    "answer, kind, reason",
    [
        ("Im Jahr 2024 gab es zwölf Fälle, 2023 waren es neun.", AnswerKind.FULL, ""),
        ("Auf die Antwort zu Frage 1 wird verwiesen.", AnswerKind.REFERENCE, ""),
        ("Es wird auf die Antwort der Landesregierung in der Drucksache 19/1234 verwiesen.", AnswerKind.REFERENCE, ""),
        (
            "Die Fragen 3 bis 8 werden gemeinsam beantwortet. Es handelt sich um Ermittlungsverfahren der Länder. "
            "Die Bundesregierung kann daher hierzu keine Angaben machen.",
            AnswerKind.REFUSED,
            RefusalReason.NOT_RESPONSIBLE,
        ),
        (
            "Eine Beantwortung würde den Kernbereich exekutiver Eigenverantwortung berühren. "
            "Die Landesregierung sieht daher von einer Antwort ab.",
            AnswerKind.REFUSED,
            RefusalReason.EXECUTIVE_CORE,
        ),
        (
            "Im Jahr 2024 gab es 12 Fälle. Eine Aufschlüsselung nach Landkreisen kann nur mit unverhältnismäßig hohem "
            "Verwaltungsaufwand erfolgen und wird daher nicht vorgenommen. Die Zahl ist gestiegen. Sie war 2022 geringer.",
            AnswerKind.PARTLY_REFUSED,
            RefusalReason.EFFORT,
        ),
        (
            "Die Namen der Unternehmen können aus Gründen des Schutzes von Betriebs- und Geschäftsgeheimnissen nicht "
            "veröffentlicht werden.",
            AnswerKind.REFUSED,
            RefusalReason.CONFIDENTIALITY,
        ),
        (
            "Die Beantwortung der Fragen kann in offener Form nicht erfolgen. Die Antwort ist als „VS – Nur für den "
            "Dienstgebrauch“ eingestuft und liegt bei.",
            AnswerKind.CLASSIFIED,
            RefusalReason.CONFIDENTIALITY,
        ),
        ("", AnswerKind.NONE, ""),
        # "derzeit", "Zuständigkeit" alone refuse nothing
        ("Die Zuständigkeit liegt derzeit beim Landkreis, der die Kosten trägt.", AnswerKind.FULL, ""),
    ],
)
def test_answer_kind_rules(answer, kind, reason):
    assert classify(answer) == (kind, reason)


@pytest.mark.django_db
def test_every_write_path_keeps_the_kind_in_step(shared_dir, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # the document importer
    path = shared_dir / "documents" / "bt" / "bt-21-1096.txt"
    inquiry = import_document(path.name, path.read_bytes()).inquiry
    kinds = list(inquiry.questions.order_by("position").values_list("number", "answer_kind", "refusal_reason"))
    assert kinds[0] == ("1", AnswerKind.FULL, "")
    assert kinds[2:] == [(str(n), AnswerKind.REFUSED, RefusalReason.NOT_RESPONSIBLE) for n in range(3, 9)]
    # a save, as the admin's inline does it
    question = inquiry.questions.get(number="1")
    question.answer = "Auf die Antwort zu Frage 2 wird verwiesen."
    question.save(update_fields=["answer"])
    question.refresh_from_db()
    assert question.answer_kind == AnswerKind.REFERENCE
    # the bulk import of inquiry.v1 records
    record = {
        "format": "inquiry.v1", "parliament": "BW", "term": 17, "reference": "17/9999", "kind": "minor", "title": "T",
        "questions": [
            {"number": "1", "text": "Wie viele?", "answer": "Auf die Antwort zu Frage 2 wird verwiesen."},
            {"number": "2", "text": "Wer?", "answer": "Das kann aus Datenschutzgründen nicht mitgeteilt werden."},
        ],
    }
    report = import_records([json.dumps(record)])
    assert report.created == 1 and not report.errors
    assert list(Question.objects.filter(inquiry__reference="17/9999").order_by("position").values_list("answer_kind", "refusal_reason")) == [
        (AnswerKind.REFERENCE, ""),
        (AnswerKind.REFUSED, RefusalReason.CONFIDENTIALITY),
    ]


@pytest.fixture
def refusing_world(db):
    parliament = ParliamentFactory(code="BW", name="Landtag von Baden-Württemberg")
    term = TermFactory(parliament=parliament, number=17)
    ministry = MinistryFactory(parliament=parliament, name="Ministerium des Inneren")
    refused = InquiryFactory(
        parliament=parliament, term=term, reference="17/100", title="Verweigerte Auskunft", answering_ministry=ministry,
        questions=[
            ("Wie viele Fälle gab es?", "Es gab 12 Fälle."),
            ("Welche Firmen?", "Die Namen können aus Gründen des Datenschutzes nicht mitgeteilt werden."),
        ],
    )
    full = InquiryFactory(
        parliament=parliament, term=term, reference="17/101", title="Vollständige Auskunft", answering_ministry=ministry,
        questions=[("Wann?", "Im Mai 2024."), ("Wo?", "Auf die Antwort zu Frage 1 wird verwiesen.")],
    )
    return ministry, refused, full


def test_the_inquiry_page_shows_each_answers_kind(client, refusing_world):
    _, refused, _ = refusing_world
    html = client.get(refused.get_absolute_url()).content.decode()
    assert '<span class="badge badge--answer-refused">verweigert: Geheimhaltung</span>' in html
    assert html.count("badge--answer-") == 1  # a full answer needs no mark


def test_the_list_filters_by_answer_kind(client, refusing_world):
    response = client.get(reverse("inquiries:inquiry-list"), {"answer_kind": "refused"})
    assert [inquiry.reference for inquiry, _ in response.context["hits"]] == ["17/100"]
    html = response.content.decode()
    assert '<option value="refused" selected>verweigert</option>' in html
    response = client.get(reverse("inquiries:inquiry-list"), {"answer_kind": "reference"})
    assert [inquiry.reference for inquiry, _ in response.context["hits"]] == ["17/101"]
    assert client.get(reverse("inquiries:inquiry-list"), {"answer_kind": "nonsense"}).status_code == 400


def test_the_api_filters_by_answer_kind(client, refusing_world):
    response = client.get("/api/v1/inquiries/", {"answer_kind": "refused"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert [item["reference"] for item in response.json()["results"]] == ["17/100"]
    bad = client.get("/api/v1/inquiries/", {"answer_kind": "nonsense"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400


def test_the_ministry_page_counts_the_share_of_refused_answers(client, refusing_world):
    ministry, _, _ = refusing_world
    response = client.get(ministry.get_absolute_url())
    stats = response.context["stats"]
    assert (stats.answers, stats.refused, stats.refused_share) == (4, 1, 0.25)
    html = response.content.decode()
    assert "Anteil verweigerter Antworten" in html and "1 von 4 Antworten ganz oder teilweise verweigert" in html


def test_the_statistics_count_the_share_of_refused_answers_per_ministry(client, refusing_world):
    ministry, refused, _ = refusing_world
    response = client.get(reverse("inquiries:statistics"), {"wp": f"bw-{refused.term.number}"})
    [row] = [row for row in response.context["answer_times"] if row["ministry"] == ministry]
    assert (row["answers"], row["refused"], row["refused_share"]) == (4, 1, 0.25)
    html = response.content.decode()
    assert "Antworten verweigert" in html and "25\u00a0%" in html


def test_the_record_and_the_api_detail_carry_each_answers_kind(client, refusing_world):
    from inquiries.exchange import validate_record

    _, refused, full = refusing_world
    record = client.get(f"/api/v1/inquiries/{refused.pk}/", HTTP_ACCEPT="application/json").json()
    validate_record(record)
    assert [(q["answer_kind"], q["refusal_reason"]) for q in record["questions"]] == [("full", None), ("refused", "confidentiality")]
    record = client.get(f"/api/v1/inquiries/{full.pk}/", HTTP_ACCEPT="application/json").json()
    assert [(q["answer_kind"], q["refusal_reason"]) for q in record["questions"]] == [("full", None), ("reference", None)]
