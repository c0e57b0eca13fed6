"""Writes: upserting inquiry.v1 records, matching people and ministries, publishing."""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from inquiries.exchange import RecordError, inquiry_to_record
from inquiries.models import Inquiry, Membership, Ministry, Parliament, Person, Question
from inquiries.services import editing, reference, upsert, workflow
from tests.importer_cases import without_derived

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(shared_dir) -> dict:
    return json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])


def exported(reference: str = "17/6206") -> dict:
    return inquiry_to_record(Inquiry.objects.with_detail_related().get(reference=reference))


def test_upsert_creates_the_whole_inquiry(seed):
    inquiry, created = upsert.upsert_inquiry(seed, state="published")
    assert created
    assert inquiry.parliament.code == "BW" and inquiry.term.number == 17
    assert inquiry.published_at is not None
    assert inquiry.questions.count() == 9
    assert without_derived(exported()) == seed
    assert [question["answer_kind"] for question in exported()["questions"]] == ["full"] * 9


def test_upsert_twice_updates_in_place(seed):
    inquiry, _ = upsert.upsert_inquiry(seed)
    question_ids = list(inquiry.questions.values_list("pk", flat=True))
    counts = (Person.objects.count(), Ministry.objects.count(), Membership.objects.count())
    changed = copy.deepcopy(seed)
    changed["questions"][3]["answer"] += "\n\nErgänzung."
    again, created = upsert.upsert_inquiry(changed)
    assert not created and again.pk == inquiry.pk
    assert list(again.questions.values_list("pk", flat=True)) == question_ids
    assert (Person.objects.count(), Ministry.objects.count(), Membership.objects.count()) == counts
    assert Question.objects.get(inquiry=again, number="4").answer.endswith("Ergänzung.")


def test_upsert_renumbers_and_drops_questions(seed):
    upsert.upsert_inquiry(seed)
    changed = copy.deepcopy(seed)
    changed["questions"] = [dict(q, number=f"{i}a") for i, q in enumerate(seed["questions"][:3], start=1)]
    inquiry, _ = upsert.upsert_inquiry(changed)
    assert list(inquiry.questions.values_list("number", flat=True)) == ["1a", "2a", "3a"]


def test_asker_membership_answers_faction_on_date(seed):
    upsert.upsert_inquiry(seed)
    weinmann = Person.objects.get(last_name="Weinmann")
    assert weinmann.faction_on(datetime.date(2024, 2, 7)).short_name == "FDP/DVP"


def test_names_matched_in_other_forms(seed):
    upsert.upsert_inquiry(seed)
    other = copy.deepcopy(seed)
    other.update(
        reference="17/7000",
        askers=[{"name": "Abg. Nico Weinmann", "faction": "Fraktion der FDP/DVP"}],
        factions=["FDP/DVP"],
        consulted_ministries=["des Ministeriums für Finanzen"],
    )
    upsert.upsert_inquiry(other)
    assert Person.objects.filter(last_name="Weinmann").count() == 1
    assert Ministry.objects.filter(name__icontains="Finanzen").count() == 1
    assert exported("17/7000")["consulted_ministries"] == ["Ministerium für Finanzen"]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"reference": "16/6206"}, "does not belong to term 17"),
        ({"answered_on": "2024-01-01"}, "before asked_on"),
        ({"kind": "huge"}, "kind"),
        ({"reference": "17-6206"}, "reference"),
        ({"questions": [{"number": "1", "text": "a"}, {"number": "1", "text": "b"}]}, "appears twice"),
    ],
)
def test_bad_records_are_refused_whole(seed, change, message):
    record = {**seed, **change}
    with pytest.raises(RecordError, match=message):
        upsert.upsert_inquiry(record)
    assert not Inquiry.objects.exists()


def test_unknown_parliament_gets_its_name():
    parliament = reference.get_or_create_parliament("ni")
    assert parliament == Parliament.objects.get(code="NI")
    assert parliament.name == "Niedersächsischer Landtag"


def test_new_ministry_named_in_nominative():
    parliament = reference.get_or_create_parliament("NI")
    ministry = reference.find_or_create_ministry(parliament, "dem Niedersächsischen Ministerium für Inneres und Sport")
    assert ministry.name == "Niedersächsisches Ministerium für Inneres und Sport"
    assert reference.find_or_create_ministry(parliament, "Ministerium für Inneres und Sport") == ministry


def test_unique_slugs():
    first = reference.find_or_create_person("Anna Müller")
    second = reference.find_or_create_person("Anna Mueller")
    third = Person.objects.create(first_name="Anna", last_name="Müller-Lüdenscheidt", slug=reference.unique_slug(Person, "Anna Müller"))
    assert first == second
    assert first.slug == "anna-mueller"
    assert third.slug == "anna-mueller-2"


def test_publish_and_withdraw(seed):
    inquiry, _ = upsert.upsert_inquiry(seed)
    assert not Inquiry.objects.published().exists()
    workflow.publish(inquiry)
    assert list(Inquiry.objects.published()) == [inquiry]
    with pytest.raises(ValueError):
        workflow.withdraw(inquiry, reason=" ")
    workflow.withdraw(inquiry, reason="Doppelt erfasst")
    inquiry.refresh_from_db()
    assert inquiry.state == "withdrawn" and inquiry.withdrawn_reason == "Doppelt erfasst"
    assert not Inquiry.objects.published().exists()


def test_recompute_deadlines_after_rule_change(seed):
    inquiry, _ = upsert.upsert_inquiry(seed)
    Parliament.objects.filter(pk=inquiry.parliament_id).update(minor_deadline_days=14)
    assert editing.recompute_deadlines() == 1
    inquiry.refresh_from_db()
    assert inquiry.due_on == datetime.date(2024, 2, 21)
