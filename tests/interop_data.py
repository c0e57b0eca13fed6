"""A small but complete data set for the OParl and Popolo tests.

The seed inquiry 17/6206 and a handful of further inquiry.v1 records, loaded
through ``upsert_inquiry``, plus the reference data the importers do not make
(term dates, a party, a renamed ministry, a minister's office). It covers every
case the endpoints distinguish: both kinds and a written question, answered and
unanswered, with an uploaded document, with a source address, withdrawn after
publication, withdrawn before it, a draft, and a second parliament.
"""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile

from inquiries.models import Faction, Inquiry, InquiryState, MinisterialOffice, Ministry, Party, Person, Term
from inquiries.services import reference, upsert, workflow

DRAFT_TITLE = "Unveröffentlichter Entwurf zur Landesgartenschau"
UNPUBLISHED_WITHDRAWN_TITLE = "Vor der Veröffentlichung zurückgezogene Anfrage"
FILLER_COUNT = 8


@dataclass
class InteropData:
    seed: Inquiry
    with_document: Inquiry
    unanswered: Inquiry
    withdrawn: Inquiry
    bundestag: Inquiry
    draft: Inquiry
    withdrawn_unpublished: Inquiry
    fillers: list[Inquiry] = field(default_factory=list)

    @property
    def public(self) -> list[Inquiry]:
        """Inquiries that are published now."""
        return [self.seed, self.with_document, self.unanswered, self.bundestag, *self.fillers]

    @property
    def hidden(self) -> list[Inquiry]:
        """Inquiries that must never show: the draft and the one withdrawn before publication."""
        return [self.draft, self.withdrawn_unpublished]


def seed_record(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])


def _record(seed: dict, **changes) -> dict:
    record = copy.deepcopy(seed)
    record.update(full_text=None, consulted_ministries=[], copied_to=[], related_references=[], topics=[])
    record.update(changes)
    return record


def build(shared_dir: Path) -> InteropData:
    seed = seed_record(shared_dir)
    Term.objects.update_or_create(
        parliament=reference.get_or_create_parliament("BW"),
        number=17,
        defaults={"start_date": datetime.date(2021, 5, 1), "end_date": datetime.date(2026, 4, 30)},
    )
    seed_inquiry, _ = upsert.upsert_inquiry(seed, state=InquiryState.PUBLISHED)

    fdp = Faction.objects.get(parliament__code="BW", short_name="FDP/DVP")
    fdp.name = "Fraktion der FDP/DVP"
    fdp.party = Party.objects.create(short_name="FDP", name="Freie Demokratische Partei", slug="fdp")
    fdp.save()
    interior = seed_inquiry.answering_ministry
    Ministry.objects.create(
        parliament=interior.parliament,
        name="Innenministerium",
        slug="innenministerium",
        valid_from=datetime.date(2016, 5, 12),
        valid_until=datetime.date(2021, 5, 11),
        successor=interior,
    )
    MinisterialOffice.objects.create(
        person=seed_inquiry.signed_by,
        ministry=interior,
        role="Minister des Inneren, für Digitalisierung und Kommunen",
        start_date=datetime.date(2021, 5, 12),
    )

    with_document, _ = upsert.upsert_inquiry(
        _record(
            seed,
            reference="17/7000",
            kind="major",
            title="Digitalisierung der Polizei",
            askers=[{"name": "Dr. Hans-Ulrich Rülke", "faction": "FDP/DVP"}, {"name": "Sascha Binder", "faction": "SPD"}],
            factions=["FDP/DVP", "SPD"],
            related_references=["17/6206", "17/9999"],
            topics=["Polizei", "Digitalisierung"],
        ),
        state=InquiryState.PUBLISHED,
    )
    with_document.document.save("17_7000_D.pdf", ContentFile(b"%PDF-1.4\n% test document\n"), save=True)

    unanswered, _ = upsert.upsert_inquiry(
        _record(
            seed,
            reference="17/7001",
            title="Offene Fragen zur Ipai-Polizeiwache",
            answered_on=None,
            answering_ministry=None,
            signed_by=None,
            questions=[{"number": "1", "text": "Wann öffnet die Wache?"}],
            source_url="https://www.landtag-bw.de/files/live/sites/LTBW/files/dokumente/WP17/Drucksachen/7000/17_7001_D.pdf",
        ),
        state=InquiryState.PUBLISHED,
    )

    withdrawn, _ = upsert.upsert_inquiry(
        _record(seed, reference="17/7002", title="Zurückgezogene Anfrage zur Polizeireiterstaffel", source_url="https://example.org/17_7002.pdf"),
        state=InquiryState.PUBLISHED,
    )
    withdrawn.document.save("17_7002_D.pdf", ContentFile(b"%PDF-1.4\n% withdrawn\n"), save=True)
    workflow.withdraw(withdrawn, reason="Von den Fragestellern zurückgezogen.")

    draft, _ = upsert.upsert_inquiry(
        _record(seed, reference="17/7003", title=DRAFT_TITLE, askers=[{"name": "Petra Entwurf", "faction": None}], factions=[]),
        state=InquiryState.DRAFT,
    )
    withdrawn_unpublished, _ = upsert.upsert_inquiry(
        _record(seed, reference="17/7004", title=UNPUBLISHED_WITHDRAWN_TITLE),
        state=InquiryState.DRAFT,
    )
    workflow.withdraw(withdrawn_unpublished, reason="Vor der Veröffentlichung zurückgezogen.")

    bundestag, _ = upsert.upsert_inquiry(
        _record(
            seed,
            parliament="BT",
            term=19,
            reference="19/100",
            kind="written",
            title="Schriftliche Frage zur Bundespolizei",
            askers=[{"name": "Konstantin Kuhle", "faction": "FDP"}],
            factions=["FDP"],
            answering_ministry="Bundesministerium des Innern, für Bau und Heimat",
            signed_by=None,
            asked_on="2018-01-10",
            answered_on="2018-01-20",
        ),
        state=InquiryState.PUBLISHED,
    )

    fillers = [
        upsert.upsert_inquiry(
            _record(
                seed,
                reference=f"17/{8000 + number}",
                title=f"Anfrage Nummer {number} zur Polizei",
                askers=[{"name": f"Abgeordnete Nummer{number}", "faction": "GRÜNE"}, {"name": "Nico Weinmann", "faction": "FDP/DVP"}],
                factions=["GRÜNE", "FDP/DVP"],
                related_references=["17/6206"],
            ),
            state=InquiryState.PUBLISHED,
        )[0]
        for number in range(FILLER_COUNT)
    ]
    return InteropData(
        seed=seed_inquiry,
        with_document=with_document,
        unanswered=unanswered,
        withdrawn=withdrawn,
        bundestag=bundestag,
        draft=draft,
        withdrawn_unpublished=withdrawn_unpublished,
        fillers=fillers,
    )


def add_varied_inquiries(shared_dir: Path, count: int, *, start: int = 9000) -> list[Inquiry]:
    """Published inquiries each with a new person, faction, ministry and source file (for query counts)."""
    seed = seed_record(shared_dir)
    return [
        upsert.upsert_inquiry(
            _record(
                seed,
                reference=f"17/{start + number}",
                title=f"Zusätzliche Anfrage {number}",
                askers=[{"name": f"Zusatz Person{number}", "faction": f"Gruppe {number}"}],
                factions=[f"Gruppe {number}"],
                answering_ministry=f"Ministerium für Aufgabe {number}",
                source_url=f"https://example.org/17_{start + number}.pdf",
                related_references=["17/6206", f"17/{start + number - 1}"],
            ),
            state=InquiryState.PUBLISHED,
        )[0]
        for number in range(count)
    ]


def draft_only_people() -> list[Person]:
    """People who appear nowhere but in the draft (and so must not be listed)."""
    return list(Person.objects.filter(last_name="Entwurf"))
