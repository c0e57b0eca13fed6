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
from inquiries.importers.common import VERSION as COMMON_VERSION, label_list
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
    assert extraction["version"].startswith(f"{COMMON_VERSION}+data.")
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


# --- rules of the common layout (each shown on a small paper in the layout it was found in) ------------------


def _read(text: str, name: str = "paper.txt") -> dict:
    return parse_document(name, text.encode()).record


NRW_ANSWER = """LANDTAG NORDRHEIN-WESTFALEN Drucksache 18/20001
18. Wahlperiode

 28.05.2025

Antwort

der Landesregierung

auf die Kleine Anfrage 6001 vom 17. April 2025
der Abgeordneten Erika Beispiel SPD
Drucksache 18/19001

Ausstattung der Feuerwachen

Vorbemerkung der Kleinen Anfrage

Die Lage ist unklar (vgl. Drs. 18/12723.).
Dazu gab es bereits Antworten, zuletzt vgl. Drs. 18/13199.

Die Ministerin für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration hat die
Kleine Anfrage 6001 mit Schreiben vom 28. Mai 2025 namens der Landesregierung beantwor-
tet.

Datum des Originals: 28.05.2025/Ausgegeben: 04.06.2025

1. Wie viele Feuerwachen gibt es im Land? (Bitte nach Kreisen aufschlüsseln)

Es gibt 400 Feuerwachen.

2. Wie viele davon wurden seit 2020 erneuert? (Bitte nach Jahr
und Kreis aufschlüsseln)

Seit 2020 wurden 35 Feuerwachen erneuert.
"""


def test_a_request_in_brackets_after_the_question_mark_belongs_to_the_question():
    record = _read(NRW_ANSWER)
    first, second = record["questions"]
    assert first["text"].endswith("(Bitte nach Kreisen aufschlüsseln)")
    assert first["answer"] == "Es gibt 400 Feuerwachen."
    assert second["text"].replace("\n", " ").endswith("(Bitte nach Jahr und Kreis aufschlüsseln)")
    assert second["answer"] == "Seit 2020 wurden 35 Feuerwachen erneuert."


def test_the_ministry_comes_from_the_sentence_naming_it_after_a_date_only_line():
    record = _read(NRW_ANSWER)
    # "Datum des Originals" gives the date; the minister's sentence the ministry
    assert record["answered_on"] == "2025-05-28"
    assert record["answering_ministry"] == "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration"


def test_papers_cited_at_a_sentence_end_are_related():
    assert {"18/19001", "18/12723", "18/13199"} <= set(_read(NRW_ANSWER)["related_references"])


THURINGIA_PAPERS = """Thüringer Landtag 13.06.2025
8. Wahlperiode
Kleine Anfrage 8/1001
der Abgeordneten Erika Beispiel (AfD)
Fragen zu Gutachten bei der Ausweisung von Windvor-
ranggebieten in Thüringen
Zur Thematik ergeben sich Fragen.
Ich frage die Landesregierung:
1. Welche Gutachten gibt es?
2. Wer hat sie bezahlt?
Erika Beispiel
Druck: Thüringer Landtag, 19. Juni 2025
Zuleitung an die Landesregierung: 19. Juni 2025\fThüringer Landtag Drucksache 8/1800
8. Wahlperiode 05.08.2025
Kleine Anfrage
der Abgeordneten Erika Beispiel (AfD)
und
Antwort
des Thüringer Ministeriums für Inneres, Kommunales und Landesentwicklung
Fragen zu Gutachten bei der Ausweisung von Windvorranggebieten in Thüringen
Zur Thematik ergeben sich Fragen.
Das Thüringer Ministerium für Inneres, Kommunales und Landesentwicklung hat die Kleine Anfra-
ge 8/1001 vom 13. Juni 2025 namens der Landesregierung mit Schreiben vom 5. August 2025 beantwortet:
1. Welche Gutachten gibt es?
Antwort:
Es gibt drei Gutachten.
2. Wer hat sie bezahlt?
Antwort:
Die Regionalen Planungsgemeinschaften.
"""


def test_the_answer_paper_starts_at_the_parliaments_name_nearest_its_number():
    record = _read(THURINGIA_PAPERS)
    assert record["reference"] == "8/1800"
    # the answer letter's date, in a sentence whose question number carries a dated "vom 13. Juni 2025"
    assert record["answered_on"] == "2025-08-05" and record["asked_on"] == "2025-06-13"
    # "Kleine Anfrage 8/1001": the question's paper
    assert "8/1001" in record["related_references"]


def test_a_title_is_no_sentence_and_the_ministry_stops_before_it():
    record = _read(THURINGIA_PAPERS)
    assert record["title"] == "Fragen zu Gutachten bei der Ausweisung von Windvorranggebieten in Thüringen"
    assert record["explanation"].startswith("Zur Thematik ergeben sich Fragen.")
    assert record["answering_ministry"] == "Thüringer Ministerium für Inneres, Kommunales und Landesentwicklung"
    assert [q["answer"] for q in record["questions"]] == ["Es gibt drei Gutachten.", "Die Regionalen Planungsgemeinschaften."]


MV_ANSWER = """LANDTAG MECKLENBURG-VORPOMMERN Drucksache 8/7001
8. Wahlperiode 17.04.2026

KLEINE ANFRAGE

des Abgeordneten Max Muster, Fraktion der AfD

Leistungskursangebote an Gymnasien in Mecklenburg-Vorpommern

und

ANTWORT

der Landesregierung

In der Antwort der Landesregierung auf die Kleine Anfrage „Leistungs-
kurswahl an Gymnasien“ (Drucksache 8/3992) wurde dargelegt, welche
Fächer gewählt wurden. Hierzu ergeben sich Nachfragen.

1. Welche Leistungskurse werden angeboten?

Die Übersicht ist in der Anlage.

Die Ministerin für Bildung und Kindertagesförderung hat namens der Landesregierung die Kleine Anfrage mit
Schreiben vom 16. April 2026 beantwortet.

2. Welche Kurse fielen aus?

Das wird nicht erfasst.
"""


def test_a_quoted_earlier_inquiry_after_the_title_is_not_the_title():
    record = _read(MV_ANSWER)
    assert record["title"] == "Leistungskursangebote an Gymnasien in Mecklenburg-Vorpommern"
    assert record["explanation"].startswith("In der Antwort der Landesregierung auf die Kleine Anfrage")
    assert record["askers"] == [{"name": "Max Muster", "faction": "AfD"}]


def test_a_minister_answering_for_the_government_names_ministry_and_date_but_no_asked_date():
    record = _read(MV_ANSWER)
    assert record["answering_ministry"] == "Ministerium für Bildung und Kindertagesförderung"
    assert record["answered_on"] == "2026-04-16"
    assert record["asked_on"] is None  # "mit Schreiben vom" dates the answer, not the question


def test_title_block_lines_run_on_into_small_words_and_open_phrases():
    schleswig_holstein = """SCHLESWIG-HOLSTEINISCHER LANDTAG Drucksache 20/4001
20. Wahlperiode 30.04.2025

Kleine Anfrage
des Abgeordneten Max Muster (SPD)
und
Antwort
der Landesregierung - Ministerin für Inneres, Kommunales, Wohnen
und Sport (MIKWS)

Städtebauförderung in Schleswig-Holstein (2025)

1. Wie hoch sind die Mittel?
Antwort:
Die Mittel betragen 17 Millionen Euro.
"""
    assert _read(schleswig_holstein)["title"] == "Städtebauförderung in Schleswig-Holstein (2025)"
    saxony_anhalt = """27.04.2023
Drucksache
8/3001
öffentlich
Antwort der Landesregierung auf eine Kleine Anfrage zur schriftlichen
Beantwortung
–

Mitglied des Landtages Max Muster (AfD)

Senkung der Abstandsfläche für Windkraftanlagen

Kleine Anfrage ‐ KA 8/1400

Sehr geehrter Herr Präsident,

beigefügt übersende ich Ihnen die Antwort der Landesregierung ‐ erstellt vom Ministerium
für Infrastruktur und Digitales ‐ auf die o. g. Kleine Anfrage.

1. Wie wirkt sich die Änderung aus?

Das kann noch nicht gesagt werden.
"""
    record = _read(saxony_anhalt, "st.txt")
    assert record["parliament"] == "ST"
    assert record["title"] == "Senkung der Abstandsfläche für Windkraftanlagen"
    assert record["answering_ministry"] == "Ministerium für Infrastruktur und Digitales"
    # the date over the paper's number is the answer paper's (st.yaml: header_date)
    assert record["answered_on"] == "2023-04-27"


SAXONY_LETTER = """Sächsischer Landtag DRUCKSACHE 8/4001
8. Wahlperiode
Kleine Anfrage
des Abgeordneten Max Muster, AfD-Fraktion
Auslastung und weiterer Betrieb des Flughafens Dresden
Vorab sei mitgeteilt, dass der Fragesteller einer Verlängerung der Beantwortungsfrist durch
den Präsidenten gemäß § 60 Abs. 1 Satz 2 der Geschäftsordnung des 8. Sächsischen
Landtags widerspricht.

Fragen an die Staatsregierung:

1. Wie viele Fluggäste gab es 2024?
\fSTAATSMINISTERIUM Freistaat
DER FINANZEN SACHSEN
SÄCHSISCHES STAATSMINISTERIUM DER FINANZEN
Postfach 100 948 | 01076 Dresden
Sehr geehrter Herr Präsident,
namens und im Auftrag der Sächsischen Staatsregierung beantworte ich die
Kleine Anfrage wie folgt:
Frage 1: Wie viele Fluggäste gab es 2024?
Hausanschrift:
Sächsisches Staatsministerium
Es waren 900.000 Fluggäste.
"""


def test_a_saxon_letter_names_its_ministry_in_capitals_and_its_side_column_is_dropped():
    record = _read(SAXONY_LETTER)
    assert record["title"] == "Auslastung und weiterer Betrieb des Flughafens Dresden"
    assert record["explanation"].startswith("Vorab sei mitgeteilt")
    assert record["answering_ministry"] == "Sächsisches Staatsministerium der Finanzen"
    assert record["questions"][0]["answer"] == "Es waren 900.000 Fluggäste."


def test_a_group_printed_once_after_the_askers_is_everyones():
    bavaria = """Bayerischer Landtag 19. Wahlperiode 10.06.2025 Drucksache 19 / 9001
Schriftliche Anfrage
der Abgeordneten Anna Beispiel, Bernd Muster,
Carla Probe BÜNDNIS 90/DIE GRÜNEN
vom 31.03.2025
Radwege im Landkreis
Die Staatsregierung wird gefragt:
1. Wie viele Kilometer Radweg gibt es?
Antwort des Staatsministeriums für Wohnen, Bau und Verkehr vom 06.05.2025
Zu 1.:
Es gibt 120 Kilometer.
"""
    record = _read(bavaria, "by.txt")
    assert [asker["faction"] for asker in record["askers"]] == ["BÜNDNIS 90/DIE GRÜNEN"] * 3


SAARLAND_PAPERS = """LANDTAG DES SAARLANDES
17. Wahlperiode Drucksache 17/2001
 19.12.2024

A N F R A G E
der Abgeordneten Erika Beispiel (CDU)
betr.: Konzeptvergabe beim ehemaligen Finanzamt
Daher frage ich die Regierung des Saarlandes:
1. Welche Norm gilt?
- 3 -LANDTAG DES SAARLANDES Drucksache 17/2050 (17/2001)
17. Wahlperiode 06.02.2025

A n t w o r t
zu der
Anfrage der Abgeordneten Erika Beispiel (CDU)
betr.: Konzeptvergabe beim ehemaligen Finanzamt
Vorbemerkung Fragestellerin:
„Die Presseberichterstattung wirft Fragen auf. Die Landesregierung
Ausgegeben: 10.02.2025\fDrucksache 17/2050 (17/2001) Landtag des Saarlandes

erklärte hierzu, es sei nicht möglich, dass
eine Ausschreibung mit beiden Optio-
nen erfolge.„
Aufgrund welcher Norm kommt das Fi-
nanzministerium zu der Einschätzung?
(Bitte Darlegung der rechtlichen Sach-
verhaltswürdigung.)
Zu Frage 1:
Konzeptvergaben sind gängige Praxis. Die Norm ist das Haushaltsrecht.
Vergleich mit anderen Konzeptvergaben
Gibt es Vergleichsfälle in anderen
Bundesländern?
Zu Frage 2:
Nein.
"""


def test_unnumbered_questions_run_back_to_the_sentence_before_them():
    record = _read(SAARLAND_PAPERS, "sl.txt")
    assert record["reference"] == "17/2050"
    first, second = record["questions"]
    # a page break is no paragraph break; a heading over a question is not part of it
    assert first["text"].startswith("Aufgrund welcher Norm") and first["text"].endswith("verhaltswürdigung.)")
    assert second["text"].replace("\n", " ") == "Gibt es Vergleichsfälle in anderen Bundesländern?"
    assert second["answer"] == "Nein."
    # the question paper printed before the answer dates the question
    assert record["asked_on"] == "2024-12-19"


def test_a_sentence_running_on_into_the_word_vorbemerkung_is_no_heading():
    lower_saxony = """Niedersächsischer Landtag – 19. Wahlperiode Drucksache 19/13001
Kleine Anfrage zur schriftlichen Beantwortung
mit Antwort der Landesregierung
Anfrage der Abgeordneten Max Muster (AfD)
Antwort des Niedersächsischen Ministeriums für Inneres, Sport und Digitalisierung namens der Landesregierung
Fragebogen für Bewerber
Vorbemerkung der Landesregierung
Ein Fragebogen ist nicht geplant.
1. Welche Fragen enthält der Fragebogen?
2. Wer wertet ihn aus?
Die Fragen 1 und 2 werden aufgrund des Sachzusammenhangs gemeinsam beantwortet. Auf die
Vorbemerkung der Landesregierung wird verwiesen.
"""
    record = _read(lower_saxony, "ni.txt")
    assert record["government_preface"] == "Ein Fragebogen ist nicht geplant."
    assert record["questions"][1]["answer"].endswith("Auf die Vorbemerkung der Landesregierung wird verwiesen.")
    assert record["questions"][0]["answer"] == record["questions"][1]["answer"]


def test_a_numbered_question_over_its_dotted_sub_questions_is_kept_when_it_asks():
    berlin = """Abgeordnetenhaus Berlin Drucksache 19 / 30001
19. Wahlperiode

Schriftliche Anfrage

der Abgeordneten Erika Beispiel (GRÜNE)

vom 10. Januar 2025 (Eingang beim Abgeordnetenhaus am 13. Januar 2025)

zum Thema:
Doppelhaushalt ohne Pauschale Minderausgaben

und Antwort vom 27. Januar 2025 (Eingang beim Abgeordnetenhaus am 28. Jan. 2025)

Senatsverwaltung für Finanzen
Frau Abgeordnete Erika Beispiel (GRÜNE)
über die Präsidentin des Abgeordnetenhauses von Berlin

Antwort auf die Schriftliche Anfrage Nr. 19/30001 vom 10. Januar 2025 über Doppelhaushalt

Im Namen des Senats von Berlin beantworte ich Ihre Schriftliche Anfrage wie folgt:

1. Strebt der Senat einen Doppelhaushalt ohne Pauschale Minderausgabe an?
1.1.Wenn nicht: Was unternimmt der Senat für die Planungssicherheit?
Zu 1. und 1.1.: Hierzu können noch keine Aussagen getroffen werden.
"""
    record = _read(berlin, "be.txt")
    assert [question["number"] for question in record["questions"]] == ["1", "1.1"]
    assert record["questions"][0]["answer"] == record["questions"][1]["answer"] == "Hierzu können noch keine Aussagen getroffen werden."


def test_the_date_over_the_askers_signature_dates_the_question():
    baden_wuerttemberg = """Landtag von Baden-Württemberg Drucksache 17 / 9901
17. Wahlperiode 28.5.2025
Kleine Anfrage
der Abg. Erika Beispiel-Muster CDU
und
Antwort
des Ministeriums für Soziales, Gesundheit und Integration
Frühe Schulden junger Menschen
Ich frage die Landesregierung:
1. Wie viele junge Menschen gelten als verschuldet?
28.5.2025
Beispiel-Muster CDU
Antwort
Mit Schreiben vom 23. Juni 2025 Nr. 31-0141.5 beantwortet das Ministerium für Soziales, Gesundheit und
Integration die Kleine Anfrage wie folgt:
1. Wie viele junge Menschen gelten als verschuldet?
Zu 1.:
Dazu liegen keine Zahlen vor.
"""
    record = _read(baden_wuerttemberg, "bw.txt")
    assert (record["asked_on"], record["answered_on"]) == ("2025-05-28", "2025-06-23")
    assert record["questions"][0]["answer"] == "Dazu liegen keine Zahlen vor."


def test_a_footnote_that_is_only_an_address_is_no_answer():
    bavaria = """Bayerischer Landtag 19. Wahlperiode 29.06.2026 Drucksache 19 / 9101
Schriftliche Anfrage
der Abgeordneten Anna Beispiel AfD
vom 06.04.2026
Mobbing an Schulen
Wie in Kleve berichtet1, ergeben sich Fragen.
Die Staatsregierung wird gefragt:
1.1 Wie wird Mobbing erfasst?
1 https://archive.is/eOf6w
1.2 Wann werden die Daten gelöscht?
Antwort des Staatsministeriums für Unterricht und Kultus vom 25.05.2026
1.1 Wie wird Mobbing erfasst?
1.2 Wann werden die Daten gelöscht?
Die Fragen 1.1 bis 1.2 werden gemeinsam beantwortet.
Es wird auf eine frühere Antwort verwiesen.
"""
    record = _read(bavaria, "by.txt")
    answers = [question["answer"] for question in record["questions"]]
    assert len(answers) == 2 and answers[0] == answers[1] and answers[0].startswith("Die Fragen 1.1 bis 1.2 werden gemeinsam")


def test_a_question_printed_out_of_order_for_a_joint_answer_is_a_question():
    bundestag = """Deutscher Bundestag Drucksache 21/9001
21. Wahlperiode 10.06.2025
Antwort
der Bundesregierung
auf die Kleine Anfrage der Fraktion der AfD
– Drucksache 21/8001 –
Fachkräfte aus dem Ausland
1. Wie viele Fachkräfte kamen 2024?
Es kamen 1.000 Fachkräfte.
2. Wie hoch sind die Aufwendungen?
3. Wird der Nutzen gemessen?
7. Wie wird sichergestellt, dass die Investitionen sich lohnen?
Die Fragen 2, 3 und 7 werden gemeinsam beantwortet.
Für die Bundesregierung ist die Fachkräftesicherung eine Daueraufgabe.
4. Welche Länder nehmen teil?
Es nehmen zwölf Länder teil.
"""
    record = _read(bundestag, "bt.txt")
    assert [question["number"] for question in record["questions"]] == ["1", "2", "3", "7", "4"]
    joint = {question["answer"] for question in record["questions"] if question["number"] in {"2", "3", "7"}}
    assert len(joint) == 1 and joint.pop().startswith("Die Fragen 2, 3 und 7 werden gemeinsam beantwortet.")
    assert record["questions"][-1]["answer"] == "Es nehmen zwölf Länder teil."
