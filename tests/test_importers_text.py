"""The shared post-processing of document text and the small readers all layouts use."""

from __future__ import annotations

import datetime

import pytest

from inquiries.importers import text as txt
from inquiries.importers.answers import heading_labels
from inquiries.importers.german import askers_label, faction_name, parse_date, split_askers
from inquiries.names import ministry_display_name, ministry_key, split_person_name


@pytest.mark.parametrize(
    ("previous", "following", "joined"),
    [
        ("die Informa-", "tionen liegen vor", "die Informationen liegen vor"),
        ("die Bürokratie-", "und Dokumentationsbelastung", "die Bürokratie- und Dokumentationsbelastung"),
        ("auf europarechtlich zulässige Mindestsätze so-", "wie die Verstetigung", "auf europarechtlich zulässige Mindestsätze sowie die Verstetigung"),
        ("mit dem Innenministerium-", "Landespolizeipräsidium", "mit dem Innenministerium-Landespolizeipräsidium"),
        ("im Zeitraum 2026-", "2030", "im Zeitraum 2026-2030"),
        ("eingegangen am 03.06.2026 -", "Drs. 19/10805,", "eingegangen am 03.06.2026 - Drs. 19/10805,"),
        ("(Fahrplanverdichtung", ").", "(Fahrplanverdichtung)."),
        ("der Regionalbahn", "-Strecke", "der Regionalbahn-Strecke"),
    ],
)
def test_wrapped_lines_are_joined_and_hyphenation_undone(previous, following, joined):
    assert txt.join_two(previous, following) == joined


def test_markup_of_converted_letters_is_removed():
    text = "**Zu 1.:**\n- 8.** *Welchen Beitrag?*\n*1. In welcher Form?*\nE-Mail: [a@b.de](mailto:a@b.de)  "
    assert txt.strip_markup(text).split("\n") == ["Zu 1.:", "8. Welchen Beitrag?", "1. In welcher Form?", "E-Mail: a@b.de"]


def test_normalise_unifies_spaces_and_drops_invisible_characters():
    assert txt.normalise("Ver\u00adwaltung\u00a0 und\r\nZeile\t \x07") == "Verwaltung und\nZeile"


def test_page_headers_numbers_and_footers_are_removed():
    header = txt.re.compile(r"^Landtag X Drucksache \d+/\d+")
    text = "Landtag X Drucksache 1/2\n\n1\nErste Seite endet mit-\n\nFußzeile Recyclingpapier\n\fLandtag X Drucksache 1/2\n2\n\nten Wörtern."
    pages = txt.split_pages(text, header=header, drop=[txt.re.compile("Recyclingpapier")])
    assert pages == [["Erste Seite endet mit-"], ["ten Wörtern."]]
    assert txt.blocks(txt.join_pages(pages)) == ["Erste Seite endet mit-", "ten Wörtern."]
    assert txt.join_broken_paragraphs(txt.blocks(txt.join_pages(pages))) == ["Erste Seite endet mitten Wörtern."]


def test_a_long_paragraph_without_closing_mark_continues_after_a_page_break():
    paragraphs = ["Die Polizei hat eine Erklärung unterzeichnet. Das Ipai und die Polizei", "BW beabsichtigen eine Partnerschaft.", "Zu 2.:"]
    joined = txt.join_broken_paragraphs(paragraphs, keep_apart=lambda p: p.startswith("Zu "))
    assert joined == ["Die Polizei hat eine Erklärung unterzeichnet. Das Ipai und die Polizei BW beabsichtigen eine Partnerschaft.", "Zu 2.:"]


def test_reflow_rebuilds_paragraphs_lists_and_tables_from_line_widths():
    lines = [
        "Die Landesregierung hat mehrere Maßnahmen ergriffen, um den Unterrichtsausfall an den beruflichen",
        "Schulen zu verringern. Die Wirkung wird ausgewertet.",
        "Grundwasser",
        "Für die Darstellung der Grundwasserqualität nach Regionen wurden die vier Flussgebiete Elbe, Ems,",
        "Rhein und Weser ausgewertet:",
        "– Elbe und Ems,",
        "– Rhein und Weser.",
        "Flussgebiet Anzahl Mittelwert",
        "Elbe 176 33,1",
        "Ems 245 25,9",
    ]
    width = txt.printed_width(lines[0])
    assert txt.reflow(lines, width=width, slack=0).split("\n") == [
        "Die Landesregierung hat mehrere Maßnahmen ergriffen, um den Unterrichtsausfall an den beruflichen "
        "Schulen zu verringern. Die Wirkung wird ausgewertet.",
        "",
        "Grundwasser",
        "Für die Darstellung der Grundwasserqualität nach Regionen wurden die vier Flussgebiete Elbe, Ems, "
        "Rhein und Weser ausgewertet:",
        "– Elbe und Ems,",
        "– Rhein und Weser.",
        "",
        "Flussgebiet Anzahl Mittelwert",
        "Elbe 176 33,1",
        "Ems 245 25,9",
    ]


def test_footnotes_leave_the_page_and_their_marks_are_found():
    pages = [
        ["Der Text nennt eine Quelle.1 Und eine zweite 2 im Satz.", "", "1 https://example.org/eine/quel-", "le.html", "2 Zeitung, S. 24."],
        ["Weiter geht es."],
    ]
    body, notes = txt.extract_footnotes(pages)
    assert body == [["Der Text nennt eine Quelle.1 Und eine zweite 2 im Satz."], ["Weiter geht es."]]
    assert [(note.number, note.text) for note in notes] == [(1, "https://example.org/eine/quelle.html"), (2, "Zeitung, S. 24.")]
    lines = body[0] + [txt.PAGE_BREAK] + body[1]
    txt.place_footnote_marks(lines, [0, 1, 1], notes)
    assert lines[0] == "Der Text nennt eine Quelle.[1] Und eine zweite [2] im Satz."
    assert txt.footnotes_between(notes, 0, 1) == "[1] https://example.org/eine/quelle.html\n[2] Zeitung, S. 24."


@pytest.mark.parametrize(
    ("heading", "labels"),
    [
        ("Zu 1.:", ["1"]),
        ("Zu 1. und 2.:", ["1", "2"]),
        ("Zu 2. bis 4.:", ["2", "3", "4"]),
        ("Zu den Fragen 6, 7, 8 und 10:", ["6", "7", "8", "10"]),
        ("Zu Frage 2:", ["2"]),
        ("Zu 3. a):", ["3a"]),
        ("Zu 1:", ["1"]),
        ("Zu den Bitten, sich gegenüber dem Bund einzusetzen:", None),
        ("Zu Beginn des Jahres wurde beschlossen:", None),
    ],
)
def test_answer_headings(heading, labels):
    assert heading_labels(heading) == labels


@pytest.mark.parametrize(
    ("printed", "day"),
    [("28.02.2024", datetime.date(2024, 2, 28)), ("7.2.2024", datetime.date(2024, 2, 7)),
     ("Ihr Schreiben vom 7. Februar 2024", datetime.date(2024, 2, 7)), ("12. 03. 2024", datetime.date(2024, 3, 12)),
     ("289.09.2026", None), ("31.02.2024", None), ("kein Datum", None)],
)
def test_german_dates(printed, day):
    assert parse_date(printed) == day


def test_askers_with_groups_in_parentheses():
    askers = split_askers("Claus Seebeck und Eike Holsten (CDU)")
    assert askers == [{"name": "Claus Seebeck", "faction": "CDU"}, {"name": "Eike Holsten", "faction": "CDU"}]
    assert askers_label(askers) == "Claus Seebeck und Eike Holsten (CDU)"
    assert split_askers("Jozef Rakicky (fraktionslos)") == [{"name": "Jozef Rakicky", "faction": None}]
    assert faction_name("der Fraktion Bündnis 90/Die Grünen") == "Bündnis 90/Die Grünen"


def test_person_names_keep_academic_titles_apart():
    assert split_person_name("MUDr. PhDr. / Univ.Prag Jozef Rakicky").title == "MUDr. PhDr. / Univ.Prag"
    assert split_person_name("des Abgeordneten Dr. Hans-Ulrich Rülke").key == split_person_name("Hans-Ulrich Ruelke").key


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("des Niedersächsischen Ministeriums für Inneres, Sport und Digitalisierung", "Niedersächsisches Ministerium für Inneres, Sport und Digitalisierung"),
        ("des Niedersächsischen Justizministeriums", "Niedersächsisches Justizministerium"),
        ("der Niedersächsischen Staatskanzlei", "Niedersächsische Staatskanzlei"),
        ("dem Ministerium für Finanzen", "Ministerium für Finanzen"),
    ],
)
def test_ministry_names_in_the_nominative_share_the_key_of_every_form(printed, name):
    assert ministry_display_name(printed) == name
    assert ministry_key(printed) == ministry_key(name)
