"""factory_boy factories for the domain models.

``InquiryFactory`` indexes what it creates for search (through the same hook as
the services), so tests search what they made. Its traits ``draft``, ``withdrawn``
and ``unanswered`` make the inquiries that must never show on public pages.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from inquiries.models import (
    Asker,
    Faction,
    Inquiry,
    InquiryKind,
    InquiryMinistry,
    InquiryState,
    Membership,
    MinisterialOffice,
    Ministry,
    MinistryRole,
    Parliament,
    Party,
    Person,
    Question,
    Term,
)
from inquiries.services.changes import inquiries_changed


class ParliamentFactory(DjangoModelFactory):
    class Meta:
        model = Parliament
        django_get_or_create = ("code",)

    code = "BW"
    name = factory.LazyAttribute(lambda o: {"BW": "Landtag von Baden-Württemberg", "BT": "Deutscher Bundestag"}.get(o.code, f"Landtag {o.code}"))
    minor_deadline_days = 21
    major_deadline_days = 42


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("parliament", "number")

    parliament = factory.SubFactory(ParliamentFactory)
    number = 17


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("short_name",)

    short_name = factory.Sequence(lambda n: f"Partei {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name))


class FactionFactory(DjangoModelFactory):
    class Meta:
        model = Faction
        django_get_or_create = ("parliament", "short_name")

    parliament = factory.SubFactory(ParliamentFactory)
    short_name = factory.Sequence(lambda n: f"Gruppe {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name))


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    slug = factory.LazyAttribute(lambda o: slugify(f"{o.first_name} {o.last_name}"))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    faction = factory.SubFactory(FactionFactory)
    start_date = datetime.date(2021, 5, 1)
    end_date = None


class MinistryFactory(DjangoModelFactory):
    class Meta:
        model = Ministry
        django_get_or_create = ("parliament", "name")

    parliament = factory.SubFactory(ParliamentFactory)
    name = factory.Sequence(lambda n: f"Ministerium für Aufgabe {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class InquiryFactory(DjangoModelFactory):
    """A published minor inquiry, answered, indexed for search.

    ``askers=[(person, faction), …]``, ``factions=[…]`` and
    ``questions=[(text, answer), …]`` add the related rows.
    """

    class Meta:
        model = Inquiry
        skip_postgeneration_save = True

    parliament = factory.SubFactory(ParliamentFactory)
    term = factory.SubFactory(TermFactory, parliament=factory.SelfAttribute("..parliament"))
    reference = factory.LazyAttributeSequence(lambda o, n: f"{o.term.number}/{n + 1}")
    kind = InquiryKind.MINOR
    title = factory.Sequence(lambda n: f"Anfrage Nummer {n}")
    asked_on = datetime.date(2024, 2, 7)
    answered_on = datetime.date(2024, 2, 28)
    state = InquiryState.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.state == InquiryState.PUBLISHED else None)

    class Params:
        draft = factory.Trait(state=InquiryState.DRAFT)
        withdrawn = factory.Trait(state=InquiryState.WITHDRAWN, withdrawn_reason="Von den Fragestellern zurückgezogen.")
        unanswered = factory.Trait(answered_on=None)

    @factory.post_generation
    def askers(self, create: bool, extracted, **kwargs) -> None:
        """``askers=[person, (person, faction), …]``: asker links in order."""
        for position, entry in enumerate(extracted or []):
            person, faction = entry if isinstance(entry, tuple) else (entry, None)
            Asker.objects.create(inquiry=self, person=person, faction=faction, position=position)

    @factory.post_generation
    def factions(self, create: bool, extracted, **kwargs) -> None:
        if extracted:
            self.factions.set(extracted)

    @factory.post_generation
    def questions(self, create: bool, extracted, **kwargs) -> None:
        for position, (text, answer) in enumerate(extracted or [], start=1):
            Question.objects.create(inquiry=self, position=position, number=str(position), text=text, answer=answer)

    @factory.post_generation
    def indexed(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted is not False:
            inquiries_changed([self.pk])


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    inquiry = factory.SubFactory(InquiryFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.position))
    text = "Wie viele Fälle gab es?"
    answer = "Es gab keine Fälle."


class MinisterialOfficeFactory(DjangoModelFactory):
    class Meta:
        model = MinisterialOffice

    person = factory.SubFactory(PersonFactory)
    ministry = factory.SubFactory(MinistryFactory)
    role = factory.LazyAttribute(lambda o: f"Minister, {o.ministry.name}")
    start_date = datetime.date(2021, 5, 12)


class AskerFactory(DjangoModelFactory):
    class Meta:
        model = Asker

    inquiry = factory.SubFactory(InquiryFactory)
    person = factory.SubFactory(PersonFactory)
    faction = None
    position = 0


class InquiryMinistryFactory(DjangoModelFactory):
    class Meta:
        model = InquiryMinistry

    inquiry = factory.SubFactory(InquiryFactory)
    ministry = factory.SubFactory(MinistryFactory)
    role = MinistryRole.CONSULTED
    position = 0
