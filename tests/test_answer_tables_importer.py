"""Answer tables read by the importer (inquiries/importers/tables.py), on real answers of the
development set: columns from German numbers, cells over several lines, a header from a row
of years, a table across a page break in a PDF, and abstention where columns do not split."""

from __future__ import annotations

import json

import pytest

from inquiries.importers.document import parse_document
from inquiries.importers.tables import read_tables
from tests.answer_table_docs import TABLE_ROWS, table_pdf
from tests.importer_cases import DOCUMENTS


def _parse(path):
    return parse_document(path.name, path.read_bytes())


@pytest.fixture(scope="module")
def keuchhusten():
    """BT 21/286: two tables, thousands separated by spaces ("10 470"), in a joint answer."""
    return _parse(DOCUMENTS / "BT" / "bt-21-286.txt")


@pytest.fixture(scope="module")
def asylum():
    """NI 19/11185: tables with rows of years as header, units, "---", labels over two lines."""
    return _parse(DOCUMENTS / "NI" / "ni-19-11185.txt")


def _question(result, number):
    return next(question for question in result.record["questions"] if question["number"] == number)


def test_columns_split_by_german_numbers_with_spaces_as_thousands_separators(keuchhusten):
    first, second = _question(keuchhusten, "1")["tables"]
    assert first["caption"].startswith("Tabelle 1: Gemäß Infektionsschutzgesetz (IfSG) an das Robert Koch-Institut (RKI)")
    assert first["caption"].endswith("(Datenstand: 13. Mai 2025).")
    assert first["rows"][0] == ["2013", "10 470", "1", "1"]
    assert ["2021", "811", "0", "0"] in first["rows"] and ["2022", "1 744", "3", "1"] in first["rows"]
    assert first["rows"][-1] == ["Gesamt", "124 100", "25", "12"]
    assert len(first["rows"]) == 14 and {len(row) for row in first["rows"]} == {4}
    assert second["caption"].startswith("Tabelle 2:") and second["rows"][-1] == ["Gesamt", "10 365", "1", "1"]
    assert len(second["rows"]) == 17


def test_a_header_that_does_not_split_into_its_columns_is_named_not_guessed(keuchhusten):
    # "Meldejahr Anzahl übermittelte / Keuchhusten-Fälle davon Anzahl / Verstorbene …": 4 columns, no way to tell.
    tables = _question(keuchhusten, "1")["tables"]
    assert [table["header"] for table in tables] == [[], []]
    abstained = keuchhusten.record["extraction"]["abstained"]
    assert "questions[0].tables[0].header" in abstained and "questions[0].tables[1].header" in abstained
    assert keuchhusten.record["extraction"]["complete"] is False


def test_the_answer_keeps_the_table_lines_and_the_span_points_at_them(keuchhusten):
    question = _question(keuchhusten, "1")
    answer = question["answer"]
    assert "2013 10 470 1 1" in answer and "Gesamt 124 100 25 12" in answer
    start, end = question["tables"][0]["span"]
    assert answer[start:end].startswith("2013 10 470 1 1") and answer[start:end].endswith("Gesamt 124 100 25 12")
    # Questions answered together each have the whole answer, tables included.
    assert _question(keuchhusten, "2")["tables"] == question["tables"]


def test_a_row_of_years_is_the_header_and_figures_with_units_stay_one_cell(asylum):
    (table,) = _question(asylum, "6")["tables"]
    assert table["header"] == [["", "2021", "2022", "2023", "2024", "2025"]]
    assert table["rows"][0] == ["Asylverfahren vor den Verwaltungsgerichten", "", "", "", "", ""]
    assert table["rows"][1] == ["Dauer Klageverfahren", "26,4 M.", "28,2 M.", "21,8 M.", "16,5 M.", "13,6 M."]
    assert table["rows"][-1] == ["Verfahren zur Gewähr. v. vorl. Rechtsschutz", "---", "1,0 M.", "0,4 M.", "---", "0,4 M."]


def test_a_label_over_several_lines_is_one_cell_and_the_header_decides_an_ambiguous_split(asylum):
    # "931 972 1.159 1.287" could be "931 972 | 1.159 | 1.287": the four years above say four values.
    (table,) = _question(asylum, "7")["tables"]
    assert table["header"] == [["", "2023*", "2024*", "2025*", "2026**"]]
    assert table["rows"] == [
        ["Ausreisepflichtige syrische Staatsangehörige (gesamt)", "931", "972", "1.159", "1.287"],
        ["Davon: Geduldete (aus tatsächlichen/rechtlichen Gründen)", "787", "855", "1.065", "1.184"],
    ]
    assert table["caption"] is None


def test_years_and_a_last_heading_make_the_header_and_the_caption_is_read(asylum):
    tables = _question(asylum, "5")["tables"]
    assert tables[1]["caption"] == "Tabelle: Asylverfahren vor den Verwaltungsgerichten"
    assert tables[1]["header"] == [["", "2021", "2022", "2023", "2024", "2025", "Jan. bis Mai 2026"]]
    assert tables[1]["rows"][1] == ["Eingänge Verfahren zur Gewährung von vorl. Rechtsschutz", "1.508", "2.006", "2.797", "2.749", "5.599", "1.235"]
    # The third table's header is broken in the text ("2021 2022 202" / "3"): it is left as text.
    assert "questions[4].tables" in asylum.record["extraction"]["abstained"]
    assert len(tables) == 2


def test_rows_with_empty_cells_in_text_without_positions_stay_text_and_are_named():
    """MV 8/6344: "Biologie 136 3 4 5 148" but "Chemie 26 1 27" – which columns are empty cannot be told."""
    result = _parse(DOCUMENTS / "MV" / "mv-8-6344.txt")
    question = _question(result, "6")
    assert "tables" not in question
    assert "Chemie 26 1 27" in question["answer"]
    assert result.record["extraction"]["abstained"].count("questions[5].tables") == 1


def test_several_rows_run_together_on_one_line_are_not_split(shared_dir):
    """BT 21/424: the mirror's text puts "armenisch 10 - aserbaidschanisch 2 - beninisch 2 -" on one line."""
    path = shared_dir / "documents" / "bt" / "bt-21-424.txt"
    result = _parse(path)
    tables = [table for question in result.record["questions"] for table in question.get("tables") or []]
    labels = [row[0] for table in tables for row in table["rows"]]
    assert not any("aserbaidschanisch" in label for label in labels)
    assert "questions[2].tables" in result.record["extraction"]["abstained"]
    january = next(table for table in tables if table["rows"][0][0] == "Januar" and table["rows"][0][1] == "6.906")
    assert january["rows"][12] == ["Gesamt", "83.572", "47.726"]


def test_a_pdf_table_across_a_page_break_uses_the_printed_positions():
    result = parse_document("bt-21-9999.pdf", table_pdf())
    (table,) = result.record["questions"][0]["tables"]
    assert table["caption"] == "Tabelle 1: Gemeldete Fälle nach Land"
    assert table["header"] == [["Land", "2023", "2024"]]
    # The repeated header after the page break is no row; Berlin's empty 2023 cell stays empty.
    assert table["rows"] == TABLE_ROWS
    answer = result.record["questions"][0]["answer"]
    start, end = table["span"]
    assert answer[start:end].startswith("Tabelle 1:") and answer[start:end].endswith("und Umland 5 6")
    assert not any(hole.startswith("questions[0].tables") for hole in result.record["extraction"]["abstained"])


def test_the_same_document_gives_the_identical_record():
    first = parse_document("bt-21-9999.pdf", table_pdf()).record
    second = parse_document("bt-21-9999.pdf", table_pdf()).record
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


@pytest.mark.parametrize(
    "answer",
    [
        "Im Jahr 2023 gab es 5 Fälle, im Jahr 2024 waren es 7.",
        "Die Zahl stieg von 2022 auf 2023 um 12 auf 40.\nDer Bericht folgt.",
        "Siehe Drucksache 21/286 vom 26.05.2025.",
    ],
)
def test_running_text_with_figures_is_no_table(answer):
    reading = read_tables(answer)
    assert reading.tables == [] and reading.abstained == []


def test_one_value_count_per_table_or_nothing():
    # "1 234 5" is 1 234 | 5 or 1 | 234 | 5, and no other row tells which.
    reading = read_tables("Land A 1 234 5\nLand B 2 345 6", path="questions[0]")
    assert reading.tables == [] and reading.abstained == ["questions[0].tables"]
    reading = read_tables("Land A 1 234 5\nLand B 2 345 6\nLand C 17 4", path="questions[0]")
    assert reading.tables[0]["rows"] == [["Land A", "1 234", "5"], ["Land B", "2 345", "6"], ["Land C", "17", "4"]]


def test_a_row_without_the_name_the_others_have_is_no_guess():
    # NI 19/11185's third table: the first row's name stands above it, broken over lines.
    reading = read_tables("636 558 445\nEingänge Beschwerden 0 6 3\nEingänge Klagen 1 2 3", path="questions[4]")
    assert reading.tables == [] and reading.abstained == ["questions[4].tables"]


def test_long_runs_of_number_groups_are_read_in_linear_time():
    # Each line could be grouped in 2^40 ways; the count of ways is kept per position instead.
    text = "\n".join(f"Zeile {n} " + " ".join(["1"] + ["234"] * 40) for n in range(300))
    reading = read_tables(text, path="questions[0]")
    assert reading.tables == [] and reading.abstained == ["questions[0].tables"]


def test_a_wide_annex_table_whose_lines_hold_several_rows_is_left_out_whole():
    """SH 20/3153: "Bad Bramstedt … 15.500.000,00 € Barmstedt Rantzauer Schlossinsel 2017 1.311.000,00 € …"
    puts two rows on one line; that program's table is not given with rows missing. The
    programs printed one row per line are tables of their own, with every row."""
    result = _parse(DOCUMENTS / "SH" / "sh-20-3153.txt")
    tables = _question(result, "5")["tables"]
    labels = [row[0] for table in tables for row in table["rows"]]
    assert "Ahrensburg Innenstadt/Schlossbereich" not in labels and "Tönning Innenstadt" not in labels
    assert "questions[4].tables" in result.record["extraction"]["abstained"]
    wne = next(table for table in tables if table["rows"][0][0] == "Bad Oldesloe Traveinsel")
    assert len(wne["rows"]) == 11 and wne["rows"][1] == ["Eckernförde Stadtumbau", "2004", "33.597.617,36 €", "22.398.411,57 €", "5.000.000,00 €"]
