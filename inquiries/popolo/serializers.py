"""Rows → Popolo objects (plain dicts), valid against the Popolo JSON schemas.

Ids are stable strings such as ``person-12`` or ``legislature-bw``; empty values
are left out. Links to the portal's pages are added when a base URL is known.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from inquiries.models import Faction, Membership, MinisterialOffice, Ministry, Parliament, Party, Person

LEGISLATURE = "legislature"
PARTY = "party"
PARLIAMENTARY_GROUP = "parliamentary group"
MINISTRY = "ministry"
MEMBER_ROLE = "member"
OFFICE_ROLE = "minister"


def person_id(pk: int) -> str:
    return f"person-{pk}"


def legislature_id(code: str) -> str:
    return f"legislature-{code.lower()}"


def party_id(pk: int) -> str:
    return f"party-{pk}"


def faction_id(pk: int) -> str:
    return f"faction-{pk}"


def ministry_id(pk: int) -> str:
    return f"ministry-{pk}"


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _times(obj: Any) -> dict[str, str | None]:
    return {
        "created_at": timezone.localtime(obj.created_at).isoformat(timespec="seconds") if obj.created_at else None,
        "updated_at": timezone.localtime(obj.updated_at).isoformat(timespec="seconds") if obj.updated_at else None,
    }


def _page_link(obj: Any, base_url: str | None) -> list[dict[str, str]]:
    if not base_url:
        return []
    return [{"url": base_url.rstrip("/") + obj.get_absolute_url(), "note": "Anfragen-Portal"}]


def _abbreviation(short_name: str, name: str) -> list[dict[str, str]]:
    return [{"name": short_name, "note": "abbreviation"}] if short_name and short_name != name else []


def person(someone: Person, *, base_url: str | None = None) -> dict[str, Any]:
    return _compact(
        {
            "id": person_id(someone.pk),
            "name": someone.name,
            "given_name": someone.first_name,
            "family_name": someone.last_name,
            "honorific_prefix": someone.title,
            "sort_name": ", ".join(part for part in (someone.last_name, someone.first_name) if part),
            "identifiers": [{"scheme": "wikidata", "identifier": someone.wikidata_id}] if someone.wikidata_id else [],
            "links": _page_link(someone, base_url),
            **_times(someone),
        }
    )


def legislature(parliament: Parliament) -> dict[str, Any]:
    return _compact(
        {
            "id": legislature_id(parliament.code),
            "name": parliament.name,
            "classification": LEGISLATURE,
            "identifiers": [{"scheme": "parliament-code", "identifier": parliament.code}],
            **_times(parliament),
        }
    )


def party(group: Party) -> dict[str, Any]:
    name = group.name or group.short_name
    return _compact(
        {
            "id": party_id(group.pk),
            "name": name,
            "classification": PARTY,
            "other_names": _abbreviation(group.short_name, name),
        }
    )


def faction(group: Faction, *, base_url: str | None = None) -> dict[str, Any]:
    name = group.name or group.short_name
    return _compact(
        {
            "id": faction_id(group.pk),
            "name": name,
            "classification": PARLIAMENTARY_GROUP,
            "parent_id": legislature_id(group.parliament.code),
            "other_names": _abbreviation(group.short_name, name),
            "links": _page_link(group, base_url),
            **_times(group),
        }
    )


def ministry(department: Ministry, *, base_url: str | None = None) -> dict[str, Any]:
    return _compact(
        {
            "id": ministry_id(department.pk),
            "name": department.name,
            "classification": MINISTRY,
            "other_names": _abbreviation(department.short_name, department.name),
            "founding_date": _date(department.valid_from),
            "dissolution_date": _date(department.valid_until),
            "links": _page_link(department, base_url),
            **_times(department),
        }
    )


def membership(member: Membership) -> dict[str, Any]:
    return _compact(
        {
            "id": f"membership-{member.pk}",
            "person_id": person_id(member.person_id),
            "organization_id": faction_id(member.faction_id),
            "on_behalf_of_id": party_id(member.faction.party_id) if member.faction.party_id else None,
            "role": MEMBER_ROLE,
            "start_date": _date(member.start_date),
            "end_date": _date(member.end_date),
            **_times(member),
        }
    )


def office(held: MinisterialOffice) -> dict[str, Any]:
    return _compact(
        {
            "id": f"office-{held.pk}",
            "person_id": person_id(held.person_id),
            "organization_id": ministry_id(held.ministry_id),
            "role": held.role or OFFICE_ROLE,
            "start_date": _date(held.start_date),
            "end_date": _date(held.end_date),
            **_times(held),
        }
    )
