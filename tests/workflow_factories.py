"""factory_boy factories for the editorial workflow tests: inquiries are drafts unless asked otherwise."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from inquiries import roles
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
    start_date = datetime.date(2021, 5, 1)
    end_date = datetime.date(2026, 4, 30)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    short_name = factory.Sequence(lambda n: f"Partei {n}")
    slug = factory.Sequence(lambda n: f"partei-{n}")


class FactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faction

    parliament = factory.SubFactory(ParliamentFactory)
    short_name = factory.Sequence(lambda n: f"Fraktion {n}")
    name = factory.LazyAttribute(lambda faction: f"{faction.short_name} im Landtag")
    party = factory.SubFactory(PartyFactory)
    slug = factory.Sequence(lambda n: f"fraktion-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Nachname{n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    faction = factory.SubFactory(FactionFactory)
    start_date = datetime.date(2021, 5, 1)
    end_date = datetime.date(2026, 4, 30)


class MinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ministry

    parliament = factory.SubFactory(ParliamentFactory)
    name = factory.Sequence(lambda n: f"Ministerium für Aufgabe {n}")
    slug = factory.Sequence(lambda n: f"ministerium-{n}")


class MinisterialOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinisterialOffice

    person = factory.SubFactory(PersonFactory)
    ministry = factory.SubFactory(MinistryFactory)
    role = "Minister"
    start_date = datetime.date(2021, 5, 12)


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry
        skip_postgeneration_save = True

    parliament = factory.SubFactory(ParliamentFactory)
    term = factory.LazyAttribute(lambda inquiry: TermFactory(parliament=inquiry.parliament))
    reference = factory.Sequence(lambda n: f"17/{1000 + n}")
    kind = InquiryKind.MINOR
    title = factory.Sequence(lambda n: f"Anfrage Nummer {n} zur Landespolitik")
    asked_on = datetime.date(2024, 2, 7)
    answered_on = datetime.date(2024, 2, 28)
    answering_ministry = factory.LazyAttribute(lambda inquiry: MinistryFactory(parliament=inquiry.parliament))
    state = InquiryState.DRAFT

    class Params:
        published = factory.Trait(
            state=InquiryState.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        withdrawn = factory.Trait(
            state=InquiryState.WITHDRAWN,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2)),
            withdrawn_reason="Versehentlich doppelt eingestellt.",
        )

    @factory.post_generation
    def indexed(self, create: bool, extracted, **kwargs) -> None:
        # The search engine's change log learns of it, as of every real write (its index
        # reads questions and askers added later when it catches up). Not through
        # services.changes.inquiries_changed, whose calls these tests count.
        if create and extracted is not False:
            from inquiries import search

            search.update_index([self.pk])


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    inquiry = factory.SubFactory(InquiryFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda question: str(question.position))
    text = factory.Sequence(lambda n: f"Wie beurteilt die Landesregierung Frage {n}?")
    answer = factory.Sequence(lambda n: f"Die Landesregierung antwortet auf {n}.")


class AskerFactory(factory.django.DjangoModelFactory):
    """An asker whose faction membership covers the asked date."""

    class Meta:
        model = Asker
        skip_postgeneration_save = True

    inquiry = factory.SubFactory(InquiryFactory)
    person = factory.SubFactory(PersonFactory)
    faction = factory.LazyAttribute(lambda asker: FactionFactory(parliament=asker.inquiry.parliament))
    position = 0

    @factory.post_generation
    def membership(asker, create, extracted, **kwargs):
        if create and extracted is not False and asker.faction is not None:
            MembershipFactory(person=asker.person, faction=asker.faction)


class InquiryMinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InquiryMinistry

    inquiry = factory.SubFactory(InquiryFactory)
    ministry = factory.LazyAttribute(lambda link: MinistryFactory(parliament=link.inquiry.parliament))
    role = MinistryRole.CONSULTED


def inquiry_with_questions(count: int = 3, **kwargs) -> Inquiry:
    """An inquiry with ``count`` answered questions numbered 1…count and one asker."""
    inquiry = InquiryFactory(**kwargs)
    for position in range(1, count + 1):
        QuestionFactory(inquiry=inquiry, position=position, number=str(position))
    AskerFactory(inquiry=inquiry)
    return inquiry


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    is_staff = True

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        # Hashing is slow on purpose; tests log in with force_login unless they pass a password.
        if extracted:
            user.set_password(extracted)
        else:
            user.set_unusable_password()

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            user.save()


def editor(**kwargs):
    return UserFactory(roles=[roles.EDITOR], **kwargs)


def publisher(**kwargs):
    return UserFactory(roles=[roles.PUBLISHER], **kwargs)


def administrator(**kwargs):
    return UserFactory(is_superuser=True, **kwargs)
