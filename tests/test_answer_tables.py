"""Answer tables from the record to the database and back, on the inquiry page, as CSV,
in the API and in the admin; and the answer's kind in inquiry.v1 and the API."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from inquiries.answer_tables import answer_segments
from inquiries.exchange import RecordError, inquiry_to_record, validate_record, write_records
from inquiries.models import AnswerTable, Inquiry
from inquiries.services import documents, upsert
from inquiries.services.bulk import import_records
from tests.answer_table_docs import TABLE_ROWS, table_pdf
from tests.factories import QuestionFactory
from tests.importer_cases import without_derived
from tests.site_world import TABLE_HEADER, TABLE_LEAD, add_answer_table, build_world, queries_for
from tests.site_world import TABLE_ROWS as WIDE_ROWS

pytestmark = pytest.mark.django_db

TABLE = {
    "caption": "Tabelle 1: Gemeldete Fälle nach Land",
    "header": [["Land", "2023", "2024"]],
    "rows": [["Bayern", "12 345", "–"], ["Berlin", "", "3"], ["=SUMME(A1)", "-4", "7"]],
}


@pytest.fixture
def seed(shared_dir) -> dict:
    return json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])


def with_table(record: dict, index: int = 1, table: dict = TABLE) -> dict:
    record = copy.deepcopy(record)
    question = record["questions"][index]
    lines = "\n".join(" ".join(row) for row in table["rows"])
    question["answer"] = f"{question['answer']}\n\n{lines}"
    start = question["answer"].index(lines)
    question["tables"] = [{**table, "span": [start, start + len(lines)]}]
    return record


def exported(reference: str = "17/6206") -> dict:
    return inquiry_to_record(Inquiry.objects.with_detail_related().get(reference=reference))


# --- model and services ---------------------------------------------------------------


def test_upsert_writes_the_tables_and_the_export_gives_them_back(seed):
    record = with_table(seed)
    validate_record(record)
    inquiry, _ = upsert.upsert_inquiry(record, state="published")
    table = AnswerTable.objects.get()
    assert (table.question.number, table.position, table.caption) == ("2", 1, TABLE["caption"])
    assert table.rows == TABLE["rows"] and table.header == TABLE["header"]
    assert without_derived(exported()) == record
    # A re-import without the table removes it; one with two numbers them.
    upsert.upsert_inquiry(seed)
    assert not AnswerTable.objects.exists()
    twice = with_table(seed)
    twice["questions"][1]["tables"].append({"caption": None, "header": [], "rows": [["a", "1"]]})
    upsert.upsert_inquiry(twice)
    assert list(AnswerTable.objects.order_by("position").values_list("position", flat=True)) == [1, 2]
    assert exported()["questions"][1]["tables"][1] == {"caption": None, "header": [], "rows": [["a", "1"]]}


def test_the_bulk_import_of_inquiry_v1_round_trips_tables(seed):
    line = json.dumps(with_table(seed, index=2), ensure_ascii=False)
    report = import_records([line])
    assert report.created == 1 and not report.errors
    stream = io.StringIO()
    write_records(Inquiry.objects.all(), stream)
    assert without_derived(json.loads(stream.getvalue())) == json.loads(line)


def test_a_span_outside_the_answer_is_a_clear_error(seed):
    record = with_table(seed)
    record["questions"][1]["tables"][0]["span"] = [0, 100000]
    with pytest.raises(RecordError, match=r"questions/1/tables/0/span"):
        upsert.upsert_inquiry(record)
    assert not Inquiry.objects.exists()


def test_the_database_keeps_positions_unique_and_spans_ordered():
    question = QuestionFactory()
    AnswerTable.objects.create(question=question, position=1, rows=[["a"]])
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerTable.objects.create(question=question, position=1, rows=[["b"]])
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerTable.objects.create(question=question, position=2, rows=[["b"]], span_start=5, span_end=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerTable.objects.create(question=question, position=0, rows=[["b"]])


def test_cells_must_be_rows_of_texts():
    table = AnswerTable(question=QuestionFactory(), position=1, rows=[["a", 1]])
    with pytest.raises(ValidationError, match="Liste von Zeilen"):
        table.full_clean()
    table.rows = []
    with pytest.raises(ValidationError, match="mindestens eine Zeile"):
        table.full_clean()


def test_importing_a_document_saves_its_tables_with_the_inquiry(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = documents.import_document("bt-21-9999.pdf", table_pdf())
    question = result.inquiry.questions.get(number="1")
    (table,) = question.tables.all()
    assert table.rows == TABLE_ROWS and table.header == [["Land", "2023", "2024"]]
    assert question.answer[table.span_start : table.span_end].startswith("Tabelle 1:")
    # On the page the table stands between the sentence before it and nothing after it.
    segments = answer_segments(question.answer, question.tables.all())
    assert [bool(segment.table) for segment in segments] == [False, True]
    assert segments[0].text == "Die Zahlen sind der folgenden Tabelle zu entnehmen."
    kept = result.source_document.parsed["record"]["questions"][0]["tables"]
    assert kept == [{"caption": table.caption, "header": table.header, "rows": table.rows, "span": [table.span_start, table.span_end]}]


# --- the inquiry page and the CSV ------------------------------------------------------


@pytest.fixture
def world():
    world = build_world()
    world.table = add_answer_table(world.main.questions.get(number="2"))
    return world


def csv_url(inquiry, number="2", position=1) -> str:
    return reverse(
        "inquiries:answer-table-csv",
        kwargs={"parliament": inquiry.parliament.code.lower(), "reference": inquiry.reference.replace("/", "-"), "number": number, "position": position},
    )


def test_the_page_shows_the_table_in_place_of_its_lines(client, world):
    html = client.get(world.main.get_absolute_url()).content.decode()
    assert '<div class="table-scroll" role="region" aria-labelledby="frage-2-tabelle-1-caption" tabindex="0">' in html
    assert '<caption id="frage-2-tabelle-1-caption">Tabelle 1: Einsätze je Monat</caption>' in html
    assert '<th scope="col">Dienststelle</th><th scope="col">Jan.</th>' in html
    assert '<tr><th scope="row">Polizeipräsidium Heilbronn</th><td class="number">1 204</td>' in html
    assert f'href="{csv_url(world.main)}" download>Tabelle 1 als CSV herunterladen</a>' in html
    # The lines the table was read from are not shown a second time; the text around it is.
    assert "Polizeipräsidium Heilbronn 1 204" not in html
    assert html.index("Das Innovation-Hub der Polizei.") < html.index(TABLE_LEAD) < html.index("<caption")


def test_an_edited_answer_shows_the_table_after_the_text(client, world):
    question = world.table.question
    question.answer = "Neu gefasst: Das Innovation-Hub der Polizei."
    question.save()
    html = client.get(world.main.get_absolute_url()).content.decode()
    assert html.index("Neu gefasst") < html.index('<caption id="frage-2-tabelle-1-caption">')


def test_the_page_takes_no_query_more_for_more_tables(client, world):
    url = world.main.get_absolute_url()
    few = queries_for(client, url)
    for question in world.main.questions.exclude(number="2"):
        add_answer_table(question)
    assert queries_for(client, url) == few


def test_the_csv_has_the_header_and_rows_as_printed(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(csv_url(world.main))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bw-17-6206-frage-2-tabelle-1.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [TABLE_HEADER, *WIDE_ROWS]


def test_cells_that_would_run_as_formulas_are_neutralised(client, world):
    world.table.rows = TABLE["rows"]
    world.table.save()
    text = client.get(csv_url(world.main)).content.decode()
    assert "\"'=SUMME(A1)\",\"'-4\",7\r\n" in text


def test_missing_tables_questions_and_inquiries_are_404(client, world):
    assert client.get(csv_url(world.main, position=2)).status_code == 404
    assert client.get(csv_url(world.main, number="3")).status_code == 404
    assert client.get(csv_url(world.main, number="9")).status_code == 404
    assert client.get(csv_url(world.main).replace("17-6206", "17-9999")).status_code == 404
    assert client.get(csv_url(world.main).replace("/bw/", "/xx/")).status_code == 404
    assert client.get(csv_url(world.main).replace("17-6206", "x")).status_code == 404


def test_drafts_are_404_and_withdrawn_inquiries_410_like_their_page(client, world):
    draft = add_answer_table(QuestionFactory(inquiry=world.draft, position=9, number="9", answer="Vorläufig."))
    assert client.get(world.draft.get_absolute_url()).status_code == 404
    assert client.get(csv_url(world.draft, number="9")).status_code == 404
    withdrawn = add_answer_table(QuestionFactory(inquiry=world.withdrawn, position=9, number="9", answer="Vorläufig."))
    assert client.get(world.withdrawn.get_absolute_url()).status_code == 410
    response = client.get(csv_url(world.withdrawn, number="9"))
    assert response.status_code == 410 and "Polizeipräsidium" not in response.content.decode()
    assert draft.pk and withdrawn.pk


# --- API and inquiry.v1 ---------------------------------------------------------------------


def test_the_api_detail_has_tables_answer_kinds_and_validates(world, settings):
    settings.API_THROTTLE_RATE = ""
    refusal = world.main.questions.get(number="3")
    refusal.answer = "Die Namen können aus Gründen des Datenschutzes nicht mitgeteilt werden."
    refusal.save()
    record = APIClient().get(f"/api/v1/inquiries/{world.main.pk}/").json()
    validate_record(record)
    first, second, third = record["questions"]
    assert first["answer_kind"] == "full" and first["refusal_reason"] is None and "tables" not in first
    assert second["tables"] == [
        {"caption": "Tabelle 1: Einsätze je Monat", "header": [TABLE_HEADER], "rows": WIDE_ROWS, "span": [world.table.span_start, world.table.span_end]}
    ]
    assert (third["answer_kind"], third["refusal_reason"]) == (refusal.answer_kind, refusal.refusal_reason) == ("refused", "confidentiality")


def test_an_unanswered_question_has_no_kind_in_the_record():
    question = QuestionFactory(answer="")
    record = inquiry_to_record(Inquiry.objects.with_detail_related().get(pk=question.inquiry_id))
    assert (record["questions"][0]["answer_kind"], record["questions"][0]["refusal_reason"]) == (None, None)
    validate_record(record)


def test_records_before_tables_and_kinds_stay_valid(seed):
    validate_record(seed)
    bad = with_table(seed)
    bad["questions"][1]["tables"][0]["rows"] = []
    with pytest.raises(RecordError, match="questions/1/tables/0/rows"):
        validate_record(bad)
    bad = copy.deepcopy(seed)
    bad["questions"][0]["answer_kind"] = "maybe"
    with pytest.raises(RecordError, match="questions/0/answer_kind"):
        validate_record(bad)


def test_the_openapi_schema_describes_tables_and_kinds(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    question = schema["components"]["schemas"]["RecordQuestion"]["properties"]
    assert {"answer_kind", "refusal_reason", "tables"} <= set(question)
    table = schema["components"]["schemas"]["RecordTable"]["properties"]
    assert set(table) == {"caption", "header", "rows", "span"}


# --- admin ------------------------------------------------------------------------------


def test_editors_see_and_correct_tables_in_the_admin(client, world):
    from tests.workflow_factories import editor

    client.force_login(editor())
    page = client.get(reverse("admin:inquiries_inquiry_change", args=[world.main.pk])).content.decode()
    change_url = reverse("admin:inquiries_answertable_change", args=[world.table.pk])
    assert f'<a href="{change_url}">Tabelle 1 (3 Zeilen)</a>' in page
    form = client.get(change_url)
    assert form.status_code == 200 and "<td>Polizeipräsidium Heilbronn</td>" in form.content.decode()
    rows = [["Polizeipräsidium Heilbronn", "1 205"]]
    response = client.post(change_url, {
        "question": world.table.question_id, "position": 1, "caption": "Tabelle 1: Einsätze (berichtigt)",
        "header": json.dumps([["Dienststelle", "Jan."]]), "rows": json.dumps(rows), "span_start": "", "span_end": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    world.table.refresh_from_db()
    assert world.table.rows == rows and world.table.caption == "Tabelle 1: Einsätze (berichtigt)"
    refused = client.post(change_url, {
        "question": world.table.question_id, "position": 1, "caption": "", "header": "[]", "rows": json.dumps([["a", 1]]),
        "span_start": "", "span_end": "",
    })
    assert refused.status_code == 200 and "Liste von Zeilen" in refused.content.decode()
