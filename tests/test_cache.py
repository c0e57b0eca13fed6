"""The anonymous page cache (portal/cache.py): hits, invalidation by inquiries_changed,
staff and POST bypass it, the CSRF token stays the visitor's own, drafts never leak."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from inquiries.services import changes, workflow
from portal.cache import CSRF_PLACEHOLDER, HIT_HEADER
from tests.factories import InquiryFactory
from tests.workflow_factories import UserFactory, inquiry_with_questions

pytestmark = pytest.mark.django_db

LIST_URL = "/anfragen/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_a_second_anonymous_visit_is_served_from_the_cache(client):
    inquiry = InquiryFactory(title="Hochwasserschutz am Neckar")
    first = client.get(LIST_URL)
    second = Client().get(LIST_URL)
    assert first[HIT_HEADER] == "miss" and second[HIT_HEADER] == "hit"
    assert inquiry.title in second.content.decode()
    assert second.content.decode().count("Hochwasserschutz am Neckar") == first.content.decode().count("Hochwasserschutz am Neckar")


def test_the_cache_really_answers_without_rendering_again(client):
    inquiry = InquiryFactory(title="Brückensanierung")
    client.get(inquiry.get_absolute_url())
    # Changed behind the hook's back: the cached page still shows the old title.
    type(inquiry).objects.filter(pk=inquiry.pk).update(title="Neuer Titel ohne Hook")
    cached = Client().get(inquiry.get_absolute_url())
    assert cached[HIT_HEADER] == "hit" and "Brückensanierung" in cached.content.decode()


def test_a_change_through_the_hook_invalidates_cached_pages(client):
    inquiry = InquiryFactory(title="Alter Titel der Anfrage")
    assert "Alter Titel" in client.get(inquiry.get_absolute_url()).content.decode()
    assert "Alter Titel" in client.get(LIST_URL).content.decode()
    type(inquiry).objects.filter(pk=inquiry.pk).update(title="Neuer Titel der Anfrage")
    changes.inquiries_changed([inquiry.pk])
    detail = Client().get(inquiry.get_absolute_url())
    listing = Client().get(LIST_URL)
    assert detail[HIT_HEADER] == "miss" and "Neuer Titel" in detail.content.decode()
    assert listing[HIT_HEADER] == "miss" and "Neuer Titel" in listing.content.decode()


def test_publishing_a_draft_shows_it_on_a_cached_list(client):
    draft = inquiry_with_questions(title="Entwurf über Windkraftanlagen")
    assert "Windkraftanlagen" not in client.get(LIST_URL).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    workflow.publish(draft)
    assert "Windkraftanlagen" in Client().get(LIST_URL).content.decode()
    assert Client().get(draft.get_absolute_url()).status_code == 200


def test_withdrawing_takes_a_cached_inquiry_off_the_pages(client):
    inquiry = inquiry_with_questions(title="Zurückzuziehende Anfrage zum Bahnhof")
    workflow.publish(inquiry)
    answer = inquiry.questions.first().answer
    assert answer in client.get(inquiry.get_absolute_url()).content.decode()
    assert "Bahnhof" in client.get(LIST_URL).content.decode()
    workflow.withdraw(inquiry, reason="Von den Fragestellern zurückgezogen.")
    assert answer not in Client().get(inquiry.get_absolute_url()).content.decode()
    assert "Bahnhof" not in Client().get(LIST_URL).content.decode()
    assert "Bahnhof" not in Client().get(reverse("inquiries:inquiry-feed")).content.decode()


def test_staff_bypass_the_cache_and_their_pages_are_never_stored(client):
    draft = InquiryFactory(title="Nur für die Redaktion", draft=True)
    staff = Client()
    staff.force_login(UserFactory(is_superuser=True))
    for _ in range(2):
        response = staff.get(LIST_URL)
        assert response.status_code == 200 and HIT_HEADER not in response
    anonymous = client.get(LIST_URL)
    assert anonymous[HIT_HEADER] == "miss"
    assert "Nur für die Redaktion" not in anonymous.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_post_requests_and_other_namespaces_bypass_the_cache(client):
    InquiryFactory()
    assert HIT_HEADER not in client.post(LIST_URL)
    assert HIT_HEADER not in client.get("/health/")
    assert HIT_HEADER not in client.get("/health/")


def test_not_found_pages_are_not_stored(client):
    for _ in range(2):
        response = client.get("/BW/drucksache/17/999999/")
        assert response.status_code == 404 and HIT_HEADER not in response


def test_language_gets_its_own_cached_page(client):
    InquiryFactory()
    german = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="de")
    english = Client().get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert german[HIT_HEADER] == "miss" and english[HIT_HEADER] == "miss"
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert Client().get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_a_cached_page_carries_the_visitors_own_working_csrf_token():
    InquiryFactory()
    Client().get(LIST_URL)
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(LIST_URL)
    html = response.content.decode()
    assert response[HIT_HEADER] == "hit"
    assert CSRF_PLACEHOLDER.decode() not in html
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert "csrftoken" in response.cookies
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": LIST_URL, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert Client(enforce_csrf_checks=True).post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token}).status_code == 403


def test_responses_that_set_cookies_are_not_stored(client):
    InquiryFactory()
    client.post(reverse("set_language"), {"language": "en", "next": LIST_URL})
    # The language cookie now picks the page; it is still an anonymous, shareable page.
    assert client.get(LIST_URL)["Content-Language"] == "en"
    assert Client().get(LIST_URL, HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "de"


def test_api_answers_are_cached_per_format_and_invalidated(client):
    inquiry = InquiryFactory(title="Alter API-Titel")
    url = reverse("api:inquiry-detail", args=[inquiry.pk])
    first = client.get(url, HTTP_ACCEPT="application/json")
    second = Client().get(url, HTTP_ACCEPT="application/json")
    assert first[HIT_HEADER] == "miss" and second[HIT_HEADER] == "hit"
    assert second["Content-Type"].startswith("application/json") and second.json()["title"] == "Alter API-Titel"
    assert "ETag" in second
    type(inquiry).objects.filter(pk=inquiry.pk).update(title="Neuer API-Titel")
    changes.inquiries_changed([inquiry.pk])
    assert Client().get(url, HTTP_ACCEPT="application/json").json()["title"] == "Neuer API-Titel"


def test_the_browsable_api_is_never_stored(client):
    InquiryFactory()
    url = reverse("api:inquiry-list")
    for _ in range(2):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response["Content-Type"].startswith("text/html")
        assert response.get(HIT_HEADER) != "hit"
    assert Client().get(url, HTTP_ACCEPT="application/json")[HIT_HEADER] == "miss"


def test_a_new_data_version_alone_drops_the_pages_of_every_worker(client):
    """No cache entry is touched: the key names the data version, which every worker
    reads from the database, so a worker's own memory cache is invalidated as well."""
    from inquiries import versions

    inquiry = InquiryFactory(title="Radwege im Kreis")
    assert client.get(LIST_URL)[HIT_HEADER] == "miss"
    assert Client().get(LIST_URL)[HIT_HEADER] == "hit"
    versions.advance()
    assert Client().get(LIST_URL)[HIT_HEADER] == "miss"
    assert inquiry.title in Client().get(inquiry.get_absolute_url()).content.decode()


def test_without_the_data_version_the_page_is_rendered_not_failed(client, monkeypatch):
    from django.db import OperationalError

    from portal import cache as page_cache_module

    inquiry = InquiryFactory(title="Schulbau in Freiburg")

    def unreachable() -> str:
        raise OperationalError("connection to server failed")

    monkeypatch.setattr(page_cache_module.versions, "current", unreachable)
    response = client.get(inquiry.get_absolute_url())
    assert response.status_code == 200 and HIT_HEADER not in response
