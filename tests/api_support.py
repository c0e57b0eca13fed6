"""Fixtures and helpers of the API tests (``tests/test_api_*.py`` import what they use).

``api_world`` holds published inquiries in two parliaments plus everything that
must never show: a draft, an inquiry withdrawn before publication, and people,
factions and ministries that only drafts mention.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from inquiries.models import InquiryKind, InquiryState, MinisterialOffice, Ministry, Party
from inquiries.services.workflow import withdraw
from tests.factories import (
    FactionFactory,
    InquiryFactory,
    MembershipFactory,
    MinistryFactory,
    ParliamentFactory,
    PersonFactory,
    TermFactory,
)

API = "/api/v1/"


@pytest.fixture
def api(settings) -> APIClient:
    """A client of the API with a fresh throttle (its history lives in the cache)."""
    settings.API_THROTTLE_RATE = "10000/minute"
    cache.clear()
    return APIClient()


def at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def api_world(db) -> SimpleNamespace:
    bw = ParliamentFactory(code="BW")
    bt = ParliamentFactory(code="BT")
    bw17 = TermFactory(parliament=bw, number=17, start_date=datetime.date(2021, 5, 11))
    bt19 = TermFactory(parliament=bt, number=19)
    fdp = Party.objects.create(short_name="FDP", name="Freie Demokratische Partei", slug="fdp")
    fdp_dvp = FactionFactory(parliament=bw, short_name="FDP/DVP", slug="fdp-dvp", party=fdp)
    greens = FactionFactory(parliament=bw, short_name="GRÜNE", slug="grune")
    cdu_bt = FactionFactory(parliament=bt, short_name="CDU/CSU", slug="cdu-csu")
    secret_group = FactionFactory(parliament=bw, short_name="Geheim", slug="geheim")
    nico = PersonFactory(first_name="Nico", last_name="Weinmann", slug="nico-weinmann")
    MembershipFactory(person=nico, faction=fdp_dvp, start_date=datetime.date(2021, 5, 11), constituency="Heilbronn")
    anna = PersonFactory(first_name="Anna", last_name="Grün", slug="anna-grun")
    MembershipFactory(person=anna, faction=greens)
    bernd = PersonFactory(first_name="Bernd", last_name="Bund", slug="bernd-bund")
    draft_only = PersonFactory(first_name="Dora", last_name="Draft", slug="dora-draft")
    old_interior = MinistryFactory(
        parliament=bw, name="Innenministerium", slug="innenministerium", valid_from=datetime.date(2011, 5, 12), valid_until=datetime.date(2021, 5, 11)
    )
    interior = MinistryFactory(
        parliament=bw,
        name="Ministerium des Inneren, für Digitalisierung und Kommunen",
        slug="im",
        short_name="IM",
        valid_from=datetime.date(2021, 5, 12),
    )
    Ministry.objects.filter(pk=old_interior.pk).update(successor=interior)
    strobl = PersonFactory(first_name="Thomas", last_name="Strobl", slug="thomas-strobl")
    MinisterialOffice.objects.create(person=strobl, ministry=interior, role="Minister des Inneren", start_date=datetime.date(2021, 5, 12))
    federal = MinistryFactory(parliament=bt, name="Bundesministerium des Innern", slug="bmi")

    police = InquiryFactory(
        parliament=bw, term=bw17, reference="17/6206", title="Beteiligung der Landespolizei am Innovation Park",
        answering_ministry=interior, signed_by=strobl, signed_by_role="Minister des Inneren",
        askers=[(nico, fdp_dvp)], factions=[fdp_dvp],
        questions=[("Wie ist die Polizei beteiligt?", "Die Polizei ist beteiligt."), ("Was kostet das?", "Nichts.")],
        source_notice="Metadaten: kleineanfragen.de (Archiv 1.1.2021), Open Database License (ODbL 1.0)",
    )
    schools = InquiryFactory(
        parliament=bw, term=bw17, reference="17/100", title="Schulen in Ulm", kind=InquiryKind.MAJOR,
        answering_ministry=interior, askers=[(anna, greens)], factions=[greens],
        asked_on=datetime.date(2024, 3, 1), answered_on=datetime.date(2024, 4, 30),
    )
    federal_police = InquiryFactory(
        parliament=bt, term=bt19, reference="19/3", title="Polizei des Bundes", answering_ministry=federal,
        asked_on=datetime.date(2020, 1, 1), answered_on=None, askers=[(bernd, cdu_bt)], factions=[cdu_bt],
    )
    draft = InquiryFactory(
        parliament=bw, term=bw17, reference="17/999", title="Geheimer Polizei-Entwurf", state=InquiryState.DRAFT,
        askers=[(draft_only, secret_group)], factions=[secret_group],
        questions=[("Geheime Frage zur Polizei?", "")],
    )
    withdrawn_early = InquiryFactory(
        parliament=bw, term=bw17, reference="17/998", title="Polizei zurückgezogen vor Veröffentlichung", state=InquiryState.DRAFT,
    )
    withdraw(withdrawn_early, reason="Vor Veröffentlichung zurückgezogen")
    return SimpleNamespace(
        bw=bw, bt=bt, bw17=bw17, bt19=bt19, fdp=fdp, fdp_dvp=fdp_dvp, greens=greens, cdu_bt=cdu_bt, secret_group=secret_group,
        nico=nico, anna=anna, bernd=bernd, draft_only=draft_only, strobl=strobl,
        old_interior=old_interior, interior=interior, federal=federal,
        police=police, schools=schools, federal_police=federal_police, draft=draft, withdrawn_early=withdrawn_early,
        published=[police, schools, federal_police],
    )


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> list[int]:
    return [item["id"] for item in results(response)]


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The API's one error shape."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == status
    assert body["detail"]
    if code is not None:
        assert body["code"] == code
    return body
