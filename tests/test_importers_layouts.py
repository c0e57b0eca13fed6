"""Layouts of the parliaments that have no real document in the development set yet (Hamburg,
Bremen, Hessen, Rheinland-Pfalz, Brandenburg), read by the common reading.

The samples in tests/fixtures/layouts/ are constructed (see the README there): they pin down the
rules of each parliament's printed layout, not the importer's accuracy on real papers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inquiries.importers import german
from inquiries.importers.document import parse_document

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def _read(name: str) -> dict:
    result = parse_document(f"{name}.txt", (LAYOUTS / f"{name}-constructed.txt").read_bytes())
    assert result.parser == "common"
    return result.record


def _numbers(record: dict) -> list[str]:
    return [question["number"] for question in record["questions"]]


def test_hamburg_schriftliche_kleine_anfrage_und_antwort_des_senats():
    record = _read("hh")
    assert (record["parliament"], record["reference"], record["kind"]) == ("HH", "22/9999", "minor")
    assert record["title"] == "Öffnungszeiten der Bücherhallen in den Bezirken"
    assert record["askers"] == [{"name": "Anna Beispiel", "faction": "CDU"}, {"name": "Dr. Bernd Muster", "faction": "CDU"}]
    # "vom 06.03.23": the century is left out; the answer's only date is the one beside the number
    assert (record["asked_on"], record["answered_on"]) == ("2023-03-06", "2023-03-14")
    # the Senat answers as a whole: no ministry is named, and none is guessed
    assert record["answering_ministry"] is None
    assert "answering_ministry" in record["extraction"]["abstained"]
    assert record["explanation"].startswith("Die Bücherhallen haben ihre Öffnungszeiten")
    # "Einleitung für die Antworten des Senats:" is the government's preface; the sentence that
    # the answers follow is not part of it
    assert record["government_preface"] == "Die Stiftung Hamburger Öffentliche Bücherhallen legt ihre Öffnungszeiten selbst fest."
    assert _numbers(record) == ["1", "2", "3", "4"]
    second, third = record["questions"][1:3]
    # "Antwort zu Fragen 2 und 3:": one answer for both
    assert second["answer"] == third["answer"] and second["answer"].startswith("Die Änderungen folgen dem Besuchsaufkommen.")
    assert record["questions"][3]["answer"] == "Siehe Drs. 22/8888."


def test_hamburg_older_layout_prints_each_answer_under_its_question():
    record = _read("hh21")
    assert (record["reference"], record["asked_on"], record["answered_on"]) == ("21/4321", "2016-07-25", "2016-08-02")
    assert record["askers"] == [{"name": "Karl Beispiel", "faction": "FDP"}]
    # the askers' text under "Betr.:" without a heading of its own
    assert record["explanation"] == "Viele Sporthallen sind in einem schlechten Zustand."
    assert [(q["number"], q["text"], q["answer"]) for q in record["questions"]] == [
        ("1", "Wie viele Sporthallen wurden 2015 saniert?", "Im Jahr 2015 wurden elf Sporthallen saniert."),
        ("2", "Welche Kosten entstanden dabei?", "Es entstanden Kosten von 4,3 Mio. Euro."),
    ]


def test_bremen_mitteilung_des_senats_with_the_fraktions_question_paper():
    record = _read("hb")
    assert (record["parliament"], record["reference"], record["kind"]) == ("HB", "21/777", "minor")
    # "Mitteilung des Senats vom …" is a header line, not the title; its date is the answer's
    assert record["title"] == "Lärmschutz an Landesstraßen"
    assert record["answered_on"] == "2024-03-12"
    # "Die Fraktion der CDU hat folgende Kleine Anfrage an den Senat gerichtet:"
    assert (record["askers"], record["factions"]) == ([], ["CDU"])
    assert "kind" not in record["extraction"]["abstained"]
    assert record["related_references"] == ["21/701"]
    assert record["explanation"].endswith("Viele Anwohnerinnen und Anwohner klagen über Verkehrslärm.")
    assert _numbers(record) == ["1", "2", "3"]
    assert record["questions"][2]["answer"] == "Die Fortschreibung ist für 2025 vorgesehen."


def test_hessen_kleine_anfrage_und_antwort_des_kultusministers():
    record = _read("he")
    assert (record["parliament"], record["reference"]) == ("HE", "20/5555")
    # "Erika Beispiel (SPD) vom 01.02.2023" under "Kleine Anfrage"; the "und" before "Antwort" is no title
    assert record["askers"] == [{"name": "Erika Beispiel", "faction": "SPD"}]
    assert record["title"] == "Schulbusverkehr im Landkreis Musterhausen"
    # "Antwort / Kultusminister": the office in one word stands for its ministry
    assert record["answering_ministry"] == "Kultusministerium"
    assert record["consulted_ministries"] == ["Ministerium für Wirtschaft, Energie, Verkehr und Wohnen"]
    assert (record["asked_on"], record["answered_on"]) == ("2023-02-01", "2023-03-10")
    assert record["explanation"] == "Eltern berichten von überfüllten Schulbussen."
    # "Vorbemerkung Kultusminister:" ends where "Diese Vorbemerkung vorangestellt, beantworte ich …" begins
    assert record["government_preface"] == "Die Schülerbeförderung ist Aufgabe der Landkreise."
    assert [(q["number"], q["answer"]) for q in record["questions"]] == [
        ("1", "Der Landesregierung sind zwölf Beschwerden bekannt."),
        ("2", "Der Landkreis hat zwei zusätzliche Busse eingesetzt."),
    ]
    assert record["extraction"]["complete"] is True


def test_rheinland_pfalz_antwort_des_ministeriums_auf_die_kleine_anfrage():
    record = _read("rp")
    assert (record["parliament"], record["reference"], record["related_references"]) == ("RP", "18/6666", ["18/6500"])
    assert record["answering_ministry"] == "Ministerium des Innern und für Sport"
    assert record["askers"] == [{"name": "Max Muster", "faction": "AfD"}]
    assert (record["asked_on"], record["answered_on"]) == ("2023-03-02", "2023-03-17")
    # the askers' text between "hat folgenden Wortlaut:" and "Ich frage die Landesregierung:"
    assert record["explanation"] == "Mehrere Feuerwehrhäuser im Kreis sind sanierungsbedürftig."
    # the sentence that the answers follow runs over two lines: none of it belongs to question 2
    assert record["questions"][1]["text"] == "Welche Fördermittel wurden 2022 bewilligt?"
    assert record["questions"][1]["answer"] == "Im Jahr 2022 wurden 450 000 Euro bewilligt."


def test_brandenburg_antwort_der_landesregierung_auf_die_kleine_anfrage_nr():
    record = _read("bb")
    assert (record["parliament"], record["reference"], record["related_references"]) == ("BB", "7/4444", ["7/4300"])
    assert record["title"] == "Radwege an der Landesstraße 99"
    assert record["askers"] == [{"name": "Max Muster", "faction": "AfD"}]
    assert record["answering_ministry"] == "Ministerium für Infrastruktur und Landesplanung"
    # "Wortlaut der Kleinen Anfrage Nr. 1555 vom 05.02.2021:"; "Eingegangen: 12.03.2021" is the answer's
    assert (record["asked_on"], record["answered_on"]) == ("2021-02-05", "2021-03-12")
    assert record["explanation"] == "Der Radweg an der L 99 endet an der Kreisgrenze."
    # questions printed twice (question paper, then "Frage 1:" over "zu Frage 1:"); the
    # "Namens der Landesregierung beantwortet …" sentence is part of neither
    assert [(q["number"], q["text"], q["answer"]) for q in record["questions"]] == [
        ("1", "Wann wird die Lücke im Radweg geschlossen?", "Der Bau ist für 2023 vorgesehen."),
        ("2", "Welche Kosten sind dafür veranschlagt?", "Veranschlagt sind 800 000 Euro."),
    ]


@pytest.mark.parametrize(
    ("printed", "iso"),
    [("vom 06.03.23", "2023-03-06"), ("vom 25.07.16", "2016-07-25"), ("vom 03.11.98", "1998-11-03"), ("12.03.2024", "2024-03-12")],
)
def test_dates_with_the_century_left_out(printed, iso):
    assert german.iso(german.parse_date(printed)) == iso


@pytest.mark.parametrize("printed", ["1.2.23", "06.03.231", "Abschnitt 06.03.23.1"])
def test_numbers_that_only_look_like_short_dates_are_none(printed):
    assert german.parse_date(printed) is None


def test_bremen_antwort_des_senats_signed_by_the_askers_and_two_groups():
    record = _read("hb19")
    assert (record["reference"], record["title"]) == ("19/888", "Ausbildungsplätze im Land Bremen")
    # "auf die Kleine Anfrage der Fraktion der SPD und Fraktion DIE LINKE vom 9. September 2015"
    assert record["asked_on"] == "2015-09-09"
    # "Dazu / Antwort des Senats vom 17. November 2015:" — the Senat is no ministry
    assert (record["answered_on"], record["answering_ministry"]) == ("2015-11-17", None)
    # the askers sign the question paper: "Anna Beispiel, Bernd Muster und Fraktion der SPD"
    assert record["askers"] == [
        {"name": "Anna Beispiel", "faction": "SPD"}, {"name": "Bernd Muster", "faction": "SPD"}, {"name": "Carla Probe", "faction": "DIE LINKE"},
    ]
    assert record["factions"] == ["DIE LINKE", "SPD"]
    assert "askers" not in record["extraction"]["abstained"]
    # the signature is part of no question
    assert record["questions"][1]["text"].startswith("Wie viele Bewerberinnen und Bewerber blieben ohne Platz?")
    assert "Beispiel" not in record["questions"][1]["text"]
    assert record["questions"][1]["answer"] == "Ohne Platz blieben 205 Bewerberinnen und Bewerber."


def test_hessen_older_layout_der_abg_betreffend_des_ministers():
    record = _read("he19")
    assert (record["reference"], record["title"]) == ("19/6543", "Sprachkurse für Geflüchtete")
    assert record["askers"] == [{"name": "Muster", "faction": "DIE LINKE"}]
    assert record["asked_on"] == "2018-08-15"  # "der Abg. Muster (DIE LINKE) vom 15.08.2018"
    assert record["answering_ministry"] == "Ministerium für Soziales und Integration"  # "des Ministers für …"
    assert record["government_preface"] == "Das Land fördert Sprachkurse ergänzend zu den Kursen des Bundes."
    assert record["answered_on"] == "2018-09-07"
    assert [q["answer"] for q in record["questions"]] == ["Im Jahr 2017 förderte das Land 140 Kurse.", "Die Kosten betrugen 2,1 Mio. Euro."]


def test_rheinland_pfalz_joint_answer_and_reference_to_it():
    record = _read("rp17")
    assert (record["reference"], record["answering_ministry"]) == ("17/2222", "Ministerium für Bildung")
    assert record["askers"] == [{"name": "Anna Muster", "faction": "CDU"}, {"name": "Ben Probe", "faction": "CDU"}]
    assert (record["asked_on"], record["answered_on"]) == ("2017-02-14", "2017-03-03")
    first, second, third = record["questions"]
    # "Zu den Fragen 1 und 2:": one answer for both
    assert first["answer"] == second["answer"]
    assert "80 Vertretungskräfte" in first["answer"]
    assert third["answer"] == "Auf die Antwort zu den Fragen 1 und 2 wird verwiesen."
