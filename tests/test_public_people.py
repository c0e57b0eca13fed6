"""One rule for "who is a public person": ``Person.objects.public()``.

The site (people index, person pages, sitemap, name suggestions, home count), the API,
OParl, Popolo and the admin's filter must list the same people: those who sit or sat
in a faction, hold or held an office, or asked or signed a published inquiry.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from inquiries.models import Person
from tests.api_support import API, api, results  # noqa: F401
from tests.factories import (
    FactionFactory,
    InquiryFactory,
    MembershipFactory,
    MinisterialOfficeFactory,
    MinistryFactory,
    ParliamentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_world() -> SimpleNamespace:
    bw = ParliamentFactory(code="BW", name="Landtag von Baden-Württemberg")
    bt = ParliamentFactory(code="BT", name="Deutscher Bundestag")
    faction = FactionFactory(parliament=bw, short_name="FDP/DVP", slug="fdp-dvp")
    ministry = MinistryFactory(parliament=bw)
    asker = PersonFactory(first_name="Anna", last_name="Fragt", slug="anna-fragt")
    member = PersonFactory(first_name="Max", last_name="Mitglied", slug="max-mitglied")
    minister = PersonFactory(first_name="Mia", last_name="Ministerin", slug="mia-ministerin")
    signer = PersonFactory(first_name="Sven", last_name="Unterzeichner", slug="sven-unterzeichner")
    federal = PersonFactory(first_name="Berta", last_name="Bund", slug="berta-bund")
    draft_asker = PersonFactory(first_name="Dora", last_name="Entwurf", slug="dora-entwurf")
    draft_signer = PersonFactory(first_name="Udo", last_name="Entwurfsunterzeichner", slug="udo-entwurfsunterzeichner")
    nobody = PersonFactory(first_name="Nina", last_name="Niemand", slug="nina-niemand")
    MembershipFactory(person=member, faction=faction, start_date=datetime.date(2021, 5, 1))
    MinisterialOfficeFactory(person=minister, ministry=ministry)
    InquiryFactory(parliament=bw, askers=[asker], signed_by=signer)
    InquiryFactory(parliament=bt, askers=[federal])
    InquiryFactory(parliament=bw, draft=True, askers=[draft_asker], signed_by=draft_signer)
    InquiryFactory(parliament=bw, withdrawn=True, askers=[draft_asker])
    return SimpleNamespace(
        public={asker.slug, member.slug, minister.slug, signer.slug, federal.slug},
        bw={asker.slug, member.slug, minister.slug, signer.slug},
        hidden=[draft_asker, draft_signer, nobody],
        bw_parliament=bw,
    )


def site_people(client) -> set[str]:
    response = client.get("/personen/")
    assert response.status_code == 200
    return {person.slug for person in response.context["people"]}


def test_the_rule_names_members_office_holders_askers_and_signers_of_published_inquiries(people_world):
    assert set(Person.objects.public().values_list("slug", flat=True)) == people_world.public
    assert set(Person.objects.public(people_world.bw_parliament).values_list("slug", flat=True)) == people_world.bw
    assert set(Person.objects.public(["bw"]).values_list("slug", flat=True)) == people_world.bw


def test_the_site_and_the_api_list_the_same_people(client, api, people_world):
    from_api = {item["slug"] for item in results(api.get(f"{API}people/", {"page_size": 100}))}
    assert site_people(client) == from_api == people_world.public
    # Filtered by parliament, the API still follows the rule.
    assert {item["slug"] for item in results(api.get(f"{API}people/", {"parliament": "bw"}))} == people_world.bw


def test_oparl_popolo_and_the_sitemap_list_the_same_people(client, people_world):
    site = site_people(client)
    popolo = client.get("/popolo/v1/persons.json").json()
    assert {person["name"] for person in popolo["persons"]} == {
        person.full_name for person in Person.objects.filter(slug__in=site)
    }
    oparl = client.get("/oparl/v1/body/bw/persons/").json()["data"]
    assert {item["name"] for item in oparl} == {person.full_name for person in Person.objects.filter(slug__in=people_world.bw)}
    sitemap = client.get("/sitemap-personen.xml").content.decode()
    assert "nina-niemand" not in sitemap and "dora-entwurf" not in sitemap
    assert all(f"/personen/{slug}/" in sitemap for slug in site)


def test_people_without_a_public_role_are_not_shown_anywhere(client, api, people_world):
    for person in people_world.hidden:
        assert client.get(f"/personen/{person.slug}/").status_code == 404
        assert api.get(f"{API}people/{person.pk}/").status_code == 404


def test_the_admin_filters_people_by_the_same_rule(client, people_world):
    admin_user = get_user_model().objects.create_superuser("chef", "chef@example.org", "pw")
    client.force_login(admin_user)
    shown = client.get("/admin/inquiries/person/", {"public": "yes"})
    assert shown.status_code == 200
    assert {person.slug for person in shown.context["cl"].result_list} == people_world.public
    hidden = client.get("/admin/inquiries/person/", {"public": "no"})
    assert {person.slug for person in hidden.context["cl"].result_list} == {person.slug for person in people_world.hidden}
