"""Model behaviour and every named database constraint."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryMinistry,
    InquiryState,
    Membership,
    MinisterialOffice,
    Ministry,
    Parliament,
    Party,
    Person,
    Question,
    Term,
)
from inquiries.choices import DeadlineStatus

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def bw() -> Parliament:
    return Parliament.objects.create(code="BW", name="Landtag von Baden-Württemberg", minor_deadline_days=21, major_deadline_days=42)


@pytest.fixture
def term17(bw) -> Term:
    return Term.objects.create(parliament=bw, number=17, start_date=D(2021, 5, 1), end_date=D(2026, 4, 30))


@pytest.fixture
def fdp(bw) -> Faction:
    party = Party.objects.create(short_name="FDP", slug="fdp")
    return Faction.objects.create(parliament=bw, short_name="FDP/DVP", slug="fdp-dvp", party=party)


@pytest.fixture
def weinmann() -> Person:
    return Person.objects.create(first_name="Nico", last_name="Weinmann", slug="nico-weinmann")


def make_inquiry(term: Term, reference: str = "17/6206", **fields) -> Inquiry:
    return Inquiry.objects.create(parliament=term.parliament, term=term, reference=reference, title="Titel", **fields)


def assert_violates(name: str, create) -> None:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        create()
    # SQLite names the failing CHECK constraint; PostgreSQL names both kinds.
    message = str(excinfo.value)
    assert name in message or "UNIQUE" in message.upper()


# --- parliament and term -------------------------------------------------------------


def test_parliament_code_must_be_known():
    assert_violates("parliament_code_known", lambda: Parliament.objects.create(code="XX", name="Nirgendwo"))


def test_parliament_code_unique(bw):
    assert_violates("code", lambda: Parliament.objects.create(code="BW", name="again"))


def test_term_unique_per_parliament(term17):
    assert_violates("term_unique_number_per_parliament", lambda: Term.objects.create(parliament=term17.parliament, number=17))


def test_term_end_not_before_start(bw):
    assert_violates(
        "term_end_not_before_start",
        lambda: Term.objects.create(parliament=bw, number=1, start_date=D(2021, 5, 1), end_date=D(2020, 1, 1)),
    )


def test_term_number_positive(bw):
    assert_violates("term_number_positive", lambda: Term.objects.create(parliament=bw, number=0))


def test_term_contains(term17):
    assert term17.contains(D(2024, 2, 7))
    assert not term17.contains(D(2026, 5, 1))


# --- people and memberships ------------------------------------------------------------


def test_faction_unique_per_parliament(fdp):
    assert_violates(
        "faction_unique_name_per_parliament",
        lambda: Faction.objects.create(parliament=fdp.parliament, short_name="FDP/DVP", slug="other"),
    )


def test_same_faction_name_in_other_parliament(fdp):
    ni = Parliament.objects.create(code="NI", name="Niedersächsischer Landtag")
    Faction.objects.create(parliament=ni, short_name="FDP/DVP", slug="fdp-dvp")
    assert Faction.objects.filter(short_name="FDP/DVP").count() == 2


def test_membership_end_not_before_start(weinmann, fdp):
    assert_violates(
        "membership_end_not_before_start",
        lambda: Membership.objects.create(person=weinmann, faction=fdp, start_date=D(2021, 5, 1), end_date=D(2021, 4, 1)),
    )


def test_membership_unique_start(weinmann, fdp):
    Membership.objects.create(person=weinmann, faction=fdp, start_date=D(2021, 5, 1))
    assert_violates(
        "membership_unique_start", lambda: Membership.objects.create(person=weinmann, faction=fdp, start_date=D(2021, 5, 1))
    )


def test_faction_on_date(bw, weinmann, fdp):
    cdu = Faction.objects.create(parliament=bw, short_name="CDU", slug="cdu")
    Membership.objects.create(person=weinmann, faction=cdu, start_date=D(2016, 5, 1), end_date=D(2019, 12, 31))
    Membership.objects.create(person=weinmann, faction=fdp, start_date=D(2020, 1, 1))
    assert weinmann.faction_on(D(2018, 6, 1)) == cdu
    assert weinmann.faction_on(D(2024, 2, 7)) == fdp
    assert weinmann.faction_on(D(2010, 1, 1)) is None
    assert weinmann.faction_on(D(2024, 2, 7), parliament=bw) == fdp


def test_person_names():
    person = Person(title="Dr.", first_name="Hans-Ulrich", last_name="Rülke")
    assert person.full_name == "Dr. Hans-Ulrich Rülke"
    assert person.name == "Hans-Ulrich Rülke"


# --- government --------------------------------------------------------------------------


def test_ministry_unique_name_per_parliament(bw):
    Ministry.objects.create(parliament=bw, name="Ministerium für Finanzen", slug="fm")
    assert_violates(
        "ministry_unique_name_per_parliament",
        lambda: Ministry.objects.create(parliament=bw, name="Ministerium für Finanzen", slug="fm-2"),
    )


def test_ministry_validity_order(bw):
    assert_violates(
        "ministry_valid_until_not_before_from",
        lambda: Ministry.objects.create(
            parliament=bw, name="M", slug="m", valid_from=D(2021, 5, 12), valid_until=D(2016, 5, 11)
        ),
    )


def test_ministry_not_own_successor(bw):
    ministry = Ministry.objects.create(parliament=bw, name="M", slug="m")
    ministry.successor = ministry
    assert_violates("ministry_not_own_successor", lambda: ministry.save())


def test_ministry_name_history(bw):
    new = Ministry.objects.create(
        parliament=bw, name="Ministerium des Inneren, für Digitalisierung und Kommunen", slug="im", valid_from=D(2021, 5, 12)
    )
    old = Ministry.objects.create(
        parliament=bw,
        name="Ministerium für Inneres, Digitalisierung und Migration",
        slug="im-16",
        valid_from=D(2016, 5, 12),
        valid_until=D(2021, 5, 11),
        successor=new,
    )
    older = Ministry.objects.create(parliament=bw, name="Innenministerium", slug="im-15", successor=old)
    assert new.name_history() == [older, old, new]
    assert old.name_history() == [older, old, new]
    assert list(Ministry.objects.valid_on(D(2018, 1, 1)).filter(slug__startswith="im")) == [older, old]


def test_office_dates(bw, weinmann):
    ministry = Ministry.objects.create(parliament=bw, name="M", slug="m")
    assert_violates(
        "office_end_not_before_start",
        lambda: MinisterialOffice.objects.create(
            person=weinmann, ministry=ministry, start_date=D(2021, 5, 12), end_date=D(2021, 5, 1)
        ),
    )
    office = MinisterialOffice.objects.create(person=weinmann, ministry=ministry, start_date=D(2021, 5, 12))
    assert list(MinisterialOffice.objects.valid_on(D(2024, 1, 1))) == [office]


# --- inquiries ---------------------------------------------------------------------------


def test_reference_unique_per_parliament(term17):
    make_inquiry(term17)
    assert_violates("inquiry_unique_reference_per_parliament", lambda: make_inquiry(term17))


def test_answered_not_before_asked(term17):
    assert_violates(
        "inquiry_answered_not_before_asked",
        lambda: make_inquiry(term17, asked_on=D(2024, 2, 28), answered_on=D(2024, 2, 7)),
    )


def test_published_needs_published_at(term17):
    assert_violates("inquiry_published_has_published_at", lambda: make_inquiry(term17, state=InquiryState.PUBLISHED))


def test_state_and_kind_are_checked(term17):
    assert_violates("inquiry_state_valid", lambda: make_inquiry(term17, state="lost"))
    assert_violates("inquiry_kind_valid", lambda: make_inquiry(term17, reference="17/1", kind="huge"))


def test_deadline_and_answer_time(term17):
    inquiry = make_inquiry(term17, asked_on=D(2024, 2, 7), answered_on=D(2024, 2, 28))
    assert inquiry.due_on == D(2024, 2, 28)
    assert inquiry.answer_days == 21
    assert inquiry.deadline_days == 21
    assert inquiry.answered_in_time is True
    assert inquiry.reference_number == 6206
    assert inquiry.deadline_status(D(2024, 3, 1)) == DeadlineStatus.ANSWERED
    assert inquiry.deadline_status(D(2024, 2, 20)) == DeadlineStatus.OPEN


def test_major_inquiry_deadline_is_six_weeks(term17):
    inquiry = make_inquiry(term17, kind="major", asked_on=D(2024, 1, 1))
    assert inquiry.due_on == D(2024, 2, 12)
    assert inquiry.deadline_status(D(2024, 2, 12)) == DeadlineStatus.OPEN
    assert inquiry.deadline_status(D(2024, 2, 13)) == DeadlineStatus.OVERDUE


def test_deadline_configurable_per_parliament(term17):
    parliament = term17.parliament
    parliament.minor_deadline_days = 14
    parliament.save()
    inquiry = make_inquiry(term17, asked_on=D(2024, 1, 1))
    assert inquiry.due_on == D(2024, 1, 15)


def test_no_deadline_without_rule(term17):
    parliament = term17.parliament
    parliament.minor_deadline_days = None
    parliament.save()
    inquiry = make_inquiry(term17, asked_on=D(2024, 1, 1))
    assert inquiry.due_on is None
    assert inquiry.deadline_status(D(2030, 1, 1)) == DeadlineStatus.OPEN


def test_queryset_verbs(term17):
    now = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)
    answered = make_inquiry(term17, "17/1", asked_on=D(2024, 1, 1), answered_on=D(2024, 1, 10), state="published", published_at=now)
    overdue = make_inquiry(term17, "17/2", asked_on=D(2024, 1, 1), state="published", published_at=now)
    open_ = make_inquiry(term17, "17/3", asked_on=D(2024, 2, 20), state="published", published_at=now)
    draft = make_inquiry(term17, "17/4", asked_on=D(2024, 1, 1))
    on = D(2024, 3, 1)
    assert set(Inquiry.objects.published()) == {answered, overdue, open_}
    assert list(Inquiry.objects.published().answered(on)) == [answered]
    assert list(Inquiry.objects.published().overdue(on)) == [overdue]
    assert list(Inquiry.objects.published().open(on)) == [open_]
    assert set(Inquiry.objects.drafts()) == {draft}
    assert set(Inquiry.objects.published().for_parliament("bw").answered_in_time()) == {answered}
    # Answered later than the day asked about: still open on that day.
    assert list(Inquiry.objects.published().answered(D(2024, 1, 5))) == []


def test_asker_unique_per_inquiry(term17, weinmann, fdp):
    inquiry = make_inquiry(term17)
    Asker.objects.create(inquiry=inquiry, person=weinmann, faction=fdp)
    assert_violates("asker_unique_person_per_inquiry", lambda: Asker.objects.create(inquiry=inquiry, person=weinmann))


def test_inquiry_ministry_role(term17):
    inquiry = make_inquiry(term17)
    ministry = Ministry.objects.create(parliament=term17.parliament, name="Ministerium für Finanzen", slug="fm")
    InquiryMinistry.objects.create(inquiry=inquiry, ministry=ministry, role="consulted")
    InquiryMinistry.objects.create(inquiry=inquiry, ministry=ministry, role="copied")
    assert_violates(
        "inquiry_ministry_unique_role",
        lambda: InquiryMinistry.objects.create(inquiry=inquiry, ministry=ministry, role="copied"),
    )
    assert_violates(
        "inquiry_ministry_role_valid",
        lambda: InquiryMinistry.objects.create(inquiry=inquiry, ministry=ministry, role="cc"),
    )


def test_questions_unique_number_and_position(term17):
    inquiry = make_inquiry(term17)
    Question.objects.create(inquiry=inquiry, position=1, number="1", text="Frage?")
    assert_violates("question_unique_number", lambda: Question.objects.create(inquiry=inquiry, position=2, number="1", text="?"))
    assert_violates("question_unique_position", lambda: Question.objects.create(inquiry=inquiry, position=1, number="2", text="?"))
    question = Question.objects.create(inquiry=inquiry, position=2, number="3a", text="Unterfrage?")
    assert question.anchor == "frage-3a"
    assert [q.number for q in inquiry.questions.all()] == ["1", "3a"]


def test_absolute_urls(term17, weinmann, fdp):
    inquiry = make_inquiry(term17)
    assert inquiry.get_absolute_url() == "/bw/drucksache/17-6206/"
    assert weinmann.get_absolute_url() == "/personen/nico-weinmann/"
    assert fdp.get_absolute_url() == "/bw/fraktionen/fdp-dvp/"


def test_the_list_and_feed_orders_have_indexes():
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "inquiries_inquiry")
    assert constraints["inquiry_state_newest_idx"]["columns"] == ["state", "answered_on", "reference_number", "id"]
    # SQLite's introspection reports no sort orders.
    assert constraints["inquiry_state_newest_idx"].get("orders", ["ASC", "DESC", "DESC", "DESC"]) == ["ASC", "DESC", "DESC", "DESC"]
    assert constraints["inquiry_state_published_idx"]["columns"] == ["state", "published_at", "id"]
    assert "inquiry_state_answered_idx" not in constraints
