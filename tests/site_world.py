"""A small, complete portal for page tests: people, factions, ministries with a renaming,
published inquiries (answered in time, late, overdue) and the ones that must never show:
a draft and a withdrawn inquiry (their titles are easy to search for in a page)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from inquiries.models import AnswerTable, Faction, Inquiry, MinistryRole, Ministry, Parliament, Person, Term
from tests.factories import (
    FactionFactory,
    InquiryFactory,
    InquiryMinistryFactory,
    MembershipFactory,
    MinisterialOfficeFactory,
    MinistryFactory,
    ParliamentFactory,
    PartyFactory,
    PersonFactory,
    QuestionFactory,
    TermFactory,
)

DRAFT_TITLE = "Geheimer Entwurf zur Wasserstoffstrategie"
WITHDRAWN_TITLE = "Zurückgezogene Frage zum Straßenbau"
HIDDEN_TITLES = (DRAFT_TITLE, WITHDRAWN_TITLE)


@dataclass
class World:
    parliament: Parliament
    term: Term
    fdp: Faction
    greens: Faction
    asker: Person
    second_asker: Person
    minister: Person
    old_ministry: Ministry
    ministry: Ministry
    finance: Ministry
    state_ministry: Ministry
    main: Inquiry
    late: Inquiry
    overdue: Inquiry
    draft: Inquiry
    withdrawn: Inquiry
    extra: list[Inquiry] = field(default_factory=list)


def build_world(*, extra: int = 0) -> World:
    """The world; ``extra`` more published inquiries by the same askers to the same ministry."""
    today = timezone.localdate()
    parliament = ParliamentFactory(code="BW", name="Landtag von Baden-Württemberg")
    term = TermFactory(parliament=parliament, number=17, start_date=datetime.date(2021, 5, 11))
    fdp = FactionFactory(parliament=parliament, short_name="FDP/DVP", name="Fraktion der FDP/DVP", slug="fdp-dvp",
                         party=PartyFactory(short_name="FDP", name="Freie Demokratische Partei"))
    greens = FactionFactory(parliament=parliament, short_name="GRÜNE", name="Fraktion GRÜNE", slug="grune")
    asker = PersonFactory(first_name="Nico", last_name="Weinmann", slug="nico-weinmann")
    second_asker = PersonFactory(title="Dr.", first_name="Erika", last_name="Musterfrau", slug="erika-musterfrau")
    minister = PersonFactory(first_name="Thomas", last_name="Strobl", slug="thomas-strobl")
    MembershipFactory(person=asker, faction=fdp, start_date=datetime.date(2016, 5, 1), end_date=datetime.date(2021, 4, 30), constituency="Heilbronn")
    MembershipFactory(person=asker, faction=fdp, start_date=datetime.date(2021, 5, 11))
    MembershipFactory(person=second_asker, faction=greens, start_date=datetime.date(2021, 5, 11))

    ministry = MinistryFactory(parliament=parliament, name="Ministerium des Inneren, für Digitalisierung und Kommunen",
                               slug="ministerium-des-inneren", valid_from=datetime.date(2021, 5, 12))
    old_ministry = MinistryFactory(parliament=parliament, name="Ministerium für Inneres, Digitalisierung und Migration",
                                   slug="innenministerium-2016", valid_from=datetime.date(2016, 5, 12),
                                   valid_until=datetime.date(2021, 5, 11), successor=ministry)
    finance = MinistryFactory(parliament=parliament, name="Ministerium für Finanzen", slug="finanzministerium")
    state_ministry = MinistryFactory(parliament=parliament, name="Staatsministerium", slug="staatsministerium")
    MinisterialOfficeFactory(person=minister, ministry=ministry, role="Minister des Inneren, für Digitalisierung und Kommunen")

    late = InquiryFactory(parliament=parliament, term=term, reference="17/1001", title="Radwege an Landesstraßen",
                          asked_on=datetime.date(2023, 1, 2), answered_on=datetime.date(2023, 3, 1),
                          answering_ministry=ministry, askers=[(second_asker, greens)], factions=[greens])
    draft = InquiryFactory(parliament=parliament, term=term, reference="17/5555", title=DRAFT_TITLE, draft=True,
                           answering_ministry=ministry, askers=[(asker, fdp)], factions=[fdp])
    withdrawn = InquiryFactory(parliament=parliament, term=term, reference="17/5556", title=WITHDRAWN_TITLE, withdrawn=True,
                               # withdrawn after publication: its page answers 410 (never published: 404, see test_visibility)
                               published_at=timezone.now() - datetime.timedelta(days=30),
                               answering_ministry=ministry, askers=[(asker, fdp)], factions=[fdp])
    main = InquiryFactory(
        parliament=parliament, term=term, reference="17/6206",
        title="Beteiligung der Landespolizei am Innovation Park Artificial Intelligence Heilbronn",
        asked_on=datetime.date(2024, 2, 7), answered_on=datetime.date(2024, 2, 28), answering_ministry=ministry,
        signed_by=minister, signed_by_role="Minister des Inneren, für Digitalisierung und Kommunen",
        explanation="Wir verweisen auf Drucksache 17/1001 und die Drucksachen 17/5555 sowie 17/9999.",
        government_preface="Vorbemerkung: Die Landesregierung verweist auf Drucksache 17/1001.",
        related_references=["17/1001", "17/5555"],
        source_notice="Quelle: Landtag von Baden-Württemberg",
        askers=[(asker, fdp)], factions=[fdp],
    )
    InquiryMinistryFactory(inquiry=main, ministry=finance, role=MinistryRole.CONSULTED)
    InquiryMinistryFactory(inquiry=main, ministry=state_ministry, role=MinistryRole.COPIED, position=0)
    InquiryMinistryFactory(inquiry=main, ministry=finance, role=MinistryRole.COPIED, position=1)
    for position, (text, answer) in enumerate(
        [
            ("In welcher Form will sich die Polizei am Ipai beteiligen?", "Die Polizei hat eine Absichtserklärung unterzeichnet."),
            ("Welche Stelle soll diese Kooperation betreuen?", "Das Innovation-Hub der Polizei."),
            ("Welche Ergebnisse erhofft sie sich?", "Siehe Drucksache 17/1001.\n\nWeitere Ergebnisse folgen."),
        ],
        start=1,
    ):
        QuestionFactory(inquiry=main, position=position, number=str(position), text=text, answer=answer)
    overdue = InquiryFactory(parliament=parliament, term=term, reference="17/7000", title="Ausstattung der Feuerwehren",
                             asked_on=today - datetime.timedelta(days=40), answered_on=None, answering_ministry=ministry,
                             askers=[(second_asker, greens)], factions=[greens])
    world = World(parliament=parliament, term=term, fdp=fdp, greens=greens, asker=asker, second_asker=second_asker,
                 minister=minister, old_ministry=old_ministry, ministry=ministry, finance=finance,
                 state_ministry=state_ministry, main=main, late=late, overdue=overdue, draft=draft, withdrawn=withdrawn,
                 )
    add_inquiries(world, extra)
    return world


def add_inquiries(world: World, count: int) -> list[Inquiry]:
    """``count`` more published inquiries, each with a new asker in a new faction and a new consulted ministry,
    so that every list, index and chart of the site grows with ``count``."""
    start = len(world.extra)
    created = []
    for n in range(start, start + count):
        faction = FactionFactory(parliament=world.parliament)
        person = PersonFactory()
        MembershipFactory(person=person, faction=faction, start_date=world.term.start_date)
        inquiry = InquiryFactory(
            parliament=world.parliament, term=world.term, reference=f"17/{8000 + n}", title=f"Weitere Anfrage {n} zur Polizei",
            asked_on=datetime.date(2023, 1 + n % 12, 3), answered_on=datetime.date(2023, 1 + n % 12, 3 + n % 25),
            answering_ministry=world.ministry,
            askers=[(world.asker, world.fdp), (world.second_asker, world.greens), (person, faction)],
            factions=[world.fdp, world.greens, faction],
        )
        QuestionFactory(inquiry=inquiry, position=1, number="1")
        InquiryMinistryFactory(inquiry=inquiry, ministry=MinistryFactory(parliament=world.parliament), role=MinistryRole.CONSULTED)
        created.append(inquiry)
    world.extra.extend(created)
    return created


def queries_for(client, url: str, *, status: int = 200) -> int:
    """How many SQL queries rendering ``url`` takes (and that it answers ``status``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(context)


# A wide table (12 columns) in an answer, so that the page shows one that must scroll on a phone.
TABLE_LEAD = "Die Einsätze je Monat zeigt die folgende Tabelle."
TABLE_HEADER = ["Dienststelle", "Jan.", "Feb.", "März", "April", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov."]
TABLE_ROWS = [
    ["Polizeipräsidium Heilbronn", "1 204", "1 187", "1 390", "1 254", "1 322", "1 410", "1 498", "1 377", "1 289", "1 301", "1 276"],
    ["Polizeipräsidium Stuttgart", "2 975", "2 811", "3 010", "2 940", "3 102", "3 177", "3 260", "3 015", "2 988", "2 940", "2 901"],
    ["Gesamt", "4 179", "3 998", "4 400", "4 194", "4 424", "4 587", "4 758", "4 392", "4 277", "4 241", "4 177"],
]


def add_answer_table(question) -> AnswerTable:
    """Give ``question`` a printed table: its lines at the end of the answer and the table read from them."""

    lines = "\n".join(" ".join(row) for row in [TABLE_HEADER, *TABLE_ROWS])
    question.answer = f"{question.answer}\n\n{TABLE_LEAD}\n{lines}"
    start = question.answer.index(lines)
    question.save()
    return AnswerTable.objects.create(
        question=question, position=1, caption="Tabelle 1: Einsätze je Monat", header=[TABLE_HEADER], rows=TABLE_ROWS,
        span_start=start, span_end=start + len(lines),
    )
