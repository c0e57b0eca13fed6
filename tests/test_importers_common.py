"""The common reading of German answer documents (inquiries/importers/common.py): real answers
of parliaments without a layout parser of their own, abstention instead of guessing, and the
extraction block every parsed record carries."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from inquiries.importers import tables
from inquiries.importers.base import DocumentError
from inquiries.importers.common import label_list
from inquiries.importers.document import checked_listing, parse_document
from inquiries.importers.parliaments import detect_parliament, profiles

SHARED_WITH_META = ["bt/bt-21-424", "bt/bt-21-1096", "bt/bt-21-1173", "be/be-19-10006"]


def _shared(shared_dir, stem):
    path = shared_dir / "documents" / f"{stem}.txt"
    meta = json.loads(path.with_name(f"{path.stem}.meta.json").read_text(encoding="utf-8"))
    return path, meta


def _no_titles(name: str) -> str:
    return re.sub(r"^(?:Dr\.\s*)+", "", name)


@pytest.mark.parametrize("stem", SHARED_WITH_META)
def test_real_answer_agrees_with_its_listed_values(shared_dir, stem):
    path, meta = _shared(shared_dir, stem)
    result = parse_document(path.name, path.read_bytes())
    record = result.record
    assert result.parser == "common"
    assert (record["parliament"], record["reference"], record["kind"]) == (meta["parliament"], meta["reference"], meta["kind"])
    assert record["title"] == meta["title"]
    assert [_no_titles(asker["name"]) for asker in record["askers"]] == meta["askers"]
    assert record["factions"] == meta["factions"]
    assert record["answering_ministry"] == meta["answering_ministry"]
    assert record["answered_on"] == meta["answered_on"]
    # the listing counts the numbered questions; asking sub-questions ("1a") are questions of their own
    assert len({re.match(r"\d+", question["number"]).group(0) for question in record["questions"]}) == meta["question_count"]
    assert all(question["answer"] for question in record["questions"])


def test_bundestag_answer_reads_prefaces_questions_and_the_joint_answer(shared_dir):
    path, _ = _shared(shared_dir, "bt/bt-21-1096")
    record = parse_document(path.name, path.read_bytes()).record
    assert record["explanation"].startswith("Am 25. Juni 2025 fand der zwölfte bundesweite Aktionstag")
    assert record["related_references"] == ["21/885"]  # the question's own paper
    numbers = [question["number"] for question in record["questions"]]
    assert numbers == [str(n) for n in range(1, 9)]
    # "Die Fragen 3 bis 8 werden gemeinsam beantwortet.": the one answer for all six questions
    joint = {question["answer"] for question in record["questions"][2:]}
    assert len(joint) == 1 and joint.pop().startswith("Die Fragen 3 bis 8 werden gemeinsam beantwortet.")
    # the page furniture and the note on the letter are not part of any answer
    assert not any("Gesamtherstellung" in (q["answer"] or "") or "übermittelt." in (q["answer"] or "") for q in record["questions"])
    assert record["questions"][3]["text"].endswith("(bitte jeweils gesondert aufführen)?")


def test_asking_sub_questions_are_questions_of_their_own_linked_to_the_joint_answer(shared_dir):
    path, _ = _shared(shared_dir, "bt/bt-21-1173")
    record = parse_document(path.name, path.read_bytes()).record
    numbers = [question["number"] for question in record["questions"]]
    assert numbers == ["1", "1a", "1b", "2", "2a", "2b", "3", "4", "5", "5a", "5b", "6", "7", "8"]
    first, sub_a, sub_b = record["questions"][:3]
    assert sub_b["text"].startswith("Liegen hierzu Auswertungen oder aggregierte Länderberichte vor")
    # "Die Fragen 1 bis 1b werden gemeinsam beantwortet.": one answer for the three
    assert first["answer"] == sub_a["answer"] == sub_b["answer"]
    assert first["answer"].startswith("Die Fragen 1 bis 1b werden gemeinsam beantwortet.")


def test_sub_items_that_do_not_ask_stay_lines_of_their_question(shared_dir):
    path, _ = _shared(shared_dir, "bt/bt-21-1096")
    question = parse_document(path.name, path.read_bytes()).record["questions"][3]
    assert question["number"] == "4"
    assert "a) Anklageerhebungen," in question["text"] and "d) Verfahrenseinstellungen" in question["text"]


def test_berlin_written_question_with_headed_answers(shared_dir):
    path, _ = _shared(shared_dir, "be/be-19-10006")
    record = parse_document(path.name, path.read_bytes()).record
    assert record["asked_on"] == "2021-11-04"
    assert record["askers"] == [{"name": "Andreas Otto", "faction": "GRÜNE"}]
    assert record["government_preface"].startswith("Die Schriftliche Anfrage betrifft Sachverhalte")
    assert record["signed_by"]["name"] == "Stefan Tidow"
    assert record["questions"][1] == {
        "number": "2",
        "text": "Welche öffentlichen Gebäude im Sinne des o.g. §19 EWG Bln befinden sich im Bezirk Pankow?",
        "answer": "Das Bezirksamt Pankow teilt hierzu mit:\n\n„Es gibt ca. 257 öffentliche Gebäude im Sinne des § 19 EWG Bln im Bezirk Pankow.“",
    }
    # the page number glued to "Frage 2:" by the PDF extraction is not a question or part of an answer
    assert record["questions"][0]["answer"].endswith("mit der Bauabnahme auch die PV-Anlage in Betrieb genommen ist.“")
    assert record["extraction"]["complete"] is True


# --- abstention and the extraction block ------------------------------------------------------


def test_a_partly_readable_answer_names_its_holes_instead_of_guessing(shared_dir):
    path, _ = _shared(shared_dir, "bt/bt-21-1096")
    text = path.read_text(encoding="utf-8")
    # Without the note on the ministry's letter, neither the ministry nor the day of the answer is printed.
    text = re.sub(r"Die Antwort wurde namens der Bundesregierung[\s\S]*?übermittelt\.\n", "", text)
    # and the last answer is cut off
    text = text[: text.index("Die Fragen 3 bis 8 werden gemeinsam beantwortet.")]
    data = text.encode()
    result = parse_document("bt-partly.txt", data)
    record, extraction = result.record, result.record["extraction"]
    assert record["answered_on"] is None and record["answering_ministry"] is None
    assert extraction["parser"] == "common"
    assert extraction["version"].startswith("1+data.")
    assert extraction["sha256"] == hashlib.sha256(data).hexdigest()
    assert extraction["complete"] is False
    assert {"answered_on", "answering_ministry", "asked_on"} <= set(extraction["abstained"])
    unanswered = [f"questions[{index}].answer" for index in range(2, 8)]
    assert [hole for hole in extraction["abstained"] if hole.startswith("questions")] == unanswered
    assert all(record["questions"][index]["answer"] is None for index in range(2, 8))
    # what could be read is there
    assert record["title"].startswith("Polizeiliche Maßnahmen") and record["questions"][1]["answer"]


def test_the_same_bytes_give_the_same_record(shared_dir):
    path, _ = _shared(shared_dir, "bt/bt-21-1173")
    first = parse_document(path.name, path.read_bytes()).record
    second = parse_document(path.name, path.read_bytes()).record
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_every_layout_parser_fills_the_extraction_block(shared_dir):
    path = shared_dir / "documents" / "sl-15-1284-answer.txt"
    extraction = parse_document(path.name, path.read_bytes()).record["extraction"]
    assert extraction == {
        "parser": "sl",
        "version": f"1+tables.{tables.VERSION}",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "complete": False,
        "abstained": ["answering_ministry"],
    }


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Ein Rundschreiben\n\nLiebe Kolleginnen und Kollegen,\nam Freitag ist Betriebsausflug.\n", "unknown layout"),
        ("Sächsischer Landtag\n\nEinladung zum Tag der offenen Tür\nam Samstag.\n", "unknown layout"),
    ],
)
def test_no_recognisable_inquiry_is_a_clear_error(text, problem):
    with pytest.raises(DocumentError) as error:
        parse_document("rundschreiben.txt", text.encode())
    assert str(error.value).startswith("rundschreiben.txt: ")
    assert problem in str(error.value)


def test_a_parliament_without_a_paper_number_is_an_error_naming_it():
    from inquiries.importers.base import parsers

    with pytest.raises(DocumentError, match="no printed-paper number .* Sächsischer Landtag paper"):
        parsers()["common"].parse("Sächsischer Landtag\nKleine Anfrage des Abgeordneten A (CDU)\n", name="x.txt")


def test_a_layout_parser_that_refuses_gives_way_to_the_common_reading(shared_dir):
    # A Baden-Württemberg answer printed without the question paper: the layout parser wants
    # the paper, the common reading reads what is there.
    from tests.importer_cases import DOCUMENTS

    text = (DOCUMENTS / "bw-17-5123-kleine-anfrage.txt").read_text(encoding="utf-8")
    head, rest = text.split("Wir fragen die Landesregierung:", 1)
    answer_only = head + "Antwort" + rest.split("\nAntwort\n", 1)[1]
    result = parse_document("bw-answer-only.txt", answer_only.encode())
    assert result.parser == "common"
    assert result.warnings[0].startswith("layout: read with the common reading, as the bw_drucksache parser refused it")
    record = result.record
    assert (record["parliament"], record["reference"]) == ("BW", "17/5123")
    assert record["answering_ministry"] == "Ministerium für Kultus, Jugend und Sport"
    assert record["consulted_ministries"] == ["Ministerium für Finanzen"]
    assert record["answered_on"] == "2024-03-11"
    assert [question["number"] for question in record["questions"]][:2] == ["1", "2"]
    assert record["questions"][0]["answer"] == record["questions"][1]["answer"]


# --- data per parliament ------------------------------------------------------------------------


def test_every_parliament_has_its_data():
    assert sorted(profiles()) == sorted(["BT", "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"])


@pytest.mark.parametrize(
    "top, code",
    [
        ("Deutscher Bundestag Drucksache 21/1096", "BT"),
        ("LANDTAG NORDRHEIN-WESTFALEN Drucksache 18/13528", "NW"),
        ("Bayerischer Landtag 19. Wahlperiode Drucksache 19/6524", "BY"),
        ("SCHLESWIG-HOLSTEINISCHER LANDTAG Drucksache 20/2905", "SH"),
        ("Drucksache\n8/2585\nMitglied des Landtages Hannes Loth (AfD)", "ST"),
        ("Thüringer Landtag 13.06.2025\n8. Wahlperiode", "TH"),
        ("Bremische Bürgerschaft Landtag 21. Wahlperiode Drucksache 21/100", "HB"),
        ("Sächsischer Landtag Drucksache 8/123", "SN"),
    ],
)
def test_the_parliament_is_told_from_its_name_or_weaker_signs(top, code):
    assert detect_parliament(top).code == code


@pytest.mark.parametrize(
    "printed, labels",
    [
        ("3 bis 8", ["3", "4", "5", "6", "7", "8"]),
        ("2 und 3", ["2", "3"]),
        ("1, 2 und 5", ["1", "2", "5"]),
        ("1 bis 1b", ["1", "1a", "1b"]),
        ("3 a)", ["3a"]),
        ("1.1 bis 1.3", ["1.1", "1.2", "1.3"]),
        ("4. und 5.", ["4", "5"]),
    ],
)
def test_question_labels_are_kept_as_printed(printed, labels):
    assert label_list(printed) == labels


# --- the listing beside a document --------------------------------------------------------------


def test_a_malformed_listing_field_is_named_and_left_out():
    listing, warnings = checked_listing("ni-19-1.txt", {"askers": ["A", "B"], "title": "T", "answered_on": 20240101})
    assert listing == {"title": "T"}
    assert warnings == [
        "listing: ni-19-1.meta.json: field 'askers' must be a string, not list ([\"A\", \"B\"]); the field is ignored",
        "listing: ni-19-1.meta.json: field 'answered_on' must be a string, not int (20240101); the field is ignored",
    ]


def test_a_listing_with_askers_as_a_list_does_not_stop_the_import(shared_dir):
    path = shared_dir / "documents" / "ni" / "ni-19-11134.txt"
    listing = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    listing["askers"] = ["Claus Seebeck", "Eike Holsten"]
    result = parse_document(path.name, path.read_bytes(), listing=listing)
    assert any("ni-19-11134.meta.json: field 'askers' must be a string, not list" in warning for warning in result.warnings)
    assert result.record["askers"][0]["name"] == "Claus Seebeck"
    assert result.record["source_url"] == listing["source_url"]  # the rest of the listing still counts


def test_a_pdf_of_a_real_answer_reads_as_its_text(shared_dir):
    from tests.pdfs import make_pdf

    path, meta = _shared(shared_dir, "bt/bt-21-1096")
    lines = path.read_text(encoding="utf-8").split("\n")
    pdf = make_pdf(["\n".join(lines[start:start + 45]) for start in range(0, len(lines), 45)])
    from_text = parse_document(path.name, path.read_bytes()).record
    from_pdf = parse_document("bt-21-1096.pdf", pdf).record
    for key in ("reference", "title", "askers", "answering_ministry", "answered_on", "explanation"):
        assert from_pdf[key] == from_text[key], key
    assert [q["number"] for q in from_pdf["questions"]] == [q["number"] for q in from_text["questions"]]
    assert from_pdf["extraction"]["abstained"] == ["asked_on"]
