"""Write N realistic, made-up German inquiries as inquiry.v1 JSON Lines (about 5 KB each).

    python bench/generate_inquiries.py 100000 > /tmp/inquiries.jsonl
    python bench/generate_inquiries.py 100000 --output /tmp/inquiries.jsonl

Everything is invented from word lists (names, places, topics); the same --seed gives
the same file. Uses only the standard library.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import random
import sys
from typing import Any, Iterator, TextIO

# Bumped whenever the records change for the same seed: bench/run.py keys its built corpora by it.
GENERATOR_VERSION = 2

PARLIAMENTS = {
    "BW": {
        "term": 17,
        "start": datetime.date(2021, 5, 11),
        "factions": ["GRÜNE", "CDU", "SPD", "FDP/DVP", "AfD"],
        "ministries": [
            "Ministerium des Inneren, für Digitalisierung und Kommunen",
            "Ministerium für Finanzen",
            "Ministerium für Kultus, Jugend und Sport",
            "Ministerium für Wissenschaft, Forschung und Kunst",
            "Ministerium für Umwelt, Klima und Energiewirtschaft",
            "Ministerium für Soziales, Gesundheit und Integration",
            "Ministerium für Verkehr",
            "Ministerium für Wirtschaft, Arbeit und Tourismus",
            "Ministerium für Ernährung, Ländlichen Raum und Verbraucherschutz",
            "Ministerium der Justiz und für Migration",
            "Ministerium für Landesentwicklung und Wohnen",
            "Staatsministerium",
        ],
    },
    "NI": {
        "term": 19,
        "start": datetime.date(2022, 11, 8),
        "factions": ["SPD", "CDU", "GRÜNE", "AfD"],
        "ministries": [
            "Niedersächsisches Ministerium für Inneres, Sport und Digitalisierung",
            "Niedersächsisches Finanzministerium",
            "Niedersächsisches Kultusministerium",
            "Niedersächsisches Ministerium für Soziales, Arbeit, Gesundheit und Gleichstellung",
            "Niedersächsisches Ministerium für Umwelt, Energie und Klimaschutz",
            "Niedersächsisches Ministerium für Wirtschaft, Verkehr und Bauen",
            "Niedersächsisches Justizministerium",
        ],
    },
}
FIRST_NAMES = [
    "Anna", "Jonas", "Lena", "Markus", "Sabine", "Thomas", "Julia", "Stefan", "Katrin", "Andreas", "Miriam", "Felix",
    "Claudia", "Tobias", "Nadine", "Matthias", "Sophie", "Daniel", "Petra", "Christoph", "Hannah", "Florian", "Ute", "Jan",
]
LAST_NAMES = [
    "Hartmann", "Keller", "Brenner", "Sommerfeld", "Weidner", "Krüger", "Vogel", "Lindner", "Hofmann", "Schäfer",
    "Wagner", "Becker", "Maurer", "Roth", "Kaiser", "Fuchs", "Graf", "Stein", "Winkler", "Berger", "Lorenz", "Ziegler",
    "Brandt", "Haas", "Kuhn", "Engel", "Jäger", "Otto", "Sauer", "Arnold",
]
PLACES = [
    "Ludwigsburg", "Heilbronn", "Reutlingen", "Tübingen", "Freiburg", "Ulm", "Konstanz", "Pforzheim", "Aalen",
    "Göttingen", "Oldenburg", "Lüneburg", "Osnabrück", "Celle", "Hameln", "Wolfsburg", "Emden", "Stade",
]
# (topic, scope, weight): as in real parliaments a few subjects come up far more often than
# others, so the corpus has words of every frequency. The police topic is in about 24 % of the
# inquiries (the common word of the benchmark), the emergency practices in about 2 % (a rare one).
TOPICS = [
    ("Personalausstattung", "der Polizei", 24), ("Unterrichtsausfall", "an den beruflichen Schulen", 13),
    ("Sanierung", "der Landesstraßen", 10), ("Ausbau", "der Ganztagsbetreuung", 9),
    ("Förderung", "des Radverkehrs", 7), ("Versorgung", "mit Hausärzten im ländlichen Raum", 6),
    ("Entwicklung", "der Mieten", 6), ("Fachkräftemangel", "in der Pflege", 5),
    ("Ausstattung", "der Feuerwehren", 4), ("Hochwasserschutz", "an kleinen Gewässern", 4),
    ("Digitalisierung", "der Bauverwaltung", 3), ("Breitbandausbau", "in Gewerbegebieten", 3),
    ("Wartezeiten", "bei den Führerscheinstellen", 2), ("Sanierungsstau", "an Hochschulgebäuden", 2),
    ("Zukunft", "der Notfallpraxen", 2),
]
_TOPIC_PAIRS = [(topic, scope) for topic, scope, _ in TOPICS]
_TOPIC_CUMULATIVE = list(itertools.accumulate(weight for _, _, weight in TOPICS))
QUESTION_TEMPLATES = [
    "Wie hat sich die Zahl der Fälle im Bereich „{topic} {scope}“ im Landkreis {place} seit dem Jahr {year} entwickelt (bitte nach Jahren aufschlüsseln)?",
    "Welche Maßnahmen hat die Landesregierung seit {year} im Bereich „{topic} {scope}“ ergriffen, und mit welchem Ergebnis?",
    "Wie viele Stellen waren zum Stichtag 1. Januar {year} im Bereich „{topic} {scope}“ in {place} besetzt und wie viele davon unbesetzt?",
    "Welche Mittel stellt das Land im Bereich „{topic} {scope}“ in den Haushaltsjahren {year} und {next_year} bereit?",
    "Inwiefern plant die Landesregierung, die Kommunen im Bereich „{topic} {scope}“ stärker zu unterstützen, insbesondere in {place}?",
    "Welche Erkenntnisse liegen der Landesregierung über die Ursachen der Probleme im Bereich „{topic} {scope}“ vor?",
    "Wie bewertet die Landesregierung die Forderung der kommunalen Landesverbände, den Bereich „{topic} {scope}“ bis {next_year} neu zu regeln?",
    "Bis wann rechnet die Landesregierung mit einer spürbaren Entlastung im Bereich „{topic} {scope}“ in {place}?",
]
ANSWER_SENTENCES = [
    "Der Landesregierung liegen hierzu Daten aus der landesweiten Erhebung des Jahres {year} vor.",
    "Im Landkreis {place} wurden im Jahr {year} insgesamt {number} Fälle erfasst, das sind {percent} Prozent mehr als im Vorjahr.",
    "Die Zuständigkeit liegt nach den gesetzlichen Regelungen bei den Stadt- und Landkreisen, die das Land im Rahmen seiner Möglichkeiten unterstützt.",
    "Für die Haushaltsjahre {year} und {next_year} stehen insgesamt {number} 000 Euro zur Verfügung, die über die Regierungspräsidien vergeben werden.",
    "Eine Aufschlüsselung nach einzelnen Gemeinden ist mit vertretbarem Aufwand nicht möglich, da die Daten nicht landesweit einheitlich erhoben werden.",
    "Die Landesregierung hat im Jahr {year} ein Programm aufgelegt, das die Kommunen bei Planung und Umsetzung berät.",
    "Die Auswertung der ersten Ergebnisse zeigt, dass die Maßnahmen wirken; eine abschließende Bewertung ist erst nach Ablauf des Programms im Jahr {next_year} möglich.",
    "Im Übrigen wird auf die Antwort der Landesregierung auf eine frühere Kleine Anfrage zu diesem Thema verwiesen.",
    "Zum Stichtag waren {number} Stellen besetzt; {small} Stellen sind ausgeschrieben und sollen bis zum Ende des Jahres besetzt werden.",
    "Die Ursachen sind vielfältig: Neben dem allgemeinen Fachkräftemangel spielen lange Genehmigungsverfahren und gestiegene Baukosten eine Rolle.",
    "Das zuständige Ministerium steht hierzu in engem Austausch mit den kommunalen Landesverbänden und den betroffenen Trägern.",
    "Eine Änderung der Rechtslage ist derzeit nicht geplant, die Entwicklung wird jedoch aufmerksam beobachtet.",
]
EXPLANATION_SENTENCES = [
    "Aus {place} wird berichtet, dass sich die Lage im Bereich „{topic} {scope}“ in den vergangenen Jahren deutlich verschärft hat.",
    "Betroffene und Verbände fordern seit Langem, dass das Land mehr Verantwortung übernimmt.",
    "Die Kleine Anfrage soll klären, wie die Landesregierung die Lage einschätzt und was sie unternimmt.",
    "Medienberichten zufolge fehlen allein im Landkreis {place} mehrere Dutzend Fachkräfte.",
]


def _fill(template: str, rng: random.Random, context: dict[str, Any]) -> str:
    year = rng.randint(2019, 2024)
    return template.format(
        year=year,
        next_year=year + 1,
        place=rng.choice(PLACES),
        number=rng.randint(12, 980),
        small=rng.randint(2, 11),
        percent=rng.randint(2, 35),
        **context,
    )


def _stable_index(name: str, size: int) -> int:
    return sum(name.encode("utf-8")) % size


def generate(count: int, *, seed: int = 1) -> Iterator[dict[str, Any]]:
    """``count`` inquiry.v1 records with unique references."""
    rng = random.Random(seed)
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    codes = list(PARLIAMENTS)
    numbers = {code: 0 for code in codes}
    # Every member sits in one group of a parliament (computed once: per record it was most of the time).
    members_of = {
        (code, faction): [name for name in people if info["factions"][_stable_index(name, len(info["factions"]))] == faction]
        for code, info in PARLIAMENTS.items()
        for faction in info["factions"]
    }
    for _ in range(count):
        code = rng.choice(codes)
        info = PARLIAMENTS[code]
        numbers[code] += 1
        topic, scope = rng.choices(_TOPIC_PAIRS, cum_weights=_TOPIC_CUMULATIVE)[0]
        context = {"topic": topic, "scope": scope}
        asked_on = info["start"] + datetime.timedelta(days=rng.randint(0, 1400))
        answered_on = asked_on + datetime.timedelta(days=rng.randint(10, 70))
        # The askers of one inquiry share their group.
        faction = rng.choice(info["factions"])
        members = members_of[code, faction]
        askers = [{"name": name, "faction": faction} for name in rng.sample(members, rng.randint(1, 3))]
        ministry = rng.choice(info["ministries"])
        questions = [
            {
                "number": str(index),
                "text": _fill(rng.choice(QUESTION_TEMPLATES), rng, context),
                "answer": " ".join(_fill(rng.choice(ANSWER_SENTENCES), rng, context) for _ in range(rng.randint(2, 5))),
            }
            for index in range(1, rng.randint(3, 10) + 1)
        ]
        yield {
            "format": "inquiry.v1",
            "parliament": code,
            "term": info["term"],
            "reference": f"{info['term']}/{numbers[code]}",
            "kind": "minor",
            "title": f"{topic} {scope} im Landkreis {rng.choice(PLACES)}",
            "asked_on": asked_on.isoformat(),
            "answered_on": answered_on.isoformat(),
            "askers": askers,
            "factions": [faction],
            "answering_ministry": ministry,
            "consulted_ministries": [m for m in info["ministries"] if m != ministry and rng.random() < 0.08],
            "copied_to": [],
            "signed_by": {"name": rng.choice(people), "role": ministry.replace("Ministerium", "Minister", 1)},
            "explanation": " ".join(_fill(rng.choice(EXPLANATION_SENTENCES), rng, context) for _ in range(rng.randint(2, 4))),
            "government_preface": None,
            "questions": questions,
            "related_references": [],
            "topics": [topic],
            "full_text": None,
            "source_url": None,
        }


def write(count: int, stream: TextIO, *, seed: int = 1) -> int:
    """Write the records; returns the number of bytes written."""
    size = 0
    for record in generate(count, seed=seed):
        line = json.dumps(record, ensure_ascii=False) + "\n"
        stream.write(line)
        size += len(line.encode("utf-8"))
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of inquiries")
    parser.add_argument("--output", "-o", help="file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as stream:
            size = write(args.count, stream, seed=args.seed)
    else:
        size = write(args.count, sys.stdout, seed=args.seed)
    sys.stderr.write(f"{args.count} inquiries, {size / max(args.count, 1) / 1024:.1f} KB each on average\n")


if __name__ == "__main__":
    main()
