"""Reads of the sitemap: what each section lists and when an inquiry last changed."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from inquiries.models import Faction, Inquiry, Ministry, Person
from inquiries.selectors.base import public_inquiries


# --- sitemap ----------------------------------------------------------------------------


def latest_inquiry_change() -> datetime.datetime | None:
    """When a published inquiry last changed (the sitemap index's ``lastmod``), in one query:
    the newest entry of ``inquiry_state_updated_idx`` (a maximum over every published row took
    0.9 s at 1,000,000 inquiries on SQLite)."""
    return public_inquiries().order_by("-updated_at").values_list("updated_at", flat=True).first()


def sitemap_inquiries() -> QuerySet[Inquiry]:
    return public_inquiries().select_related("parliament").only("reference", "updated_at", "parliament__code").order_by("pk")


def sitemap_people() -> QuerySet[Person]:
    return Person.objects.public().only("slug").order_by("pk")


def sitemap_factions() -> QuerySet[Faction]:
    return Faction.objects.select_related("parliament").only("slug", "parliament__code").order_by("pk")


def sitemap_ministries() -> QuerySet[Ministry]:
    return Ministry.objects.select_related("parliament").only("slug", "parliament__code").order_by("pk")
