"""A PDF answer with a table across a page break (repeated header, an empty cell, a
label over two lines), made with pypdf like the other test PDFs."""

from __future__ import annotations

from tests.pdfs import make_pdf

TABLE_HEADER = "Land                      2023        2024"

_PAGE_1 = """Deutscher Bundestag                                    Drucksache 21/9999
21. Wahlperiode                                        02.06.2025

Antwort
der Bundesregierung

auf die Kleine Anfrage der Abgeordneten Erika Beispiel und der Fraktion DIE LINKE
– Drucksache 21/9000 –

Meldungen von Keuchhusten nach Ländern

1. Wie viele Fälle von Keuchhusten wurden in den Jahren 2023 und 2024 je Land gemeldet?

Die Zahlen sind der folgenden Tabelle zu entnehmen.

Tabelle 1: Gemeldete Fälle nach Land
{header}
Baden-Württemberg         1 234          17
Bayern                    12 345         –
Berlin                                    3
Brandenburg               412            88"""

_PAGE_2 = """Drucksache 21/9999                    – 2 –         Deutscher Bundestag – 21. Wahlperiode

{header}
Bremen                    9              1 003
Hamburg                   77             81
Mecklenburg-Vorpommern
und Umland                5              6

2. Welche Maßnahmen plant die Bundesregierung?

Die Bundesregierung plant keine weiteren Maßnahmen.

Die Antwort wurde namens der Bundesregierung mit Schreiben des Bundesministeriums für Gesundheit vom 30. Mai 2025 übermittelt."""

TABLE_ROWS = [
    ["Baden-Württemberg", "1 234", "17"],
    ["Bayern", "12 345", "–"],
    ["Berlin", "", "3"],
    ["Brandenburg", "412", "88"],
    ["Bremen", "9", "1 003"],
    ["Hamburg", "77", "81"],
    ["Mecklenburg-Vorpommern und Umland", "5", "6"],
]


def table_pdf() -> bytes:
    return make_pdf([_PAGE_1.format(header=TABLE_HEADER), _PAGE_2.format(header=TABLE_HEADER)])
