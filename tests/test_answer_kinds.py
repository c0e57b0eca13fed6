"""Answer kinds told from the answer's text (inquiries/answer_kinds.py): the rules, every write
path keeping them in step, the inquiry page, the list and API filter, and the ministry's share
of refused answers."""

from __future__ import annotations

import json
import random
import re
import sys

import pytest
from django.urls import reverse

from inquiries.answer_kinds import _folded, _sentences, classify
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


@pytest.mark.parametrize(
    "answer, kind, reason",
    [
        # Paragraphs, tabs, no-break spaces, runs of spaces and spaces at either end: read as one space.
        (
            "  Im Jahr 2024 gab es 12 Fälle.\n\nEine Aufschlüsselung nach Landkreisen kann nur mit unverhältnismäßig\u00a0hohem\n"
            "Verwaltungsaufwand erfolgen und wird daher nicht vorgenommen.\tDie Zahl ist gestiegen.  Sie war 2022 geringer.\n",
            AnswerKind.PARTLY_REFUSED,
            RefusalReason.EFFORT,
        ),
        ("Auf die Antwort\r\nzu Frage 1 wird\u2003verwiesen. ", AnswerKind.REFERENCE, ""),
        (
            "Eine Beantwortung würde den Kernbereich\u2028exekutiver Eigenverantwortung berühren.\n"
            "Die Landesregierung sieht daher von einer Antwort ab.",
            AnswerKind.REFUSED,
            RefusalReason.EXECUTIVE_CORE,
        ),
        (" \n\t\u00a0", AnswerKind.NONE, ""),
    ],
)
def test_answer_kind_rules_read_any_whitespace_as_one_space(answer, kind, reason):
    assert classify(answer) == (kind, reason)
    assert classify(" ".join(answer.split())) == (kind, reason)


def test_every_whitespace_character_but_the_space_is_unprintable():
    # What lets ``_folded`` return a printable text as it is (checked against this Python's Unicode data).
    found = [hex(code) for code in range(sys.maxunicode + 1) if chr(code).isspace() and code != 0x20 and chr(code).isprintable()]
    assert found == []


_WHITESPACE = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]


def _random_texts(alphabet: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(count)]


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "a", "a b", " a", "a ", "a  b", "a\nb", "a\u00a0b", "a\u200bb", "a\xadb", "a\x1fb", "a\u3000b", "\u2029",
        "Zu 1.: Die Zahl ist gestiegen.", "Zu 1.:\tDie Zahl", "ä ö ü ß „Zitat“",
    ],
)
def test_folding_is_splitting_into_words_and_joining_them(text):
    assert _folded(text) == " ".join(text.split())


def test_folding_random_texts_is_splitting_into_words_and_joining_them():
    alphabet = "ab .Ä\u200b\xad" + "".join(_WHITESPACE)
    for text in _random_texts(alphabet, 20_000, seed=13):
        assert _folded(text) == " ".join(text.split()), repr(text)


def test_sentences_are_split_as_by_the_look_behind_pattern():
    pattern = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])")
    cases = ["", "A.", "Eins. Zwei.", "Eins.  Zwei! Drei? „Vier“. \"Fünf\"", "a. b. C", "x. . A", "Ende.\n\nÄrger. Öl. Übel.", ". A", "A. "]
    for text in cases + _random_texts(".!? \n\u00a0aAÄ„\"z", 20_000, seed=7):
        assert _sentences(text) == pattern.split(text), repr(text)


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
