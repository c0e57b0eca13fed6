"""The Popolo documents: persons, organizations and memberships, alone or together."""

from __future__ import annotations

from typing import Any

from inquiries.popolo import selectors, serializers


def persons(*, base_url: str | None = None) -> list[dict[str, Any]]:
    return [serializers.person(someone, base_url=base_url) for someone in selectors.persons()]


def organizations(*, base_url: str | None = None) -> list[dict[str, Any]]:
    """Parliaments, parties, factions and ministries, in that order."""
    return [
        *(serializers.legislature(parliament) for parliament in selectors.legislatures()),
        *(serializers.party(group) for group in selectors.parties()),
        *(serializers.faction(group, base_url=base_url) for group in selectors.factions()),
        *(serializers.ministry(department, base_url=base_url) for department in selectors.ministries()),
    ]


def memberships() -> list[dict[str, Any]]:
    """Seats in factions, then ministerial offices."""
    return [
        *(serializers.membership(member) for member in selectors.memberships()),
        *(serializers.office(held) for held in selectors.offices()),
    ]


def everything(*, base_url: str | None = None) -> dict[str, list[dict[str, Any]]]:
    return {
        "persons": persons(base_url=base_url),
        "organizations": organizations(base_url=base_url),
        "memberships": memberships(),
    }
