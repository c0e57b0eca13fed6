"""factory_boy factories for the domain models (one per model the tests build)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

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


class ParliamentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parliament
        django_get_or_create = ("code",)

    code = "BW"
    name = "Landtag von Baden-Württemberg"
    minor_deadline_days = 21
    major_deadline_days = 42


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("parliament", "number")

    parliament = factory.SubFactory(ParliamentFactory)
    number = 17
    start_date = datetime.date(2021, 5, 11)
    end_date = None


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("short_name",)

    short_name = factory.Sequence(lambda n: f"Partei {n}")
    name = factory.LazyAttribute(lambda o: f"{o.short_name} e. V.")
    slug = factory.LazyAttribute(lambda o: o.short_name.lower().replace(" ", "-").replace("/", "-"))


class FactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faction

    parliament = factory.SubFactory(ParliamentFactory)
    short_name = factory.Sequence(lambda n: f"Fraktion {n}")
    name = ""
    party = None
    slug = factory.LazyAttribute(lambda o: o.short_name.lower().replace(" ", "-").replace("/", "-"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Nachname{n}")
    slug = factory.LazyAttribute(lambda o: f"{o.first_name}-{o.last_name}".lower().replace(" ", "-"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    faction = factory.SubFactory(FactionFactory)
    start_date = datetime.date(2021, 5, 11)
    end_date = None


class MinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ministry

    parliament = factory.SubFactory(ParliamentFactory)
    name = factory.Sequence(lambda n: f"Ministerium für Aufgabe {n}")
    slug = factory.Sequence(lambda n: f"ministerium-fur-aufgabe-{n}")


class MinisterialOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinisterialOffice

    person = factory.SubFactory(PersonFactory)
    ministry = factory.SubFactory(MinistryFactory)
    role = factory.LazyAttribute(lambda o: f"Minister, {o.ministry.name}")
    start_date = datetime.date(2021, 5, 12)


class InquiryFactory(factory.django.DjangoModelFactory):
    """A published, answered Kleine Anfrage of BW's 17th term."""

    class Meta:
        model = Inquiry
        skip_postgeneration_save = True

    parliament = factory.SubFactory(ParliamentFactory)
    term = factory.LazyAttribute(lambda o: TermFactory(parliament=o.parliament))
    reference = factory.Sequence(lambda n: f"17/{1000 + n}")
    kind = InquiryKind.MINOR
    title = factory.Sequence(lambda n: f"Anfrage Nummer {n} zur Landespolitik")
    asked_on = datetime.date(2024, 2, 7)
    answered_on = datetime.date(2024, 2, 28)
    answering_ministry = factory.LazyAttribute(lambda o: MinistryFactory(parliament=o.parliament))
    state = InquiryState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(state=InquiryState.DRAFT, published_at=None)
        withdrawn = factory.Trait(state=InquiryState.WITHDRAWN, withdrawn_reason="Von den Fragestellern zurückgezogen.")
        unanswered = factory.Trait(answered_on=None)

    @factory.post_generation
    def askers(self, create: bool, extracted, **kwargs) -> None:
        """``askers=[person, (person, faction), …]``: asker links in order."""
        if not create or not extracted:
            return
        for position, entry in enumerate(extracted):
            person, faction = entry if isinstance(entry, tuple) else (entry, None)
            Asker.objects.create(inquiry=self, person=person, faction=faction, position=position)
            if faction is not None:
                self.factions.add(faction)


class AskerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asker

    inquiry = factory.SubFactory(InquiryFactory)
    person = factory.SubFactory(PersonFactory)
    faction = None
    position = 0


class InquiryMinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InquiryMinistry

    inquiry = factory.SubFactory(InquiryFactory)
    ministry = factory.SubFactory(MinistryFactory)
    role = MinistryRole.CONSULTED
    position = 0


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    inquiry = factory.SubFactory(InquiryFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.position))
    text = factory.LazyAttribute(lambda o: f"Wie steht die Landesregierung zu Punkt {o.number}?")
    answer = factory.LazyAttribute(lambda o: f"Zu {o.number}: Die Landesregierung prüft das.")
