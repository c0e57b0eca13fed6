"""Reads for the Popolo export; the people are the public ones (``Person.objects.public()``), as everywhere."""

from __future__ import annotations

from django.db.models import QuerySet

from inquiries.models import Faction, Membership, MinisterialOffice, Ministry, Parliament, Party, Person


def persons() -> QuerySet[Person]:
    return Person.objects.public().order_by("pk")


def legislatures() -> QuerySet[Parliament]:
    return Parliament.objects.order_by("pk")


def parties() -> QuerySet[Party]:
    return Party.objects.order_by("pk")


def factions() -> QuerySet[Faction]:
    return Faction.objects.select_related("parliament").order_by("pk")


def ministries() -> QuerySet[Ministry]:
    return Ministry.objects.select_related("parliament").order_by("pk")


def memberships() -> QuerySet[Membership]:
    """Faction memberships, with the faction for its party (``on_behalf_of``).

    Everyone with a membership is a public person, so no membership points nowhere.
    """
    return Membership.objects.select_related("faction").order_by("pk")


def offices() -> QuerySet[MinisterialOffice]:
    return MinisterialOffice.objects.order_by("pk")
