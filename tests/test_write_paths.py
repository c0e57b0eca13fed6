"""The single upsert and the bulk writer give the same rows for the same inquiry.v1 record."""

from __future__ import annotations

import copy
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from inquiries.choices import InquiryKind
from inquiries.deadlines import deadline
from inquiries.exchange import KINDS
from inquiries.models import (
    AnswerTable,
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    Membership,
    Ministry,
    Parliament,
    Person,
    Question,
    Term,
)
from inquiries.services import bulk, upsert

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def record(shared_dir) -> dict:
    """The seed with everything a record can carry: a title for the signer, a second asker
    of another group, a group printed in another form, a refused answer and a table."""
    seed = json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record = copy.deepcopy(seed)
    record["signed_by"]["name"] = "Dr. Thomas Strobl"  # a person created with a title
    record["askers"].append({"name": "Abg. Anna Beispiel", "faction": "GRÜNE"})
    record["askers"].append({"name": "Nico Weinmann", "faction": "FDP/DVP"})  # a person once
    record["factions"] = ["FDP/DVP", "Grüne"]
    record["related_references"] = ["17/6000"]
    record["topics"] = ["Polizei"]
    question = record["questions"][1]
    question["answer"] = f"{question['answer']}\n\nLand 2023\nBayern 12"
    start = question["answer"].index("Land 2023")
    question["tables"] = [{"caption": "Tabelle 1", "header": [["Land", "2023"]], "rows": [["Bayern", "12"]], "span": [start, start + 19]}]
    record["questions"][0]["answer"] = "Aus Gründen des Staatswohls kann die Frage nicht beantwortet werden."
    return record


def rows() -> dict[str, list]:
    """Everything an inquiry write touches, without ids and write times."""
    people = {person.pk: person.slug for person in Person.objects.all()}
    factions = {faction.pk: faction.slug for faction in Faction.objects.all()}
    ministries = {ministry.pk: ministry.slug for ministry in Ministry.objects.all()}
    inquiry_fields = [
        field.attname for field in Inquiry._meta.concrete_fields if field.attname not in {"id", "created_at", "updated_at", "published_at"}
    ]
    inquiries = []
    for values in Inquiry.objects.values(*inquiry_fields, "published_at", "pk"):
        values["published"] = values.pop("published_at") is not None
        values["parliament_id"] = Parliament.objects.get(pk=values["parliament_id"]).code
        values["term_id"] = Term.objects.get(pk=values["term_id"]).number
        values["signed_by_id"] = people.get(values["signed_by_id"])
        values["answering_ministry_id"] = ministries.get(values["answering_ministry_id"])
        values.pop("pk")
        inquiries.append(values)
    return {
        "inquiries": inquiries,
        "people": sorted(Person.objects.values_list("title", "first_name", "last_name", "slug", "name_key")),
        "factions": sorted(Faction.objects.values_list("parliament__code", "short_name", "name", "slug")),
        "ministries": sorted(Ministry.objects.values_list("parliament__code", "name", "slug")),
        "memberships": sorted((people[p], factions[f], start, end) for p, f, start, end in Membership.objects.values_list("person", "faction", "start_date", "end_date")),
        "askers": sorted((people[p], factions.get(f), position) for p, f, position in Asker.objects.values_list("person", "faction", "position")),
        "asking factions": sorted(factions[f] for f in Inquiry.factions.through.objects.values_list("faction", flat=True)),
        "ministry links": sorted((ministries[m], role, position) for m, role, position in InquiryMinistry.objects.values_list("ministry", "role", "position")),
        "questions": list(Question.objects.order_by("position").values_list("position", "number", "text", "answer", "answer_kind", "refusal_reason")),
        "tables": list(AnswerTable.objects.order_by("question__position", "position").values_list("question__position", "position", "caption", "header", "rows", "span_start", "span_end")),
    }


def written(write) -> dict[str, list]:
    """The rows ``write`` leaves in a database holding the reference data, rolled back after."""
    with transaction.atomic():
        parliament = Parliament.objects.create(code="BW", name="Landtag von Baden-Württemberg", minor_deadline_days=21)
        term = Term.objects.create(parliament=parliament, number=17, start_date=datetime.date(2021, 5, 11), end_date=datetime.date(2026, 4, 30))
        Faction.objects.create(parliament=parliament, short_name="GRÜNE", name="Fraktion GRÜNE", slug="grune")
        known = Person.objects.create(first_name="Nico", last_name="Weinmann", slug="nico-weinmann")
        Membership.objects.create(person=known, faction=Faction.objects.create(parliament=parliament, short_name="FDP/DVP", slug="fdp-dvp"), start_date=term.start_date)
        write()
        result = rows()
        transaction.set_rollback(True)
    return result


def test_single_and_bulk_writes_give_the_same_rows(record):
    single = written(lambda: upsert.upsert_inquiry(record, state="published"))
    many = written(lambda: bulk.import_records([json.dumps(record)], state="published"))

    assert single == many
    # And they are what the record says, not merely the same.
    inquiry = single["inquiries"][0]
    assert (inquiry["reference_number"], inquiry["due_on"], inquiry["answer_days"]) == (6206, datetime.date(2024, 2, 28), 21)
    assert (inquiry["parliament_id"], inquiry["term_id"], inquiry["signed_by_id"], inquiry["published"]) == ("BW", 17, "thomas-strobl", True)
    assert inquiry["answering_ministry_id"] == "ministerium-des-inneren-fuer-digitalisierung-und-kommunen"
    assert (inquiry["related_references"], inquiry["topics"]) == (["17/6000"], ["Polizei"])
    # New people are created with their title and a slug of their name.
    assert single["people"] == [
        ("", "Anna", "Beispiel", "anna-beispiel", "anna|beispiel"),
        ("", "Nico", "Weinmann", "nico-weinmann", "nico|weinmann"),
        ("Dr.", "Thomas", "Strobl", "thomas-strobl", "thomas|strobl"),
    ]
    assert single["askers"] == [("anna-beispiel", "grune", 1), ("nico-weinmann", "fdp-dvp", 0)]
    assert single["asking factions"] == ["fdp-dvp", "grune"]
    # Weinmann's known membership covers the day asked; Anna Beispiel gets one for the term.
    assert single["memberships"] == [
        ("anna-beispiel", "grune", datetime.date(2021, 5, 11), datetime.date(2026, 4, 30)),
        ("nico-weinmann", "fdp-dvp", datetime.date(2021, 5, 11), None),
    ]
    assert single["ministry links"] == [
        ("ministerium-fuer-finanzen", "consulted", 0),
        ("ministerium-fuer-finanzen", "copied", 1),
        ("staatsministerium", "copied", 0),
    ]
    assert [question[4:] for question in single["questions"][:2]] == [("refused", "confidentiality"), ("full", "")]
    assert [table[:5] for table in single["tables"]] == [(2, 1, "Tabelle 1", [["Land", "2023"]], [["Bayern", "12"]])]


def test_deadline_rule():
    assert deadline("17/6206", datetime.date(2024, 2, 7), datetime.date(2024, 2, 28), 21) == (6206, datetime.date(2024, 2, 28), 21)
    assert deadline("x", None, datetime.date(2024, 2, 28), 21) == (0, None, None)
    assert deadline("17/1", datetime.date(2024, 2, 7), datetime.date(2024, 2, 1), None) == (1, None, None)


def test_the_parsers_kinds_are_the_models():
    assert set(KINDS) == set(InquiryKind.values)


def test_the_parsers_import_no_services_no_models_and_no_database():
    """``importers/`` holds parsers: importing every one of them loads no writer and no model."""
    script = (
        "import importlib, pkgutil, sys\n"
        "import inquiries.importers as package\n"
        "for module in pkgutil.iter_modules(package.__path__):\n"
        "    importlib.import_module('inquiries.importers.' + module.name)\n"
        "print(sorted(name for name in sys.modules if name.startswith(('inquiries.services', 'inquiries.models', 'django.db'))))\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, cwd=Path(__file__).resolve().parents[1], check=True)
    assert result.stdout.strip() == "[]"


def test_the_bulk_writer_knows_the_people_its_updates_created(record, monkeypatch):
    """A person first met in an update (single path) is the same person in a later new inquiry,
    written in bulk (not by the one-by-one fallback after a clash of slugs)."""
    upsert.upsert_inquiry({**record, "reference": "17/2"})
    upserted = []
    monkeypatch.setattr(bulk, "upsert_inquiry", lambda record, **kwargs: upserted.append(record["reference"]) or upsert.upsert_inquiry(record, **kwargs))
    newcomer = {"name": "Berta Neu", "faction": "FDP/DVP"}
    lines = [
        json.dumps({**record, "reference": "17/1"}),
        json.dumps({**record, "reference": "17/2", "askers": [newcomer]}),
        json.dumps({**record, "reference": "17/3", "askers": [newcomer]}),
    ]
    report = bulk.import_records(lines, batch_size=1)
    assert (report.created, report.updated, report.errors) == (2, 1, [])
    assert upserted == ["17/2"]
    berta = Person.objects.get(last_name="Neu")
    assert sorted(Asker.objects.filter(person=berta).values_list("inquiry__reference", flat=True)) == ["17/2", "17/3"]
